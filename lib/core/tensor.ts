// Tensor: immutable n-d array (contiguous row-major storage) that may also be a tracer; methods are sugar over lib/ops.
// Allowed back-edges: method bodies call lib/ops, autodiff/backward and display/tensor (never at module-evaluation time).
import { allocate, type DType, type FloatArray } from "../tensor/dtype.js";
import { formatTensor } from "../tensor/format.js";
import { formatShape, SCALAR_SHAPE, shapeSize, type Shape } from "../tensor/shape.js";
import { ValueError } from "../tensor/errors.js";
import { keepHiddenClass } from "../tensor/hidden_classes.js";
import { copyOutOfPool, isPoolView, noteHolder, RELEASED_STORAGE, releasedError, scopeOpen } from "../tensor/scope.js";
import type { Trace } from "./trace.js";
import type { ImperativeRecord } from "./imperative.js";
import * as ops from "../ops/index.js";
import { backward as runBackward } from "../autodiff/backward.js";
import { tensorBundle } from "../display/tensor.js";

/** Nested arrays of numbers, as accepted by `tensor()` and returned by `toArray()`. */
export type NestedArray = number | readonly NestedArray[];
/** Anything an op accepts as a tensor: a Tensor, a plain number, nested number arrays or a typed array. */
export type TensorLike = Tensor | number | readonly NestedArray[] | Float64Array | Float32Array;
/** Axis selection for reductions: an axis, a list of axes, or `{axis, keepdims}`. */
export type AxisArg = number | readonly number[] | { axis?: number | readonly number[]; keepdims?: boolean };
/** One entry of a `slice()` spec: an index (drops the axis), `[start, end, step]` (any part may be omitted), or null for all. */
export type SliceSpec = number | null | readonly [number?, number?, number?] | readonly (number | undefined | null)[];

const DISPLAY = Symbol.for("Jupyter.display");
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * An n-dimensional array of float64 (default) or float32 numbers. Tensors are immutable: every op returns a new one.
 * Create them with `tensor()`, `zeros()`, `rng(seed).normal()`, ...; every op is available as a method too.
 */
export class Tensor {
  // Fields are `declare`d and all set in the constructor: emitted class fields would first define each one as
  // undefined (a second store per field, and an initializer call, on every op's result).
  /**
   * @internal storage; null for a *uniform* tensor (every element equals `_value`), whose storage is only allocated if
   * someone reads `data`. Scalars, numbers turned into tensors, zeros/ones and broadcast scalar cotangents are uniform,
   * so scalar code never allocates typed arrays and `sum`'s gradient never fills a big array.
   */
  declare _data: FloatArray | null;
  /** @internal the value of every element of a uniform tensor (see `_data`). */
  declare _value: number;
  /** Dimensions, e.g. `[3, 4]`; `[]` for a scalar. */
  declare readonly shape: Shape;
  /** `"float64"` or `"float32"`. */
  declare readonly dtype: DType;
  /** Total number of elements. */
  declare readonly size: number;
  /** @internal trace this tensor is a tracer of (null for plain tensors). */
  declare _trace: Trace | null;
  /** @internal value one trace level down (null for plain tensors). */
  declare _primal: Tensor | null;
  /** @internal tape index in a reverse trace. */
  declare _node: number;
  /** @internal tangent in a forward trace (null = zero). */
  declare _tangent: Tensor | null;
  /** @internal how an imperative (requiresGrad) tensor was computed; null for leaves. */
  declare _rec: ImperativeRecord | null;
  /** Gradient accumulated by `backward()` on a `requiresGrad` leaf (PyTorch-style); null until then. */
  declare grad: Tensor | null;

  /**
   * @internal use `tensor()` and the other creation functions. `data` null makes a uniform tensor: every element
   * equals `value` (storage is allocated only if someone reads `data`).
   */
  constructor(data: FloatArray | null, shape: Shape, dtype: DType, trace: Trace | null = null, primal: Tensor | null = null,
    value = 0) {
    this._data = data;
    this._value = value;
    this.shape = shape;
    this.dtype = dtype;
    this.size = data !== null ? data.length : shape.length === 0 ? 1 : shapeSize(shape);
    this._trace = trace;
    this._primal = primal;
    this._node = -1;
    this._tangent = null;
    this._rec = null;
    this.grad = null;
    if (data !== null && scopeOpen() && isPoolView(data)) noteHolder(this);
  }

  /** @internal a tracer of `trace` whose value is `primal` (shares storage, including a pending scalar). */
  static _tracer(trace: Trace, primal: Tensor): Tensor {
    return new Tensor(primal._data, primal.shape, primal.dtype, trace, primal, primal._value);
  }

  /** @internal same values, other shape (shares storage, including a pending scalar). */
  _withShape(shape: Shape): Tensor {
    return new Tensor(this._data, shape, this.dtype, null, null, this._value);
  }

  /**
   * Element storage, row-major (`Float64Array` or `Float32Array`). Shared between tensors: never write into it.
   * A tensor whose values live in the kernels' memory hands out its own plain copy the first time (and keeps it), so
   * an array you hold is never memory that the library reuses.
   */
  get data(): FloatArray {
    const d = this._values();
    if (!isPoolView(d)) return d;
    const own = copyOutOfPool(d);
    this._data = own;
    return own;
  }

  /** @internal the storage as it is (a uniform tensor's is allocated), for the library's own reads. */
  _values(): FloatArray {
    const d = this._data;
    if (d === RELEASED_STORAGE) throw releasedError(this, "data");
    if (d !== null) return d;
    const created = allocate(this.dtype, this.size);
    if (!Object.is(this._value, 0)) created.fill(this._value);
    this._data = created;
    return created;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True for tensors created with `{requiresGrad: true}` and everything computed from them (outside `noGrad`). */
  get requiresGrad(): boolean {
    return this._trace !== null && this._trace.level === 0;
  }

  /** The value of a one-element tensor as a number. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`item: only one-element tensors can be converted to a number, got shape ${formatShape(this.shape)}`);
    }
    return this._data === null ? this._value : this._data[0]!;
  }

  /** The element at integer indices (negative counts from the end), as a number. */
  get(...indices: number[]): number {
    if (indices.length !== this.ndim) {
      throw new ValueError(`get: expected ${this.ndim} indices for shape ${formatShape(this.shape)}, got ${indices.length}`);
    }
    let offset = 0;
    for (let d = 0; d < indices.length; d++) {
      const n = this.shape[d]!;
      const i = indices[d]! < 0 ? indices[d]! + n : indices[d]!;
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new ValueError(`get: index ${indices[d]} is out of bounds for axis ${d} with size ${n}`);
      }
      offset = offset * n + i;
    }
    return this.data[offset]!;
  }

  /** Sub-tensor at index `i` of the first axis (differentiable), like numpy's `x[i]`. */
  at(i: number): Tensor {
    return ops.slice(this, i);
  }

  /** Nested number arrays (a number for a scalar). */
  toArray(): NestedArray {
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.ndim) return this.data[offset]!;
      const n = this.shape[axis]!;
      let stride = 1;
      for (let d = axis + 1; d < this.ndim; d++) stride *= this.shape[d]!;
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(build(axis + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  /** JSON.stringify gives the nested values (a number for a scalar). */
  toJSON(): NestedArray {
    return this.toArray();
  }

  /** The elements as a flat plain array. */
  toFlatArray(): number[] {
    return Array.from(this.data);
  }

  /** numpy-style text: `tensor([[1., 2.],\n        [3., 4.]])`. */
  toString(): string {
    const note = this.requiresGrad ? "requiresGrad=true" : this._trace !== null ? "traced" : "";
    return formatTensor(this.data, this.shape, this.dtype, note);
  }

  /** Jupyter rich display: text/plain plus an HTML table (a heatmap for 2-D), built by lib/display. */
  [DISPLAY](): Record<string, unknown> {
    return tensorBundle(this) as Record<string, unknown>;
  }

  /** console.log shows the numpy-style text. */
  [INSPECT](): string {
    return this.toString();
  }

  /** A tensor in a JS arithmetic expression (`0.5 * t` where `t` is typed `any`, or plain .ts code) would silently
   *  become NaN; fail with a message that says what to do instead. String contexts get the numpy-style text. */
  [Symbol.toPrimitive](hint: "number" | "string" | "default"): string {
    if (hint === "string" || hint === "default") return this.toString();
    throw new TypeError(
      `a Tensor of shape ${formatShape(this.shape)} was used as a number by a JavaScript operator. ` +
        "In gradlab cells, operators on tensors work when the operands are typed Tensor (annotate an `any` value, e.g. " +
        "`const g: Tensor = ...`); elsewhere use methods (t.mul(0.5)) or t.item() for a scalar's value.",
    );
  }

  // ---- autodiff sugar ---------------------------------------------------------------------------------------------

  /**
   * PyTorch-style reverse pass from this tensor (a scalar, unless `seed` is given): adds d(this)/d(leaf) into the
   * `.grad` of every `requiresGrad` leaf it depends on.
   */
  backward(seed?: TensorLike): void {
    runBackward(this, seed === undefined ? undefined : ops.asTensor(seed, this.dtype));
  }

  /** Clears `.grad` (gradients accumulate across `backward()` calls, as in PyTorch). */
  zeroGrad(): void {
    this.grad = null;
  }

  /** This value with every trace removed: a plain tensor that no transform or `backward()` sees through. */
  detach(): Tensor {
    let t: Tensor = this;
    while (t._primal !== null) t = t._primal;
    return t;
  }

  /** Same value, but gradients do not flow through it. */
  stopGradient(): Tensor {
    return ops.stopGradient(this);
  }

  /** Converts to another dtype (differentiable). */
  astype(dtype: DType): Tensor {
    return ops.astype(this, dtype);
  }

  // ---- arithmetic ---------------------------------------------------------------------------------------------------
  /** Elementwise `this + y` with broadcasting. */
  add(y: TensorLike): Tensor { return ops.add(this, y); }
  /** Elementwise `this - y` with broadcasting. */
  sub(y: TensorLike): Tensor { return ops.sub(this, y); }
  /** Elementwise `this * y` with broadcasting. */
  mul(y: TensorLike): Tensor { return ops.mul(this, y); }
  /** Elementwise `this / y` with broadcasting. */
  div(y: TensorLike): Tensor { return ops.div(this, y); }
  /** Elementwise `this ** y` with broadcasting. */
  pow(y: TensorLike): Tensor { return ops.pow(this, y); }
  /** Elementwise larger of `this` and `y` (ties split the gradient 0.5/0.5). */
  maximum(y: TensorLike): Tensor { return ops.maximum(this, y); }
  /** Elementwise smaller of `this` and `y` (ties split the gradient 0.5/0.5). */
  minimum(y: TensorLike): Tensor { return ops.minimum(this, y); }
  /** `-this`. */
  neg(): Tensor { return ops.neg(this); }
  /** `|this|` (derivative sign(x), 0 at 0). */
  abs(): Tensor { return ops.abs(this); }
  /** -1, 0 or 1 (zero derivative). */
  sign(): Tensor { return ops.sign(this); }
  /** e^x. */
  exp(): Tensor { return ops.exp(this); }
  /** Natural logarithm. */
  log(): Tensor { return ops.log(this); }
  /** log(1 + x), accurate near 0. */
  log1p(): Tensor { return ops.log1p(this); }
  /** Square root. */
  sqrt(): Tensor { return ops.sqrt(this); }
  /** x². */
  square(): Tensor { return ops.square(this); }
  /** Sine. */
  sin(): Tensor { return ops.sin(this); }
  /** Cosine. */
  cos(): Tensor { return ops.cos(this); }
  /** Tangent. */
  tan(): Tensor { return ops.tan(this); }
  /** Hyperbolic tangent. */
  tanh(): Tensor { return ops.tanh(this); }
  /** Logistic sigmoid 1 / (1 + e^-x). */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /** max(x, 0) (derivative 0 at 0). */
  relu(): Tensor { return ops.relu(this); }
  /** x for x > 0, alpha*x otherwise. */
  leakyRelu(alpha = 0.01): Tensor { return ops.leakyRelu(this, alpha); }
  /** log(1 + e^x), computed stably. */
  softplus(): Tensor { return ops.softplus(this); }
  /** GELU, tanh approximation (as jax.nn.gelu's default). */
  gelu(): Tensor { return ops.gelu(this); }
  /** Limits values to [lo, hi]. */
  clip(lo: TensorLike, hi: TensorLike): Tensor { return ops.clip(this, lo, hi); }

  // ---- reductions ---------------------------------------------------------------------------------------------------
  /** Sum over `axis` (all axes by default), e.g. `x.sum(0)`, `x.sum({axis: 1, keepdims: true})`. */
  sum(axis?: AxisArg, keepdims?: boolean): Tensor { return ops.sum(this, axis, keepdims); }
  /** Mean over `axis` (all by default). */
  mean(axis?: AxisArg, keepdims?: boolean): Tensor { return ops.mean(this, axis, keepdims); }
  /** Product over `axis` (all by default). */
  prod(axis?: AxisArg, keepdims?: boolean): Tensor { return ops.prod(this, axis, keepdims); }
  /** Maximum over `axis` (all by default); tied maxima share the gradient equally. */
  max(axis?: AxisArg, keepdims?: boolean): Tensor { return ops.max(this, axis, keepdims); }
  /** Minimum over `axis` (all by default); tied minima share the gradient equally. */
  min(axis?: AxisArg, keepdims?: boolean): Tensor { return ops.min(this, axis, keepdims); }
  /** Variance over `axis` (`ddof` 0 by default: the population variance). */
  var(axis?: ops.VarArg, keepdims?: boolean): Tensor { return ops.variance(this, axis, keepdims); }
  /** Standard deviation over `axis` (`ddof` 0 by default). */
  std(axis?: ops.VarArg, keepdims?: boolean): Tensor { return ops.std(this, axis, keepdims); }
  /** Index of the first maximum (flat index when `axis` is omitted). */
  argmax(axis?: number): Tensor { return ops.argmax(this, axis); }
  /** Index of the first minimum (flat index when `axis` is omitted). */
  argmin(axis?: number): Tensor { return ops.argmin(this, axis); }
  /** log(sum(exp(x))) over `axis`, computed stably. */
  logsumexp(axis?: AxisArg, keepdims?: boolean): Tensor { return ops.logsumexp(this, axis, keepdims); }
  /** softmax along `axis` (default: last). */
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  /** log(softmax(x)) along `axis` (default: last), computed stably. */
  logSoftmax(axis = -1): Tensor { return ops.logSoftmax(this, axis); }
  /** Vector norm (2-norm by default) over all elements or `axis`. */
  norm(options?: ops.NormOptions): Tensor { return ops.norm(this, options); }

  // ---- comparisons and selection ----------------------------------------------------------------------------------
  /** 1 where `this > y`, else 0 (no gradient). */
  greater(y: TensorLike): Tensor { return ops.greater(this, y); }
  /** 1 where `this < y`, else 0 (no gradient). */
  less(y: TensorLike): Tensor { return ops.less(this, y); }
  /** 1 where `this == y`, else 0 (no gradient). */
  equal(y: TensorLike): Tensor { return ops.equal(this, y); }
  /** `this` where `cond` is nonzero, else `other` (PyTorch's `x.where(cond, y)`). */
  where(cond: TensorLike, other: TensorLike): Tensor { return ops.where(cond, this, other); }

  // ---- linear algebra ---------------------------------------------------------------------------------------------
  /** Matrix product (numpy matmul rules: 1-D operands, batched leading axes). */
  matmul(y: TensorLike): Tensor { return ops.matmul(this, y); }
  /** Dot product of vectors, matrix product otherwise. */
  dot(y: TensorLike): Tensor { return ops.dot(this, y); }
  /** Outer product of two vectors (flattened). */
  outer(y: TensorLike): Tensor { return ops.outer(this, y); }

  // ---- shape ----------------------------------------------------------------------------------------------------------
  /** Same elements in a new shape; one dimension may be -1. */
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  /** Permutes axes (reverses them by default). */
  transpose(axes?: readonly number[]): Tensor { return ops.transpose(this, axes); }
  /** Transpose (axes reversed). */
  get T(): Tensor { return ops.transpose(this); }
  /** Repeats along broadcast dimensions to reach `shape`. */
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  /** Inserts a length-1 axis at `axis`. */
  expandDims(axis: number): Tensor { return ops.expandDims(this, axis); }
  /** Removes length-1 axes (all of them, or the given ones). */
  squeeze(axis?: number | readonly number[]): Tensor { return ops.squeeze(this, axis); }
  /** The elements as a 1-D tensor. */
  flatten(): Tensor { return ops.flatten(this); }
  /** numpy basic slicing, one spec per leading axis: `x.slice(0, [1, 3], null, [null, null, -1])`. */
  slice(...specs: SliceSpec[]): Tensor { return ops.slice(this, ...specs); }
  /** Picks `indices` along `axis` (flattened when `axis` is omitted). */
  take(indices: TensorLike | readonly number[], axis?: number): Tensor { return ops.take(this, indices, axis); }
  /** Joins `this` and `others` along an existing axis. */
  concat(others: readonly TensorLike[], axis = 0): Tensor { return ops.concat([this, ...others], axis); }
  /** Joins `this` and `others` along a new axis. */
  stack(others: readonly TensorLike[], axis = 0): Tensor { return ops.stack([this, ...others], axis); }
}

// A fractional value first, so the field holds doubles from the start and no later tensor moves the class on.
keepHiddenClass(new Tensor(null, SCALAR_SHAPE, "float64", null, null, 0.5));
