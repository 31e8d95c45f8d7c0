// The size cut-offs at which the fast backend changes how a kernel runs; one object of them is a field of that backend.

export interface KernelLimits {
  /** Elementwise arrays shorter than this run as JS loops (copying them into wasm memory would cost more). */
  wasmElementwise: number;
  /** Unary ops that compute (exp, log, tanh, sin, sqrt, ...) over arrays at least this long are split across threads. */
  parallelElementwise: number;
  /** Products with fewer multiply-adds than this run as a JS loop. */
  smallMatmul: number;
  /** Products with at least this many multiply-adds are split across threads. */
  parallelMatmul: number;
  /** Products with at least this many multiply-adds run in the system's BLAS when one was found (blas.ts). */
  nativeMatmul: number;
}

/** Measured on the reference 2-core machine (see README.md in this folder). */
export const DEFAULT_LIMITS: Readonly<KernelLimits> = Object.freeze({
  wasmElementwise: 2048,
  parallelElementwise: 1 << 17,
  smallMatmul: 4096,
  parallelMatmul: 1 << 23,
  nativeMatmul: 128,
});
