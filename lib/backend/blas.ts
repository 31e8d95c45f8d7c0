// The system's CBLAS (OpenBLAS first) loaded at run time through koffi, for matmul; absent libraries leave the wasm kernel.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import type { FloatArray } from "../tensor/dtype.js";

/** A loaded CBLAS: the library it came from and row-major GEMM on typed arrays. */
export interface NativeBlas {
  /** "openblas", "mkl", "blis", ... (which optimized BLAS the library identified itself as). */
  readonly vendor: string;
  /** The file the dynamic loader actually mapped (symlinks and update-alternatives resolved where the OS says). */
  readonly path: string;
  /** out[m,n] = op(a)·op(b), row-major; a stored (k,m) when transA, b stored (n,k) when transB; m, k, n >= 1. */
  gemm(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number, transA: boolean,
    transB: boolean, threads: number): void;
  /** Threads the library runs a large product on (what it was last told, or its own default). */
  threads(): number;
}

// CBLAS enum values (cblas.h); identical in every implementation since they are part of the C interface.
const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

/** Names tried in order when GRADLAB_BLAS names none: OpenBLAS under its own names, then any CBLAS. */
export const DEFAULT_CANDIDATES: readonly string[] = process.platform === "darwin"
  ? ["libopenblas.0.dylib", "libopenblas.dylib", "/System/Library/Frameworks/Accelerate.framework/Accelerate"]
  : ["libopenblas.so.0", "libopenblas.so", "libcblas.so.3", "libcblas.so", "libblas.so.3", "libblas.so"];

/**
 * Symbols that identify an optimized BLAS. Netlib's reference CBLAS (Debian's libblas3 without OpenBLAS) has none of
 * them, and is 10-30x slower than the wasm kernel, so a library without one is not used.
 */
const VENDOR_SYMBOLS: readonly (readonly [string, string])[] = [
  ["openblas_get_config", "openblas"], ["MKL_Get_Version", "mkl"], ["bli_info_get_version_str", "blis"],
  ["ATL_buildinfo", "atlas"], ["vDSP_vadd", "accelerate"],
];

// The slice of koffi's API used here, typed locally: the package is an optional dependency.
interface KoffiLib {
  func(prototype: string): (...args: unknown[]) => unknown;
}
interface Koffi {
  load(path: string): KoffiLib;
}

interface Probe {
  blas: NativeBlas | null;
  /** Why blas is null ("" when it is not). */
  reason: string;
  /** Whether a missing library deserves the one-line notice (not when the user turned it off). */
  notice: boolean;
}

let probe: Probe | undefined;

/** The native BLAS, or null (see nativeBlasReason); loaded on first call. */
export function nativeBlas(): NativeBlas | null {
  return load().blas;
}

/** Why nativeBlas() is null, e.g. "no CBLAS found (tried libopenblas.so.0, ...)"; "" when it is not. */
export function nativeBlasReason(): string {
  return load().reason;
}

/** Forgets the loaded library so the next call probes again under the current GRADLAB_BLAS (tests). */
export function resetNativeBlas(): void {
  probe = undefined;
}

function load(): Probe {
  if (probe !== undefined) return probe;
  probe = find(process.env.GRADLAB_BLAS);
  // One line, once per process: the wasm kernel is a working fallback, so a missing library is news, not an error.
  if (probe.notice) process.stderr.write(`gradlab: matmul uses the wasm SIMD kernel: ${probe.reason}\n`);
  return probe;
}

function find(setting: string | undefined): Probe {
  const value = setting?.trim() ?? "";
  if (["off", "0", "none", "false"].includes(value.toLowerCase())) {
    return { blas: null, reason: `native BLAS off (GRADLAB_BLAS=${value})`, notice: false };
  }
  let koffi: Koffi;
  try {
    koffi = createRequire(import.meta.url)("koffi") as Koffi;
  } catch (err) {
    return { blas: null, reason: `the optional package koffi is not installed (${firstLine(err)})`, notice: true };
  }
  const candidates = value === "" ? DEFAULT_CANDIDATES : value.split(/[,:]/).map((s) => s.trim()).filter((s) => s !== "");
  const refused: string[] = [];
  for (const name of candidates) {
    let lib: KoffiLib;
    try {
      lib = koffi.load(name);
    } catch {
      continue;
    }
    const vendor = VENDOR_SYMBOLS.find(([symbol]) => bind(lib, `void ${symbol}()`) !== null)?.[1];
    if (vendor === undefined) {
      refused.push(`${name} looks like the reference BLAS (slower than the wasm kernel)`);
      continue;
    }
    const blas = bindGemm(lib, vendor, mappedPath(name));
    if (blas !== null) return { blas, reason: "", notice: false };
    refused.push(`${name} has no cblas_sgemm/cblas_dgemm`);
  }
  const tried = `tried ${candidates.join(", ")}`;
  return { blas: null, reason: refused.length > 0 ? `${refused.join("; ")} (${tried})` : `no CBLAS found (${tried})`, notice: true };
}

function bind(lib: KoffiLib, prototype: string): ((...args: unknown[]) => unknown) | null {
  try {
    return lib.func(prototype);
  } catch {
    return null;
  }
}

function bindGemm(lib: KoffiLib, vendor: string, path: string): NativeBlas | null {
  const gemmArgs = (t: string): string =>
    `int, int, int, int, int, int, ${t}, const ${t} *, int, const ${t} *, int, ${t}, ${t} *, int`;
  const sgemm = bind(lib, `void cblas_sgemm(${gemmArgs("float")})`);
  const dgemm = bind(lib, `void cblas_dgemm(${gemmArgs("double")})`);
  if (sgemm === null || dgemm === null) return null;
  const setThreads = bind(lib, "void openblas_set_num_threads(int)");
  const getThreads = bind(lib, "int openblas_get_num_threads()");
  let told = getThreads ? (getThreads() as number) : 1;
  return {
    vendor,
    path,
    gemm(a, b, out, m, k, n, transA, transB, threads) {
      // Only OpenBLAS can be told; changing its count costs a lock, so only on a change.
      if (setThreads !== null && threads !== told) {
        setThreads(threads);
        told = threads;
      }
      const fn = a instanceof Float32Array ? sgemm : dgemm;
      fn(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1, a, transA ? m : k, b,
        transB ? k : n, 0, out, n);
    },
    threads: () => told,
  };
}

/** The file behind a loaded name, from the process's memory map where the OS has one (Linux); else the name itself. */
function mappedPath(name: string): string {
  if (name.startsWith("/") || process.platform !== "linux") return name;
  const stem = basename(name).replace(/\.(so|dylib).*$/, "");
  try {
    const files = readFileSync("/proc/self/maps", "utf8").split("\n").map((line) => line.slice(line.indexOf("/")));
    return files.find((f) => f.startsWith("/") && basename(f).startsWith(stem)) ?? name;
  } catch {
    return name;
  }
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split("\n")[0]!;
}
