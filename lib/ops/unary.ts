// Elementwise unary ops: each forward (computed by the backend) with its vjp/jvp rules in one block.
import { asTensor } from "../core/convert.js";
import { defineOp, type OpDef } from "../core/op.js";
import { bind } from "../core/trace.js";
import type { Tensor, TensorLike } from "../core/tensor.js";
import { backend, type UnaryFn } from "../backend/index.js";
import { add, div, mul, sub } from "./binary.js";
import { greater } from "./select.js";

/**
 * A unary op whose vjp and jvp are both "multiply by the local derivative": `deriv(x, out)` returns dy/dx
 * (written with public ops, so it can be differentiated again).
 */
function unaryOp(name: UnaryFn, deriv: (x: Tensor, out: Tensor) => Tensor): OpDef {
  return defineOp({
    name,
    forward: ([x]) => backend().unary(name, x!),
    vjp: (ct, [x], out) => [mul(ct, deriv(x!, out))],
    jvp: ([dx], [x], out) => mul(dx!, deriv(x!, out)),
  });
}

export const NEG = defineOp({
  name: "neg",
  forward: ([x]) => backend().unary("neg", x!),
  vjp: (ct) => [neg(ct)],
  jvp: ([dx]) => neg(dx!),
});

export const EXP = unaryOp("exp", (_x, out) => out);
export const LOG = unaryOp("log", (x) => div(1, x));
export const LOG1P = unaryOp("log1p", (x) => div(1, add(x, 1)));
export const SQRT = unaryOp("sqrt", (_x, out) => div(0.5, out));
export const SQUARE = unaryOp("square", (x) => mul(x, 2));
export const SIN = unaryOp("sin", (x) => cos(x));
export const COS = unaryOp("cos", (x) => neg(sin(x)));
// d tan = 1 + tan^2
export const TAN = unaryOp("tan", (_x, out) => add(1, square(out)));
// d tanh = 1 - tanh^2
export const TANH = unaryOp("tanh", (_x, out) => sub(1, square(out)));
// d sigmoid = s (1 - s)
export const SIGMOID = unaryOp("sigmoid", (_x, out) => mul(out, sub(1, out)));
// Convention: relu'(0) = 0 (the mask is x > 0).
export const RELU = unaryOp("relu", (x) => greater(x, 0));
// Convention: abs'(0) = sign(0) = 0.
export const ABS = unaryOp("abs", (x) => sign(x));
// softplus' = sigmoid
export const SOFTPLUS = unaryOp("softplus", (x) => sigmoid(x));

/** sign has derivative 0 everywhere it exists, so it is marked non-differentiable (no tracer, zero gradient). */
export const SIGN = defineOp({
  name: "sign",
  differentiable: false,
  forward: ([x]) => backend().unary("sign", x!),
});

function unary(def: OpDef, x: TensorLike): Tensor {
  return bind(def, [asTensor(x, undefined, def.name)], undefined);
}

/** Elementwise `-x`. */
export function neg(x: TensorLike): Tensor { return unary(NEG, x); }
/** Elementwise e^x. */
export function exp(x: TensorLike): Tensor { return unary(EXP, x); }
/** Elementwise natural logarithm. */
export function log(x: TensorLike): Tensor { return unary(LOG, x); }
/** Elementwise log(1 + x), accurate for small x. */
export function log1p(x: TensorLike): Tensor { return unary(LOG1P, x); }
/** Elementwise square root (its derivative is infinite at 0). */
export function sqrt(x: TensorLike): Tensor { return unary(SQRT, x); }
/** Elementwise x². */
export function square(x: TensorLike): Tensor { return unary(SQUARE, x); }
/** Elementwise sine. */
export function sin(x: TensorLike): Tensor { return unary(SIN, x); }
/** Elementwise cosine. */
export function cos(x: TensorLike): Tensor { return unary(COS, x); }
/** Elementwise tangent. */
export function tan(x: TensorLike): Tensor { return unary(TAN, x); }
/** Elementwise hyperbolic tangent. */
export function tanh(x: TensorLike): Tensor { return unary(TANH, x); }
/** Elementwise logistic sigmoid 1 / (1 + e^-x), computed without overflow. */
export function sigmoid(x: TensorLike): Tensor { return unary(SIGMOID, x); }
/** Elementwise max(x, 0). Convention: derivative 0 at x = 0. */
export function relu(x: TensorLike): Tensor { return unary(RELU, x); }
/** Elementwise |x|. Convention: derivative sign(x), so 0 at x = 0. */
export function abs(x: TensorLike): Tensor { return unary(ABS, x); }
/** Elementwise log(1 + e^x), computed without overflow. */
export function softplus(x: TensorLike): Tensor { return unary(SOFTPLUS, x); }
/** Elementwise sign: -1, 0 or 1 (NaN stays NaN). No gradient flows through it. */
export function sign(x: TensorLike): Tensor { return unary(SIGN, x); }
