// Worker thread: sleeps on the shared job board and helps with every job's chunks until told to stop.
import { workerData } from "node:worker_threads";
import { drain, FAILED, HELPED, OPS, READY, STOPPING, WAKE } from "./job_board.js";
import { webAssembly, type WasmMemory } from "./wasm.js";

const { module, memory, board: boardBuffer, scratch } =
  workerData as { module: object; memory: WasmMemory; board: SharedArrayBuffer; scratch: number };
const board = new Int32Array(boardBuffer);
const exports = new webAssembly.Instance(module, { env: { memory } }).exports;
const fns = OPS.map((name) => exports[name] as (...args: number[]) => void);

let seen = Atomics.load(board, WAKE);
Atomics.add(board, READY, 1);
Atomics.notify(board, READY);

for (;;) {
  Atomics.wait(board, WAKE, seen);
  seen = Atomics.load(board, WAKE);
  if (Atomics.load(board, STOPPING) === 1) break;
  try {
    Atomics.add(board, HELPED, drain(board, fns, scratch));
  } catch {
    Atomics.store(board, FAILED, 1);
  }
}
