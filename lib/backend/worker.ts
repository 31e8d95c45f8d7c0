// Worker thread: runs kernel calls handed over through a shared control block until told to stop.
import { workerData } from "node:worker_threads";
import { ARGS, DONE, FAILED, OP, OPS, READY, SEQ, STOP } from "./protocol.js";
import { webAssembly, type WasmMemory } from "./wasm.js";

const { module, memory, control } = workerData as { module: object; memory: WasmMemory; control: SharedArrayBuffer };
const ctl = new Int32Array(control);
const exports = new webAssembly.Instance(module, { env: { memory } }).exports;
const fns = OPS.map((name) => exports[name] as (...args: number[]) => void);

Atomics.store(ctl, READY, 1);
Atomics.notify(ctl, READY);

let seen = Atomics.load(ctl, SEQ);
for (;;) {
  Atomics.wait(ctl, SEQ, seen);
  const seq = Atomics.load(ctl, SEQ);
  if (seq === seen) continue;
  seen = seq;
  const op = Atomics.load(ctl, OP);
  if (op === STOP) break;
  try {
    const fn = fns[op]!;
    fn(...Array.from(ctl.subarray(ARGS, ARGS + fn.length)));
    Atomics.store(ctl, FAILED, 0);
  } catch {
    Atomics.store(ctl, FAILED, 1);
  }
  Atomics.store(ctl, DONE, seq);
  Atomics.notify(ctl, DONE);
}
