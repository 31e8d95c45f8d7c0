// Loads the compiled SIMD kernels synchronously into one shared WebAssembly memory (its blocks: storage.ts).
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import type { ReduceKind } from "../tensor/reduce.js";

// The few WebAssembly JS-API shapes used here, typed locally so the project needs no DOM lib.
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
export const webAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Reductions over the middle axis of (outer, len, inner) blocks, and of rows (inner = 1), in the JS loops' order. */
type AxisReductions = {
  [name in `${ReduceKind}_axis_${"f64" | "f32"}`]: (x: number, outer: number, len: number, inner: number, out: number) => void
};
type RowReductions = { [name in `${ReduceKind}_rows_${"f64" | "f32"}`]: (x: number, rows: number, len: number, out: number) => void };

export interface KernelExports extends AxisReductions, RowReductions {
  sgemm(m: number, k: number, n: number, a: number, rsa: number, csa: number, b: number, rsb: number, csb: number,
    c: number, ldc: number, scratch: number): void;
  dgemm(m: number, k: number, n: number, a: number, rsa: number, csa: number, b: number, rsb: number, csb: number,
    c: number, ldc: number, scratch: number): void;
  /** B (k x n, strides rsb, csb) packed whole into bp, gemm_packed_b_bytes(k, n, 0 or 1 for f64) bytes long. */
  sgemm_pack_b(k: number, n: number, b: number, rsb: number, csb: number, bp: number): void;
  dgemm_pack_b(k: number, n: number, b: number, rsb: number, csb: number, bp: number): void;
  /** sgemm and dgemm with B already packed whole; threads splitting C into row slabs share one packed B. */
  sgemm_packed_b(m: number, k: number, n: number, a: number, rsa: number, csa: number, bp: number, c: number,
    ldc: number, scratch: number): void;
  dgemm_packed_b(m: number, k: number, n: number, a: number, rsa: number, csa: number, bp: number, c: number,
    ldc: number, scratch: number): void;
  gemm_packed_b_bytes(k: number, n: number, f64: number): number;
  /** out[i] = f(x[i]) for i < len, f by its code in UNARY_OPS (elementwise.ts). */
  unary_f64(op: number, x: number, out: number, len: number): void;
  unary_f32(op: number, x: number, out: number, len: number): void;
  zip_f64(op: number, a: number, ars: number, as: number, b: number, brs: number, bs: number, out: number, rows: number,
    n: number): void;
  zip_f32(op: number, a: number, ars: number, as: number, b: number, brs: number, bs: number, out: number, rows: number,
    n: number): void;
  /** out[i] = c[i] != 0 ? a[i * as] : b[i * bs] for i < n (binary.c); as, bs: 1 or 0. */
  select_f64(c: number, a: number, as: number, b: number, bs: number, out: number, n: number): void;
  select_f32(c: number, a: number, as: number, b: number, bs: number, out: number, n: number): void;
  /** Reductions of all len elements (reduce.c): sums in eight lanes, maxima and minima in any order. */
  sum_f64(x: number, len: number): number;
  sum_f32(x: number, len: number): number;
  max_f64(x: number, len: number): number;
  max_f32(x: number, len: number): number;
  min_f64(x: number, len: number): number;
  min_f32(x: number, len: number): number;
  /** One Adam step over n elements (optim.c); decay: 1 coupled, 2 decoupled, 3 both; c: the ten coefficients. */
  adam_f64(p: number, g: number, m: number, v: number, out: number, n: number, decay: number, c: number): void;
  adam_f32(p: number, g: number, m: number, v: number, out: number, n: number, decay: number, c: number): void;
  gemm_scratch_bytes(): number;
  __heap_base: { value: number };
}

export interface Kernels {
  module: object;
  memory: WasmMemory;
  exports: KernelExports;
  /** Bytes of packing scratch each thread needs for one GEMM call. */
  scratchBytes: number;
}

const MAX_PAGES = 65536; // the wasm32 limit, 4 GiB; only touched pages cost memory
const here = dirname(fileURLToPath(import.meta.url));

/** Folder of the built backend (dist/lib/backend), also when this file runs from TypeScript sources under vitest. */
export const builtBackendDir = import.meta.url.endsWith(".ts") ? resolve(here, "../../dist/lib/backend") : here;
export const wasmPath = resolve(builtBackendDir, "wasm/kernels.wasm");

let loaded: Kernels | null | undefined;
let loadError = "";

/** The kernels, or null when the .wasm file is absent or disabled (GRADLAB_NO_WASM=1); callers then use plain JS. */
export function kernels(): Kernels | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.GRADLAB_NO_WASM === "1") {
    loadError = "disabled by GRADLAB_NO_WASM=1";
    return null;
  }
  if (!existsSync(wasmPath)) {
    loadError = `${wasmPath} not found (run npm run build:wasm)`;
    return null;
  }
  try {
    const module = compileOptimized(readFileSync(wasmPath));
    const memory = new webAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
    const exports = new webAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    loaded = { module, memory, exports, scratchBytes: exports.gemm_scratch_bytes() };
  } catch (err) {
    loadError = `loading ${wasmPath} failed: ${(err as Error).message}`;
  }
  return loaded;
}

/**
 * Compiles every function straight to optimized code. By default V8 compiles wasm lazily with its baseline compiler
 * and swaps in optimized code only for later calls; a matmul is one long call, so the first ones would run 2-3x slower.
 * The two flags are switched just for this synchronous compile (and left alone if the user set them for node).
 */
function compileOptimized(bytes: Uint8Array): object {
  const userFlags = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`;
  const flags = ["liftoff", "wasm-lazy-compilation"].filter((f) => !userFlags.includes(f));
  for (const f of flags) setFlagsFromString(`--no-${f}`);
  try {
    return new webAssembly.Module(bytes);
  } finally {
    for (const f of flags) setFlagsFromString(`--${f}`);
  }
}

/** Why kernels() returned null ("" when it did not). */
export function kernelsLoadError(): string {
  kernels();
  return loadError;
}
