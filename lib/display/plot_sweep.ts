// plot.sweep: one figure per value of a parameter, precomputed, behind a slider (no kernel needed to explore it).
import { Figure } from "./figure.js";
import type { Axis, FigureSpec, Frame, Trace } from "./figure_spec.js";
import { withControls } from "./frame_controls.js";
import { describe } from "./inputs.js";
import { finiteExtent, formatNumber } from "./numbers.js";

export interface SweepOptions<V> {
  /** Name of the swept parameter, shown beside the slider (default "value"). */
  label?: string;
  /** How a value is written on the slider (default: 4 significant digits). */
  format?: (value: V) => string;
  /** Index of the value shown first and in the static image (default: the middle one). */
  active?: number;
  /** Add Play/Pause buttons that run through the values (default false). */
  play?: boolean;
  /** Milliseconds per value while playing (default 300). */
  frameMs?: number;
}

const isFigure = (v: unknown): v is Figure =>
  typeof v === "object" && v !== null && Array.isArray((v as { spec?: FigureSpec }).spec?.data);

// Each value's data, so the axes stay put while the slider moves and curves can be compared by eye. On a log axis
// plotly wants the range in log10 units (the static SVG ignores ranges on log axes).
function rangeOver(axis: Axis | undefined, which: "x" | "y", specs: readonly FigureSpec[]): Axis | undefined {
  if (!axis || axis.range) return axis;
  const log = axis.type === "log";
  const values = specs.flatMap((s) => s.data.flatMap((t: Trace) => (t.type === "scatter" || t.type === "bar" ? t[which] : [])));
  if (which === "y" && !log && specs.some((s) => s.data.some((t) => t.type === "bar"))) values.push(0); // bars start at 0
  const ext = finiteExtent(values, log);
  if (!ext) return axis;
  const [lo, hi] = log ? [Math.log10(ext[0]), Math.log10(ext[1])] : ext;
  const pad = (hi - lo) * 0.04 || (log ? 0.5 : Math.abs(lo) * 0.1 || 1);
  return { ...axis, range: [lo - pad, hi + pad] };
}

/**
 * `plot.sweep(values, (v) => plot.lossCurve(run(v)), {label: "learning rate"})`: the figure of every value, computed
 * now, with a slider that switches between them in the browser. Every value must give the same traces (same count and
 * kinds); the traces that differ between values are the ones the slider replaces. Axis ranges cover all values.
 */
export function sweep<V extends number | string>(values: readonly V[], figureAt: (value: V) => Figure, opts: SweepOptions<V> = {}): Figure {
  if (!Array.isArray(values) || values.length === 0) throw new TypeError(`plot.sweep: expected a non-empty list of values, got ${describe(values)}`);
  if (typeof figureAt !== "function") throw new TypeError(`plot.sweep: expected a function value -> figure, got ${describe(figureAt)}`);
  const name = opts.label ?? "value";
  const labels = values.map((v) => (opts.format ? opts.format(v) : typeof v === "number" ? formatNumber(v) : String(v)));
  const figures = values.map((v, i) => {
    const fig: unknown = figureAt(v);
    if (!isFigure(fig)) throw new TypeError(`plot.sweep: the function must return a figure (plot.line, plot.contour, ...), got ${describe(fig)} for ${name} = ${labels[i]}`);
    return fig;
  });
  const specs = figures.map((f) => f.spec);
  const first = specs[0] as FigureSpec;
  const kinds = (s: FigureSpec) => s.data.map((t) => t.type).join(", ");
  specs.forEach((s, i) => {
    if (kinds(s) !== kinds(first)) {
      throw new RangeError(`plot.sweep: ${name} = ${labels[i]} gives traces [${kinds(s)}] but ${name} = ${labels[0]} gives [${kinds(first)}]; every value must give the same traces`);
    }
  });
  const active = opts.active ?? Math.floor((values.length - 1) / 2);
  if (!Number.isInteger(active) || active < 0 || active >= values.length) throw new RangeError(`plot.sweep: active must be an index into the ${values.length} values, got ${active}`);

  const json = specs.map((s) => s.data.map((t) => JSON.stringify(t)));
  const changing = first.data.map((_, k) => k).filter((k) => json.some((j) => j[k] !== (json[0] as string[])[k]));
  const names = new Set(labels).size === labels.length ? labels : labels.map((_, i) => String(i));
  const frames: Frame[] = specs.map((s, i) => ({ name: names[i] as string, data: changing.map((k) => s.data[k] as Trace), traces: changing }));
  const shown = specs[active] as FigureSpec;
  const base = { ...shown.layout };
  const xaxis = rangeOver(base.xaxis, "x", specs);
  const yaxis = rangeOver(base.yaxis, "y", specs);
  if (xaxis) base.xaxis = xaxis;
  if (yaxis) base.yaxis = yaxis;
  const still = `static view: ${name} = ${labels[active]}`;
  base.meta = { note: base.meta?.note ? `${base.meta.note}; ${still}` : still };
  const layout = withControls(base, frames, labels, {
    prefix: `${name} = `, active, play: opts.play ?? false, frameMs: opts.frameMs ?? 300,
    redraw: first.data.some((t) => t.type !== "scatter"),
  });
  const summary = `Sweep over ${name}: ${values.length} values (${labels.join(", ")}), slider at ${name} = ${labels[active]}\n` +
    (figures[active] as Figure).summary;
  return new Figure({ data: shown.data, layout, frames }, summary);
}
