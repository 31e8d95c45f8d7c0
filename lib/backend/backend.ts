// The backend seam: the one interface through which every op's forward computes. Ops validate and do the math;
// a backend decides how the numbers are produced (storage, fast paths, kernels, threads).
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../tensor/dtype.js";
import type { ReduceKind } from "../tensor/reduce.js";
import type { Shape } from "../tensor/shape.js";

/** Elementwise functions of one argument (their values are defined once, in scalar.ts). */
export type UnaryFn =
  | "neg" | "exp" | "log" | "log1p" | "sqrt" | "square" | "sin" | "cos" | "tan" | "tanh" | "sigmoid" | "relu" | "abs"
  | "softplus" | "sign";

/** Elementwise functions of two broadcast arguments; comparisons give 1 or 0 in the operands' dtype. */
export type BinaryFn = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "greater" | "less" | "equal";

/**
 * One Adam step's constants (lib/optim's adam and adamw chains): c1 = 1 - b1, c2 = 1 - b2, the bias corrections as
 * 1 / (1 - b1^t) and 1 / sqrt(1 - b2^t), `factor` = -learning rate, and the weight decays (0: none) added to the
 * gradient (coupled, Adam's L2 form) or to the update (decoupled, AdamW).
 */
export interface AdamCoefficients {
  b1: number; c1: number; b2: number; c2: number; invBc1: number; invSqrtBc2: number; eps: number; factor: number;
  coupledDecay: number; decoupledDecay: number;
}

/** Reductions over axes (the tensor layer's kinds). max and min propagate NaN, as numpy does. */
export type ReduceFn = ReduceKind;

/**
 * What every backend computes. Arguments arrive validated by the op (shapes broadcast, dtypes agree, axes normalised,
 * indices in range), so a backend only produces values; results never share storage that a later op could write.
 */
export interface Backend {
  readonly name: string;
  /** A tensor of `shape` whose every element is `value` (rounded to float32 for that dtype). */
  full(shape: Shape, value: number, dtype: DType): Tensor;
  /** Throws OutOfMemoryError (naming `op` and `shape`) when float64 values of `shape` cannot be held now. */
  reserve(shape: Shape, op: string): void;
  /**
   * Float64 zeros for state that outlives every scope and that its owner overwrites in place (optimizer moments),
   * placed where this backend's kernels read it.
   */
  stateStorage(n: number): Float64Array;
  /** A tensor holding a copy of `values` (row-major) in `dtype`. */
  fromValues(values: ArrayLike<number>, shape: Shape, dtype: DType): Tensor;
  unary(fn: UnaryFn, x: Tensor): Tensor;
  /** `fn(a, b)` with numpy broadcasting; `shape` is the broadcast shape. */
  binary(fn: BinaryFn, a: Tensor, b: Tensor, shape: Shape): Tensor;
  /** `a` where `cond` is nonzero, else `b`, all broadcast to `shape`. */
  where(cond: Tensor, a: Tensor, b: Tensor, shape: Shape): Tensor;
  /** Reduces the sorted, distinct `axes`; the result has `shape` (with or without the kept length-1 axes). */
  reduce(fn: ReduceFn, x: Tensor, axes: readonly number[], shape: Shape): Tensor;
  /** Index of the first maximum/minimum (NaN counts as the extremum) along `axis`, or of the flat tensor for null. */
  argReduce(fn: "max" | "min", x: Tensor, axis: number | null): Tensor;
  /**
   * op(a) @ op(b) over the last two axes, batch axes broadcast to `shape`'s leading axes; `ta`/`tb` read that operand's
   * last two axes transposed.
   */
  matmul(a: Tensor, b: Tensor, ta: boolean, tb: boolean, shape: Shape): Tensor;
  /** The same elements in row-major order under another shape of equal size. */
  reshape(x: Tensor, shape: Shape): Tensor;
  transpose(x: Tensor, perm: readonly number[]): Tensor;
  broadcastTo(x: Tensor, shape: Shape): Tensor;
  astype(x: Tensor, dtype: DType): Tensor;
  /** Elements `start[d] + k * step[d]` for k < shape[d] of every axis d (step may be negative). */
  slice(x: Tensor, start: readonly number[], step: readonly number[], shape: Shape): Tensor;
  /** The transpose of `slice`: zeros of `shape` with `src` written at the sliced positions. */
  sliceScatter(src: Tensor, start: readonly number[], step: readonly number[], shape: Shape): Tensor;
  /** `x` with `indices` picked along `axis`. */
  gather(x: Tensor, axis: number, indices: Int32Array): Tensor;
  /** The transpose of `gather`: zeros of `shape` with the rows of `src` added at `indices` (repeats accumulate). */
  scatterAdd(src: Tensor, axis: number, indices: Int32Array, shape: Shape): Tensor;
  /** Joins tensors that agree outside `axis`. */
  concat(xs: readonly Tensor[], axis: number): Tensor;
  /**
   * One whole Adam step of a parameter (decays, moments, bias-corrected update, learning rate, sum with the parameter)
   * in one pass: the new parameter in its dtype. Overwrites `m` and `v`, the float64 moments the caller owns; `grad`
   * has the parameter's shape and dtype.
   */
  adamStep(param: Tensor, grad: Tensor, m: Float64Array, v: Float64Array, c: AdamCoefficients): Tensor;
}
