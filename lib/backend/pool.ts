// Worker-thread pool over the kernels' shared memory: the caller runs one share itself and blocks until the rest finish.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { ARGS, CONTROL_INTS, DONE, FAILED, MAX_ARGS, OP, OPS, READY, SEQ, STOP, type OpName } from "./protocol.js";
import { builtBackendDir, type Kernels } from "./wasm.js";

/** One kernel call: an export name and its integer arguments (pointers are byte offsets into the shared memory). */
export interface Task {
  op: OpName;
  args: number[];
}

interface Helper {
  worker: Worker;
  ctl: Int32Array;
  seq: number;
}

const workerPath = resolve(builtBackendDir, "worker.js");
const defaultThreads = (): number => {
  const env = Number(process.env.GRADLAB_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.min(availableParallelism(), 8);
};

let wanted = defaultThreads();
let helpers: Helper[] = [];
let helpersFor: Kernels | null = null;

/** Threads (the caller included) that kernels may use; 1 turns the pool off. */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setThreads: expected an integer >= 1, got ${n}`);
  wanted = n;
  if (helpers.length > n - 1) {
    for (const h of helpers.slice(n - 1)) stop(h);
    helpers = helpers.slice(0, n - 1);
  }
}

export function threadsWanted(): number {
  return wanted;
}

function stop(h: Helper): void {
  Atomics.store(h.ctl, OP, STOP);
  Atomics.store(h.ctl, SEQ, ++h.seq);
  Atomics.notify(h.ctl, SEQ);
}

function spawn(k: Kernels): void {
  if (helpersFor !== k) {
    for (const h of helpers) stop(h);
    helpers = [];
    helpersFor = k;
  }
  if (!existsSync(workerPath)) return;
  while (helpers.length < wanted - 1) {
    const control = new SharedArrayBuffer(CONTROL_INTS * 4);
    const worker = new Worker(workerPath, { workerData: { module: k.module, memory: k.memory, control } });
    // A worker sleeping in Atomics.wait must never keep the process (or a notebook kernel) alive.
    worker.unref();
    worker.on("error", () => undefined);
    helpers.push({ worker, ctl: new Int32Array(control), seq: 0 });
  }
}

/**
 * Worker threads ready to take a share right now (starting them in the background on first use, so the first large
 * call never waits for thread start-up).
 */
export function readyHelpers(k: Kernels): number {
  if (wanted <= 1) return 0;
  if (helpers.length < wanted - 1 || helpersFor !== k) spawn(k);
  let n = 0;
  while (n < helpers.length && Atomics.load(helpers[n]!.ctl, READY) === 1) n++;
  return n;
}

/** Blocks until every wanted worker is ready or timeoutMs passes; returns how many are ready. */
export function waitForHelpers(k: Kernels, timeoutMs = 10_000): number {
  readyHelpers(k);
  const deadline = Date.now() + timeoutMs;
  for (const h of helpers) {
    while (Atomics.load(h.ctl, READY) !== 1) {
      const left = deadline - Date.now();
      if (left <= 0) return readyHelpers(k);
      Atomics.wait(h.ctl, READY, 0, left);
    }
  }
  return readyHelpers(k);
}

/** Runs tasks[0] on the calling thread and the others on ready workers (at most readyHelpers(k) + 1 tasks). */
export function runParallel(k: Kernels, tasks: Task[]): void {
  const remote = tasks.slice(1);
  if (remote.length > helpers.length) throw new Error(`runParallel: ${tasks.length} tasks, ${helpers.length} workers`);
  remote.forEach((t, i) => {
    const h = helpers[i]!;
    if (t.args.length > MAX_ARGS) throw new Error(`runParallel: ${t.op} has ${t.args.length} args (max ${MAX_ARGS})`);
    Atomics.store(h.ctl, OP, OPS.indexOf(t.op));
    h.ctl.set(t.args, ARGS);
    Atomics.store(h.ctl, SEQ, ++h.seq);
    Atomics.notify(h.ctl, SEQ);
  });
  const first = tasks[0];
  if (first) (k.exports[first.op] as (...a: number[]) => void)(...first.args);
  let failed = "";
  remote.forEach((t, i) => {
    const h = helpers[i]!;
    for (;;) {
      const done = Atomics.load(h.ctl, DONE);
      if (done === h.seq) break;
      Atomics.wait(h.ctl, DONE, done);
    }
    if (Atomics.load(h.ctl, FAILED) === 1) failed = t.op;
  });
  if (failed) throw new Error(`${failed}: kernel failed in a worker thread`);
}
