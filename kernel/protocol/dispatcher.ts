// The protocol core: verify-then-decode every incoming multipart message, queue shell requests (one at a time,
// stop-on-error aborts), serve control and comm messages immediately (even while a cell runs), wrap each request
// in busy/idle.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Interpreter } from "../interpreter.js";
import { decode, encode, WireError } from "../wire/codec.js";
import { childOf, makeHeader, type JupyterMessage } from "../wire/message.js";
import type { RequestChannel, Transport } from "../transport/transport.js";
import { RequestContext, type Handler, type KernelServices, type ReplyChannel } from "./context.js";
import { abortExecuteRequest, executeRequest } from "./execute.js";
import { History } from "./history.js";
import { completeRequest, inspectRequest, isCompleteRequest } from "./introspection.js";
import { IopubPublisher } from "./iopub.js";
import { interruptRequest, kernelInfoRequest, shutdownRequest } from "./lifecycle.js";
import { commHandler, commInfoRequest, historyRequest } from "./misc.js";
import { StdinBroker } from "./stdin.js";
import { mark } from "../trace.js";

const HANDLERS: Record<string, Handler> = {
  kernel_info_request: kernelInfoRequest,
  execute_request: executeRequest,
  complete_request: completeRequest,
  inspect_request: inspectRequest,
  is_complete_request: isCompleteRequest,
  history_request: historyRequest,
  comm_info_request: commInfoRequest,
  comm_open: commHandler("comm_open"),
  comm_msg: commHandler("comm_msg"),
  comm_close: commHandler("comm_close"),
  shutdown_request: shutdownRequest,
  // Accepted on shell too (older clients); the spec's place is control, which never waits behind a running cell.
  interrupt_request: interruptRequest,
};

/** Served on control, which never waits behind a running cell. Everything that touches the interpreter's execution
 *  state stays on shell, so cells are never run concurrently. */
const CONTROL_TYPES = new Set(["kernel_info_request", "shutdown_request", "interrupt_request", "comm_info_request"]);

/** Comm messages from the frontend skip the shell queue (in their own order): a cell that awaits between training
 *  steps sees a slider move while it runs, rather than after it. */
const COMM_TYPES = new Set(["comm_open", "comm_msg", "comm_close"]);

/** Drop logs: the first few individually, then one summary line per this many, so a flood cannot fill a disk. */
const DROP_LOG_EVERY = 1000;
const DROP_LOG_FIRST = 10;
const ABORT_GRACE_MS = 5;

export interface KernelServerOptions {
  transport: Transport;
  interpreter: Interpreter;
  key: string;
  log: (line: string) => void;
  /** Called once after a shutdown_request was answered. */
  onShutdown: (restart: boolean) => void;
}

export class KernelServer {
  private readonly services: KernelServices;
  private readonly shellQueue: JupyterMessage[] = [];
  private shellDraining = false;
  private controlChain: Promise<void> = Promise.resolve();
  private commChain: Promise<void> = Promise.resolve();
  /** A shell request is being served: comm messages served meanwhile publish no busy/idle, which would tell the
   *  frontend the kernel is idle while a cell still runs. */
  private shellBusy = false;
  /** Set by a failed execute with stop_on_error; turned into abortIds before that request's idle status. */
  private abortRequested = false;
  /** execute_requests that were queued when a cell failed: answered "aborted" instead of run. */
  private readonly abortIds = new Set<string>();
  private dropped = 0;
  private shuttingDown = false;
  private shutdownRestart: boolean | null = null;
  private readonly ready: Promise<void>;

  constructor(private readonly options: KernelServerOptions) {
    const session = randomUUID();
    const { transport, interpreter, key } = options;
    const iopub = new IopubPublisher(transport, key);
    const stdin = new StdinBroker((message) => transport.send("stdin", encode(message, key)), session);
    this.services = {
      interpreter,
      iopub,
      stdin,
      history: new History(),
      session,
      executionCount: 0,
      abortQueued: () => {
        this.abortRequested = true;
      },
      interrupt: () => {
        stdin.cancel("interrupted");
        interpreter.interrupt();
      },
      requestShutdown: (restart) => this.shutdown(restart),
      log: options.log,
    };
    interpreter.setCommFallback?.((msgType, content, metadata = {}) =>
      iopub.publish({ identities: [], header: makeHeader(msgType, session), parent_header: {}, metadata, content, buffers: [] }),
    );
    this.ready = interpreter.start();
    this.ready.catch((error: Error) => options.log(`interpreter failed to start: ${error.stack ?? error.message}`));
    transport.onMessage((channel, frames) => this.receive(channel, frames));
    this.publishStatus("starting", {});
  }

  /** Interrupt from outside the protocol (SIGINT). */
  interrupt(): void {
    this.services.interrupt();
  }

  private receive(channel: RequestChannel, frames: Buffer[]): void {
    let message: JupyterMessage;
    try {
      message = decode(frames, this.options.key);
    } catch (error) {
      this.logDrop(channel, error);
      return;
    }
    mark(`received ${message.header.msg_type}`);
    if (channel === "stdin") this.services.stdin.handleReply(message);
    else if (channel === "control") this.controlChain = this.controlChain.then(() => this.serve(message, "control"));
    else if (COMM_TYPES.has(message.header.msg_type)) {
      this.commChain = this.commChain.then(() => this.ready.catch(() => {})).then(() => this.serve(message, "shell"));
    } else {
      this.shellQueue.push(message);
      void this.drainShell();
    }
  }

  private async drainShell(): Promise<void> {
    if (this.shellDraining) return;
    this.shellDraining = true;
    try {
      await this.ready.catch(() => {});
      for (let message = this.shellQueue.shift(); message; message = this.shellQueue.shift()) {
        this.shellBusy = true;
        try {
          await this.serve(message, "shell");
        } finally {
          this.shellBusy = false;
        }
      }
    } finally {
      this.shellDraining = false;
    }
  }

  /** Called before the failed request's idle status: what the frontend sent before it saw idle (Run All) is
   *  aborted; what it sends after is run. Requests sent together with the failed one arrive within ABORT_GRACE_MS
   *  of it, so only a request that failed sooner than that waits for the rest of the pause. */
  private async markQueuedForAbort(servedSince: number): Promise<void> {
    this.abortRequested = false;
    const remaining = ABORT_GRACE_MS - (performance.now() - servedSince);
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
    for (const queued of this.shellQueue) {
      if (queued.header.msg_type === "execute_request") this.abortIds.add(queued.header.msg_id);
    }
  }

  private async serve(message: JupyterMessage, channel: ReplyChannel): Promise<void> {
    if (this.shuttingDown) return;
    const servedSince = performance.now();
    const msgType = message.header.msg_type;
    const abort = channel === "shell" && this.abortIds.delete(message.header.msg_id);
    const allowed = channel === "shell" || CONTROL_TYPES.has(msgType);
    const handler = abort ? abortExecuteRequest : allowed ? HANDLERS[msgType] : undefined;
    const ctx = new RequestContext(message, channel, this.services, (ch, reply) =>
      this.options.transport.send(ch, encode(reply, this.options.key)),
    );
    const quiet = COMM_TYPES.has(msgType) && this.shellBusy;
    if (!quiet) this.publishStatus("busy", message.header);
    try {
      if (handler) await handler(ctx);
      else this.options.log(`ignoring message type ${JSON.stringify(msgType).slice(0, 80)} on ${channel}`);
    } catch (error) {
      this.options.log(`${msgType} failed: ${(error as Error).stack ?? String(error)}`);
      await this.replyError(ctx, error);
    }
    mark("handled");
    if (this.abortRequested) await this.markQueuedForAbort(servedSince);
    mark("abort check done");
    if (!quiet) this.publishStatus("idle", message.header);
    await this.services.iopub.flushed();
    mark("idle sent");
    if (this.shutdownRestart !== null && !this.shuttingDown) {
      this.shuttingDown = true;
      this.options.onShutdown(this.shutdownRestart);
    }
  }

  private async replyError(ctx: RequestContext, error: unknown): Promise<void> {
    if (!ctx.message.header.msg_type.endsWith("_request")) return;
    const err = error instanceof Error ? error : new Error(String(error));
    await ctx.reply({ status: "error", ename: err.name, evalue: err.message, traceback: [] }).catch(() => {});
  }

  private publishStatus(state: "starting" | "busy" | "idle", parent: Partial<JupyterMessage["header"]>): void {
    const message: JupyterMessage<Record<string, unknown>> = parent.msg_id
      ? childOf({ identities: [], header: parent as JupyterMessage["header"] }, "status", { execution_state: state }, this.services.session)
      : { identities: [], header: makeHeader("status", this.services.session), parent_header: {}, metadata: {}, content: { execution_state: state }, buffers: [] };
    this.services.iopub.publish(message);
  }

  private logDrop(channel: RequestChannel, error: unknown): void {
    this.dropped += 1;
    if (this.dropped > DROP_LOG_FIRST && this.dropped % DROP_LOG_EVERY !== 0) return;
    const reason = error instanceof WireError ? error.message : `unexpected: ${(error as Error).message}`;
    this.options.log(`dropped message on ${channel} (${reason}); ${this.dropped} dropped so far`);
  }

  /** Takes effect once the shutdown_request's idle status is out (see serve). */
  private shutdown(restart: boolean): void {
    this.shutdownRestart ??= restart;
    this.services.stdin.cancel("kernel shutting down");
  }
}
