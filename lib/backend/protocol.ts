// Layout of the shared control block through which the main thread hands one kernel call to a worker thread.

/** Int32 slots of a worker's control block. */
export const SEQ = 0; // bumped by the main thread for each task (and for stop)
export const DONE = 1; // set by the worker to the finished task's SEQ
export const READY = 2; // 1 once the worker has instantiated the kernels
export const FAILED = 3; // 1 when the last task threw
export const OP = 4; // index into OPS, or STOP
export const ARGS = 5; // first of MAX_ARGS integer arguments
export const MAX_ARGS = 12;
export const CONTROL_INTS = ARGS + MAX_ARGS;

/** Kernel exports a worker may be asked to run, by index. */
export const OPS = ["sgemm", "dgemm", "exp_f64", "exp_f32"] as const;
export type OpName = (typeof OPS)[number];
export const STOP = -1;
