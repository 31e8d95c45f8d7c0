// Shape ops that only rearrange elements: reshape, transpose, astype, and the composites expandDims/squeeze/flatten.
import { asTensor } from "../core/convert.js";
import { defineOp, type OpDef } from "../core/op.js";
import { bind } from "../core/trace.js";
import type { Tensor, TensorLike } from "../core/tensor.js";
import { checkDType, type DType } from "../tensor/dtype.js";
import { ShapeError } from "../tensor/errors.js";
import { backend } from "../backend/index.js";
import { formatShape, normalizeAxes, normalizeAxis, SCALAR_SHAPE, shapeSize, shapesEqual, type Shape } from "../tensor/shape.js";

/** Parameters of reshape: the (fully resolved) new shape. */
export interface ReshapeParams {
  readonly shape: Shape;
}

export const RESHAPE: OpDef<ReshapeParams> = defineOp<ReshapeParams>({
  name: "reshape",
  forward: ([x], { shape }) => backend().reshape(x!, shape),
  vjp: (ct, [x]) => [reshape(ct, x!.shape)],
  jvp: ([dx], _in, _out, p) => bind(RESHAPE, [dx!], p),
});

/** Parameters of transpose: the axis permutation. */
export interface TransposeParams {
  readonly perm: readonly number[];
}

export const TRANSPOSE: OpDef<TransposeParams> = defineOp<TransposeParams>({
  name: "transpose",
  forward: ([x], { perm }) => backend().transpose(x!, perm),
  vjp: (ct, _in, _out, { perm }) => [transpose(ct, inversePermutation(perm))],
  jvp: ([dx], _in, _out, p) => bind(TRANSPOSE, [dx!], p),
});

function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** Parameters of astype: the target dtype. */
export interface AstypeParams {
  readonly dtype: DType;
}

export const ASTYPE: OpDef<AstypeParams> = defineOp<AstypeParams>({
  name: "astype",
  forward: ([x], { dtype }) => backend().astype(x!, dtype),
  vjp: (ct, [x]) => [astype(ct, x!.dtype)],
  jvp: ([dx], _in, _out, p) => bind(ASTYPE, [dx!], p),
});

/** Same elements in a new shape; one dimension may be -1 (inferred). Shares storage with `x`. */
export function reshape(x: TensorLike, shape: readonly number[] | number): Tensor {
  const t = asTensor(x, undefined, "reshape");
  const target = resolveShape(t, typeof shape === "number" ? [shape] : shape);
  if (shapesEqual(target, t.shape)) return t;
  return bind(RESHAPE, [t], { shape: target });
}

function resolveShape(t: Tensor, shape: readonly number[]): Shape {
  const bad = (): ShapeError =>
    new ShapeError(`reshape: cannot reshape a tensor of shape ${formatShape(t.shape)} (${t.size} elements) ` +
      `into shape ${formatShape(shape)}`);
  if (!Array.isArray(shape)) throw new ShapeError(`reshape: shape must be a list of integers, got ${String(shape)}`);
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === -1 && unknown < 0) unknown = i;
    else if (!Number.isInteger(d) || d < 0) throw bad();
    else known *= d;
  }
  const out = shape.slice();
  if (unknown >= 0) {
    if (known === 0 || t.size % known !== 0) throw bad();
    out[unknown] = t.size / known;
  } else if (known !== t.size) throw bad();
  return out.length === 0 ? SCALAR_SHAPE : out;
}

/** Permutes axes; reverses them when `axes` is omitted (`x.T`). */
export function transpose(x: TensorLike, axes?: readonly number[]): Tensor {
  const t = asTensor(x, undefined, "transpose");
  const perm = axes === undefined ? t.shape.map((_, i) => t.ndim - 1 - i) : axes.map((a) => normalizeAxis(a, t.ndim, "transpose", t.shape));
  if (perm.length !== t.ndim || new Set(perm).size !== perm.length) {
    throw new ShapeError(`transpose: axes ${JSON.stringify(axes)} are not a permutation of the ${t.ndim} axes of shape ${formatShape(t.shape)}`);
  }
  if (perm.every((p, i) => p === i)) return t;
  return bind(TRANSPOSE, [t], { perm });
}

/** Converts to `dtype` ("float64" or "float32"); the gradient is converted back. */
export function astype(x: TensorLike, dtype: DType): Tensor {
  const t = asTensor(x, undefined, "astype");
  if (checkDType(dtype, "astype") === t.dtype) return t;
  return bind(ASTYPE, [t], { dtype });
}

/** Inserts a length-1 axis at position `axis` (negative counts from the end of the result). */
export function expandDims(x: TensorLike, axis: number): Tensor {
  const t = asTensor(x, undefined, "expandDims");
  const a = normalizeAxis(axis, t.ndim + 1, "expandDims", t.shape);
  const shape = t.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/** Removes length-1 axes: all of them, or the given ones (which must have length 1). */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = asTensor(x, undefined, "squeeze");
  const axes = axis === undefined ? t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(axis, t.ndim, "squeeze", t.shape);
  for (const a of axes) {
    if (t.shape[a] !== 1) {
      throw new ShapeError(`squeeze: cannot remove axis ${a} of shape ${formatShape(t.shape)}: its length is not 1`);
    }
  }
  return reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

/** The elements as a 1-D tensor (row-major order). */
export function flatten(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, "flatten");
  return reshape(t, [shapeSize(t.shape)]);
}
