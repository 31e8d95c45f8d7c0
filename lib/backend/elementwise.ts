// Fast kernels over large arrays (wasm SIMD, split across threads): exp, the binary ops, sums; JS loops as the fallback.
import { readyHelpers, runChunks, threadsWanted, type Chunk } from "./pool.js";
import { MAX_CHUNKS } from "./protocol.js";
import { arena, kernels, type Kernels } from "./wasm.js";
import type { FloatArray } from "./matmul.js";

/** Arrays shorter than this use the plain JS loops (the copy into wasm memory would cost more). */
export let wasmElementwiseMin = 2048;
/** Arrays at least this long are split across threads. */
export let parallelElementwiseMin = 1 << 17;

export function setElementwiseThresholds(opts: { wasm?: number; parallel?: number }): void {
  if (opts.wasm !== undefined) wasmElementwiseMin = opts.wasm;
  if (opts.parallel !== undefined) parallelElementwiseMin = opts.parallel;
}

/** The kernels and an arena of `bytes`, or null when an array of `len` elements should take the JS loop instead. */
function wasmCall(len: number, bytes: number): { kern: Kernels; base: number } | null {
  const kern = len >= wasmElementwiseMin ? kernels() : null;
  const base = kern ? arena(kern, threadsWanted(), bytes) : null;
  return kern && base !== null ? { kern, base } : null;
}

const heapOf = (kern: Kernels, f32: boolean): FloatArray =>
  f32 ? new Float32Array(kern.memory.buffer) : new Float64Array(kern.memory.buffer);

/** Helpers to split a call of `len` elements with, 0 below the threaded size. */
const helpersFor = (kern: Kernels, len: number): number => (len >= parallelElementwiseMin ? readyHelpers(kern) : 0);

/** Splits [0, extent) into about four ranges per thread of at least `least`, each a multiple of `unit`. */
function ranges(extent: number, helpers: number, least: number, unit: number): [start: number, length: number][] {
  const per = helpers === 0 ? extent : Math.max(least, Math.ceil(extent / (4 * (helpers + 1)) / unit) * unit);
  const out: [number, number][] = [];
  for (let s = 0; s < extent; s += per) out.push([s, Math.min(per, extent - s)]);
  return out;
}

/**
 * out[i] = exp(x[i]) for i < x.length; out may be x. Within 1 ulp (f64) / 2 ulp (f32) of Math.exp, including
 * overflow to Infinity, underflow to subnormals and 0, and NaN.
 */
export function expInto(x: FloatArray, out: FloatArray): void {
  const len = x.length;
  if (out.length < len) throw new Error(`expInto: out has ${out.length} elements, x has ${len}`);
  if (x.constructor !== out.constructor) {
    throw new Error(`expInto: dtype mix: ${x.constructor.name} -> ${out.constructor.name}`);
  }
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const w = wasmCall(len, 2 * len * size);
  if (!w) {
    for (let i = 0; i < len; i++) out[i] = Math.exp(x[i]!);
    return;
  }
  const { kern, base } = w;
  const heap = heapOf(kern, f32);
  const px = base, po = base + len * size;
  heap.set(x, px / size);
  // Chunks in whole SIMD vectors (16 bytes), so only the last one has a scalar tail.
  const chunks: Chunk[] = ranges(len, helpersFor(kern, len), 1 << 14, 4).map(([s, n]) =>
    ({ op: f32 ? "exp_f32" : "exp_f64", args: [px + s * size, po + s * size, n] }));
  runChunks(kern, chunks);
  out.set(heap.subarray(po / size, po / size + len));
}

/** The binary ops with a wasm kernel (binary.c), by their code there. */
export const ZIP_OPS = { add: 0, sub: 1, mul: 2, div: 3 } as const;
export type ZipOp = keyof typeof ZIP_OPS;

/**
 * Operands seen as rows (binary.c): element i of row r is a[r*ars + i*as] and b[r*brs + i*bs], with steps as, bs of
 * 1 (contiguous) or 0 (one value broadcast along the row); the result is rows x n, contiguous.
 */
export interface Rows { rows: number; n: number; ars: number; as: number; brs: number; bs: number }

/**
 * out = a op b over row-shaped operands, in wasm SIMD split across threads; false (nothing written) when the arrays are
 * too short for it to pay or the kernels are unavailable, and the caller's JS loop should run. Results equal the JS
 * loop's exactly.
 */
export function zipInto(op: ZipOp, a: FloatArray, b: FloatArray, out: FloatArray, p: Rows): boolean {
  const len = p.rows * p.n;
  const f32 = out instanceof Float32Array;
  if (a.constructor !== out.constructor || b.constructor !== out.constructor) {
    throw new Error(`zipInto: dtype mix: ${a.constructor.name} ${op} ${b.constructor.name} -> ${out.constructor.name}`);
  }
  const size = f32 ? 4 : 8;
  const w = wasmCall(len, (a.length + b.length + len) * size);
  if (!w) return false;
  const { kern, base } = w;
  const heap = heapOf(kern, f32);
  const pa = base, pb = pa + a.length * size, po = pb + b.length * size;
  heap.set(a, pa / size);
  heap.set(b, pb / size);
  const helpers = helpersFor(kern, len);
  const kernel = f32 ? "zip_f32" : "zip_f64";
  const code = ZIP_OPS[op];
  const chunk = (r: number, rows: number, c: number, n: number): Chunk => ({
    op: kernel,
    args: [code, pa + (r * p.ars + c * p.as) * size, p.ars, p.as, pb + (r * p.brs + c * p.bs) * size, p.brs, p.bs,
      po + (r * p.n + c) * size, rows, n],
  });
  // Whole rows when there are enough of them, else pieces of each row (one long row when the shapes are equal).
  const chunks = p.rows >= 4 * (helpers + 1) || helpers === 0
    ? ranges(p.rows, helpers, 1, 1).map(([r, rows]) => chunk(r, rows, 0, p.n))
    : Array.from({ length: p.rows }, (_, r) => ranges(p.n, helpers, 1 << 14, 4).map(([c, n]) => chunk(r, 1, c, n))).flat();
  runChunks(kern, chunks);
  out.set(heap.subarray(po / size, po / size + len));
  return true;
}

/**
 * The sum of all elements, accumulated in double, or null when the JS loop should run. The array is summed in pieces
 * whose size depends on its length only, and the pieces' sums are added in order, so the result does not depend on the
 * number of threads.
 */
export function sumAll(x: FloatArray): number | null {
  const len = x.length;
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const piece = Math.max(1 << 15, Math.ceil(len / MAX_CHUNKS / 8) * 8);
  const pieces = Math.ceil(len / piece);
  const w = wasmCall(len, len * size + 8 + pieces * 8);
  if (!w) return null;
  const { kern, base } = w;
  const px = base, pp = base + Math.ceil((len * size) / 8) * 8;
  heapOf(kern, f32).set(x, px / size);
  const chunks: Chunk[] = [];
  for (let i = 0; i < pieces; i++) {
    const s = i * piece;
    chunks.push({ op: f32 ? "sum_f32" : "sum_f64", args: [px + s * size, Math.min(piece, len - s), pp + i * 8] });
  }
  // Below the threaded size the pieces run one by one on this thread (runChunks runs a single chunk in place).
  if (helpersFor(kern, len) > 0) runChunks(kern, chunks);
  else for (const c of chunks) runChunks(kern, [c]);
  const partials = new Float64Array(kern.memory.buffer, pp, pieces);
  let total = 0;
  for (let i = 0; i < pieces; i++) total += partials[i]!;
  return total;
}

/**
 * Sums over the middle axis of x seen as (outer, len, inner) blocks into out (outer x inner), in the order and the
 * element type of the JS loop, so results are identical; false when the JS loop should run (also for inner < 4, where
 * there are no columns to put side by side).
 */
export function sumAxisInto(x: FloatArray, outer: number, len: number, inner: number, out: FloatArray): boolean {
  if (inner < 4) return false;
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const total = outer * len * inner;
  const w = wasmCall(total, (total + outer * inner) * size);
  if (!w) return false;
  const { kern, base } = w;
  const heap = heapOf(kern, f32);
  const px = base, po = base + total * size;
  heap.set(x.length === total ? x : x.subarray(0, total), px / size);
  const helpers = helpersFor(kern, total);
  const kernel = f32 ? "sum_axis_f32" : "sum_axis_f64";
  const chunks: Chunk[] = outer >= 4 * (helpers + 1) || helpers === 0
    ? ranges(outer, helpers, 1, 1).map(([o, n]) => ({ op: kernel, args: [px + o * len * inner * size, n, len, inner, inner, po + o * inner * size] }))
    : ranges(inner, helpers, 64, 8).map(([c, width]) => ({ op: kernel, args: [px + c * size, outer, len, inner, width, po + c * size] }));
  runChunks(kern, chunks);
  out.set(heap.subarray(po / size, po / size + outer * inner));
  return true;
}
