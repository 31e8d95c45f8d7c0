// Number helpers shared by the display builders: rounding for compact JSON, nice axis ticks, labels, downsampling.

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

/** Short label for a tick or a value: at most `digits` significant digits, exponent form for extreme magnitudes. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = x.toExponential(digits - 1).split("e");
    const mant = String(Number(m));
    return `${mant}e${Number(e)}`;
  }
  return String(Number(x.toPrecision(digits)));
}

/** A "nice" step (1, 2, 2.5 or 5 times a power of ten) close to `raw`. */
function niceStep(raw: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  const m = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
  return m * p;
}

/** Ticks at nice round numbers inside [min, max], about `count` of them. */
export function linearTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) return [min];
  const step = niceStep((max - min) / Math.max(1, count - 1));
  const first = Math.ceil(min / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k * step <= max + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Ticks for a log axis over [min, max] (both > 0): powers of ten, plus 2 and 5 multiples when few decades show. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const decades = hi - lo;
  const every = Math.max(1, Math.ceil(decades / 8));
  const mults = decades <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += every) {
    for (const m of mults) {
      const t = Number((m * Math.pow(10, e)).toPrecision(12));
      if (t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9)) ticks.push(t);
    }
  }
  return ticks.length >= 2 ? ticks : linearTicks(min, max, 4);
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
