// Indexing ops: strided slices (and their scatter transpose), take/scatterAdd along an axis, concat and stack.
import { asTensor } from "../core/convert.js";
import { defineOp, type OpDef } from "../core/op.js";
import { bind } from "../core/trace.js";
import { Tensor, type SliceSpec, type TensorLike } from "../core/tensor.js";
import { DTypeError, ShapeError, ValueError } from "../tensor/errors.js";
import { formatShape, normalizeAxis, type Shape } from "../tensor/shape.js";
import { backend } from "../backend/index.js";
import { expandDims, reshape } from "./shape.js";
import { zerosLike } from "./create.js";

/** Parameters of a strided slice: per-axis start and step, and the result shape. */
export interface SliceParams {
  readonly start: readonly number[];
  readonly step: readonly number[];
  readonly shape: Shape;
}

/** Parameters of the slice transpose: where the slice sits inside a zero tensor of `shape`. */
export interface SliceScatterParams {
  readonly start: readonly number[];
  readonly step: readonly number[];
  readonly shape: Shape;
}

export const SLICE: OpDef<SliceParams> = defineOp<SliceParams>({
  name: "slice",
  forward: ([x], { start, step, shape }) => backend().slice(x!, start, step, shape),
  vjp: (ct, [x], _out, { start, step }) => [bind(SLICE_SCATTER, [ct], { start, step, shape: x!.shape })],
  jvp: ([dx], _in, _out, p) => bind(SLICE, [dx!], p),
});

export const SLICE_SCATTER: OpDef<SliceScatterParams> = defineOp<SliceScatterParams>({
  name: "sliceScatter",
  forward: ([src], { start, step, shape }) => backend().sliceScatter(src!, start, step, shape),
  vjp: (ct, [src], _out, { start, step }) => [bind(SLICE, [ct], { start, step, shape: src!.shape })],
  jvp: ([ds], _in, _out, p) => bind(SLICE_SCATTER, [ds!], p),
});

/** Parameters of take/scatterAdd: the axis and the (validated, non-negative) indices. */
export interface TakeParams {
  readonly axis: number;
  readonly indices: Int32Array;
}

export const TAKE: OpDef<TakeParams> = defineOp<TakeParams>({
  name: "take",
  forward: ([x], { axis, indices }) => backend().gather(x!, axis, indices),
  vjp: (ct, [x], _out, { axis, indices }) => [bind(SCATTER_ADD, [ct], { axis, indices, shape: x!.shape })],
  jvp: ([dx], _in, _out, p) => bind(TAKE, [dx!], p),
});

export const SCATTER_ADD: OpDef<TakeParams & { readonly shape: Shape }> = defineOp<TakeParams & { readonly shape: Shape }>({
  name: "scatterAdd",
  forward: ([src], { axis, indices, shape }) => backend().scatterAdd(src!, axis, indices, shape),
  vjp: (ct, _in, _out, { axis, indices }) => [bind(TAKE, [ct], { axis, indices })],
  jvp: ([ds], _in, _out, p) => bind(SCATTER_ADD, [ds!], p),
});

export const CONCAT: OpDef<{ readonly axis: number }> = defineOp<{ readonly axis: number }>({
  name: "concat",
  forward: (xs, { axis }) => backend().concat(xs, axis),
  vjp: (ct, xs, _out, { axis }, wants) => {
    let offset = 0;
    return xs.map((x, i) => {
      const start = x.shape.map((_, d) => (d === axis ? offset : 0));
      offset += x.shape[axis]!;
      return wants[i] ? bind(SLICE, [ct], { start, step: x.shape.map(() => 1), shape: x.shape }) : null;
    });
  },
  jvp: (dxs, xs, _out, p) => bind(CONCAT, dxs.map((d, i) => d ?? zerosLike(xs[i]!)), p),
});

/** Resolves one numpy slice `[start, end, step]` against a length: returns [start, step, count]. */
function resolveRange(spec: readonly (number | undefined | null)[], n: number, axis: number): [number, number, number] {
  if (!Array.isArray(spec) || spec.length > 3 || spec.some((v) => v !== undefined && v !== null && !Number.isInteger(v))) {
    throw new ValueError(`slice: the spec for axis ${axis} must be an index, null or [start, end, step] of integers, got ` +
      `${JSON.stringify(spec)}`);
  }
  const step = spec[2] ?? 1;
  if (!Number.isInteger(step) || step === 0) throw new ValueError(`slice: step must be a nonzero integer, got ${step} (axis ${axis})`);
  const norm = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  if (step > 0) {
    const start = norm(spec[0] ?? 0, 0, n);
    const end = norm(spec[1] ?? n, 0, n);
    return [start, step, Math.max(0, Math.ceil((end - start) / step))];
  }
  const start = spec[0] === undefined || spec[0] === null ? n - 1 : norm(spec[0], -1, n - 1);
  const end = spec[1] === undefined || spec[1] === null ? -1 : norm(spec[1], -1, n - 1);
  return [start, step, Math.max(0, Math.ceil((start - end) / -step))];
}

/**
 * numpy basic slicing, one spec per leading axis: a number picks an index and drops the axis, `[start, end, step]`
 * takes a range (parts may be omitted or negative), `null` keeps the whole axis.
 * `slice(x, 0)` is `x[0]`; `slice(x, null, [1, 3])` is `x[:, 1:3]`; `slice(x, [null, null, -1])` is `x[::-1]`.
 */
export function slice(x: TensorLike, ...specs: SliceSpec[]): Tensor {
  const t = asTensor(x, undefined, "slice");
  if (specs.length > t.ndim) {
    throw new ShapeError(`slice: too many indices (${specs.length}) for a tensor of shape ${formatShape(t.shape)}`);
  }
  const start: number[] = [];
  const step: number[] = [];
  const shape: number[] = [];
  const kept: number[] = [];
  t.shape.forEach((n, d) => {
    const spec = specs[d];
    if (typeof spec === "number") {
      const i = spec < 0 ? spec + n : spec;
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new ShapeError(`slice: index ${spec} is out of bounds for axis ${d} with size ${n}`);
      }
      start.push(i), step.push(1), shape.push(1);
      return;
    }
    const [s, st, count] = spec === undefined || spec === null ? [0, 1, n] : resolveRange(spec, n, d);
    start.push(s), step.push(st), shape.push(count), kept.push(count);
  });
  const sliced = shape.every((c, d) => c === t.shape[d]) && step.every((s) => s === 1)
    ? t
    : bind(SLICE, [t], { start, step, shape });
  return kept.length === shape.length ? sliced : reshape(sliced, kept);
}

/** Checks integer indices against a length (negative ones count from the end). */
function checkIndices(indices: TensorLike | readonly number[], n: number, axis: number): { flat: Int32Array; shape: Shape } {
  const t = asTensor(indices as TensorLike, "float64", "take");
  const flat = new Int32Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i]!;
    const k = v < 0 ? v + n : v;
    if (!Number.isInteger(k) || k < 0 || k >= n) {
      throw new ShapeError(`take: index ${v} is out of bounds for axis ${axis} with size ${n}`);
    }
    flat[i] = k;
  }
  return { flat, shape: t.shape };
}

/** numpy `take`: picks `indices` (any shape) along `axis`; on the flattened tensor when `axis` is omitted. */
export function take(x: TensorLike, indices: TensorLike | readonly number[], axis?: number): Tensor {
  let t = asTensor(x, undefined, "take");
  if (axis === undefined) {
    t = reshape(t, [t.size]);
    axis = 0;
  }
  const a = normalizeAxis(axis, t.ndim, "take", t.shape);
  const { flat, shape } = checkIndices(indices, t.shape[a]!, a);
  const gathered = bind(TAKE, [t], { axis: a, indices: flat });
  if (shape.length === 1) return gathered;
  return reshape(gathered, [...t.shape.slice(0, a), ...shape, ...t.shape.slice(a + 1)]);
}

/** Joins tensors along an existing axis; all other dimensions and the dtype must match. */
export function concat(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError("concat: needs a non-empty array of tensors");
  const first = tensors.find((t): t is Tensor => t instanceof Tensor);
  const ts = tensors.map((t) => asTensor(t, first?.dtype, "concat"));
  const ref = ts[0]!;
  if (ref.ndim === 0) throw new ShapeError("concat: zero-dimensional tensors cannot be concatenated (use stack)");
  const a = normalizeAxis(axis, ref.ndim, "concat", ref.shape);
  for (const t of ts) {
    if (t.dtype !== ref.dtype) throw new DTypeError(`concat: cannot mix dtypes ${ref.dtype} and ${t.dtype}`);
    if (t.ndim !== ref.ndim || t.shape.some((d, i) => i !== a && d !== ref.shape[i])) {
      throw new ShapeError(`concat: shapes ${formatShape(ref.shape)} and ${formatShape(t.shape)} differ outside axis ${a}`);
    }
  }
  if (ts.length === 1) return ref;
  return bind(CONCAT, ts, { axis: a });
}

/** Joins tensors of one shape along a new axis. */
export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError("stack: needs a non-empty array of tensors");
  const first = tensors.find((t): t is Tensor => t instanceof Tensor);
  const ts = tensors.map((t) => asTensor(t, first?.dtype, "stack"));
  for (const t of ts) {
    if (t.shape.length !== ts[0]!.shape.length || t.shape.some((d, i) => d !== ts[0]!.shape[i])) {
      throw new ShapeError(`stack: all tensors must have the same shape, got ${formatShape(ts[0]!.shape)} and ${formatShape(t.shape)}`);
    }
  }
  const a = normalizeAxis(axis, ts[0]!.ndim + 1, "stack", ts[0]!.shape);
  const expanded = ts.map((t) => expandDims(t, a));
  return concat(expanded, a);
}
