// Ops built from primitives (so they need no rules of their own): mean, var, std, clip, leakyRelu, gelu,
// softmax, logSoftmax, logsumexp, norm.
import { asTensor } from "../core/convert.js";
import type { AxisArg, Tensor, TensorLike } from "../core/tensor.js";
import { ValueError } from "../tensor/errors.js";
import { normalizeAxes, normalizeAxis } from "../tensor/shape.js";
import { add, div, maximum, minimum, mul, sub } from "./binary.js";
import { axisOptions } from "./helpers.js";
import { max, sum } from "./reduce.js";
import { less, stopGradient, where, greater } from "./select.js";
import { reshape } from "./shape.js";
import { abs, exp, log, sqrt, square, tanh } from "./unary.js";

/** Axis selection of var/std: like other reductions plus `ddof` (delta degrees of freedom, default 0). */
export type VarArg = AxisArg | { axis?: number | readonly number[]; keepdims?: boolean; ddof?: number };

/** Options of `norm`. */
export interface NormOptions {
  /** 2 (default, Euclidean), 1, or Infinity (max-abs). */
  ord?: 1 | 2 | number;
  axis?: number | readonly number[];
  keepdims?: boolean;
}

function countOver(t: Tensor, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * t.shape[a]!, 1);
}

/** Arithmetic mean over `axis` (all axes by default). */
export function mean(x: TensorLike, axis?: AxisArg, keepdims?: boolean): Tensor {
  const t = asTensor(x, undefined, "mean");
  const o = axisOptions(axis, keepdims);
  const axes = normalizeAxes(o.axis, t.ndim, "mean", t.shape);
  return div(sum(t, axes, o.keepdims), countOver(t, axes));
}

/** Variance over `axis` (population variance unless `{ddof: 1}`). */
export function variance(x: TensorLike, axis?: VarArg, keepdims?: boolean): Tensor {
  return varianceAs("var", x, axis, keepdims);
}

/** Standard deviation over `axis` (sqrt of `variance`). Its derivative is infinite where the spread is 0. */
export function std(x: TensorLike, axis?: VarArg, keepdims?: boolean): Tensor {
  return sqrt(varianceAs("std", x, axis, keepdims));
}

/** The variance, with errors naming `op`; divides by max(n - ddof, 0) as numpy does (NaN or Infinity past n). */
function varianceAs(op: string, x: TensorLike, axis: VarArg | undefined, keepdims: boolean | undefined): Tensor {
  const t = asTensor(x, undefined, op);
  const o = axisOptions(axis as AxisArg, keepdims);
  const ddof = typeof axis === "object" && axis !== null && !Array.isArray(axis) ? ((axis as { ddof?: number }).ddof ?? 0) : 0;
  const axes = normalizeAxes(o.axis, t.ndim, op, t.shape);
  const centered = sub(t, mean(t, axes, true));
  return div(sum(square(centered), axes, o.keepdims), Math.max(countOver(t, axes) - ddof, 0));
}

/** Limits values to [lo, hi] (= minimum(maximum(x, lo), hi); at exactly lo or hi the gradient is halved, see conventions). */
export function clip(x: TensorLike, lo: TensorLike, hi: TensorLike): Tensor {
  return minimum(maximum(x, lo), hi);
}

/** x where x > 0, alpha * x elsewhere (so the derivative at 0 is alpha). */
export function leakyRelu(x: TensorLike, alpha = 0.01): Tensor {
  const t = asTensor(x, undefined, "leakyRelu");
  return where(greater(t, 0), t, mul(t, alpha));
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU with the tanh approximation (jax.nn.gelu's default): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
export function gelu(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, "gelu");
  const inner = mul(add(t, mul(mul(square(t), t), 0.044715)), GELU_C);
  return mul(mul(t, 0.5), add(tanh(inner), 1));
}

/** The row maximum as a constant shift for stable exp; 0 where it is infinite (all -inf rows). */
function stableShift(t: Tensor, axes: readonly number[]): Tensor {
  const m = stopGradient(max(t, axes, true));
  return where(less(abs(m), Infinity), m, 0);
}

/** log(sum(exp(x))) over `axis` (all by default), without overflow. Its gradient is softmax(x). */
export function logsumexp(x: TensorLike, axis?: AxisArg, keepdims?: boolean): Tensor {
  const t = asTensor(x, undefined, "logsumexp");
  const o = axisOptions(axis, keepdims);
  const axes = normalizeAxes(o.axis, t.ndim, "logsumexp", t.shape);
  const m = stableShift(t, axes);
  const out = add(log(sum(exp(sub(t, m)), axes, true)), m);
  return o.keepdims ? out : reshape(out, t.shape.filter((_, i) => !axes.includes(i)));
}

/** softmax along `axis` (default: last): exp(x) / sum(exp(x)), computed stably. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor(x, undefined, "softmax");
  const a = normalizeAxis(axis, t.ndim, "softmax", t.shape);
  const e = exp(sub(t, stableShift(t, [a])));
  return div(e, sum(e, a, true));
}

/** log(softmax(x)) along `axis` (default: last), computed stably. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor(x, undefined, "logSoftmax");
  const a = normalizeAxis(axis, t.ndim, "logSoftmax", t.shape);
  return sub(t, logsumexp(t, a, true));
}

/** Vector norm over all elements or `axis`: ord 2 (default), 1, or Infinity. The 2-norm's gradient at 0 is NaN. */
export function norm(x: TensorLike, options: NormOptions = {}): Tensor {
  const t = asTensor(x, undefined, "norm");
  const ord = options.ord ?? 2;
  const axis = normalizeAxes(options.axis, t.ndim, "norm", t.shape);
  const keepdims = options.keepdims ?? false;
  if (ord === 2) return sqrt(sum(square(t), axis, keepdims));
  if (ord === 1) return sum(abs(t), axis, keepdims);
  if (ord === Infinity) return max(abs(t), axis, keepdims);
  throw new ValueError(`norm: unsupported ord ${ord} (use 1, 2 or Infinity)`);
}
