// Comparisons (no gradient), where, and stopGradient: ops whose rules pass gradients through a selection or block them.
import { asTensor } from "../core/convert.js";
import { defineOp } from "../core/op.js";
import { bind } from "../core/trace.js";
import type { Tensor, TensorLike } from "../core/tensor.js";
import { broadcastShapes } from "../tensor/broadcast.js";
import { backend } from "../backend/index.js";
import { checkSameDType, expandTo, operand, unbroadcast } from "./helpers.js";
import { broadcastForward } from "./binary.js";

function comparison(name: "greater" | "less" | "equal") {
  return defineOp({ name, differentiable: false, forward: ([a, b]) => broadcastForward(name, a!, b!) });
}

export const GREATER = comparison("greater");
export const LESS = comparison("less");
export const EQUAL = comparison("equal");

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
    checkSameDType(a!, b!, "where");
    return backend().where(c!, a!, b!, broadcastShapes(broadcastShapes(c!.shape, a!.shape, "where"), b!.shape, "where"));
  },
  vjp: (ct, [c, a, b], _out, _p, wants) => [
    null,
    wants[1] ? unbroadcast(where(c!, ct, 0), a!.shape) : null,
    wants[2] ? unbroadcast(where(c!, 0, ct), b!.shape) : null,
  ],
  jvp: ([, da, db], [c], out) => expandTo(where(c!, da ?? 0, db ?? 0), out.shape),
});

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
