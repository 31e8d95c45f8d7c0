// The TypeScript interpreter behind the kernel (kernel/interpreter.ts): type-checks and compiles cells in a compiler
// worker, runs them in an executor worker, and relays their output in order. This thread never runs user code, so
// it keeps answering heartbeats and control messages while a cell loops forever.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type {
  CommMsgType, CommPublish, CompleteReply, ExecuteContext, ExecuteOutcome, ExecuteRequest, InspectReply, Interpreter, IsCompleteReply,
  KernelInfo,
} from "../interpreter.js";
import type { CompileResult } from "./compiler.js";
import type { RunOutcome, RunRequest } from "./executor_worker.js";
import type { OutputItem } from "./output_queue.js";
import { startCompilerThread } from "./compiler_thread.js";
import { runHelp, runMagic, type MagicHost } from "./magic_runner.js";
import { parseCell } from "./magics.js";
import { PACKAGE_ROOT, workerUrl } from "./paths.js";
import { RpcClient } from "./rpc.js";
import { mark } from "../trace.js";

export interface TypeScriptInterpreterOptions {
  /** The notebook's folder: npm packages and relative imports resolve from here (default: process.cwd()). */
  cwd?: string;
  /** After an interrupt, how long a cell may keep running before the executor is restarted (variables lost). */
  hardInterruptMs?: number;
}

interface RunningCell { ctx: ExecuteContext; interrupted: boolean; signalled: boolean; running: boolean }

/** How many recent frontend comm messages can still be answered as their children. */
const COMM_REPLY_MEMORY = 1024;

/** Output arriving between cells waits for the next one; beyond this many characters the oldest is dropped. */
const PENDING_LIMIT = 4 << 20;

export function createTypeScriptInterpreter(options: TypeScriptInterpreterOptions = {}): Interpreter {
  return new TypeScriptInterpreter(options);
}

class TypeScriptInterpreter implements Interpreter {
  private readonly cwd: string;
  private compiler?: { worker: Worker; rpc: RpcClient };
  private executor?: { worker: Worker; rpc: RpcClient; flags: Int32Array };
  private current?: RunningCell;
  /** Open comms, whichever side opened them: id -> target name (comm_info_request; unknown ids are dropped). */
  private readonly comms = new Map<string, string>();
  /** Publishes comm messages the cells' code sends between cells: parented to the frontend's latest comm message,
   *  or to nothing before the first one. */
  private commPublish?: CommPublish;
  /** Publishers of recent frontend comm messages by token, so an answer (a widget's echo_update) is their child. */
  private readonly commReplies = new Map<number, CommPublish>();
  private commTokens = 0;
  /** Output produced between cells (timers, late rejections): shown at the start of the next cell. */
  private pending: OutputItem[] = [];
  private readonly packageVersion: string;
  private readonly typescriptVersion: string;

  constructor(private readonly options: TypeScriptInterpreterOptions) {
    this.cwd = options.cwd ?? process.cwd();
    this.packageVersion = readJson(join(PACKAGE_ROOT, "package.json")).version ?? "0.0.0";
    const require = createRequire(join(PACKAGE_ROOT, "package.json"));
    this.typescriptVersion = readJson(require.resolve("typescript/package.json")).version ?? "5";
    void this.start();
  }

  /** Idempotent; the constructor already called it, so TypeScript loads while the kernel binds its sockets. */
  async start(): Promise<void> {
    if (!this.compiler) this.startCompiler();
    if (!this.executor) this.startExecutor();
  }

  async execute(request: ExecuteRequest, ctx: ExecuteContext): Promise<ExecuteOutcome> {
    const cell: RunningCell = { ctx, interrupted: false, signalled: false, running: false };
    this.current = cell;
    this.deliver(this.pending.splice(0));
    try {
      if (request.code.trim() === "") return { status: "ok" };
      const parsed = parseCell(request.code);
      const outcome = parsed.kind === "code"
        ? await this.runCode(request.code, request, cell)
        : parsed.kind === "help"
          ? await runHelp(this.magicHost(request, cell), parsed.target, parsed.detail)
          : await runMagic(this.magicHost(request, cell), parsed);
      if (outcome.status === "error" || Object.keys(request.userExpressions).length === 0) return outcome;
      const executor = this.executor ?? this.startExecutor();
      return { ...outcome, userExpressions: await executor.rpc.call<Record<string, unknown>>("evaluate", request.userExpressions) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return { status: "error", ename: e.name, evalue: e.message, traceback: [`\x1b[31m${e.name}\x1b[0m: ${e.message}`] };
    } finally {
      this.current = undefined;
    }
  }

  /** `code` is the cell's text or, in a magic's cell, that text with the magic blanked out (same positions). */
  private async runCode(code: string, request: ExecuteRequest, cell: RunningCell, timing?: RunRequest["timing"]): Promise<ExecuteOutcome> {
    const label = `In[${request.executionCount}]`;
    mark("compile requested");
    const compiled = await this.compilerRpc().call<CompileResult>("compile", code, label);
    mark("compile answered");
    for (const notice of compiled.notices ?? []) cell.ctx.stream("stderr", notice);
    if (!compiled.ok) return compileError(compiled.diagnostics);
    if (cell.interrupted) return interruptedOutcome();
    const executor = this.executor ?? this.startExecutor();
    // Tracebacks quote the cell as the user wrote it; the blanked magic has the same lines and columns.
    const run: RunRequest = { js: compiled.js, sourceMap: compiled.sourceMap, fileName: compiled.fileName, code: request.code, label, timing };
    cell.running = true;
    mark("run requested");
    const outcome = await executor.rpc.call<RunOutcome>("run", run);
    mark("run answered");
    if (outcome.status === "error") return outcome;
    return { status: "ok", result: outcome.result && { data: outcome.result, metadata: {} } };
  }

  private magicHost(request: ExecuteRequest, cell: RunningCell): MagicHost {
    return {
      ctx: cell.ctx,
      compiler: (method, ...args) => this.compilerRpc().call(method, ...args),
      executor: (method, ...args) => (this.executor ?? this.startExecutor()).rpc.call(method, ...args),
      runCode: (code, timing) => this.runCode(code, request, cell, timing),
    };
  }

  /** In a magic's cell, completion and help work on the code around the magic, at the same positions. */
  complete(code: string, cursorPos: number): Promise<CompleteReply> {
    return this.compilerRpc().call<CompleteReply>("complete", codeOf(code), cursorPos);
  }

  inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectReply> {
    return this.compilerRpc().call<InspectReply>("inspect", codeOf(code), cursorPos, detailLevel);
  }

  isComplete(code: string): Promise<IsCompleteReply> {
    const parsed = parseCell(code);
    if (parsed.kind === "help") return Promise.resolve({ status: "complete" });
    // A cell magic's body goes on until an empty line, as in IPython's console.
    if (parsed.kind === "magic" && parsed.cell) return Promise.resolve(/\n[ \t]*\n?$/.test(code) && code.trim().includes("\n") ? { status: "complete" } : { status: "incomplete", indent: "" });
    if (parsed.kind === "magic" && parsed.code.trim() === "") return Promise.resolve({ status: "complete" });
    return this.compilerRpc().call<IsCompleteReply>("isComplete", parsed.kind === "magic" ? parsed.code : code);
  }

  kernelInfo(): KernelInfo {
    return {
      implementation: "gradlab",
      implementation_version: this.packageVersion,
      language_info: {
        name: "typescript",
        version: this.typescriptVersion,
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { name: "javascript", typescript: true },
        pygments_lexer: "typescript",
      },
      banner: `gradlab ${this.packageVersion}: TypeScript ${this.typescriptVersion} on Node.js ${process.version}, with autodiff (import { grad } from "gradlab")`,
      help_links: [
        { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
        { text: "Node.js API", url: "https://nodejs.org/api/" },
      ],
    };
  }

  interrupt(): void {
    const cell = this.current;
    if (!cell) return;
    cell.interrupted = true;
    const executor = this.executor;
    if (!executor) return;
    executor.worker.postMessage({ event: "interrupt" });
    // A synchronous loop only stops through V8's SIGINT watchdog (vm breakOnSigint). Signal once per cell: the
    // kernel's own SIGINT handler calls interrupt() again, and must not start a loop of signals.
    if (Atomics.load(executor.flags, 0) === 1 && !cell.signalled) {
      cell.signalled = true;
      if (process.listenerCount("SIGINT") === 0) process.on("SIGINT", () => {});
      process.kill(process.pid, "SIGINT");
    }
    // Only a cell the executor is running can ignore the interrupt (a compile in progress just ends it early).
    if (!cell.running) return;
    const limit = this.options.hardInterruptMs ?? 5000;
    setTimeout(() => {
      if (this.current === cell && this.executor === executor) {
        this.emit({ kind: "stream", name: "stderr", text: "The cell did not stop after the interrupt; restarting the execution thread (all variables are lost).\n" });
        void executor.worker.terminate();
      }
    }, limit).unref();
  }

  handleComm(kind: CommMsgType, content: Record<string, unknown>, metadata: Record<string, unknown>, publish: CommPublish): boolean {
    const executor = this.executor;
    const id = String(content.comm_id ?? "");
    if (!executor || !id || (kind !== "comm_open" && !this.comms.has(id))) return false;
    this.commPublish = publish;
    if (kind === "comm_open") this.comms.set(id, String(content.target_name ?? ""));
    else if (kind === "comm_close") this.comms.delete(id);
    const token = ++this.commTokens;
    this.commReplies.set(token, publish);
    // Answers come back within the handler's synchronous run; a bounded memory of recent senders is plenty.
    if (this.commReplies.size > COMM_REPLY_MEMORY) this.commReplies.delete(this.commReplies.keys().next().value!);
    executor.worker.postMessage({ event: "comm", msgType: kind, content, metadata, token });
    return true;
  }

  setCommFallback(publish: CommPublish): void {
    this.commPublish ??= publish;
  }

  commInfo(targetName?: string): Record<string, { target_name: string }> {
    const open = [...this.comms].filter(([, target]) => targetName === undefined || target === targetName);
    return Object.fromEntries(open.map(([id, target]) => [id, { target_name: target }]));
  }

  async shutdown(restart: boolean): Promise<void> {
    const workers = [this.compiler?.worker, this.executor?.worker];
    this.compiler = undefined;
    this.executor = undefined;
    await Promise.all(workers.map((w) => w?.terminate()));
    this.pending = [];
    this.comms.clear();
    if (restart) await this.start();
  }

  private compilerRpc(): RpcClient {
    return (this.compiler ?? this.startCompiler()).rpc;
  }

  private startCompiler(): { worker: Worker; rpc: RpcClient } {
    const worker = startCompilerThread(this.cwd);
    const rpc = new RpcClient(worker, () => {});
    const compiler = { worker, rpc };
    worker.on("error", (error) => rpc.failAll(error));
    worker.on("exit", (code) => {
      rpc.failAll(new Error(`the TypeScript compiler thread stopped (exit code ${code})`));
      if (this.compiler === compiler) this.compiler = undefined;
    });
    this.compiler = compiler;
    void rpc.call("warmUp").catch(() => {});
    return compiler;
  }

  private startExecutor(): { worker: Worker; rpc: RpcClient; flags: Int32Array } {
    const flags = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerUrl("executor_worker"), { workerData: { flags } });
    const rpc = new RpcClient(worker, (event) => this.onExecutorEvent(event));
    const executor = { worker, rpc, flags };
    worker.on("error", (error) => rpc.failAll(error));
    worker.on("exit", (code) => {
      if (this.executor !== executor) return;
      this.executor = undefined;
      this.comms.clear(); // their other ends lived in the stopped thread
      rpc.failAll(Object.assign(new Error(`the execution thread stopped (exit code ${code}); all variables are lost`), { name: "KernelRestarted" }));
      // Types must match the runtime again: earlier cells' declarations are gone.
      void this.compiler?.rpc.call("reset").catch(() => {});
    });
    this.executor = executor;
    return executor;
  }

  private onExecutorEvent(event: unknown): void {
    const message = event as { event?: string; items?: OutputItem[]; id?: number; prompt?: string; password?: boolean };
    if (message.event === "syncDone") restoreSigintHandling();
    if (message.event === "output" && message.items) this.deliver(message.items);
    if (message.event === "input" && message.id !== undefined) this.answerInput(message.id, message.prompt ?? "", message.password ?? false);
  }

  private answerInput(id: number, prompt: string, password: boolean): void {
    const reply = (body: { value?: string; error?: string }) => this.executor?.worker.postMessage({ event: "inputReply", id, ...body });
    if (!this.current) return reply({ error: "input() needs a running cell" });
    this.current.ctx.input(prompt, password).then(
      (value) => reply({ value }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  }

  /** A timer printing forever between cells must not grow the kernel without bound. */
  private trimPending(): void {
    let size = this.pending.reduce((n, item) => n + (item.kind === "stream" ? item.text.length : 1000), 0);
    let dropped = 0;
    while (size > PENDING_LIMIT && this.pending.length > 1) {
      const item = this.pending.shift()!;
      size -= item.kind === "stream" ? item.text.length : 1000;
      dropped++;
    }
    if (dropped > 0) this.pending.unshift({ kind: "stream", name: "stderr", text: `[gradlab: ${dropped} earlier outputs produced between cells were dropped]\n` });
  }

  private emit(item: OutputItem): void {
    this.deliver([item]);
  }

  /** Comm traffic is never held for the next cell: a widget answers the frontend between cells too. */
  private sendComm(item: Extract<OutputItem, { kind: "comm" }>, ctx: ExecuteContext | undefined): void {
    const id = String(item.content.comm_id ?? "");
    if (item.msgType === "comm_open") this.comms.set(id, String(item.content.target_name ?? ""));
    else if (item.msgType === "comm_close") this.comms.delete(id);
    const answer = item.replyTo !== undefined ? this.commReplies.get(item.replyTo) : undefined;
    (answer ?? ctx?.commSend ?? this.commPublish)?.(item.msgType, item.content, item.metadata);
  }

  private deliver(items: OutputItem[]): void {
    const ctx = this.current?.ctx;
    if (!ctx) {
      for (const item of items) if (item.kind === "comm") this.sendComm(item, undefined);
      items = items.filter((item) => item.kind !== "comm");
      if (items.length === 0) return;
      this.pending.push(...items);
      this.trimPending();
      return;
    }
    for (const item of items) {
      if (item.kind === "comm") this.sendComm(item, ctx);
      else if (item.kind === "stream") ctx.stream(item.name, item.text);
      else if (item.kind === "clear") ctx.clearOutput(item.wait);
      else ctx.display(item.data, item.metadata, item.displayId ? { display_id: item.displayId } : undefined, item.update);
    }
  }
}

/**
 * vm's breakOnSigint installs a process-wide SIGINT handler for the run and, when it ends, resets SIGINT to "exit the
 * process", silently replacing the kernel's own handler (installed by libuv when process.on("SIGINT") was added).
 * Re-adding the listeners makes libuv install its handler again, so the next SIGINT interrupts instead of killing.
 */
function restoreSigintHandling(): void {
  const listeners = process.rawListeners("SIGINT") as ((signal: NodeJS.Signals) => void)[];
  if (listeners.length === 0) return;
  process.removeAllListeners("SIGINT");
  for (const listener of listeners) process.on("SIGINT", listener);
}

/** Type errors are TSError, not JavaScript's runtime TypeError, with TypeScript's code as tsc prints it. */
function compileError(diagnostics: { line: number; column: number; code: number; message: string; syntax: boolean; frame: string }[]): ExecuteOutcome {
  const first = diagnostics[0]!;
  const name = (d: { syntax: boolean }) => (d.syntax ? "SyntaxError" : "TSError");
  const describe = (d: { line: number; column: number; code: number; message: string; syntax: boolean }) =>
    d.syntax ? `${d.line}:${d.column} - ${d.message} (TS${d.code})` : `${d.line}:${d.column} - error TS${d.code}: ${d.message}`;
  const traceback = diagnostics.flatMap((d) => [`\x1b[31m${name(d)}\x1b[0m: ${describe(d)}`, d.frame, ""]);
  const evalue = first.syntax ? `${first.line}:${first.column} - ${first.message}` : describe(first);
  return { status: "error", ename: name(first), evalue, traceback };
}

function interruptedOutcome(): ExecuteOutcome {
  const evalue = "execution interrupted before the cell ran";
  return { status: "error", ename: "Interrupted", evalue, traceback: [`\x1b[31mInterrupted\x1b[0m: ${evalue}`] };
}

function codeOf(code: string): string {
  const parsed = parseCell(code);
  return parsed.kind === "magic" ? parsed.code : code;
}

function readJson(path: string): { version?: string } {
  return JSON.parse(readFileSync(path, "utf8")) as { version?: string };
}
