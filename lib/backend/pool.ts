// Worker-thread pool over the kernels' shared memory: a call is split into chunks that the caller and the workers
// claim from a shared board; the caller blocks only until the chunks someone actually started are finished.
import { existsSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { BOARD_INTS, claim, claimWord, CLAIM, DONE, drain, FAILED, HEADER_INTS, HELPED, MAX_ARGS, MAX_CHUNKS, NEEDS_SCRATCH,
  OPS, READY, ROW_INTS, STOPPING, WAKE, type OpName } from "./job_board.js";
import { scratchOffset } from "./storage.js";
import { builtBackendDir, type Kernels } from "./wasm.js";

/** One piece of a kernel call: an export name and its integer arguments (pointers are byte offsets into the shared
 * memory); GEMM chunks leave out the trailing scratch pointer, which the running thread supplies. */
export interface Chunk {
  op: OpName;
  args: number[];
}

const workerPath = resolve(builtBackendDir, "worker.js");
const defaultThreads = (): number => {
  const env = Number(process.env.GRADLAB_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.min(availableParallelism(), 8);
};

let wanted = defaultThreads();
let workers: Worker[] = [];
let board: Int32Array | null = null;
let boardFor: Kernels | null = null;
let job = 0;
let callerWorks = true;
let adaptive = true;

/** Test hook: with false the calling thread only waits, so every chunk of a split call runs in a worker. */
export function setCallerWorks(works: boolean): void {
  callerWorks = works;
}

/** Test hook: with false, calls are split whenever workers are ready, however busy the machine (see machineBusy). */
export function setAdaptive(on: boolean): void {
  adaptive = on;
  backOff = new SplitBackOff();
}

/** Chunks the current workers have run so far. */
export function chunksRunByWorkers(): number {
  return board ? Atomics.load(board, HELPED) : 0;
}

/** Threads (the caller included) that kernels may use; 1 turns the pool off. */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setThreads: expected an integer >= 1, got ${n}`);
  // One thread keeps idle workers around (benchmarks flip between 1 and all); fewer but several restarts the pool.
  if (n > 1 && n < workers.length + 1) stopAll();
  wanted = n;
}

export function threadsWanted(): number {
  return wanted;
}

function stopAll(): void {
  if (board) {
    Atomics.store(board, STOPPING, 1);
    Atomics.add(board, WAKE, 1);
    Atomics.notify(board, WAKE);
  }
  workers = [];
  board = null;
  boardFor = null;
}

function ensureWorkers(k: Kernels): void {
  if (boardFor !== k) stopAll();
  if (wanted <= 1 || workers.length >= wanted - 1 || !existsSync(workerPath)) return;
  if (!board) {
    board = new Int32Array(new SharedArrayBuffer(BOARD_INTS * 4));
    boardFor = k;
  }
  while (workers.length < wanted - 1) {
    const scratch = scratchOffset(k, workers.length + 1);
    const worker = new Worker(workerPath, { workerData: { module: k.module, memory: k.memory, board: board.buffer, scratch } });
    // A worker sleeping in Atomics.wait must never keep the process (or a notebook kernel) alive.
    worker.unref();
    worker.on("error", () => undefined);
    workers.push(worker);
  }
}

/** Worker threads ready to help right now (they start in the background on first use, so no call waits for them). */
export function readyHelpers(k: Kernels): number {
  if (wanted <= 1) return 0;
  ensureWorkers(k);
  if (adaptive && machineBusy()) return 0;
  return board ? Math.min(Atomics.load(board, READY), workers.length) : 0;
}

/** Blocks until every wanted worker is ready or timeoutMs passes; returns how many are ready. */
export function waitForHelpers(k: Kernels, timeoutMs = 10_000): number {
  ensureWorkers(k);
  const deadline = Date.now() + timeoutMs;
  while (board && Atomics.load(board, READY) < workers.length) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    Atomics.wait(board, READY, Atomics.load(board, READY), left);
  }
  return board ? Math.min(Atomics.load(board, READY), workers.length) : 0;
}

// With every core taken by other processes a worker only gets a core after a scheduler time slice, and the caller
// waits for it: splitting then makes calls slower, never faster. Busy = other processes keep more than cores - 1 cores
// busy: the 1-minute load average (read at most every 200 ms) less this process's own share of it. That share is our
// CPU time averaged the way the kernel averages the load (a one-minute exponential decay): counting it as `wanted`
// threads instead misjudged both ways, since the native BLAS's threads keep spinning after a product (the load then
// rose above the limit from our own work alone, and the pool stopped splitting in the middle of a training loop).
// The load average still carries a process that has just ended (a test run, the previous script) for a minute, so it
// must also be true now: since the previous sample the others took at least half of the cores we could split over,
// by the host's CPU counters (busy time of every CPU less our own). The load average is still needed for the rest: CPU
// time says what the others got, not how many of their threads wait for a core.
// Both cover every CPU of the host, so with a CPU set smaller than the host (containers) the others' part of each is
// scaled to our share of the CPUs.
/** Judges from samples of the load average and of CPU time (the host's, this process's) whether other processes take the cores. */
export class BusyJudge {
  /** Counter samples closer together than this say little (the host's counters tick every 10 ms per CPU). */
  static readonly MIN_WINDOW_MS = 100;
  private ownLoad = 0;
  /** Cores the other processes used over the last window; unknown (so not a reason to split) before the first. */
  private othersNow = Infinity;
  private countersAtMs: number;
  private hostBusyMs: number;
  private countersOwnMicros: number;

  /**
   * `share`: the part of the host's CPUs this process may run on (1 unless a CPU set restricts it). `hostBusyMs`: the
   * host's busy CPU time summed over its CPUs; `cpuMicros`: this process's CPU time (both from any fixed origin).
   */
  constructor(private readonly cores: number, private readonly share: number, private atMs: number, private cpuMicros: number,
    hostBusyMs: number) {
    this.countersAtMs = atMs;
    this.hostBusyMs = hostBusyMs;
    this.countersOwnMicros = cpuMicros;
  }

  /** A sample at `nowMs`: the counters as in the constructor and the load average (of the whole host). */
  busy(nowMs: number, cpuMicros: number, load: number, hostBusyMs: number): boolean {
    const elapsed = nowMs - this.atMs;
    if (elapsed > 0) {
      const usedCores = (cpuMicros - this.cpuMicros) / 1000 / elapsed;
      const keep = Math.exp(-elapsed / 60_000);
      this.ownLoad = this.ownLoad * keep + usedCores * (1 - keep);
      this.atMs = nowMs;
      this.cpuMicros = cpuMicros;
    }
    const window = nowMs - this.countersAtMs;
    if (window >= BusyJudge.MIN_WINDOW_MS) {
      const othersMs = hostBusyMs - this.hostBusyMs - (cpuMicros - this.countersOwnMicros) / 1000;
      this.othersNow = (othersMs * this.share) / window;
      this.countersAtMs = nowMs;
      this.hostBusyMs = hostBusyMs;
      this.countersOwnMicros = cpuMicros;
    }
    return (load - this.ownLoad) * this.share > this.cores - 1 && this.othersNow > (this.cores - 1) / 2;
  }
}

const cores = availableParallelism();
const hostCpus = cpus();
const cpuShare = Math.min(1, cores / Math.max(1, hostCpus.length));
const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
/** The host's busy CPU time so far, in ms summed over its CPUs. */
function hostBusyMs(list = cpus()): number {
  let ms = 0;
  for (const { times: t } of list) ms += t.user + t.nice + t.sys + t.irq;
  return ms;
}
const judge = new BusyJudge(cores, cpuShare, performance.now(), cpuMicros(), hostBusyMs(hostCpus));
let busy = false;
let busyCheckedAt = -Infinity;
function machineBusy(): boolean {
  const now = performance.now();
  if (now - busyCheckedAt > 200) {
    busyCheckedAt = now;
    busy = judge.busy(now, cpuMicros(), loadavg()[0]!, hostBusyMs());
  }
  return busy;
}

// Back-off for busy machines: when a worker that claimed a chunk gets descheduled, the caller waits for it and a split
// call ends up slower than doing it alone. Two such losses in a row turn splitting off for a while, so kernels are
// never much slower than single-threaded; a win resets it. The while is a time (16 ms, doubling up to about a second
// while losses go on), not a number of calls: counted in calls, one unlucky pair of 100 ms products kept the next
// sixteen (1.6 s) on one core, and a later pair over a minute.
export class SplitBackOff {
  static readonly FIRST_MS = 16;
  static readonly LONGEST_MS = 1024;
  private losses = 0;
  private splitAgainAt = -Infinity;
  private backOffMs = SplitBackOff.FIRST_MS;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** True while splitting is off. */
  active(): boolean {
    return this.now() < this.splitAgainAt;
  }

  /** After a split call: the caller's own time, the call's total, and what the caller alone would have taken. */
  judge(callerMs: number, totalMs: number, aloneMs: number): void {
    if (totalMs <= aloneMs || totalMs - callerMs < 0.05) {
      this.losses = 0;
      this.backOffMs = SplitBackOff.FIRST_MS;
      return;
    }
    if (++this.losses >= 2) {
      this.losses = 0;
      this.splitAgainAt = this.now() + this.backOffMs;
      this.backOffMs = Math.min(SplitBackOff.LONGEST_MS, this.backOffMs * 2);
    }
  }
}
let backOff = new SplitBackOff();

const mainFns = new WeakMap<Kernels, ((...a: number[]) => void)[]>();
function fnsOf(k: Kernels): ((...a: number[]) => void)[] {
  let fns = mainFns.get(k);
  if (!fns) {
    fns = OPS.map((name) => k.exports[name] as unknown as (...a: number[]) => void);
    mainFns.set(k, fns);
  }
  return fns;
}

/** Runs the chunks (in any order, possibly concurrently) and returns when all are done. */
export function runChunks(k: Kernels, chunks: Chunk[]): void {
  const fns = fnsOf(k);
  const scratch = scratchOffset(k, 0);
  if (chunks.length <= 1 || readyHelpers(k) === 0 || !board || (adaptive && backOff.active())) {
    for (const c of chunks) {
      const op = OPS.indexOf(c.op);
      fns[op]!(...c.args, ...(NEEDS_SCRATCH[op] ? [scratch] : []));
    }
    return;
  }
  if (chunks.length > MAX_CHUNKS) throw new Error(`runChunks: ${chunks.length} chunks (max ${MAX_CHUNKS})`);
  const b = board;
  chunks.forEach((c, i) => {
    if (c.args.length > MAX_ARGS) throw new Error(`runChunks: ${c.op} has ${c.args.length} args (max ${MAX_ARGS})`);
    const row = HEADER_INTS + i * ROW_INTS;
    b[row] = OPS.indexOf(c.op);
    b.set(c.args, row + 1);
  });
  Atomics.store(b, DONE, 0);
  Atomics.store(b, FAILED, 0);
  job = (job + 1) & 0x7fff;
  Atomics.store(b, CLAIM, claimWord(job, chunks.length, 0));
  Atomics.add(b, WAKE, 1);
  Atomics.notify(b, WAKE);
  let error: unknown;
  let ran = 0;
  const t0 = performance.now();
  try {
    if (callerWorks) ran = drain(b, fns, scratch);
  } catch (err) {
    error = err;
    // Cancel what nobody has started, so the wait below only covers chunks that are running.
    while (claim(b) >= 0) Atomics.add(b, DONE, 1);
  }
  const t1 = performance.now();
  for (let done = Atomics.load(b, DONE); done < chunks.length; done = Atomics.load(b, DONE)) {
    Atomics.wait(b, DONE, done);
  }
  if (adaptive && ran > 0) backOff.judge(t1 - t0, performance.now() - t0, (t1 - t0) * (chunks.length / ran));
  if (error !== undefined) throw error;
  if (Atomics.load(b, FAILED) === 1) throw new Error(`${chunks[0]!.op}: kernel failed in a worker thread`);
}
