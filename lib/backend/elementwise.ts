// Fast elementwise kernels over large arrays (wasm SIMD, split across threads), with Math.* loops as the fallback.
import { readyHelpers, runChunks, threadsWanted, type Chunk } from "./pool.js";
import { arena, kernels } from "./wasm.js";
import type { FloatArray } from "./matmul.js";

/** Arrays shorter than this use the plain Math.exp loop (the copy into wasm memory would cost more). */
export let wasmElementwiseMin = 2048;
/** Arrays at least this long are split across threads. */
export let parallelElementwiseMin = 1 << 17;

export function setElementwiseThresholds(opts: { wasm?: number; parallel?: number }): void {
  if (opts.wasm !== undefined) wasmElementwiseMin = opts.wasm;
  if (opts.parallel !== undefined) parallelElementwiseMin = opts.parallel;
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
  const kern = len >= wasmElementwiseMin ? kernels() : null;
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const base = kern ? arena(kern, threadsWanted(), 2 * len * size) : null;
  if (!kern || base === null) {
    for (let i = 0; i < len; i++) out[i] = Math.exp(x[i]!);
    return;
  }
  const heap = f32 ? new Float32Array(kern.memory.buffer) : new Float64Array(kern.memory.buffer);
  const px = base, po = base + len * size;
  heap.set(x, px / size);
  const helpers = len >= parallelElementwiseMin ? readyHelpers(kern) : 0;
  // About four chunks per thread, in whole SIMD vectors (16 bytes) so only the last chunk has a scalar tail.
  const per = helpers === 0 ? len : Math.max(1 << 14, Math.ceil(len / (4 * (helpers + 1)) / 4) * 4);
  const chunks: Chunk[] = [];
  for (let s = 0; s < len; s += per) {
    chunks.push({ op: f32 ? "exp_f32" : "exp_f64", args: [px + s * size, po + s * size, Math.min(per, len - s)] });
  }
  runChunks(kern, chunks);
  out.set(heap.subarray(po / size, po / size + len));
}
