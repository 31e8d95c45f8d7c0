// Comparisons (no gradient), where, and stopGradient: ops whose rules pass gradients through a selection or block them.
import { asTensor } from "../core/convert.js";
import { defineOp } from "../core/op.js";
import { bind } from "../core/trace.js";
import { Tensor, type TensorLike } from "../core/tensor.js";
import { allocate } from "../tensor/dtype.js";
import { broadcastShapes } from "../tensor/broadcast.js";
import { rowKernelOf } from "../tensor/elementwise.js";
import { broadcastInto } from "../tensor/layout.js";
import { shapeSize, shapesEqual } from "../tensor/shape.js";
import { checkSameDType, expandTo, operand, unbroadcast } from "./helpers.js";
import { zipOp } from "./binary.js";

function comparison(name: string, test: (x: number, y: number) => boolean) {
  const scalar = (x: number, y: number): number => (test(x, y) ? 1 : 0);
  const kernel = rowKernelOf(scalar);
  return defineOp({ name, differentiable: false, forward: ([a, b]) => zipOp(a!, b!, name, kernel, scalar) });
}

export const GREATER = comparison("greater", (x, y) => x > y);
export const LESS = comparison("less", (x, y) => x < y);
export const EQUAL = comparison("equal", (x, y) => x === y);

/** 1 where a > b, else 0 (same dtype as the operands; no gradient). */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return bind(GREATER, [operand(a, b, "greater"), operand(b, a, "greater")], undefined);
}
/** 1 where a < b, else 0 (no gradient). */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return bind(LESS, [operand(a, b, "less"), operand(b, a, "less")], undefined);
}
/** 1 where a == b, else 0 (no gradient). */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return bind(EQUAL, [operand(a, b, "equal"), operand(b, a, "equal")], undefined);
}

export const WHERE = defineOp({
  name: "where",
  forward: ([c, a, b]) => {
    const dtype = checkSameDType(a!, b!, "where");
    const shape = broadcastShapes(broadcastShapes(c!.shape, a!.shape, "where"), b!.shape, "where");
    const n = shapeSize(shape);
    const cc = expandData(c!, shape, n);
    const aa = expandData(a!, shape, n);
    const bb = expandData(b!, shape, n);
    const out = allocate(dtype, n);
    for (let i = 0; i < n; i++) out[i] = cc[i] !== 0 ? aa[i]! : bb[i]!;
    return new Tensor(out, shape, dtype);
  },
  vjp: (ct, [c, a, b], _out, _p, wants) => [
    null,
    wants[1] ? unbroadcast(where(c!, ct, 0), a!.shape) : null,
    wants[2] ? unbroadcast(where(c!, 0, ct), b!.shape) : null,
  ],
  jvp: ([, da, db], [c], out) => expandTo(where(c!, da ?? 0, db ?? 0), out.shape),
});

function expandData(x: Tensor, shape: readonly number[], n: number) {
  if (shapesEqual(x.shape, shape)) return x.data;
  const out = allocate(x.dtype, n);
  broadcastInto(x.data, x.shape, shape, out);
  return out;
}

/** Elementwise choice: `a` where `cond` is nonzero, else `b` (all three broadcast). Gradients flow to the chosen side. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const ta = operand(a, b, "where");
  const tb = operand(b, ta, "where");
  const tc = asTensor(cond, ta.dtype, "where");
  return bind(WHERE, [tc, ta, tb], undefined);
}

export const STOP_GRADIENT = defineOp({
  name: "stopGradient",
  // Non-differentiable marks the output as carrying no derivative: every trace passes the value through.
  differentiable: false,
  forward: ([x]) => x!,
});

/** The same value, treated as a constant by every transform (JAX `stop_gradient`, PyTorch `detach` for one op). */
export function stopGradient(x: TensorLike): Tensor {
  return bind(STOP_GRADIENT, [asTensor(x, undefined, "stopGradient")], undefined);
}
