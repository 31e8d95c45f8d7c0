// Worker thread hosting the TypeScript compiler, so loading TypeScript and type-checking never block the kernel thread.
import { register } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import { serveRpc } from "./rpc.js";
import ts, { saveTypeScriptCodeCache } from "./typescript.js";

// Before anything imports "typescript" as an ES module (see typescript_hooks.ts); hence the dynamic imports below.
register?.("./typescript_hooks.js", import.meta.url);
const { CellCompiler } = await import("./compiler.js");
const { complete, inspect, isComplete } = await import("./language_features.js");

const { cwd } = workerData as { cwd: string };
const port = parentPort!;

const compiler = new CellCompiler(ts, cwd);

serveRpc(port, {
  compile: (code: string) => {
    const result = compiler.compile(code);
    // After the reply is posted (serveRpc awaits this handler), while the executor runs the cell.
    if (result.ok) setImmediate(() => compiler.prepareNextCell());
    return result;
  },
  complete: (code: string, cursor: number) => complete(compiler, code, cursor),
  inspect: (code: string, cursor: number) => inspect(compiler, code, cursor),
  isComplete: (code: string) => isComplete(ts, code),
  reset: () => compiler.reset(),
  warmUp: () => {
    compiler.warmUp();
    // After the warm-up, so the functions it compiled are in the cache; a little later, off the first cell's path.
    setTimeout(saveTypeScriptCodeCache, 3000).unref();
  },
});
port.postMessage({ event: "ready" });
