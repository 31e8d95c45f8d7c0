// CPU matmul behind one seam: C[m,n] = op(A)·op(B), row-major, same float type throughout; the system's BLAS for large
// products when present, else wasm SIMD, with a JS fallback.
import { nativeBlas, type NativeBlas } from "./blas.js";
import { BlasThreadChoice } from "./blas_threads.js";
import { arena, offsetInKernels } from "./storage.js";
import { kernels, type Kernels } from "./wasm.js";
import type { FloatArray } from "../tensor/dtype.js";
import { readyHelpers, runChunks, threadsWanted, type Chunk } from "./pool.js";
import type { KernelLimits } from "./limits.js";

/**
 * out[m,n] = op(a) · op(b) where op(a) is a (m,k) matrix stored row-major as (m,k), or as (k,m) when transA; op(b) is
 * (k,n) stored as (k,n), or as (n,k) when transB. Saves the transpose copies that gradients of matmul need.
 */
export function matmulTransInto(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number,
  transA: boolean, transB: boolean, limits: KernelLimits): void {
  checkArgs(a, b, out, m, k, n);
  if (m === 0 || n === 0) return;
  const flops = m * k * n;
  if (flops > 0 && flops >= limits.nativeMatmul) {
    const blas = nativeBlas();
    if (blas !== null) {
      blasMatmul(blas, a, b, out, m, k, n, transA, transB, limits);
      return;
    }
  }
  const kern = flops >= limits.smallMatmul ? kernels() : null;
  if (!kern || !wasmMatmul(kern, a, b, out, m, k, n, transA, transB, limits)) jsMatmul(a, b, out, m, k, n, transA, transB);
}

const threadChoice = new BlasThreadChoice();
let forcedThreads: number | null = null;

/** Test hook: products of at least `parallelMatmul` multiply-adds run in the native BLAS on exactly n threads (null:
 * the measured choice). */
export function setNativeThreads(n: number | null): void {
  forcedThreads = n;
}

function blasMatmul(blas: NativeBlas, a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number,
  transA: boolean, transB: boolean, limits: KernelLimits): void {
  const flops = m * k * n;
  if (flops < limits.parallelMatmul) {
    blas.gemm(a, b, out, m, k, n, transA, transB, 1);
    return;
  }
  const key = a instanceof Float32Array ? "f32" : "f64";
  // All wanted threads, or one, as measured: OpenBLAS has no notion of other processes, and the load average still
  // counts work that ended up to a minute ago (a build, a finished run), so it is not asked.
  const threads = forcedThreads ?? threadChoice.choose(key, threadsWanted());
  const t0 = performance.now();
  blas.gemm(a, b, out, m, k, n, transA, transB, threads);
  threadChoice.record(key, threads, flops, performance.now() - t0);
}

function checkArgs(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number): void {
  for (const [name, v] of [["m", m], ["k", k], ["n", n]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`matmul: ${name} must be a non-negative integer, got ${v}`);
  }
  if (a.constructor !== b.constructor || a.constructor !== out.constructor) {
    throw new Error(`matmul: dtype mix: ${a.constructor.name}, ${b.constructor.name} -> ${out.constructor.name}`);
  }
  if (a.length < m * k) throw new Error(`matmul: a has ${a.length} elements, (${m}, ${k}) needs ${m * k}`);
  if (b.length < k * n) throw new Error(`matmul: b has ${b.length} elements, (${k}, ${n}) needs ${k * n}`);
  if (out.length < m * n) throw new Error(`matmul: out has ${out.length} elements, (${m}, ${n}) needs ${m * n}`);
}

function wasmMatmul(kern: Kernels, a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number,
  transA: boolean, transB: boolean, limits: KernelLimits): boolean {
  const f32 = a instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const helpers = m * k * n >= limits.parallelMatmul ? readyHelpers(kern) : 0;
  // Operands already in the kernels' memory (tensor storage) are read in place; only the others are copied in.
  const inA = a.length === m * k ? offsetInKernels(kern, a) : -1;
  const inB = b.length === k * n ? offsetInKernels(kern, b) : -1;
  const inC = out.length === m * n ? offsetInKernels(kern, out) : -1;
  // Slabs of C along its longer side, in whole micro-tiles (4 rows / 8 columns), about three per thread so a thread
  // that starts late (or a slower core) just takes fewer. Row slabs share one copy of B, packed here before they start;
  // column slabs pack their own columns of B, and each all of A (the shorter side).
  const alongRows = m >= n;
  const extent = alongRows ? m : n;
  const unit = alongRows ? 4 : 8;
  const per = helpers === 0 ? extent : Math.max(32, Math.ceil(extent / (3 * (helpers + 1)) / unit) * unit);
  const packB = alongRows && per < extent;
  const copyA = inA < 0 ? m * k : 0, copyB = inB < 0 ? k * n : 0;
  const copyBytes = Math.ceil((copyA + copyB + (inC < 0 ? m * n : 0)) * size / 16) * 16;
  const base = arena(kern, copyBytes + (packB ? kern.exports.gemm_packed_b_bytes(k, n, f32 ? 0 : 1) : 0));
  if (base === null) return false;
  const pa = inA >= 0 ? inA : base, pb = inB >= 0 ? inB : base + copyA * size;
  const pc = inC >= 0 ? inC : base + (copyA + copyB) * size;
  const heap = f32 ? new Float32Array(kern.memory.buffer) : new Float64Array(kern.memory.buffer);
  if (inA < 0) heap.set(a.length === m * k ? a : a.subarray(0, m * k), pa / size);
  if (inB < 0) heap.set(b.length === k * n ? b : b.subarray(0, k * n), pb / size);
  const [rsa, csa] = transA ? [1, m] : [k, 1];
  const [rsb, csb] = transB ? [1, k] : [n, 1];
  const pbp = base + copyBytes;
  if (packB) (f32 ? kern.exports.sgemm_pack_b : kern.exports.dgemm_pack_b)(k, n, pb, rsb, csb, pbp);
  const op = f32 ? "sgemm" : "dgemm", packedOp = f32 ? "sgemm_packed_b" : "dgemm_packed_b";
  const chunks: Chunk[] = [];
  for (let s = 0; s < extent; s += per) {
    const len = Math.min(per, extent - s);
    if (packB) {
      chunks.push({ op: packedOp, args: [len, k, n, pa + s * rsa * size, rsa, csa, pbp, pc + s * n * size, n] });
    } else if (alongRows) {
      chunks.push({ op, args: [len, k, n, pa + s * rsa * size, rsa, csa, pb, rsb, csb, pc + s * n * size, n] });
    } else {
      chunks.push({ op, args: [m, k, len, pa, rsa, csa, pb + s * csb * size, rsb, csb, pc + s * size, n] });
    }
  }
  runChunks(kern, chunks);
  if (inC < 0) out.set(heap.subarray(pc / size, pc / size + m * n));
  return true;
}

function jsMatmul(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number, transA: boolean,
  transB: boolean): void {
  const [rsa, csa] = transA ? [1, m] : [k, 1];
  const [rsb, csb] = transB ? [1, k] : [n, 1];
  if (!transB) {
    out.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      const oRow = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[i * rsa + p * csa]!;
        const bRow = p * rsb;
        for (let j = 0; j < n; j++) out[oRow + j]! += aip * b[bRow + j]!;
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * rsa + p * csa]! * b[p * rsb + j * csb]!;
      out[i * n + j] = s;
    }
  }
}
