// glibc's malloc thresholds for tensor-sized buffers: the kernel starts with them in its environment; a plain Node
// script that imports gradlab gets the same settings here (mallopt through koffi) before its first big buffer.
import { createRequire } from "node:module";

/**
 * By default glibc serves a buffer of 128 KiB or more with fresh pages from mmap and soon gives freed memory back to
 * the system, so every big tensor result or copy faults its pages in anew: on this project's VMs moving 8 MiB into a
 * fresh buffer takes 5-9 ms instead of 0.55 ms, and a loop of 256 KiB results pays ~1 ms per result. These settings
 * serve buffers up to 32 MiB from the heap and keep up to 128 MiB freed for reuse; the kernelspec sets them as the
 * environment variables glibc reads at start-up (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`).
 */
export const MALLOC_SETTINGS = {
  MALLOC_MMAP_THRESHOLD_: 32 << 20,
  MALLOC_TRIM_THRESHOLD_: 128 << 20,
} as const;

/** glibc's mallopt parameter numbers (malloc.h). */
const M_MMAP_THRESHOLD = -3, M_TRIM_THRESHOLD = -1;

/** Buffers from this size on are the ones glibc maps fresh by default: the first such one applies the settings. */
export const DEFAULT_MMAP_THRESHOLD_BYTES = 128 << 10;

let state: string | undefined;

/**
 * Applies MALLOC_SETTINGS once per process with mallopt, unless the environment already chose either threshold (the
 * kernel's, or the user's own), the C library is not glibc, or the optional koffi is missing. Returns what holds, for
 * backendInfo().
 */
export function tuneMalloc(): string {
  if (state !== undefined) return state;
  state = apply();
  return state;
}

function apply(): string {
  const chosen = Object.keys(MALLOC_SETTINGS).filter((name) => process.env[name] !== undefined);
  if (chosen.length > 0) return `as the environment sets (${chosen.map((n) => `${n}=${process.env[n]}`).join(", ")})`;
  if (process.platform !== "linux") return "the system's (not glibc)";
  let mallopt: (param: number, value: number) => number;
  try {
    const koffi = createRequire(import.meta.url)("koffi") as { load(path: string): { func(p: string): (...a: number[]) => number } };
    mallopt = koffi.load("libc.so.6").func("int mallopt(int, int)");
  } catch {
    return "the system's (no glibc mallopt reachable)";
  }
  const ok = mallopt(M_MMAP_THRESHOLD, MALLOC_SETTINGS.MALLOC_MMAP_THRESHOLD_) === 1 &&
    mallopt(M_TRIM_THRESHOLD, MALLOC_SETTINGS.MALLOC_TRIM_THRESHOLD_) === 1;
  return ok ? "glibc, set by gradlab: buffers up to 32 MiB from the heap, 128 MiB of freed memory kept"
    : "the system's (glibc refused mallopt)";
}
