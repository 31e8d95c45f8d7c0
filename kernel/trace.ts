// Round-trip profiling: with GRADLAB_TRACE=<file> set, the kernel thread and the engine workers append one line per
// mark ("<epoch ms> <thread> <mark>") to that file; bench/kernel_profile.ts turns them into a per-phase breakdown.
// Off (the default), a mark is one boolean test.
import { appendFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { isMainThread, threadId } from "node:worker_threads";

const FILE = process.env.GRADLAB_TRACE || undefined;
const THREAD = isMainThread ? "kernel" : `worker${threadId}`;

export const tracing = FILE !== undefined;

/** Epoch milliseconds: each thread's performance.now() has its own origin, so lines of different threads compare only in this form. */
export function mark(label: string): void {
  if (FILE === undefined) return;
  // Synchronous and unbuffered, so the marks of a thread that is killed are not lost; ~20 µs each, noted in the report.
  appendFileSync(FILE, `${(performance.timeOrigin + performance.now()).toFixed(3)} ${THREAD} ${label}\n`);
}
