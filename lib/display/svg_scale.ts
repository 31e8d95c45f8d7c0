// Axis scales for the static SVG renderer: data extent -> pixel mapping (linear or log10) and the tick positions.
import { finiteExtent, linearTicks, logTicks } from "./numbers.js";
import type { Axis, Num, Trace } from "./figure_spec.js";

export interface Scale {
  log: boolean;
  lo: number;
  hi: number;
  ticks: number[];
  /** Pixel position of a data value; NaN when the value cannot be shown (null, or <= 0 on a log axis). */
  map(v: Num): number;
}

/** All values a trace contributes to an axis extent. */
function axisValues(trace: Trace, axis: "x" | "y"): Num[] {
  if (trace.type === "bar") {
    if (axis === "y") return [...trace.y, 0];
    const out: Num[] = [];
    trace.x.forEach((c, i) => {
      const w = trace.width[i] ?? 0;
      if (c !== null && w !== null) out.push(c - w / 2, c + w / 2);
    });
    return out;
  }
  return axis === "x" ? trace.x : trace.y;
}

/** Builds the scale of one axis over all traces, padded 4% for point data, exact for grids and explicit ranges. */
export function buildScale(traces: readonly Trace[], axis: "x" | "y", spec: Axis | undefined, r0: number, r1: number): Scale {
  const log = spec?.type === "log";
  const values = traces.flatMap((t) => axisValues(t, axis));
  let ext = spec?.range && !log ? spec.range : finiteExtent(values, log) ?? (log ? [1, 10] : [0, 1]);
  let [lo, hi] = ext;
  const gridOnly = traces.length > 0 && traces.every((t) => t.type !== "scatter" && t.type !== "bar");
  const hasBars = traces.some((t) => t.type === "bar");
  if (!(spec?.range && !log) && !gridOnly) {
    if (log) {
      const pad = hi > lo ? Math.pow(hi / lo, 0.04) : 2;
      [lo, hi] = [lo / pad, hi * pad];
    } else {
      const pad = hi > lo ? (hi - lo) * 0.04 : Math.abs(lo) * 0.1 || 1;
      [lo, hi] = [axis === "y" && hasBars && lo === 0 ? 0 : lo - pad, hi + pad];
    }
  }
  if (!(hi > lo)) hi = lo + 1;
  ext = [lo, hi];
  const f = log ? Math.log10 : (v: number) => v;
  const flo = f(lo);
  const fhi = f(hi);
  const map = (v: Num): number => {
    if (v === null || !Number.isFinite(v) || (log && v <= 0)) return NaN;
    return r0 + ((f(v) - flo) / (fhi - flo)) * (r1 - r0);
  };
  const ticks = log ? logTicks(lo, hi) : linearTicks(lo, hi, axis === "x" ? 7 : 6);
  return { log, lo, hi, ticks, map };
}
