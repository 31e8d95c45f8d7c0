// Worker thread that runs cells in its own main realm (so objects from `import ... from "gradlab"` and from cells
// share Array/Float64Array/Object), with console, process.stdout/stderr and the display API routed to the kernel
// thread through one ordered output queue. The kernel thread stays free for heartbeats and interrupts.
import { Console } from "node:console";
import { inspect } from "node:util";
import { performance } from "node:perf_hooks";
import vm from "node:vm";
import { Writable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import type { MimeBundle } from "../interpreter.js";
import { CommManager } from "./comms.js";
import { createDisplayApi, DISPLAY_HANDLES, GRADLAB_DISPLAY_HOOK, toBundle } from "./display_api.js";
import { OutputQueue } from "./output_queue.js";
import { LIBRARY_JS } from "./paths.js";
import { serveRpc } from "./rpc.js";
import { StackMapper } from "./stack_mapper.js";
import { mark } from "../trace.js";
import { formatCpuAndWall, formatTimeit, timeit } from "./timing.js";

// A cell ending in display(x) shows x once; the returned handle is not also its result.
// Library objects that showed themselves already (interact's UI) mark it with Symbol.for("gradlab.shown").
const SHOWN = Symbol.for("gradlab.shown");
const isDisplayHandle = (value: unknown): boolean =>
  typeof value === "object" && value !== null && (DISPLAY_HANDLES.has(value) || (value as Record<symbol, unknown>)[SHOWN] === true);

export interface RunRequest {
  js: string;
  sourceMap: string;
  fileName: string;
  label: string;
  code: string;
  timing?: { mode: "time" } | { mode: "timeit"; loops?: number; repeat?: number };
}
export type RunOutcome =
  | { status: "ok"; result?: MimeBundle }
  | { status: "error"; ename: string; evalue: string; traceback: string[] };

/** flags[0] is 1 while a cell's synchronous part runs under breakOnSigint (the kernel thread may then send SIGINT). */
const { flags } = workerData as { flags: Int32Array };
const port = parentPort!;
const queue = new OutputQueue((items) => port.postMessage({ event: "output", items }));
const mapper = new StackMapper({
  hidden: [dirname(fileURLToPath(import.meta.url))],
  library: [dirname(LIBRARY_JS)],
  debug: process.env.GRADLAB_DEBUG === "1",
});
// The user's frames sit below the library's: V8's default of 10 frames can cut them off.
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 40);

let nextInputId = 1;
const inputWaiters = new Map<number, { resolve(v: string): void; reject(e: Error): void }>();
function requestInput(prompt: string, password: boolean): Promise<string> {
  queue.flush();
  const id = nextInputId++;
  return new Promise((resolve, reject) => {
    inputWaiters.set(id, { resolve, reject });
    port.postMessage({ event: "input", id, prompt, password });
  });
}

const api = createDisplayApi(queue, requestInput);
const comms = new CommManager(queue, (what, error) => queue.stream("stderr", `Error in ${what}:\n${mapper.text(error)}`));
installGlobals();

let interruptCurrent: ((error: Error) => void) | undefined;

class InterruptedError extends Error {
  constructor() {
    super("execution interrupted; variables defined before the interrupt are kept");
    this.name = "Interrupted";
  }
}

async function run(request: RunRequest): Promise<RunOutcome> {
  mark("run begins");
  mapper.register(request.fileName, request.label, request.sourceMap, request.code);
  const interrupted = new Promise<never>((_, reject) => { interruptCurrent = reject; });
  interrupted.catch(() => {});
  try {
    const script = new vm.Script(request.js, {
      filename: request.fileName,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    let stopped = false;
    interrupted.catch(() => { stopped = true; });
    const runOnce = async (interruptible: boolean): Promise<unknown> => {
      // A race with an already settled run would go to the run (it comes first), so a loop of them must look.
      if (stopped) throw new InterruptedError();
      let promise: Promise<{ value: unknown } | undefined>;
      if (interruptible) Atomics.store(flags, 0, 1);
      try {
        promise = script.runInThisContext({ breakOnSigint: interruptible }) as Promise<{ value: unknown } | undefined>;
      } finally {
        if (interruptible) {
          Atomics.store(flags, 0, 0);
          port.postMessage({ event: "syncDone" });
        }
      }
      const completed = await Promise.race([promise, interrupted]);
      const value = completed?.value;
      // A promise as the cell's value is what the user wants to see resolved (`graph(f, x)` without await), as
      // IPython does with a coroutine; a rejection is this cell's error.
      return isThenable(value) ? await Promise.race([Promise.resolve(value), interrupted]) : value;
    };
    let value: unknown;
    const timing = request.timing;
    if (timing?.mode === "timeit") {
      // Only single loops run under breakOnSigint: each such run ends by resetting SIGINT, and a signal landing before
      // the kernel thread re-installs its handler would kill the process. Batches of fast loops stop at the interrupt
      // message instead (the timing loop yields to it).
      const result = await timeit((loops) => runOnce(loops === 1).then(() => undefined), timing);
      queue.stream("stdout", `${formatTimeit(result)}\n`);
    } else if (timing?.mode === "time") {
      const cpu = process.cpuUsage();
      const start = performance.now();
      value = await runOnce(true);
      queue.stream("stdout", formatCpuAndWall(process.cpuUsage(cpu), (performance.now() - start) / 1000));
    } else {
      value = await runOnce(true);
    }
    queue.flush();
    mark("run ends");
    if (value === undefined || isDisplayHandle(value)) return { status: "ok" };
    return { status: "ok", result: toBundle(value) };
  } catch (error) {
    queue.flush();
    if (isSigintInterrupt(error) || error instanceof InterruptedError) {
      const e = new InterruptedError();
      return { status: "error", ename: e.name, evalue: e.message, traceback: [`\x1b[31m${e.name}\x1b[0m: ${e.message}`] };
    }
    return { status: "error", ...mapper.report(error) };
  } finally {
    interruptCurrent = undefined;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function isSigintInterrupt(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
}

function evaluateExpressions(expressions: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, expression] of Object.entries(expressions)) {
    try {
      out[key] = { status: "ok", data: toBundle(vm.runInThisContext(expression)), metadata: {} };
    } catch (error) {
      out[key] = { status: "error", ...mapper.report(error) };
    }
  }
  return out;
}

/** One line per value for %whos. */
function describeValues(names: string[]): Record<string, string> {
  const g = globalThis as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const name of names) {
    try {
      out[name] = inspect(g[name], { depth: 0, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 60 });
    } catch {
      out[name] = "(cannot be shown)";
    }
  }
  return out;
}

/** %env: list (no arguments), read (NAME) or set (NAME=VALUE or NAME VALUE) this thread's environment. */
function envMagic(args: string): { text: string } | { error: string } {
  const trimmed = args.trim();
  if (trimmed === "") return { text: Object.keys(process.env).sort().map((k) => `${k}=${process.env[k]}`).join("\n") };
  const m = /^([^\s=]+)\s*(?:=\s*|\s+)(.*)$/.exec(trimmed);
  if (m) {
    process.env[m[1]!] = m[2]!;
    return { text: `env: ${m[1]}=${m[2]}` };
  }
  const value = process.env[trimmed];
  return value === undefined ? { error: `Environment does not have key: ${trimmed}` } : { text: value };
}

function installGlobals(): void {
  const write = (name: "stdout" | "stderr") => (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    api.stream(name, text);
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") process.nextTick(done as () => void);
    return true;
  };
  const stream = (name: "stdout" | "stderr") => new Writable({
    decodeStrings: false,
    write: (chunk: unknown, encoding: BufferEncoding, callback: () => void) => write(name)(chunk, encoding, callback),
  });
  process.stdout.write = write("stdout") as typeof process.stdout.write;
  process.stderr.write = write("stderr") as typeof process.stderr.write;
  globalThis.console = new Console({ stdout: stream("stdout"), stderr: stream("stderr") });
  // vm's main-context loader for import() is flagged experimental in Node 20; the warning is noise in a notebook.
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes("USE_MAIN_CONTEXT_DEFAULT_LOADER")) return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
  const refuse = (what: string) => () => {
    throw new Error(`${what} is disabled in gradlab cells: it would stop the kernel. Use "Restart kernel" instead.`);
  };
  process.exit = refuse("process.exit()") as typeof process.exit;
  process.abort = refuse("process.abort()") as typeof process.abort;
  // Errors outside the running cell's promise chain are reported as stderr (of the running cell, or of the next one).
  process.on("uncaughtException", (error) => queue.stream("stderr", `Uncaught exception (in a timer or callback):\n${mapper.text(error)}`));
  process.on("unhandledRejection", (reason) => queue.stream("stderr", `Unhandled promise rejection:\n${mapper.text(reason)}`));
  const g = globalThis as Record<string | symbol, unknown>;
  g.display = api.display;
  g.clearOutput = api.clearOutput;
  g.input = api.input;
  g.password = api.password;
  g[GRADLAB_DISPLAY_HOOK] = api.hook;
  g[Symbol.for("gradlab.comms")] = comms;
}

serveRpc(port, {
  run: (request: RunRequest) => run(request),
  evaluate: (expressions: Record<string, string>) => evaluateExpressions(expressions),
  describe: (names: string[]) => describeValues(names),
  forget: (names: string[]) => {
    const g = globalThis as Record<string, unknown>;
    for (const name of names) delete g[name];
  },
  env: (args: string) => envMagic(args),
}, (event) => {
  const message = event as {
    event?: string; id?: number; value?: string; error?: string;
    msgType?: "comm_open" | "comm_msg" | "comm_close"; content?: Record<string, unknown>; metadata?: Record<string, unknown>; token?: number;
  };
  if (message.event === "interrupt") interruptCurrent?.(new InterruptedError());
  if (message.event === "comm" && message.msgType && message.content) comms.receive(message.msgType, message.content, message.metadata ?? {}, message.token);
  if (message.event === "inputReply" && message.id !== undefined) {
    const waiter = inputWaiters.get(message.id);
    inputWaiters.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.value ?? "");
  }
});
port.postMessage({ event: "ready" });

