// Data-movement kernels: transpose, strided slices and their scatter, gather/scatter-add along an axis, concatenation.
import type { FloatArray } from "./dtype.js";
import { stridesOf, type Shape } from "./shape.js";
import { axisBlocks } from "./reduce.js";
import { alignedStrides } from "./elementwise.js";

/** Writes `x` (of `shape`) permuted by `perm` into `out` (shape `perm.map(i => shape[i])`). */
export function transposeInto(x: FloatArray, shape: Shape, perm: readonly number[], out: FloatArray): void {
  const nd = shape.length;
  if (nd === 2 && perm[0] === 1) {
    const rows = shape[0]!;
    const cols = shape[1]!;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
    return;
  }
  const inStr = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const srcStr = perm.map((p) => inStr[p]!);
  stridedCopy(x, 0, srcStr, outShape, out);
}

/** Copies the strided view (offset, strides, shape) of `x` into contiguous `out`. */
function stridedCopy(x: FloatArray, offset: number, strides: readonly number[], shape: Shape, out: FloatArray): void {
  const nd = shape.length;
  if (out.length === 0) return;
  if (nd === 0) {
    out[0] = x[offset]!;
    return;
  }
  const last = shape[nd - 1]!;
  const lastStride = strides[nd - 1]!;
  const rows = out.length / last;
  const idx = new Array<number>(nd - 1).fill(0);
  let src = offset;
  for (let r = 0; r < rows; r++) {
    const o = r * last;
    for (let j = 0; j < last; j++) out[o + j] = x[src + j * lastStride]!;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      src += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      src -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** Copies the slice `start + k*step` (k < outShape[d]) of every axis of `x` into `out`. */
export function sliceInto(
  x: FloatArray, shape: Shape, start: readonly number[], step: readonly number[], outShape: Shape, out: FloatArray,
): void {
  const str = stridesOf(shape);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset += start[d]! * str[d]!;
  stridedCopy(x, offset, str.map((s, d) => s * step[d]!), outShape, out);
}

/** The transpose of `sliceInto`: writes `src` (of `srcShape`) into the sliced positions of zeroed `out` of `shape`. */
export function scatterSliceInto(
  src: FloatArray, srcShape: Shape, shape: Shape, start: readonly number[], step: readonly number[], out: FloatArray,
): void {
  const nd = shape.length;
  if (src.length === 0) return;
  const str = stridesOf(shape);
  let dst = 0;
  for (let d = 0; d < nd; d++) dst += start[d]! * str[d]!;
  if (nd === 0) {
    out[dst] = src[0]!;
    return;
  }
  const dstStr = str.map((s, d) => s * step[d]!);
  const last = srcShape[nd - 1]!;
  const rows = src.length / last;
  const idx = new Array<number>(nd - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < last; j++) out[dst + j * dstStr[nd - 1]!] = src[r * last + j]!;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      dst += dstStr[d]!;
      if (idx[d]! < srcShape[d]!) break;
      dst -= dstStr[d]! * srcShape[d]!;
      idx[d] = 0;
    }
  }
}

/** Gathers `indices` along `axis`: out has `shape` with `shape[axis]` replaced by `indices.length`. */
export function gatherInto(x: FloatArray, shape: Shape, axis: number, indices: ArrayLike<number>, out: FloatArray): void {
  const [outer, len, inner] = axisBlocks(shape, axis);
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * len + indices[j]!) * inner;
      const dst = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = x[src + i]!;
    }
  }
}

/** The transpose of `gatherInto`: adds `src` rows into zeroed `out` of `shape` at `indices` (repeats accumulate). */
export function scatterAddInto(
  src: FloatArray, shape: Shape, axis: number, indices: ArrayLike<number>, out: FloatArray,
): void {
  const [outer, len, inner] = axisBlocks(shape, axis);
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * len + indices[j]!) * inner;
      const s = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = out[dst + i]! + src[s + i]!;
    }
  }
}

/** Concatenates blocks along `axis`; every part has the same shape except at `axis`. */
export function concatInto(parts: readonly FloatArray[], shapes: readonly Shape[], axis: number, out: FloatArray): void {
  const [outer, , inner] = axisBlocks(shapes[0]!, axis);
  let total = 0;
  for (const s of shapes) total += s[axis]!;
  let offset = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const block = shapes[p]![axis]! * inner;
    for (let o = 0; o < outer; o++) out.set(part.subarray(o * block, (o + 1) * block), o * total * inner + offset);
    offset += block;
  }
}

/** Materialises `x` (of `shape`) broadcast to `outShape` into `out`. */
export function broadcastInto(x: FloatArray, shape: Shape, outShape: Shape, out: FloatArray): void {
  if (x.length === out.length) {
    out.set(x);
    return;
  }
  if (x.length === 1) {
    out.fill(x[0]!);
    return;
  }
  stridedCopy(x, 0, alignedStrides(shape, outShape), outShape, out);
}
