// plot.histogram: pre-binned bars (one shared set of bins for several named distributions, overlaid).
import { colorsForNames } from "./colors.js";
import { Figure } from "./figure.js";
import type { BarTrace } from "./figure_spec.js";
import { describe, isNumericSeries, toSeriesValues } from "./inputs.js";
import { finiteExtent, formatNumber, round6 } from "./numbers.js";
import { baseLayout, headline, type CommonOptions } from "./series.js";

export interface HistogramOptions extends CommonOptions {
  /** Number of bins (default: sqrt(n), between 10 and 60). */
  bins?: number;
  /** Bin range [min, max] (default: the data's finite extent). */
  range?: [number, number];
}

function namedSamples(input: unknown): { name: string | undefined; values: readonly number[] | Float64Array }[] {
  if (isNumericSeries(input)) return [{ name: undefined, values: toSeriesValues(input, "histogram values") }];
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    return Object.entries(input).map(([name, v]) => ({ name, values: toSeriesValues(v, `histogram "${name}"`) }));
  }
  throw new TypeError(`plot.histogram: expected numbers, a tensor or a record name -> values, got ${describe(input)}`);
}

/**
 * Histogram of values (e.g. a layer's gradients): `plot.histogram(g)` or `plot.histogram({w1: g1, w2: g2})`, options
 * `{bins, range, logY, title}`. Bins are computed here so the bundle stays small whatever the sample size.
 */
export function histogram(input: unknown, opts: HistogramOptions = {}): Figure {
  const samples = namedSamples(input);
  const extents = samples.map((s) => finiteExtent(s.values)).filter((e): e is [number, number] => e !== null);
  const combined = extents.length ? finiteExtent(extents.flat()) : null;
  const ext = opts.range ?? combined ?? [0, 1];
  const [lo, hi] = ext[1] > ext[0] ? ext : [ext[0] - 0.5, ext[0] + 0.5];
  const longest = Math.max(...samples.map((s) => s.values.length), 1);
  const bins = Math.max(1, Math.round(opts.bins ?? Math.min(60, Math.max(10, Math.ceil(Math.sqrt(longest))))));
  const width = (hi - lo) / bins;
  const centres = Array.from({ length: bins }, (_, b) => round6(lo + (b + 0.5) * width));
  const colors = colorsForNames(samples.map((s) => s.name));
  const data: BarTrace[] = samples.map((s, i) => {
    const counts = new Array<number>(bins).fill(0);
    for (const v of s.values) {
      if (!Number.isFinite(v) || v < lo || v > hi) continue;
      counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
    }
    const trace: BarTrace = {
      type: "bar", x: centres, y: counts, width: centres.map(() => round6(width)),
      marker: { color: colors[i] as string }, opacity: samples.length > 1 ? 0.55 : 0.85,
    };
    if (s.name !== undefined) trace.name = s.name;
    return trace;
  });
  const layout = baseLayout(opts, { xLabel: "value", yLabel: opts.logY ? "count (log scale)" : "count" });
  layout.barmode = "overlay";
  const lines = samples.map((s) => {
    let n = 0;
    let sum = 0;
    let sumSq = 0;
    for (const v of s.values) {
      if (!Number.isFinite(v)) continue;
      n += 1;
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / (n || 1);
    const std = Math.sqrt(Math.max(0, sumSq / (n || 1) - mean * mean));
    const bad = s.values.length - n;
    return `  ${s.name ?? "values"}: n=${s.values.length}, mean ${formatNumber(mean)}, std ${formatNumber(std)}` +
      (bad ? `, ${bad} non-finite` : "");
  });
  const summary = `${headline("Histogram", opts.title)}, ${bins} bins over [${formatNumber(lo)}, ${formatNumber(hi)}]\n${lines.join("\n")}`;
  return new Figure({ data, layout }, summary);
}
