// Fast kernels over large arrays in wasm SIMD: the unary ops (split across threads), the binary ops, sums; JS loops as
// the fallback.
import { readyHelpers, runChunks, threadsWanted, type Chunk } from "./pool.js";
import { arena, kernels, type Kernels } from "./wasm.js";
import type { FloatArray } from "../tensor/dtype.js";
import type { Rows } from "../tensor/elementwise.js";
import type { UnaryFn } from "./backend.js";
import type { KernelLimits } from "./limits.js";
import { UNARY } from "./scalar.js";
import { UNARY_LOOPS } from "./unary_loops.js";

/** The kernels and an arena of `bytes`, or null when an array of `len` elements should take the JS loop instead. */
function wasmCall(len: number, bytes: number, limits: KernelLimits): { kern: Kernels; base: number } | null {
  const kern = len >= limits.wasmElementwise ? kernels() : null;
  const base = kern ? arena(kern, threadsWanted(), bytes) : null;
  return kern && base !== null ? { kern, base } : null;
}

const heapOf = (kern: Kernels, f32: boolean): FloatArray =>
  f32 ? new Float32Array(kern.memory.buffer) : new Float64Array(kern.memory.buffer);

/** Every unary function's op code in the wasm kernels (elementwise.c). */
export const UNARY_OPS: Readonly<Record<UnaryFn, number>> = {
  exp: 0, neg: 1, abs: 2, square: 3, sqrt: 4, relu: 5, sign: 6, log: 7, log1p: 8, tanh: 9, sigmoid: 10, softplus: 11,
  sin: 12, cos: 13, tan: 14,
};

/** The sin, cos, tan kernels reduce arguments up to this magnitude (elementwise.c); Math takes larger ones. */
const TRIG_MAX = 16384;

/**
 * Functions of one cheap instruction an element, bound by memory and the copies: split across two threads they took as
 * long over 1e6 elements (sqrt, whose instruction is slow, ran 1.5x faster split, so it is not here).
 */
const MEMORY_BOUND: ReadonlySet<UnaryFn> = new Set(["neg", "abs", "square", "relu", "sign"]);

/**
 * out[i] = fn(x[i]) for i < x.length, out may be x: in wasm SIMD (split across threads for long arrays) when x is long
 * enough and the kernels are there, else the JS loop. The kernels give scalar.ts's special values; f64 results are
 * within 1 ulp (exp), 2 ulp (log, log1p, tanh, sigmoid, softplus, sin, cos), 3 ulp (tan) of Math's or scalar.ts's,
 * the rest exact; f32 within 1 ulp of the rounded f64 value (exp 2 ulp).
 */
export function unaryInto(fn: UnaryFn, x: FloatArray, out: FloatArray, limits: KernelLimits): void {
  const len = x.length;
  if (out.length < len) throw new Error(`unaryInto: out has ${out.length} elements, x has ${len}`);
  if (x.constructor !== out.constructor) {
    throw new Error(`unaryInto: dtype mix: ${x.constructor.name} -> ${out.constructor.name}`);
  }
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const w = wasmCall(len, 2 * len * size, limits);
  if (!w) {
    UNARY_LOOPS[fn](x, out);
    return;
  }
  const { kern, base } = w;
  const heap = heapOf(kern, f32);
  const px = base, po = base + len * size;
  heap.set(x, px / size);
  const helpers = len >= limits.parallelElementwise && !MEMORY_BOUND.has(fn) ? readyHelpers(kern) : 0;
  // About four chunks per thread, in whole SIMD vectors (16 bytes) so only the last chunk has a scalar tail.
  const per = helpers === 0 ? len : Math.max(1 << 14, Math.ceil(len / (4 * (helpers + 1)) / 4) * 4);
  const chunks: Chunk[] = [];
  const op = f32 ? "unary_f32" : "unary_f64";
  for (let s = 0; s < len; s += per) {
    chunks.push({ op, args: [UNARY_OPS[fn], px + s * size, po + s * size, Math.min(per, len - s)] });
  }
  runChunks(kern, chunks);
  if (fn === "sin" || fn === "cos" || fn === "tan") {
    // Read from the copy in wasm memory: out may be x and is only written below.
    const f = UNARY[fn], xs = heap.subarray(px / size, px / size + len), os = heap.subarray(po / size, po / size + len);
    for (let i = 0; i < len; i++) if (Math.abs(xs[i]!) > TRIG_MAX) os[i] = f(xs[i]!);
  }
  out.set(heap.subarray(po / size, po / size + len));
}

/** The binary ops with a wasm kernel (binary.c), by their code there. */
export const ZIP_OPS = { add: 0, sub: 1, mul: 2, div: 3 } as const;
export type ZipOp = keyof typeof ZIP_OPS;

// The binary ops (binary.c) and sums (reduce.c) below run on the calling thread: they are bound by memory and by the
// copies in and out, which stay on this thread, and splitting them measured slower at every size (a column split of an
// axis sum twice so).

/**
 * out = a op b over row-shaped operands in wasm SIMD; false (nothing written) when the arrays are too short for it to
 * pay or the kernels are unavailable, and the caller's JS loop should run. Results equal the JS loop's exactly.
 */
export function zipInto(op: ZipOp, a: FloatArray, b: FloatArray, out: FloatArray, p: Rows, limits: KernelLimits): boolean {
  const len = p.rows * p.n;
  const f32 = out instanceof Float32Array;
  if (a.constructor !== out.constructor || b.constructor !== out.constructor) {
    throw new Error(`zipInto: dtype mix: ${a.constructor.name} ${op} ${b.constructor.name} -> ${out.constructor.name}`);
  }
  const size = f32 ? 4 : 8;
  const w = wasmCall(len, (a.length + b.length + len) * size, limits);
  if (!w) return false;
  const { kern, base } = w;
  const heap = heapOf(kern, f32);
  const pa = base, pb = pa + a.length * size, po = pb + b.length * size;
  heap.set(a, pa / size);
  heap.set(b, pb / size);
  kern.exports[f32 ? "zip_f32" : "zip_f64"](ZIP_OPS[op], pa, p.ars, p.as, pb, p.brs, p.bs, po, p.rows, p.n);
  out.set(heap.subarray(po / size, po / size + len));
  return true;
}

/** The sum of all elements, accumulated in double (in eight lanes, added in a fixed order), or null for the JS loop. */
export function sumAll(x: FloatArray, limits: KernelLimits): number | null {
  const len = x.length;
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const w = wasmCall(len, len * size, limits);
  if (!w) return null;
  heapOf(w.kern, f32).set(x, w.base / size);
  return w.kern.exports[f32 ? "sum_f32" : "sum_f64"](w.base, len);
}

/**
 * Sums over the middle axis of x seen as (outer, len, inner) blocks into out (outer x inner), in the order and the
 * element type of the JS loop, so results are identical; false when the JS loop should run (also for inner < 4, where
 * there are no columns to put side by side).
 */
export function sumAxisInto(x: FloatArray, outer: number, len: number, inner: number, out: FloatArray,
  limits: KernelLimits): boolean {
  if (inner < 4) return false;
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const total = outer * len * inner;
  const w = wasmCall(total, (total + outer * inner) * size, limits);
  if (!w) return false;
  const { kern, base } = w;
  const heap = heapOf(kern, f32);
  const px = base, po = base + total * size;
  heap.set(x.length === total ? x : x.subarray(0, total), px / size);
  kern.exports[f32 ? "sum_axis_f32" : "sum_axis_f64"](px, outer, len, inner, po);
  out.set(heap.subarray(po / size, po / size + outer * inner));
  return true;
}
