// What runs the fast backend's kernels on this machine and why, for users and bug reports (gl.backendInfo()).
import { nativeBlas, nativeBlasReason } from "./blas.js";
import { fastBackend } from "./fast.js";
import { threadsWanted } from "./pool.js";
import { kernels, kernelsLoadError } from "./wasm.js";
import { tuneMalloc } from "./malloc_tuning.js";

export interface BackendInfo {
  /** Which code runs large matrix products, e.g. "openblas (/usr/lib/.../libopenblasp-r0.3.21.so, 2 threads)". */
  matmul: string;
  /** Which code runs large elementwise ops and sums: "wasm-simd", or "js: <why the wasm kernels are missing>". */
  elementwise: string;
  /** Threads the kernels may use, the calling thread included (GRADLAB_THREADS, or the machine's cores up to 8). */
  threads: number;
  /** Whose malloc thresholds serve big buffers: gradlab's (lib/backend/malloc_tuning.ts), the environment's, or the system's. */
  malloc: string;
}

/**
 * Which kernels compute on this machine and why. Probing loads the native BLAS and the wasm kernels if no op has yet;
 * a missing native BLAS is reported here (and in one line on stderr), never an error.
 */
export function backendInfo(): BackendInfo {
  const wasm = kernels() !== null;
  const fallback = wasm ? "wasm-simd" : `js (${kernelsLoadError()})`;
  const blas = nativeBlas();
  const { nativeMatmul, smallMatmul } = fastBackend.limits;
  const threads = threadsWanted();
  const small = wasm && nativeMatmul > smallMatmul ? "wasm-simd" : "js loop";
  const matmul = blas === null ? `${fallback}: ${nativeBlasReason()}`
    : `${blas.vendor} (${blas.path}, up to ${threads} thread${threads === 1 ? "" : "s"}; ${small} below ${nativeMatmul} multiply-adds)`;
  return { matmul, elementwise: wasm ? "wasm-simd" : `js: ${kernelsLoadError()}`, threads: threadsWanted(), malloc: tuneMalloc() };
}
