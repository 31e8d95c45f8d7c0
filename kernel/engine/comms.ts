// Worker side of Jupyter comms: the CommHook the library's `comm` uses (lib/comm/comm.ts). Outgoing messages join the
// cell's ordered output queue, so a comm_open always precedes the display that shows its widget; incoming messages
// arrive from the kernel thread in the order the frontend sent them and run on this thread's event loop, which is
// free whenever the running cell awaits.
import { randomUUID } from "node:crypto";
import type { OutputQueue } from "./output_queue.js";

type CommMsgType = "comm_open" | "comm_msg" | "comm_close";
type Json = Record<string, unknown>;
interface CommMessage { data: Json; metadata: Json }
type Handler = (message: CommMessage) => void;

/** Reports a handler's exception (the comm stays open and later messages are still delivered). */
export type ReportError = (what: string, error: unknown) => void;

class WorkerComm {
  closed = false;
  private readonly messageHandlers = new Set<Handler>();
  private readonly closeHandlers = new Set<Handler>();

  constructor(readonly id: string, readonly targetName: string, private readonly manager: CommManager) {}

  send(data: Json = {}, metadata: Json = {}): void {
    if (this.closed) throw new Error(`comm ${this.id} (${this.targetName}) is closed; open a new one`);
    this.manager.post("comm_msg", { comm_id: this.id, data }, metadata);
  }

  close(data: Json = {}): void {
    if (this.closed) return;
    this.manager.post("comm_close", { comm_id: this.id, data }, {});
    this.closedBy({ data, metadata: {} });
  }

  onMessage(handler: Handler): () => void {
    this.messageHandlers.add(handler);
    return () => this.messageHandlers.delete(handler);
  }

  onClose(handler: Handler): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  received(message: CommMessage): void {
    for (const handler of [...this.messageHandlers]) this.manager.call(`comm ${this.targetName} message handler`, handler, message);
  }

  closedBy(message: CommMessage): void {
    if (this.closed) return;
    this.closed = true;
    this.manager.forget(this.id);
    for (const handler of [...this.closeHandlers]) this.manager.call(`comm ${this.targetName} close handler`, handler, message);
    this.closeHandlers.clear();
    this.messageHandlers.clear();
  }
}

export class CommManager {
  private readonly comms = new Map<string, WorkerComm>();
  private readonly targets = new Map<string, (comm: WorkerComm, message: CommMessage) => void>();

  constructor(private readonly queue: OutputQueue, private readonly reportError: ReportError) {}

  open(targetName: string, data: Json = {}, metadata: Json = {}): WorkerComm {
    const comm = new WorkerComm(randomUUID().replace(/-/g, ""), targetName, this);
    this.comms.set(comm.id, comm);
    this.post("comm_open", { comm_id: comm.id, target_name: targetName, data }, metadata);
    return comm;
  }

  registerTarget(targetName: string, handler: (comm: WorkerComm, message: CommMessage) => void): void {
    this.targets.set(targetName, handler);
  }

  /** The frontend message being handled (its kernel-thread token): what is sent meanwhile answers it. */
  private replyTo?: number;

  /** A comm message from the frontend, relayed by the kernel thread with a token naming it. */
  receive(msgType: CommMsgType, content: Json, metadata: Json, token?: number): void {
    this.replyTo = token;
    try {
      this.dispatch(msgType, content, metadata);
    } finally {
      this.replyTo = undefined;
    }
  }

  private dispatch(msgType: CommMsgType, content: Json, metadata: Json): void {
    const id = String(content.comm_id ?? "");
    const message = { data: (content.data as Json | undefined) ?? {}, metadata };
    if (msgType === "comm_open") {
      const targetName = String(content.target_name ?? "");
      const handler = this.targets.get(targetName);
      if (!handler) {
        // The spec's answer to an open for a target nobody registered: close it again.
        this.post("comm_close", { comm_id: id, data: {} }, {});
        return;
      }
      const comm = new WorkerComm(id, targetName, this);
      this.comms.set(id, comm);
      this.call(`comm target ${targetName}`, () => handler(comm, message), undefined);
      return;
    }
    const comm = this.comms.get(id);
    if (!comm) return; // the kernel thread logged it already
    if (msgType === "comm_msg") comm.received(message);
    else comm.closedBy(message);
  }

  post(msgType: CommMsgType, content: Json, metadata: Json): void {
    this.queue.push({ kind: "comm", msgType, content, metadata, ...(this.replyTo !== undefined ? { replyTo: this.replyTo } : {}) });
  }

  forget(id: string): void {
    this.comms.delete(id);
  }

  call<T>(what: string, handler: (arg: T) => void, arg: T): void {
    try {
      handler(arg);
    } catch (error) {
      this.reportError(what, error);
    }
  }
}
