// Line figures: plot.line, plot.lossCurve (several runs, optional log scale) and plot.gradNorms (per-layer norms).
import { colorsForNames, rgbHex, viridis } from "./colors.js";
import { Figure } from "./figure.js";
import type { ScatterTrace } from "./figure_spec.js";
import { describe, isNumericSeries, toNumbers, toSeriesValues } from "./inputs.js";
import { baseLayout, headline, pointsPerSeries, scatterTrace, seriesSummary, type CommonOptions, type Series } from "./series.js";

export interface LineOptions extends CommonOptions {
  mode?: ScatterTrace["mode"];
  /** Name of the series when a single one is given. */
  name?: string;
}

/** A named series given as `{x?, y, name?}`. */
export interface SeriesInput {
  x?: unknown;
  y: unknown;
  name?: string;
  /** A dashed or dotted line sets a series apart (an estimate beside a measurement, or two curves that coincide). */
  dash?: "solid" | "dash" | "dot";
}

function range(n: number): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  return r;
}

function seriesFrom(x: unknown, y: unknown, name: string | undefined, what: string): Series {
  const ys = toSeriesValues(y, what);
  const xs = x === undefined ? range(ys.length) : toSeriesValues(x, `${what} x`);
  if (xs.length !== ys.length) throw new RangeError(`plot: ${what} has ${xs.length} x values but ${ys.length} y values`);
  return name === undefined ? { x: xs, y: ys } : { name, x: xs, y: ys };
}

/** Normalises the accepted series forms: one series, a list of {x?, y, name?}, or a record name -> y. */
function seriesList(input: unknown, what: string): Series[] {
  if (isNumericSeries(input)) return [seriesFrom(undefined, input, undefined, what)];
  if (Array.isArray(input)) {
    return input.map((s: SeriesInput, i) => seriesFrom(s.x, s.y, s.name ?? `series ${i}`, `${what} ${i}`));
  }
  if (typeof input === "object" && input !== null) {
    return Object.entries(input).map(([name, v]) => seriesFrom(undefined, v, name, `${what} "${name}"`));
  }
  throw new TypeError(`plot.line: expected numbers, a list of series or a record of series, got ${describe(input)}`);
}

/**
 * Line plot. `plot.line(y)`, `plot.line(x, y)`, `plot.line([{x, y, name}, ...])` or `plot.line({a: ys, b: ys})`,
 * each with options `{title, xLabel, yLabel, logX, logY, mode, name}`.
 */
export function line(a: unknown, b?: unknown, c?: LineOptions): Figure {
  const twoArrays = b !== undefined && isNumericSeries(b);
  const opts: LineOptions = (twoArrays ? c : (b as LineOptions | undefined)) ?? {};
  const series = twoArrays ? [seriesFrom(a, b, opts.name, "y")] : seriesList(a, "y");
  const dashes = !twoArrays && Array.isArray(a) && !isNumericSeries(a) ? (a as SeriesInput[]).map((s) => s.dash) : [];
  if (!twoArrays && series.length === 1 && opts.name !== undefined) series[0]!.name = opts.name;
  const mode = opts.mode ?? "lines";
  const colors = colorsForNames(series.map((s) => s.name));
  const data = series.map((s, i) => {
    const color = colors[i] as string;
    const dash = dashes[i];
    const lineStyle = dash === undefined ? { color, width: 2 } : { color, width: 2, dash };
    return scatterTrace(s, mode, { line: lineStyle, marker: { color, size: 6 } }, pointsPerSeries(series.length));
  });
  const layout = baseLayout(opts);
  return new Figure({ data, layout }, `${headline("Line plot", opts.title)}\n${seriesSummary(series)}`);
}

/** A training run for lossCurve: losses per step, `{loss, step?}`, or a list of `{step, loss}` records. */
function runSeries(name: string | undefined, run: unknown): Series {
  if (isNumericSeries(run) && !(Array.isArray(run) && typeof run[0] === "object" && run[0] !== null && !Array.isArray(run[0]))) {
    return seriesFrom(undefined, run, name, `run ${name ?? ""}`.trim());
  }
  if (Array.isArray(run)) {
    const recs = run as { step?: number; loss?: number }[];
    return seriesFrom(recs.map((r, i) => r.step ?? i), recs.map((r) => r.loss ?? NaN), name, `run ${name ?? ""}`.trim());
  }
  if (typeof run === "object" && run !== null) {
    const r = run as { loss?: unknown; losses?: unknown; step?: unknown; steps?: unknown; name?: string };
    const y = r.loss ?? r.losses;
    if (y === undefined) throw new TypeError(`plot.lossCurve: run ${name ?? ""} has no "loss" array`);
    // A fit history's `steps` is a count, not the x values: only arrays are used as steps.
    const steps = [r.step, r.steps].find((s) => typeof s === "object" && s !== null);
    return seriesFrom(steps, y, name ?? r.name, `run ${name ?? ""}`.trim());
  }
  throw new TypeError(`plot.lossCurve: a run must be losses or {loss, step}, got ${describe(run)}`);
}

export interface LossCurveOptions extends CommonOptions {
  /** Exponential moving average factor in [0, 1) drawn on top of each raw run (0 = off). */
  smooth?: number;
}

function ema(y: ArrayLike<number>, beta: number): number[] {
  let m = NaN;
  return Array.from(y, (v) => (m = Number.isFinite(m) ? beta * m + (1 - beta) * v : v));
}

/**
 * Loss curves of one or several runs on one chart: `plot.lossCurve(losses)`, `plot.lossCurve({sgd: l1, adam: l2})`
 * or a list of `{name, loss, step?}`; `{logY: true}` for a log scale, `{smooth: 0.9}` adds a moving average.
 */
export function lossCurve(runs: unknown, opts: LossCurveOptions = {}): Figure {
  let series: Series[];
  const isRecordList = Array.isArray(runs) && typeof (runs[0] as { loss?: unknown } | undefined)?.loss === "number";
  if (isRecordList) {
    series = [runSeries(opts.title ? undefined : "loss", runs)];
  } else if (isNumericSeries(runs) && !(Array.isArray(runs) && typeof runs[0] === "object" && !Array.isArray(runs[0]))) {
    series = [runSeries(opts.title ? undefined : "loss", runs)];
  } else if (Array.isArray(runs)) {
    series = runs.map((r, i) => runSeries((r as { name?: string }).name ?? `run ${i}`, r));
  } else if (typeof runs === "object" && runs !== null && ("loss" in runs || "losses" in runs)) {
    series = [runSeries(undefined, runs)];
  } else if (typeof runs === "object" && runs !== null) {
    series = Object.entries(runs).map(([name, r]) => runSeries(name, r));
  } else {
    throw new TypeError(`plot.lossCurve: expected losses, a record of runs or a list of runs, got ${describe(runs)}`);
  }
  const smooth = opts.smooth ?? 0;
  const budget = pointsPerSeries(series.length * (smooth > 0 ? 2 : 1));
  const data: ScatterTrace[] = [];
  const colors = colorsForNames(series.map((s) => s.name));
  series.forEach((s, i) => {
    const color = colors[i] as string;
    if (smooth > 0) {
      data.push(scatterTrace(s, "lines", { line: { color, width: 1 }, opacity: 0.35, showlegend: false }, budget));
      data.push(scatterTrace({ ...s, y: ema(s.y, smooth) }, "lines", { line: { color, width: 2 } }, budget));
    } else {
      data.push(scatterTrace(s, "lines", { line: { color, width: 2 } }, budget));
    }
  });
  const layout = baseLayout(opts, { title: "Loss", xLabel: "step", yLabel: opts.logY ? "loss (log scale)" : "loss" });
  return new Figure({ data, layout }, `${headline("Loss curve", layout.title?.text)}\n${seriesSummary(series)}`);
}

/**
 * Per-layer gradient norms over training steps, on a log scale by default, coloured from the first layer (dark) to
 * the last (yellow) so vanishing or exploding gradients show at a glance. Input: `{layerName: norms[]}`, one
 * record `{layerName: norm}` per step, or a `fit` history (its `gradNorms`).
 */
export function gradNorms(history: unknown, opts: CommonOptions = {}): Figure {
  let byLayer: Record<string, number[]>;
  const nested = (history as { gradNorms?: unknown } | null)?.gradNorms;
  if (typeof nested === "object" && nested !== null && !Array.isArray(history)) history = nested; // a fit history
  if (Array.isArray(history)) {
    byLayer = {};
    for (const step of history as Record<string, unknown>[]) {
      for (const [k, v] of Object.entries(step)) (byLayer[k] ??= []).push(Number(toNumbers(v, `gradNorms "${k}"`)[0]));
    }
  } else if (typeof history === "object" && history !== null) {
    byLayer = Object.fromEntries(Object.entries(history).map(([k, v]) => [k, toNumbers(v, `gradNorms "${k}"`)]));
  } else {
    throw new TypeError(`plot.gradNorms: expected {layer: norms[]} or a list of {layer: norm}, got ${describe(history)}`);
  }
  const names = Object.keys(byLayer);
  const series = names.map((name) => seriesFrom(undefined, byLayer[name], name, `gradNorms "${name}"`));
  const data = series.map((s, i) =>
    scatterTrace(
      s, "lines", { line: { color: rgbHex(viridis(names.length > 1 ? (i / (names.length - 1)) * 0.9 : 0.4)), width: 2 } },
      pointsPerSeries(names.length),
    ),
  );
  const o = { ...opts, logY: opts.logY ?? true };
  const layout = baseLayout(o, { title: "Gradient norms per layer", xLabel: "step", yLabel: "‖grad‖ (log scale)" });
  if (!o.logY) layout.yaxis = { title: { text: "‖grad‖" } };
  return new Figure({ data, layout }, `${headline("Gradient norms", layout.title?.text)}\n${seriesSummary(series)}`);
}
