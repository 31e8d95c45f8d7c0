// Elementwise kernels over contiguous storage: a broadcasting driver that hands whole rows to tight per-op loops.
import type { FloatArray } from "./dtype.js";
import { shapeSize, stridesOf, type Shape } from "./shape.js";

/**
 * A row kernel computes `out[oo + i] = f(a[ao + i*as], b[bo + i*bs])` for i < n, where each step is 0 (broadcast) or 1.
 * One function per op keeps the inner loop monomorphic; the driver below calls it once per output row.
 */
export type RowKernel = (
  a: FloatArray, ao: number, as: number,
  b: FloatArray, bo: number, bs: number,
  out: FloatArray, oo: number, n: number,
) => void;

/** Runs a row kernel over broadcast operands; `outShape` must be their broadcast shape. */
export function zipBroadcast(
  a: FloatArray, aShape: Shape, b: FloatArray, bShape: Shape, out: FloatArray, outShape: Shape, kernel: RowKernel,
): void {
  const n = out.length;
  if (n === 0) return;
  // An operand with as many elements as the result is laid out exactly like it (broadcasting only ever adds elements).
  if (a.length === n && b.length === n) return kernel(a, 0, 1, b, 0, 1, out, 0, n);
  if (a.length === n && b.length === 1) return kernel(a, 0, 1, b, 0, 0, out, 0, n);
  if (a.length === 1 && b.length === n) return kernel(a, 0, 0, b, 0, 1, out, 0, n);
  broadcastRows(a, aShape, b, bShape, out, outShape, kernel);
}

/**
 * How a broadcast splits into rows: the trailing axes where both operands are contiguous (or both broadcast) merge into
 * one row of `rowLen` elements with steps aStep, bStep (0 or 1); the `split` axes before them are walked row by row,
 * with the operands' aligned strides aStr, bStr.
 */
interface RowLayout { split: number; rowLen: number; aStep: number; bStep: number; aStr: number[]; bStr: number[] }

function rowLayout(aShape: Shape, bShape: Shape, outShape: Shape): RowLayout {
  const nd = outShape.length;
  const aStr = alignedStrides(aShape, outShape);
  const bStr = alignedStrides(bShape, outShape);
  let rowLen = 1;
  let split = nd;
  const aStep = aStr[nd - 1] === 0 ? 0 : 1;
  const bStep = bStr[nd - 1] === 0 ? 0 : 1;
  while (split > 0) {
    const d = split - 1;
    if (outShape[d] === 1) {
      split = d;
      continue;
    }
    const aOk = aStep === 0 ? aStr[d] === 0 : aStr[d] === rowLen;
    const bOk = bStep === 0 ? bStr[d] === 0 : bStr[d] === rowLen;
    if (!aOk || !bOk) break;
    rowLen *= outShape[d]!;
    split = d;
  }
  return { split, rowLen, aStep, bStep, aStr, bStr };
}

/**
 * Two operands seen as `rows` rows of `n` elements: element i of row r is a[r*ars + i*as] and b[r*brs + i*bs], with
 * steps as, bs of 1 (contiguous) or 0 (one value broadcast along the row); the result is rows x n, contiguous.
 */
export interface Rows { rows: number; n: number; ars: number; as: number; brs: number; bs: number }

/** The operands as Rows when the broadcast needs at most one loop over rows; null for several interleaved axes. */
export function asRows(aShape: Shape, bShape: Shape, outShape: Shape): Rows | null {
  const n = shapeSize(outShape);
  const aSize = shapeSize(aShape), bSize = shapeSize(bShape);
  if (aSize === n && bSize === n) return { rows: 1, n, ars: 0, as: 1, brs: 0, bs: 1 };
  if (aSize === n && bSize === 1) return { rows: 1, n, ars: 0, as: 1, brs: 0, bs: 0 };
  if (aSize === 1 && bSize === n) return { rows: 1, n, ars: 0, as: 0, brs: 0, bs: 1 };
  const { split, rowLen, aStep, bStep, aStr, bStr } = rowLayout(aShape, bShape, outShape);
  // The axes before the row become one row axis while each operand steps through them evenly (a batch of matrices
  // plus a bias row: the batch and row axes of a are contiguous, b's strides are 0 in both).
  let rows = 1, ars = 0, brs = 0;
  for (let d = split - 1; d >= 0; d--) {
    if (outShape[d] === 1) continue;
    if (rows === 1) [ars, brs] = [aStr[d]!, bStr[d]!];
    else if (aStr[d] !== ars * rows || bStr[d] !== brs * rows) return null;
    rows *= outShape[d]!;
  }
  return { rows, n: rowLen, ars, as: aStep, brs, bs: bStep };
}

/** General case: walk output rows (last axis, or the largest trailing block both operands share). */
function broadcastRows(
  a: FloatArray, aShape: Shape, b: FloatArray, bShape: Shape, out: FloatArray, outShape: Shape, kernel: RowKernel,
): void {
  const { split, rowLen, aStep, bStep, aStr, bStr } = rowLayout(aShape, bShape, outShape);
  const rows = out.length / rowLen;
  const idx = new Array<number>(split).fill(0);
  let ao = 0;
  let bo = 0;
  for (let r = 0; r < rows; r++) {
    kernel(a, ao, aStep, b, bo, bStep, out, r * rowLen, rowLen);
    for (let d = split - 1; d >= 0; d--) {
      idx[d]!++;
      ao += aStr[d]!;
      bo += bStr[d]!;
      if (idx[d]! < outShape[d]!) break;
      ao -= aStr[d]! * outShape[d]!;
      bo -= bStr[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/** Strides of `shape` aligned to the right of `outShape`, 0 where the operand is broadcast. */
export function alignedStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const lead = outShape.length - shape.length;
  const s = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) s[i + lead] = shape[i] === 1 ? 0 : own[i]!;
  return s;
}

/** Builds a row kernel from a scalar function (for the less frequent ops; hot ops spell their loops out). */
export function rowKernelOf(f: (x: number, y: number) => number): RowKernel {
  return (a, ao, as, b, bo, bs, out, oo, n) => {
    for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i * as]!, b[bo + i * bs]!);
  };
}

export const addRow: RowKernel = (a, ao, as, b, bo, bs, out, oo, n) => {
  if (as === 1 && bs === 1) for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! + b[bo + i]!;
  else if (bs === 0) { const y = b[bo]!; for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! + y; }
  else { const x = a[ao]!; for (let i = 0; i < n; i++) out[oo + i] = x + b[bo + i]!; }
};

export const subRow: RowKernel = (a, ao, as, b, bo, bs, out, oo, n) => {
  if (as === 1 && bs === 1) for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! - b[bo + i]!;
  else if (bs === 0) { const y = b[bo]!; for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! - y; }
  else { const x = a[ao]!; for (let i = 0; i < n; i++) out[oo + i] = x - b[bo + i]!; }
};

export const mulRow: RowKernel = (a, ao, as, b, bo, bs, out, oo, n) => {
  if (as === 1 && bs === 1) for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! * b[bo + i]!;
  else if (bs === 0) { const y = b[bo]!; for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! * y; }
  else { const x = a[ao]!; for (let i = 0; i < n; i++) out[oo + i] = x * b[bo + i]!; }
};

export const divRow: RowKernel = (a, ao, as, b, bo, bs, out, oo, n) => {
  if (as === 1 && bs === 1) for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! / b[bo + i]!;
  else if (bs === 0) { const y = b[bo]!; for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! / y; }
  else { const x = a[ao]!; for (let i = 0; i < n; i++) out[oo + i] = x / b[bo + i]!; }
};
