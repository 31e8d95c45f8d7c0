// Shared job board through which the calling thread and the worker threads split one kernel call into chunks.
//
// The caller writes the chunk table, then publishes the job in CLAIM; every thread (the caller included) claims chunk
// indices with compare-and-swap on CLAIM, runs them, and counts them in DONE. The caller waits only for chunks that
// were actually claimed, so a worker that wakes late (busy machine) costs nothing: the caller simply does more chunks.

/** Int32 slots of the board header. */
export const WAKE = 0; // bumped (and notified) by the caller for each job and for stop
export const CLAIM = 1; // job id << 16 | chunk count << 8 | next chunk index
export const DONE = 2; // chunks finished in the current job
export const FAILED = 3; // set to 1 when a chunk threw in a worker
export const STOPPING = 4; // 1 tells workers to exit
export const READY = 5; // number of workers that have instantiated the kernels
export const HELPED = 6; // chunks run by workers so far (for tests and diagnostics)
export const HEADER_INTS = 8;

export const MAX_CHUNKS = 255;
export const MAX_ARGS = 12;
/** Each chunk row: op index, then up to MAX_ARGS integer arguments. */
export const ROW_INTS = 1 + MAX_ARGS;
export const BOARD_INTS = HEADER_INTS + MAX_CHUNKS * ROW_INTS;

/** Kernel exports the pool can run, by index; the GEMMs get the running thread's packing scratch appended. */
export const OPS = ["sgemm", "dgemm", "sgemm_packed_b", "dgemm_packed_b", "unary_f64", "unary_f32", "adam_f64",
  "adam_f32"] as const;
export type OpName = (typeof OPS)[number];
export const NEEDS_SCRATCH: readonly boolean[] = [true, true, true, true, false, false, false, false];

export const claimWord = (job: number, count: number, next: number): number => (job << 16) | (count << 8) | next;

/**
 * Claims the next chunk of the current job, or returns -1 when none is left. Safe against a job change: a claim only
 * succeeds on the exact word it read, and a job is never replaced while one of its claimed chunks is unfinished.
 */
export function claim(board: Int32Array): number {
  for (;;) {
    const word = Atomics.load(board, CLAIM);
    const count = (word >>> 8) & 0xff, next = word & 0xff;
    if (next >= count) return -1;
    if (Atomics.compareExchange(board, CLAIM, word, word + 1) === word) return next;
  }
}

/** Runs every chunk this thread can claim; returns how many it ran. */
export function drain(board: Int32Array, fns: readonly ((...a: number[]) => void)[], scratch: number): number {
  let ran = 0;
  for (let i = claim(board); i >= 0; i = claim(board)) {
    const row = HEADER_INTS + i * ROW_INTS;
    const op = board[row]!;
    const fn = fns[op]!;
    const argc = NEEDS_SCRATCH[op] ? fn.length - 1 : fn.length;
    const args = Array.from(board.subarray(row + 1, row + 1 + argc));
    if (NEEDS_SCRATCH[op]) args.push(scratch);
    try {
      fn(...args);
    } finally {
      Atomics.add(board, DONE, 1);
      Atomics.notify(board, DONE);
    }
    ran++;
  }
  return ran;
}
