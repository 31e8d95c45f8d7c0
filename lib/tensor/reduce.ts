// Reduction kernels over one axis of contiguous storage, viewed as (outer, len, inner) blocks.
import type { FloatArray } from "./dtype.js";
import type { Shape } from "./shape.js";

/** The reductions with a kernel here. */
export type ReduceKind = "sum" | "prod" | "max" | "min";

/** Splits a shape at `axis` into (outer, len, inner) element counts. */
export function axisBlocks(shape: Shape, axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

/** Reduces every element to one number. */
export function reduceAll(x: FloatArray, kind: ReduceKind): number {
  const n = x.length;
  if (kind === "sum") {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]!;
    return s;
  }
  if (kind === "prod") {
    let p = 1;
    for (let i = 0; i < n; i++) p *= x[i]!;
    return p;
  }
  let m = kind === "max" ? -Infinity : Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v !== v) return NaN;
    if (kind === "max" ? v > m : v < m) m = v;
    else if (v === m) m = kind === "max" ? maximumOf(m, v) : minimumOf(m, v);
  }
  return m;
}

/** Reduces one axis; `out` has outer*inner elements (the reduced axis removed or kept as 1). */
export function reduceAxis(x: FloatArray, shape: Shape, axis: number, out: FloatArray, kind: ReduceKind): void {
  const [outer, len, inner] = axisBlocks(shape, axis);
  const init = kind === "sum" ? 0 : kind === "prod" ? 1 : kind === "max" ? -Infinity : Infinity;
  out.fill(init);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let l = 0; l < len; l++) {
      const xb = (o * len + l) * inner;
      if (kind === "sum") for (let i = 0; i < inner; i++) out[ob + i] = out[ob + i]! + x[xb + i]!;
      else if (kind === "prod") for (let i = 0; i < inner; i++) out[ob + i] = out[ob + i]! * x[xb + i]!;
      else if (kind === "max") for (let i = 0; i < inner; i++) out[ob + i] = maximumOf(out[ob + i]!, x[xb + i]!);
      else for (let i = 0; i < inner; i++) out[ob + i] = minimumOf(out[ob + i]!, x[xb + i]!);
    }
  }
}

/**
 * The larger of a and b as IEEE 754-2019's maximum (and wasm's f64.max) defines it: NaN if either is NaN, +0 above -0.
 * It is commutative and associative, so a kernel may combine elements in any order and give these bits.
 */
export function maximumOf(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  if (a !== b) return a > b ? a : b;
  // Equal: the same number, or zeros of either sign (+0 if either is +0; the sum of two zeros is -0 only for two -0).
  return a + b === 0 ? a + b : a;
}

/** The smaller of a and b as IEEE 754-2019's minimum: NaN if either is NaN, -0 below +0 (see maximumOf). */
export function minimumOf(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  if (a !== b) return a < b ? a : b;
  return a + b === 0 ? -(-a + -b) : a;
}

/** Index of the first maximum (or minimum) along an axis, written as floats into `out`. */
export function argReduceAxis(x: FloatArray, shape: Shape, axis: number, out: FloatArray, kind: "max" | "min"): void {
  const [outer, len, inner] = axisBlocks(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = x[o * len * inner + i]!;
      let at = 0;
      for (let l = 1; l < len && best === best; l++) {
        const v = x[(o * len + l) * inner + i]!;
        if (v !== v || (kind === "max" ? v > best : v < best)) {
          best = v;
          at = l;
        }
      }
      out[o * inner + i] = at;
    }
  }
}
