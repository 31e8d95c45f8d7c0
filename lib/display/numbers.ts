// Number helpers shared by the display builders: rounding for compact JSON, value labels, extents, downsampling.
import { formatLocale } from "d3-format";

/** Rounds to 6 significant digits so figures stay small and deterministic; non-finite values become null (a gap). */
export function round6(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0) return 0;
  return Number(x.toPrecision(6));
}

/** Rounds to 4 significant digits: enough for grid values and arrow coordinates that are only ever looked at. */
export function round4(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  return x === 0 ? 0 : Number(x.toPrecision(4));
}

/** Rounds a pixel coordinate to 0.1 px and prints it without trailing zeros. */
export function px(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
}

// Summaries are plain text that users copy into code, so an ASCII minus and no digit grouping.
const plainText = formatLocale({ decimal: ".", thousands: "", grouping: [3], currency: ["", ""], minus: "-" });
const formatters = new Map<number, { decimal: (x: number) => string; exponent: (x: number) => string }>();

/** Short label for a tick or a value: at most `digits` significant digits, exponent form for extreme magnitudes. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  let f = formatters.get(digits);
  if (!f) {
    f = { decimal: plainText.format(`.${digits}~r`), exponent: plainText.format(`.${digits - 1}~e`) };
    formatters.set(digits, f);
  }
  const a = Math.abs(x);
  // The exponent without "+" ("1.5e5"), as JavaScript number literals are usually written.
  return a >= 1e5 || a < 1e-3 ? f.exponent(x).replace("e+", "e") : f.decimal(x);
}

/** Minimum and maximum of the finite entries (and > 0 when `positive`); null when there are none. */
export function finiteExtent(values: Iterable<number | null>, positive = false): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v) || (positive && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Keeps at most about `maxPoints` points of a series: the first and last point of each bucket plus its minimum and
 * maximum, so spikes (a diverging loss) stay visible. Deterministic; returns indices into the original series.
 */
export function downsampleIndices(y: ArrayLike<number>, maxPoints: number): number[] {
  const n = y.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let iMin = -1;
    let iMax = -1;
    let iBad = -1; // first non-finite point of the bucket: kept so a divergence still shows as a gap
    for (let i = start; i < end; i++) {
      const v = y[i] as number;
      if (!Number.isFinite(v)) {
        if (iBad < 0) iBad = i;
        continue;
      }
      if (iMin < 0 || v < (y[iMin] as number)) iMin = i;
      if (iMax < 0 || v > (y[iMax] as number)) iMax = i;
    }
    const keep = [start, iMin, iMax, iBad, end - 1].filter((i) => i >= 0).sort((a, c) => a - c);
    for (const i of keep) {
      if (out[out.length - 1] !== i) out.push(i);
    }
  }
  return out;
}
