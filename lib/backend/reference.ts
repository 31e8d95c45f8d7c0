// The reference backend: every op as a plain loop over multi-indices, no fast paths, no shared storage, no kernels.
// It exists to be obviously correct, so the fast backend can be compared against it on any input.
import { Tensor } from "../core/tensor.js";
import { reserveValues } from "./memory.js";
import { allocate, type DType, type FloatArray } from "../tensor/dtype.js";
import { shapeSize, stridesOf, type Shape } from "../tensor/shape.js";
import type { Backend, BinaryFn, ReduceFn, UnaryFn } from "./backend.js";
import { BINARY, UNARY } from "./scalar.js";
import { adamLoop } from "./optim_step.js";

/** The multi-index of row-major position `flat` in `shape`. */
function unravel(flat: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    idx[d] = flat % n;
    flat = Math.floor(flat / n);
  }
  return idx;
}

/** The position in an operand of `shape` that broadcasting maps the result's multi-index `idx` to. */
function broadcastOffset(idx: readonly number[], shape: Shape): number {
  const lead = idx.length - shape.length;
  const strides = stridesOf(shape);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) offset += idx[d + lead]! * strides[d]!;
  return offset;
}

function make(values: FloatArray, shape: Shape, dtype: DType): Tensor {
  return new Tensor(values, shape, dtype);
}

function mapIndices(shape: Shape, dtype: DType, value: (idx: number[]) => number): Tensor {
  const out = allocate(dtype, shapeSize(shape));
  for (let i = 0; i < out.length; i++) out[i] = value(unravel(i, shape));
  return make(out, shape, dtype);
}

/** Where element `idx` of a strided slice sits in the tensor of `shape` it was cut from. */
function slicePosition(start: readonly number[], step: readonly number[], shape: Shape): (idx: number[]) => number {
  const strides = stridesOf(shape);
  return (idx) => idx.reduce((o, i, d) => o + (start[d]! + i * step[d]!) * strides[d]!, 0);
}

/** Where element `idx` of a gather along `axis` sits in the tensor of `shape` it was taken from. */
function gatherPosition(axis: number, indices: Int32Array, shape: Shape): (idx: number[]) => number {
  const strides = stridesOf(shape);
  return (idx) => idx.reduce((o, i, d) => o + (d === axis ? indices[i]! : i) * strides[d]!, 0);
}

/** Zeros of `shape` with each element of `src` written (or added, when positions repeat) at `position(its index)`. */
function scatter(src: Tensor, shape: Shape, position: (idx: number[]) => number, add: boolean): Tensor {
  const out = allocate(src.dtype, shapeSize(shape));
  const ss = src.data;
  for (let i = 0; i < ss.length; i++) {
    const o = position(unravel(i, src.shape));
    out[o] = add ? out[o]! + ss[i]! : ss[i]!;
  }
  return make(out, shape, src.dtype);
}

export const referenceBackend: Backend = {
  name: "reference",

  full(shape, value, dtype) {
    const out = allocate(dtype, shapeSize(shape));
    out.fill(value);
    return make(out, shape, dtype);
  },

  reserve(shape, op) {
    reserveValues(shape, op);
  },

  fromValues(values, shape, dtype) {
    const out = allocate(dtype, shapeSize(shape));
    for (let i = 0; i < out.length; i++) out[i] = values[i]!;
    return make(out, shape, dtype);
  },

  unary(fn: UnaryFn, x) {
    const f = UNARY[fn];
    const xs = x.data;
    const out = allocate(x.dtype, x.size);
    for (let i = 0; i < out.length; i++) out[i] = f(xs[i]!);
    return make(out, x.shape, x.dtype);
  },

  binary(fn: BinaryFn, a, b, shape) {
    const f = BINARY[fn];
    const as = a.data, bs = b.data;
    return mapIndices(shape, a.dtype, (idx) => f(as[broadcastOffset(idx, a.shape)]!, bs[broadcastOffset(idx, b.shape)]!));
  },

  where(cond, a, b, shape) {
    const cs = cond.data, as = a.data, bs = b.data;
    return mapIndices(shape, a.dtype, (idx) =>
      cs[broadcastOffset(idx, cond.shape)] !== 0 ? as[broadcastOffset(idx, a.shape)]! : bs[broadcastOffset(idx, b.shape)]!);
  },

  reduce(fn: ReduceFn, x, axes, shape) {
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const keptStrides = stridesOf(kept);
    const acc = new Float64Array(shapeSize(kept)).fill(fn === "sum" ? 0 : fn === "prod" ? 1 : fn === "max" ? -Infinity : Infinity);
    const xs = x.data;
    for (let i = 0; i < xs.length; i++) {
      const idx = unravel(i, x.shape);
      let o = 0;
      for (let d = 0; d < idx.length; d++) if (!axes.includes(d)) o += idx[d]! * keptStrides[d]!;
      const v = xs[i]!, cur = acc[o]!;
      if (fn === "sum") acc[o] = cur + v;
      else if (fn === "prod") acc[o] = cur * v;
      else if (cur !== cur || v !== v) acc[o] = NaN;
      else acc[o] = fn === "max" ? Math.max(cur, v) : Math.min(cur, v);
    }
    // Accumulated in double whatever the dtype, then rounded once: the most accurate answer, not the fastest.
    const out = allocate(x.dtype, acc.length);
    out.set(acc);
    return make(out, shape, x.dtype);
  },

  argReduce(fn, x, axis) {
    const shape = axis === null ? [x.size] : x.shape;
    const ax = axis ?? 0;
    const outShape = axis === null ? [] : x.shape.filter((_, d) => d !== ax);
    const xs = x.data;
    const strides = stridesOf(shape);
    return mapIndices(outShape, "float64", (outIdx) => {
      const idx = [...outIdx.slice(0, ax), 0, ...outIdx.slice(ax)];
      let best = NaN, at = -1;
      for (let l = 0; l < shape[ax]!; l++) {
        idx[ax] = l;
        let o = 0;
        for (let d = 0; d < idx.length; d++) o += idx[d]! * strides[d]!;
        const v = xs[o]!;
        if (v !== v) return l;
        if (at < 0 || (fn === "max" ? v > best : v < best)) [best, at] = [v, l];
      }
      return at;
    });
  },

  matmul(a, b, ta, tb, shape) {
    const nd = shape.length;
    const k = ta ? a.shape[a.ndim - 2]! : a.shape[a.ndim - 1]!;
    const as = a.data, bs = b.data;
    const aStr = stridesOf(a.shape), bStr = stridesOf(b.shape);
    return mapIndices(shape, a.dtype, (idx) => {
      const i = idx[nd - 2]!, j = idx[nd - 1]!;
      const batch = idx.slice(0, nd - 2);
      const aBase = broadcastOffset([...batch, 0, 0], a.shape);
      const bBase = broadcastOffset([...batch, 0, 0], b.shape);
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = as[aBase + (ta ? p * aStr[a.ndim - 2]! + i : i * aStr[a.ndim - 2]! + p)]!;
        const bv = bs[bBase + (tb ? j * bStr[b.ndim - 2]! + p : p * bStr[b.ndim - 2]! + j)]!;
        s += av * bv;
      }
      return s;
    });
  },

  reshape(x, shape) {
    return make(x.data.slice(), shape, x.dtype);
  },

  transpose(x, perm) {
    const shape = perm.map((p) => x.shape[p]!);
    const xs = x.data, strides = stridesOf(x.shape);
    return mapIndices(shape, x.dtype, (idx) => {
      let o = 0;
      for (let d = 0; d < idx.length; d++) o += idx[d]! * strides[perm[d]!]!;
      return xs[o]!;
    });
  },

  broadcastTo(x, shape) {
    const xs = x.data;
    return mapIndices(shape, x.dtype, (idx) => xs[broadcastOffset(idx, x.shape)]!);
  },

  astype(x, dtype) {
    const out = allocate(dtype, x.size);
    const xs = x.data;
    for (let i = 0; i < out.length; i++) out[i] = xs[i]!;
    return make(out, x.shape, dtype);
  },

  slice(x, start, step, shape) {
    const xs = x.data, at = slicePosition(start, step, x.shape);
    return mapIndices(shape, x.dtype, (idx) => xs[at(idx)]!);
  },

  sliceScatter(src, start, step, shape) {
    return scatter(src, shape, slicePosition(start, step, shape), false);
  },

  gather(x, axis, indices) {
    const shape = x.shape.slice();
    shape[axis] = indices.length;
    const xs = x.data, at = gatherPosition(axis, indices, x.shape);
    return mapIndices(shape, x.dtype, (idx) => xs[at(idx)]!);
  },

  scatterAdd(src, axis, indices, shape) {
    return scatter(src, shape, gatherPosition(axis, indices, shape), true);
  },

  concat(xs, axis) {
    const shape = xs[0]!.shape.slice();
    shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
    return mapIndices(shape, xs[0]!.dtype, (idx) => {
      let at = idx[axis]!;
      let part = 0;
      while (at >= xs[part]!.shape[axis]!) at -= xs[part++]!.shape[axis]!;
      const x = xs[part]!;
      const strides = stridesOf(x.shape);
      let o = 0;
      for (let d = 0; d < idx.length; d++) o += (d === axis ? at : idx[d]!) * strides[d]!;
      return x.data[o]!;
    });
  },

  stateStorage(n) {
    return new Float64Array(n);
  },

  adamStep(param, grad, m, v, c) {
    const out = allocate(param.dtype, param.size);
    adamLoop(param.data, grad.data, m, v, out, c);
    return make(out, param.shape, param.dtype);
  },
};
