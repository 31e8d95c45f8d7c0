// Worker thread hosting the TypeScript compiler, so loading TypeScript and type-checking never block the kernel thread.
import { parentPort, workerData } from "node:worker_threads";
import { CellCompiler } from "./compiler.js";
import { complete, inspect, isComplete } from "./language_features.js";
import { serveRpc } from "./rpc.js";

const { cwd } = workerData as { cwd: string };
const port = parentPort!;

const ts = (await import("typescript")).default;
const compiler = new CellCompiler(ts, cwd);

serveRpc(port, {
  compile: (code: string) => compiler.compile(code),
  complete: (code: string, cursor: number) => complete(compiler, code, cursor),
  inspect: (code: string, cursor: number) => inspect(compiler, code, cursor),
  isComplete: (code: string) => isComplete(ts, code),
  reset: () => compiler.reset(),
  warmUp: () => compiler.warmUp(),
});
port.postMessage({ event: "ready" });
