// A whole Adam step over one parameter in one pass: a JS loop (the reference, and the fast backend's fallback) and the
// wasm SIMD kernel (optim.c) that gives the same numbers bit for bit.
import type { AdamCoefficients } from "./backend.js";
import type { FloatArray } from "../tensor/dtype.js";
import type { KernelLimits } from "./limits.js";
import { arena, offsetInKernels } from "./storage.js";
import { kernels } from "./wasm.js";
import { readyHelpers, runChunks, type Chunk } from "./pool.js";

/**
 * out = p + factor * adam(g), m and v updated in place, for i < p.length: the expressions of lib/optim's transforms in
 * their order, in double; `out` rounds to its dtype once. One loop per array kind, to stay monomorphic.
 */
export function adamLoop(p: FloatArray, g: FloatArray, m: Float64Array, v: Float64Array, out: FloatArray, c: AdamCoefficients): void {
  if (p instanceof Float32Array) adamLoop32(p, g as Float32Array, m, v, out as Float32Array, c);
  else adamLoop64(p, g as Float64Array, m, v, out as Float64Array, c);
}

function adamLoop64(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, out: Float64Array, c: AdamCoefficients): void {
  const { b1, c1, b2, c2, invBc1, invSqrtBc2, eps, factor, coupledDecay, decoupledDecay } = c;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const gi = coupledDecay !== 0 ? g[i]! + coupledDecay * pi : g[i]!;
    const mi = b1 * m[i]! + c1 * gi;
    const vi = b2 * v[i]! + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const u = (mi * invBc1) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    out[i] = pi + factor * (decoupledDecay !== 0 ? u + decoupledDecay * pi : u);
  }
}

function adamLoop32(p: Float32Array, g: Float32Array, m: Float64Array, v: Float64Array, out: Float32Array, c: AdamCoefficients): void {
  const { b1, c1, b2, c2, invBc1, invSqrtBc2, eps, factor, coupledDecay, decoupledDecay } = c;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const gi = coupledDecay !== 0 ? g[i]! + coupledDecay * pi : g[i]!;
    const mi = b1 * m[i]! + c1 * gi;
    const vi = b2 * v[i]! + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const u = (mi * invBc1) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    out[i] = pi + factor * (decoupledDecay !== 0 ? u + decoupledDecay * pi : u);
  }
}

const one = { p: new Float64Array(1), g: new Float64Array(1), out: new Float64Array(1) };

/** adamLoop over one element given as numbers (m and v still updated in place): the new parameter value. */
export function adamScalar(p: number, g: number, m: Float64Array, v: Float64Array, c: AdamCoefficients): number {
  one.p[0] = p;
  one.g[0] = g;
  adamLoop64(one.p, one.g, m, v, one.out, c);
  return one.out[0]!;
}

/** Bytes before the staged arrays: the ten coefficients the kernel reads from memory. */
const COEFFICIENT_BYTES = 128;

/**
 * adamLoop in the wasm kernel when the arrays are long enough and the kernels are there, else the loop. Arrays in the
 * kernels' memory (tensor storage, optimizer state from stateStorage) are used in place, the others copied in whole
 * (and m, v and out copied back), so long parameters can be split across threads: the step is bound by its division
 * and square root, not by memory.
 */
export function adamInto(p: FloatArray, g: FloatArray, m: Float64Array, v: Float64Array, out: FloatArray, c: AdamCoefficients,
  limits: KernelLimits): void {
  const len = p.length;
  const f32 = p instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const kern = len >= limits.wasmElementwise ? kernels() : null;
  if (kern === null) {
    adamLoop(p, g, m, v, out, c);
    return;
  }
  const inP = offsetInKernels(kern, p), inG = offsetInKernels(kern, g), inOut = offsetInKernels(kern, out);
  const inM = offsetInKernels(kern, m), inV = offsetInKernels(kern, v);
  const staged = ((inP < 0 ? 1 : 0) + (inG < 0 ? 1 : 0) + (inOut < 0 ? 1 : 0)) * len * size + ((inM < 0 ? 1 : 0) + (inV < 0 ? 1 : 0)) * len * 8;
  const base = arena(kern, COEFFICIENT_BYTES + staged);
  if (base === null) {
    adamLoop(p, g, m, v, out, c);
    return;
  }
  const buffer = kern.memory.buffer;
  const heap64 = new Float64Array(buffer);
  const heap = f32 ? new Float32Array(buffer) : heap64;
  heap64.set([c.b1, c.c1, c.b2, c.c2, c.invBc1, c.invSqrtBc2, c.eps, c.factor, c.coupledDecay, c.decoupledDecay], base / 8);
  let free = base + COEFFICIENT_BYTES;
  /** Where x lives in the kernels' memory: in place, or a staged copy (made now when `copyIn`). */
  const place = (x: FloatArray, inKernels: number, h: FloatArray, bytes: number, copyIn: boolean): number => {
    if (inKernels >= 0) return inKernels;
    const at = free;
    free += len * bytes;
    if (copyIn) h.set(x, at / bytes);
    return at;
  };
  const pp = place(p, inP, heap, size, true), pg = place(g, inG, heap, size, true);
  const pm = place(m, inM, heap64, 8, true), pv = place(v, inV, heap64, 8, true), po = place(out, inOut, heap, size, false);
  const decay = (c.coupledDecay !== 0 ? 1 : 0) | (c.decoupledDecay !== 0 ? 2 : 0);
  const helpers = len >= limits.parallelElementwise / 2 ? readyHelpers(kern) : 0;
  // About four chunks per thread, in whole SIMD vectors, so a thread that starts late just takes fewer.
  const per = helpers === 0 ? len : Math.max(1 << 14, Math.ceil(len / (4 * (helpers + 1)) / 4) * 4);
  const op = f32 ? "adam_f32" : "adam_f64";
  const chunks: Chunk[] = [];
  for (let s = 0; s < len; s += per) {
    chunks.push({ op, args: [pp + s * size, pg + s * size, pm + s * 8, pv + s * 8, po + s * size, Math.min(per, len - s), decay, base] });
  }
  runChunks(kern, chunks);
  if (inM < 0) m.set(heap64.subarray(pm / 8, pm / 8 + len));
  if (inV < 0) v.set(heap64.subarray(pv / 8, pv / 8 + len));
  if (inOut < 0) out.set(heap.subarray(po / size, po / size + len));
}
