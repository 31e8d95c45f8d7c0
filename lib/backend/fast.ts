// The fast backend: storage-less uniform constants, identity shortcuts, results in the kernels' memory (storage.ts),
// wasm SIMD kernels and worker threads above size limits, tight JS loops below them. Every path here must give the
// reference backend's numbers.
import { lazyScalar } from "../core/convert.js";
import { reserveValues } from "./memory.js";
import { Tensor } from "../core/tensor.js";
import { allocate, type DType, type FloatArray } from "../tensor/dtype.js";
import { addRow, asRows, divRow, mulRow, rowKernelOf, subRow, zipBroadcast, type RowKernel } from "../tensor/elementwise.js";
import {
  broadcastInto, concatInto, gatherInto, scatterAddInto, scatterSliceInto, sliceInto, transposeInto,
} from "../tensor/layout.js";
import { argReduceAxis, axisBlocks, reduceAll, reduceAxis } from "../tensor/reduce.js";
import { SCALAR_SHAPE, shapeSize, shapesEqual, stridesOf, type Shape } from "../tensor/shape.js";
import type { AdamCoefficients, Backend, BinaryFn, ReduceFn, UnaryFn } from "./backend.js";
import { adamInto, adamScalar } from "./optim_step.js";
import { reduceAllInKernels, reduceAxisInto, selectInto, unaryInto, zipInto, type ZipOp } from "./elementwise.js";
import { allocateState, allocateStorage } from "./storage.js";
import { DEFAULT_LIMITS, type KernelLimits } from "./limits.js";
import { matmulTransInto } from "./matmul.js";
import { BINARY, binaryOf, unaryOf } from "./scalar.js";

const ROW_KERNELS: Readonly<Record<BinaryFn, RowKernel>> = {
  add: addRow, sub: subRow, mul: mulRow, div: divRow,
  pow: rowKernelOf(BINARY.pow),
  maximum: rowKernelOf(BINARY.maximum),
  minimum: rowKernelOf(BINARY.minimum),
  greater: rowKernelOf(BINARY.greater),
  less: rowKernelOf(BINARY.less),
  equal: rowKernelOf(BINARY.equal),
};

/** The binary functions with a wasm kernel (binary.c). */
const WASM_BINARY: Partial<Record<BinaryFn, ZipOp>> = {
  add: "add", sub: "sub", mul: "mul", div: "div", maximum: "maximum", minimum: "minimum", greater: "greater", less: "less",
  equal: "equal",
};

/** Storage of a tensor and the shape it is laid out in: a uniform tensor enters kernels as one broadcast value. */
function operandData(x: Tensor): [FloatArray, Shape] {
  if (x._data !== null) return [x._data, x.shape];
  const d = allocate(x.dtype, 1);
  d[0] = x._value;
  return [d, SCALAR_SHAPE];
}

/**
 * `x op c` is x itself when c is a uniform identity of op for every x (NaN, ±Inf and -0 included: x*1, x/1, x-0, x+(-0))
 * and x already has the result's shape. Common in gradients: sum's cotangent is a uniform 1.
 */
function identityOperand(fn: BinaryFn, a: Tensor, b: Tensor, shape: Shape): Tensor | null {
  const isUniform = (t: Tensor, v: number): boolean => t._data === null && Object.is(t._value, v);
  const keeps = (x: Tensor): boolean => x._data !== null && shapesEqual(x.shape, shape);
  switch (fn) {
    case "mul": return keeps(a) && isUniform(b, 1) ? a : keeps(b) && isUniform(a, 1) ? b : null;
    case "add": return keeps(a) && isUniform(b, -0) ? a : keeps(b) && isUniform(a, -0) ? b : null;
    case "div": return keeps(a) && isUniform(b, 1) ? a : null;
    case "sub": return keeps(a) && isUniform(b, 0) ? a : null;
    default: return null;
  }
}

/** The reduction of `count` copies of `v`. */
function uniformReduce(fn: ReduceFn, v: number, count: number): number {
  if (fn === "sum") return count === 0 ? 0 : v * count;
  if (fn === "prod") return count === 0 ? 1 : Math.pow(v, count);
  return v;
}

/** `x`'s elements laid out over `shape` (contiguous), without a copy when x already is. */
function expanded(x: Tensor, shape: Shape, n: number): FloatArray {
  if (x._data !== null && shapesEqual(x.shape, shape)) return x._data;
  const out = allocateStorage(x.dtype, n, false);
  if (x._data === null) out.fill(x._value);
  else broadcastInto(x._data, x.shape, shape, out);
  return out;
}

/** Element strides of an operand's batch axes aligned to the broadcast batch shape (0 where broadcast). */
function batchStrides(own: Shape, batch: Shape, block: number): number[] {
  const strides = stridesOf(own).map((s) => s * block);
  const lead = batch.length - own.length;
  return batch.map((_, d) => (d < lead || own[d - lead] === 1 ? 0 : strides[d - lead]!));
}

export class FastBackend implements Backend {
  readonly name = "fast";
  /** Size cut-offs between JS loops, wasm kernels and threads (tests move them to force one path). */
  readonly limits: KernelLimits = { ...DEFAULT_LIMITS };

  full(shape: Shape, value: number, dtype: DType): Tensor {
    return lazyScalar(value, shape, dtype);
  }

  reserve(shape: Shape, op: string): void {
    reserveValues(shape, op);
  }

  stateStorage(n: number): Float64Array {
    return allocateState(n);
  }

  fromValues(values: ArrayLike<number>, shape: Shape, dtype: DType): Tensor {
    const out = allocateStorage(dtype, shapeSize(shape), false);
    out.set(values as ArrayLike<number> & Float64Array);
    return new Tensor(out, shape, dtype);
  }

  unary(fn: UnaryFn, x: Tensor): Tensor {
    if (x._data === null) return lazyScalar(unaryOf(fn, x._value), x.shape, x.dtype);
    const out = allocateStorage(x.dtype, x.size, false);
    unaryInto(fn, x._data, out, this.limits);
    return new Tensor(out, x.shape, x.dtype);
  }

  binary(fn: BinaryFn, a: Tensor, b: Tensor, shape: Shape): Tensor {
    const dtype = a.dtype;
    if (a._data === null && b._data === null) return lazyScalar(binaryOf(fn, a._value, b._value), shape, dtype);
    // A fresh tensor object over the same storage: an op's result is never one of its inputs.
    const same = identityOperand(fn, a, b, shape);
    if (same !== null) return same._withShape(shape);
    const out = allocateStorage(dtype, shapeSize(shape), false);
    const [ad, aShape] = operandData(a);
    const [bd, bShape] = operandData(b);
    const wasmOp = WASM_BINARY[fn];
    const rows = wasmOp !== undefined && out.length >= this.limits.wasmElementwise ? asRows(aShape, bShape, shape) : null;
    if (rows === null || !zipInto(wasmOp!, ad, bd, out, rows, this.limits)) {
      zipBroadcast(ad, aShape, bd, bShape, out, shape, ROW_KERNELS[fn]);
    }
    return new Tensor(out, shape, dtype);
  }

  where(cond: Tensor, a: Tensor, b: Tensor, shape: Shape): Tensor {
    const n = shapeSize(shape);
    const c = expanded(cond, shape, n);
    // A uniform operand (where(c, x, 0), a gradient's where(c, ct, 0)) enters the kernel as one value.
    const x = a._data === null ? operandData(a)[0] : expanded(a, shape, n);
    const y = b._data === null ? operandData(b)[0] : expanded(b, shape, n);
    const out = allocateStorage(a.dtype, n, false);
    if (!selectInto(c, x, y, out, this.limits)) {
      const as = x.length === n ? 1 : 0, bs = y.length === n ? 1 : 0;
      for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? x[i * as]! : y[i * bs]!;
    }
    return new Tensor(out, shape, a.dtype);
  }

  reduce(fn: ReduceFn, x: Tensor, axes: readonly number[], shape: Shape): Tensor {
    if (x._data === null) {
      const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
      return lazyScalar(uniformReduce(fn, x._value, count), shape, x.dtype);
    }
    if (axes.length === x.ndim) {
      const out = allocate(x.dtype, 1);
      out[0] = reduceAllInKernels(fn, x._data, this.limits) ?? reduceAll(x._data, fn);
      return new Tensor(out, shape, x.dtype);
    }
    // One axis at a time, last first, so every step is a contiguous (outer, len, inner) reduction.
    let data: FloatArray = x._data;
    let cur: number[] = x.shape.slice();
    for (let k = axes.length - 1; k >= 0; k--) {
      const axis = axes[k]!;
      const next = cur.slice();
      next[axis] = 1;
      const out = allocateStorage(x.dtype, shapeSize(next));
      const [outer, len, inner] = axisBlocks(cur, axis);
      if (!reduceAxisInto(fn, data, outer, len, inner, out, this.limits)) reduceAxis(data, cur, axis, out, fn);
      data = out;
      cur = next;
    }
    return new Tensor(data, shape, x.dtype);
  }

  argReduce(fn: "max" | "min", x: Tensor, axis: number | null): Tensor {
    if (axis === null) {
      const out = allocateStorage("float64", 1);
      argReduceAxis(x._values(), [x.size], 0, out, fn);
      return new Tensor(out, SCALAR_SHAPE, "float64");
    }
    const shape = x.shape.filter((_, i) => i !== axis);
    const out = allocateStorage("float64", shapeSize(shape));
    argReduceAxis(x._values(), x.shape, axis, out, fn);
    return new Tensor(out, shape.length === 0 ? SCALAR_SHAPE : shape, "float64");
  }

  matmul(a: Tensor, b: Tensor, ta: boolean, tb: boolean, shape: Shape): Tensor {
    const nd = shape.length;
    const m = shape[nd - 2]!, n = shape[nd - 1]!;
    const k = ta ? a.shape[a.ndim - 2]! : a.shape[a.ndim - 1]!;
    const out = allocateStorage(a.dtype, shapeSize(shape), false);
    const batch = shape.slice(0, -2);
    const count = shapeSize(batch);
    const ad = a._values(), bd = b._values();
    if (count === 1) {
      matmulTransInto(ad, bd, out, m, k, n, ta, tb, this.limits);
      return new Tensor(out, shape, a.dtype);
    }
    const aStr = batchStrides(a.shape.slice(0, -2), batch, m * k);
    const bStr = batchStrides(b.shape.slice(0, -2), batch, k * n);
    const idx = new Array<number>(batch.length).fill(0);
    for (let t = 0; t < count; t++) {
      let ao = 0;
      let bo = 0;
      for (let d = 0; d < batch.length; d++) {
        ao += idx[d]! * aStr[d]!;
        bo += idx[d]! * bStr[d]!;
      }
      matmulTransInto(ad.subarray(ao, ao + m * k), bd.subarray(bo, bo + k * n),
        out.subarray(t * m * n, (t + 1) * m * n), m, k, n, ta, tb, this.limits);
      for (let d = batch.length - 1; d >= 0 && ++idx[d]! === batch[d]; d--) idx[d] = 0;
    }
    return new Tensor(out, shape, a.dtype);
  }

  reshape(x: Tensor, shape: Shape): Tensor {
    // Storage is immutable, so the result shares it (a uniform tensor stays uniform).
    return x._withShape(shape);
  }

  transpose(x: Tensor, perm: readonly number[]): Tensor {
    const shape = perm.map((p) => x.shape[p]!);
    if (x._data === null) return lazyScalar(x._value, shape, x.dtype);
    const out = allocateStorage(x.dtype, x.size, false);
    transposeInto(x._data, x.shape, perm, out);
    return new Tensor(out, shape, x.dtype);
  }

  broadcastTo(x: Tensor, shape: Shape): Tensor {
    // Broadcasting one value (a scalar cotangent in sum's rule, say) gives a uniform tensor: nothing to fill.
    if (x._data === null || x.size === 1) return lazyScalar(x._data === null ? x._value : x._data[0]!, shape, x.dtype);
    const out = allocateStorage(x.dtype, shapeSize(shape), false);
    broadcastInto(x._data, x.shape, shape, out);
    return new Tensor(out, shape, x.dtype);
  }

  astype(x: Tensor, dtype: DType): Tensor {
    if (x._data === null) return lazyScalar(x._value, x.shape, dtype);
    const out = allocateStorage(dtype, x.size, false);
    out.set(x._data);
    return new Tensor(out, x.shape, dtype);
  }

  slice(x: Tensor, start: readonly number[], step: readonly number[], shape: Shape): Tensor {
    if (x._data === null) return lazyScalar(x._value, shape, x.dtype);
    const out = allocateStorage(x.dtype, shapeSize(shape), false);
    sliceInto(x._data, x.shape, start, step, shape, out);
    return new Tensor(out, shape, x.dtype);
  }

  sliceScatter(src: Tensor, start: readonly number[], step: readonly number[], shape: Shape): Tensor {
    const out = allocateStorage(src.dtype, shapeSize(shape));
    scatterSliceInto(src._values(), src.shape, shape, start, step, out);
    return new Tensor(out, shape, src.dtype);
  }

  gather(x: Tensor, axis: number, indices: Int32Array): Tensor {
    const shape = x.shape.slice();
    shape[axis] = indices.length;
    if (x._data === null) return lazyScalar(x._value, shape, x.dtype);
    const out = allocateStorage(x.dtype, shapeSize(shape), false);
    gatherInto(x._data, x.shape, axis, indices, out);
    return new Tensor(out, shape, x.dtype);
  }

  scatterAdd(src: Tensor, axis: number, indices: Int32Array, shape: Shape): Tensor {
    const out = allocateStorage(src.dtype, shapeSize(shape));
    scatterAddInto(src._values(), shape, axis, indices, out);
    return new Tensor(out, shape, src.dtype);
  }

  concat(xs: readonly Tensor[], axis: number): Tensor {
    const shape = xs[0]!.shape.slice();
    shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
    const out = allocateStorage(xs[0]!.dtype, shapeSize(shape), false);
    concatInto(xs.map((x) => x._values()), xs.map((x) => x.shape), axis, out);
    return new Tensor(out, shape, xs[0]!.dtype);
  }

  adamStep(param: Tensor, grad: Tensor, m: Float64Array, v: Float64Array, c: AdamCoefficients): Tensor {
    // A one-element parameter (a 2-D objective's x) stays a storage-less scalar, as the chain's result is.
    if (param.size === 1) return lazyScalar(adamScalar(param.item(), grad.item(), m, v, c), param.shape, param.dtype);
    const out = allocateStorage(param.dtype, param.size, false);
    adamInto(param._values(), grad._values(), m, v, out, c, this.limits);
    return new Tensor(out, param.shape, param.dtype);
  }
}

export const fastBackend = new FastBackend();
