// Worker thread hosting the TypeScript compiler, so loading TypeScript and type-checking never block the kernel thread.
import { parentPort, workerData } from "node:worker_threads";
import { CellCompiler } from "./compiler.js";
import { complete, inspect, isComplete, languageWarmUpSteps } from "./language_features.js";
import { serveRpc, type Handlers } from "./rpc.js";
import { mark } from "../trace.js";
import ts, { saveTypeScriptCodeCache } from "./typescript.js";

const { cwd } = workerData as { cwd: string };
const port = parentPort!;

const compiler = new CellCompiler(ts, cwd);

/**
 * Work for when nobody is waiting: it runs once the compiler has had no request for IDLE_MS, one step per event-loop
 * turn, so a request arriving meanwhile waits for one step at most and postpones the rest. Never on a cold start's
 * path, and never between the back-to-back cells of a notebook run.
 */
const IDLE_MS = 250;
const idleSteps: (() => void)[] = languageWarmUpSteps(compiler, 8);
let idleTimer: NodeJS.Timeout | undefined;
function busy(): void {
  clearTimeout(idleTimer);
  if (idleSteps.length > 0) idleTimer = setTimeout(runIdleStep, IDLE_MS).unref();
}
function runIdleStep(): void {
  idleSteps.shift()?.();
  if (idleSteps.length > 0) idleTimer = setTimeout(runIdleStep, 0).unref();
}

const handlers: Handlers = {
  compile: (code: string, label?: string) => {
    mark("compile begins");
    const result = compiler.compile(code, label);
    mark("compile ends");
    // After the reply is posted (serveRpc awaits this handler), while the executor runs the cell.
    if (result.ok) setImmediate(() => {
      compiler.prepareNextCell();
      mark("next cell prepared");
    });
    return result;
  },
  complete: (code: string, cursor: number) => complete(compiler, code, cursor),
  inspect: (code: string, cursor: number, detail?: number) => inspect(compiler, code, cursor, detail ?? 0),
  scopeNames: () => compiler.scopeNames(),
  compilerOptions: (changes: string) => compiler.compilerOptions(changes),
  isComplete: (code: string) => isComplete(ts, code),
  reset: () => compiler.reset(),
  warmUp: () => {
    compiler.warmUp();
    // A cell that arrived meanwhile is handled first (queued messages come before immediates), without Node's types.
    setImmediate(() => compiler.loadNodeTypes());
    // After the warm-up, so the functions it compiled are in the cache; a little later, off the first cell's path.
    setTimeout(saveTypeScriptCodeCache, 3000).unref();
  },
};
// Timed from the end of each request (warm-up included), so idle work never runs ahead of a queued request.
serveRpc(port, Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, (...args: never[]) => {
  try {
    return handler(...args);
  } finally {
    busy();
  }
}])));

port.postMessage({ event: "ready" });
