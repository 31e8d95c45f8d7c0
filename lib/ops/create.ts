// Creating tensors: tensor(), scalar, zeros/ones/full, arange, linspace, eye, *Like, and seeded generators (rng).
import { asTensor } from "../core/convert.js";
import { imperativeLeaf } from "../core/imperative.js";
import type { Tensor, TensorLike } from "../core/tensor.js";
import { checkDType, dtypeOfArray, type DType } from "../tensor/dtype.js";
import { backend } from "../backend/index.js";
import { ValueError } from "../tensor/errors.js";
import { Xoshiro128 } from "../tensor/prng.js";
import { checkShape, SCALAR_SHAPE, shapeSize } from "../tensor/shape.js";

/** Options of the creation functions. */
export interface CreateOptions {
  /** `"float64"` (default) or `"float32"`. */
  dtype?: DType;
}

/** Options of `tensor()`. */
export interface TensorOptions extends CreateOptions {
  /** Record operations for PyTorch-style `backward()`; the gradient lands in `.grad`. */
  requiresGrad?: boolean;
}

function dtypeOf(options: CreateOptions | undefined, op: string): DType {
  return options?.dtype === undefined ? "float64" : checkDType(options.dtype, op);
}

/**
 * Creates a tensor from a number, nested arrays, a typed array or another tensor (copied to a new dtype if asked).
 * `tensor([[1, 2], [3, 4]])`, `tensor(3)`, `tensor(data, {dtype: "float32"})`, `tensor([1, 2], {requiresGrad: true})`.
 */
export function tensor(data: TensorLike, options?: TensorOptions): Tensor {
  const explicit = options?.dtype === undefined ? undefined : checkDType(options.dtype, "tensor");
  // A typed array's values go straight into the backend's storage (converted once when a dtype is asked for).
  let t = data instanceof Float64Array || data instanceof Float32Array
    ? backend().fromValues(data, [data.length], explicit ?? dtypeOfArray(data))
    : asTensor(data, explicit, "tensor");
  if (explicit !== undefined && t.dtype !== explicit) t = backend().astype(t.detach(), explicit);
  if (!options?.requiresGrad) return t;
  // An imperative leaf wraps the plain value (never another trace's tracer, which would break level order).
  return imperativeLeaf(t.detach());
}

/** A 0-d tensor. */
export function scalar(value: number, options?: CreateOptions): Tensor {
  if (typeof value !== "number") throw new ValueError(`scalar: expected a number, got ${typeof value}`);
  return backend().full(SCALAR_SHAPE, value, dtypeOf(options, "scalar"));
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[] | number, value: number, options?: CreateOptions): Tensor {
  if (typeof value !== "number") throw new ValueError(`full: value must be a number, got ${typeof value}`);
  return backend().full(checkShape(shape, "full"), value, dtypeOf(options, "full"));
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[] | number, options?: CreateOptions): Tensor {
  return full(shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: readonly number[] | number, options?: CreateOptions): Tensor {
  return full(shape, 1, options);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: Tensor): Tensor {
  return backend().full(x.shape, 0, x.dtype);
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: Tensor): Tensor {
  return backend().full(x.shape, 1, x.dtype);
}

/** Evenly spaced values in [start, stop): `arange(5)`, `arange(1, 3, 0.5)`. */
export function arange(start: number, stop?: number, step = 1, options?: CreateOptions): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be a finite nonzero number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  backend().reserve([n], "arange");
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  return backend().fromValues(values, [n], dtypeOf(options, "arange"));
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num = 50, options?: CreateOptions): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  backend().reserve([num], "linspace");
  const values = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) values[i] = start + i * step;
  if (num > 1) values[num - 1] = stop;
  return backend().fromValues(values, [num], dtypeOf(options, "linspace"));
}

/** Identity matrix n x m (m = n by default). */
export function eye(n: number, m = n, options?: CreateOptions): Tensor {
  const s = checkShape([n, m], "eye");
  backend().reserve(s, "eye");
  const values = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return backend().fromValues(values, s, dtypeOf(options, "eye"));
}

/** Options of the random constructors. */
export interface RandomOptions extends CreateOptions {
  /** normal: mean (default 0). */
  mean?: number;
  /** normal: standard deviation (default 1). */
  std?: number;
  /** uniform: lower bound (default 0). */
  low?: number;
  /** uniform: upper bound, exclusive (default 1). */
  high?: number;
}

/**
 * A seeded random generator: same seed, same numbers, on every machine. There is no global seed; pass generators around.
 * `const r = rng(0); r.normal([3, 2]); r.uniform([5], {low: -1, high: 1}); r.permutation(10)`.
 */
export class Rng {
  private readonly gen: Xoshiro128;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new ValueError(`rng: seed must be a finite number, got ${seed}`);
    this.gen = new Xoshiro128(Math.floor(seed));
  }

  /** Samples from a normal distribution (default mean 0, std 1). */
  normal(shape: readonly number[] | number = [], options?: RandomOptions): Tensor {
    const s = checkShape(shape, "normal");
    backend().reserve(s, "normal");
    const values = new Float64Array(shapeSize(s));
    const mean = options?.mean ?? 0;
    const std = options?.std ?? 1;
    for (let i = 0; i < values.length; i++) values[i] = mean + std * this.gen.nextNormal();
    return backend().fromValues(values, s, dtypeOf(options, "normal"));
  }

  /** Samples uniformly from [low, high) (default [0, 1)). */
  uniform(shape: readonly number[] | number = [], options?: RandomOptions): Tensor {
    const s = checkShape(shape, "uniform");
    backend().reserve(s, "uniform");
    const values = new Float64Array(shapeSize(s));
    const low = options?.low ?? 0;
    const high = options?.high ?? 1;
    for (let i = 0; i < values.length; i++) values[i] = low + (high - low) * this.gen.nextFloat();
    return backend().fromValues(values, s, dtypeOf(options, "uniform"));
  }

  /** A random integer in [low, high). */
  integer(low: number, high: number): number {
    if (!(high > low)) throw new ValueError(`integer: high (${high}) must be greater than low (${low})`);
    return low + Math.floor(this.gen.nextFloat() * (high - low));
  }

  /** A random ordering of 0..n-1 (Fisher-Yates), as plain numbers ready for `take`. */
  permutation(n: number): number[] {
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`permutation: n must be a non-negative integer, got ${n}`);
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.gen.nextFloat() * (i + 1));
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return p;
  }

  /** A new independent generator seeded from this one (for handing to a sub-task without sharing state). */
  split(): Rng {
    return new Rng(this.gen.nextUint32() * 4096 + (this.gen.nextUint32() >>> 20));
  }
}

/** A seeded random generator (see `Rng`). */
export function rng(seed: number): Rng {
  return new Rng(seed);
}
