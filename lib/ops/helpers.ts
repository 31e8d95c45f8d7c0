// Shared plumbing for op definitions: operand conversion, dtype checks, undoing broadcasting.
import { asTensor } from "../core/convert.js";
import { Tensor, type AxisArg, type TensorLike } from "../core/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { DTypeError } from "../tensor/errors.js";
import { reductionAxes } from "../tensor/broadcast.js";
import { shapesEqual, type Shape } from "../tensor/shape.js";
import { reshape } from "./shape.js";
import { sum, broadcastTo } from "./reduce.js";

/** Converts the first operand; a number takes the dtype of the other operand. */
export function operand(x: TensorLike, other: TensorLike, op: string): Tensor {
  if (x instanceof Tensor) return x;
  return asTensor(x, other instanceof Tensor ? other.dtype : undefined, op);
}

/** Throws the dtype-mix error naming the op and both dtypes. */
export function checkSameDType(a: Tensor, b: Tensor, op: string): DType {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${op}: cannot mix dtypes ${a.dtype} and ${b.dtype} (convert one with .astype("${a.dtype}"))`);
  }
  return a.dtype;
}

/**
 * THE one place that undoes broadcasting: sums a cotangent of a broadcast result back to an operand's shape.
 * Every binary rule and `broadcastTo`'s rule go through it.
 */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const axes = reductionAxes(g.shape, shape);
  const summed = axes.length > 0 ? sum(g, axes, true) : g;
  return shapesEqual(summed.shape, shape) ? summed : reshape(summed, shape);
}

/** A tangent of an operand expanded to the result's shape (forward rules with one symbolic-zero input). */
export function expandTo(t: Tensor, shape: Shape): Tensor {
  return shapesEqual(t.shape, shape) ? t : broadcastTo(t, shape);
}

/** Splits the `(axis?, keepdims?)` / `({axis, keepdims})` argument styles of reductions. */
export function axisOptions(
  axis: AxisArg | undefined, keepdims: boolean | undefined,
): { axis: number | readonly number[] | undefined; keepdims: boolean } {
  if (axis !== undefined && axis !== null && typeof axis === "object" && !Array.isArray(axis)) {
    const o = axis as { axis?: number | readonly number[]; keepdims?: boolean };
    return { axis: o.axis, keepdims: o.keepdims ?? keepdims ?? false };
  }
  return { axis: axis as number | readonly number[] | undefined, keepdims: keepdims ?? false };
}
