// Starts the compiler worker thread. Loading TypeScript and parsing Node's types is most of a cold start, so the
// `gradlab kernel` executable starts the thread before loading the rest of the kernel (prestartCompilerThread) and
// the interpreter adopts it.
import { Worker } from "node:worker_threads";
import { workerUrl } from "./paths.js";

let prestarted: { worker: Worker; cwd: string } | undefined;

export function prestartCompilerThread(cwd: string): void {
  if (prestarted) return;
  const worker = spawn(cwd);
  // Until the interpreter adopts it, the thread must not keep a failing start (a bad connection file) alive.
  worker.unref();
  prestarted = { worker, cwd };
}

/** The prestarted thread if it serves this folder (once), otherwise a new one. */
export function startCompilerThread(cwd: string): Worker {
  const early = prestarted;
  prestarted = undefined;
  if (early?.cwd === cwd) {
    early.worker.ref();
    return early.worker;
  }
  void early?.worker.terminate();
  return spawn(cwd);
}

function spawn(cwd: string): Worker {
  return new Worker(workerUrl("compiler_worker"), { workerData: { cwd } });
}
