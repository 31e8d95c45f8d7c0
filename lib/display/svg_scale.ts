// Axis scales for the static SVG renderer: data extent -> pixel mapping (linear or log10), tick positions and labels.
import { format } from "d3-format";
import { scaleLinear, scaleLog } from "d3-scale";
import { finiteExtent } from "./numbers.js";
import type { Axis, Num, Trace } from "./figure_spec.js";

export interface Scale {
  log: boolean;
  lo: number;
  hi: number;
  ticks: number[];
  /** SVG text of a tick label (may contain a superscript tspan). */
  label(t: number): string;
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
  let [lo, hi] = spec?.range && !log ? spec.range : finiteExtent(values, log) ?? (log ? [1, 10] : [0, 1]);
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
  if (log) {
    const s = scaleLog().domain([lo, hi]).range([r0, r1]);
    const map = (v: Num): number => (v === null || !Number.isFinite(v) || v <= 0 ? NaN : s(v));
    return { log, lo, hi, ticks: logTicks(lo, hi), label: logLabel, map };
  }
  const s = scaleLinear().domain([lo, hi]).range([r0, r1]);
  const map = (v: Num): number => (v === null || !Number.isFinite(v) ? NaN : s(v));
  // About one label per 100 px, close to plotly's automatic tick density.
  const count = Math.max(2, Math.round(Math.abs(r1 - r0) / 100));
  const ticks = s.ticks(count);
  // d3 picks the digits from the tick step; the notation follows the magnitude, as plotly's default does.
  const top = Math.max(...ticks.map(Math.abs));
  const label = s.tickFormat(count, top >= 1e5 ? "~s" : top > 0 && top < 1e-3 ? "~e" : "~r");
  return { log, lo, hi, ticks, label, map };
}

/** The leading digit of a positive tick and its decade: 500 -> [5, 2]. */
function decade(t: number): [number, number] {
  const k = Math.floor(Math.log10(t) + 1e-9);
  return [Math.round(t / 10 ** k), k];
}

/**
 * Log ticks as plotly places them: decades, plus the 2 and 5 multiples when at most two decades show; a range
 * inside one decade falls back to linear ticks so the axis still gets two labels.
 */
function logTicks(lo: number, hi: number): number[] {
  const decades = Math.ceil(Math.log10(hi) - 1e-9) - Math.floor(Math.log10(lo) + 1e-9);
  const keep = decades <= 2 ? [1, 2, 5] : [1];
  const ticks = scaleLog().domain([lo, hi]).ticks(8).filter((t) => keep.includes(decade(t)[0]));
  return ticks.length >= 2 ? ticks : scaleLinear().domain([lo, hi]).ticks(4);
}

/** 10 to the power k as SVG text, as plotly's exponentformat "power" writes it: 1, 10, then 10 with a superscript. */
function powerOfTen(k: number): string {
  if (k === 0 || k === 1) return k === 0 ? "1" : "10";
  return `10<tspan dy='-6' font-size='9'>${k < 0 ? "\u2212" + -k : k}</tspan>`;
}

const plain = format("~g");

/** Decades as powers of ten; other ticks as plain numbers, or m×10^k where plain digits would run long. */
function logLabel(t: number): string {
  const [m, k] = decade(t);
  if (m === 1) return powerOfTen(k);
  return t >= 1e-3 && t < 1e5 ? plain(t) : `${m}×${powerOfTen(k)}`;
}
