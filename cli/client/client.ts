// A Jupyter client over ZeroMQ: DEALER sockets for shell/control/stdin (one identity, so stdin requests reach us),
// SUB for iopub, REQ for heartbeat. Replies are matched to requests by parent msg_id; iopub messages are collected
// per request until its idle status. Used by `gradlab run`, the tests and the benchmarks.
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "../../kernel/connection.js";
import { decode, encode } from "../../kernel/wire/codec.js";
import { makeHeader, type JupyterMessage } from "../../kernel/wire/message.js";
import { SendQueue } from "../../kernel/transport/send_queue.js";

export type ClientChannel = "shell" | "control" | "stdin";
export type InputHandler = (prompt: string, password: boolean) => string | Promise<string>;

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  userExpressions?: Record<string, string>;
  allowStdin?: boolean;
  stopOnError?: boolean;
  /** Answers input_request for this cell; without it input requests get an empty string. */
  onInput?: InputHandler;
  /** Sees each iopub message of this cell as it arrives (live progress). */
  onIopub?: (message: JupyterMessage) => void;
  timeoutMs?: number;
}

export interface ExecuteResult {
  reply: JupyterMessage;
  /** iopub messages parented to the request, from busy to idle inclusive, in arrival order. */
  iopub: JupyterMessage[];
}

interface Pending {
  resolve(message: JupyterMessage): void;
  reject(error: Error): void;
}

interface Collector {
  messages: JupyterMessage[];
  onMessage?: (message: JupyterMessage) => void;
  done: Pending;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class KernelClient {
  readonly session = randomUUID();
  private readonly replies = new Map<string, Pending>();
  private readonly collectors = new Map<string, Collector>();
  private readonly inputHandlers = new Map<string, InputHandler>();
  private readonly iopubListeners = new Set<(message: JupyterMessage) => void>();
  private closed = false;
  /** Sends go through one FIFO per socket: a burst of messages arrives complete and in order. */
  private readonly outgoing: Record<ClientChannel, SendQueue>;

  private constructor(
    readonly info: ConnectionInfo,
    private readonly sockets: Record<ClientChannel, zmq.Dealer>,
    private readonly iopub: zmq.Subscriber,
  ) {
    const queue = (channel: ClientChannel) => new SendQueue(sockets[channel], () => {});
    this.outgoing = { shell: queue("shell"), control: queue("control"), stdin: queue("stdin") };
  }

  static connect(info: ConnectionInfo): KernelClient {
    const routingId = `gradlab-client-${randomUUID()}`;
    const sockets = {
      shell: new zmq.Dealer({ routingId, linger: 0 }),
      control: new zmq.Dealer({ routingId, linger: 0 }),
      stdin: new zmq.Dealer({ routingId, linger: 0 }),
    };
    // No receive high-water mark: a SUB socket drops silently at the limit, and tests count every output line.
    const iopub = new zmq.Subscriber({ receiveHighWaterMark: 0, linger: 0 });
    for (const [channel, socket] of Object.entries(sockets)) socket.connect(endpoint(info, channel as ClientChannel));
    iopub.connect(endpoint(info, "iopub"));
    iopub.subscribe();
    const client = new KernelClient(info, sockets, iopub);
    client.startLoops();
    return client;
  }

  /** Sends a message that expects no reply (comm_msg, ...); returns what was sent. */
  send(channel: ClientChannel, msgType: string, content: Record<string, unknown>, parent: Partial<JupyterMessage["header"]> = {}): JupyterMessage {
    const message: JupyterMessage = {
      identities: [],
      header: makeHeader(msgType, this.session, "gradlab-client"),
      parent_header: parent,
      metadata: {},
      content,
      buffers: [],
    };
    void this.outgoing[channel].send(encode(message, this.info.key));
    return message;
  }

  /** Sends raw frames (fuzzing, protocol tests). */
  async sendRaw(channel: ClientChannel, frames: Buffer[]): Promise<void> {
    await this.outgoing[channel].send(frames);
  }

  /** Sends `<x>_request` and resolves with its `<x>_reply`. */
  request(channel: "shell" | "control", msgType: string, content: Record<string, unknown> = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<JupyterMessage> {
    const header = makeHeader(msgType, this.session, "gradlab-client");
    const reply = this.expectReply(header.msg_id, msgType, timeoutMs);
    this.sendWithHeader(channel, header, content);
    return reply;
  }

  /** Runs code and resolves when both the execute_reply and the idle status have arrived. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const header = makeHeader("execute_request", this.session, "gradlab-client");
    if (options.onInput) this.inputHandlers.set(header.msg_id, options.onInput);
    const reply = this.expectReply(header.msg_id, "execute_request", timeoutMs);
    const iopub = this.collectIopub(header.msg_id, timeoutMs, options.onIopub);
    this.sendWithHeader("shell", header, {
      code,
      silent: options.silent ?? false,
      store_history: options.storeHistory ?? true,
      user_expressions: options.userExpressions ?? {},
      allow_stdin: options.allowStdin ?? options.onInput !== undefined,
      stop_on_error: options.stopOnError ?? true,
    });
    try {
      const [replyMessage, messages] = await Promise.all([reply, iopub]);
      return { reply: replyMessage, iopub: messages };
    } finally {
      this.inputHandlers.delete(header.msg_id);
    }
  }

  /** Resolves with every iopub message parented to msgId up to and including its idle status. */
  collectIopub(msgId: string, timeoutMs = DEFAULT_TIMEOUT_MS, onMessage?: (message: JupyterMessage) => void): Promise<JupyterMessage[]> {
    return new Promise<JupyterMessage[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.collectors.delete(msgId);
        reject(new Error(`no idle status for ${msgId} on iopub within ${timeoutMs} ms`));
      }, timeoutMs);
      const collector: Collector = {
        messages: [],
        onMessage,
        done: {
          resolve: () => {
            clearTimeout(timer);
            resolve(collector.messages);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        },
      };
      this.collectors.set(msgId, collector);
    });
  }

  onIopub(listener: (message: JupyterMessage) => void): () => void {
    this.iopubListeners.add(listener);
    return () => {
      this.iopubListeners.delete(listener);
    };
  }

  /** Waits until the kernel answers kernel_info and its iopub messages reach us (PUB/SUB joins late). */
  async waitForReady(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<JupyterMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`kernel not ready within ${timeoutMs} ms`);
      const header = makeHeader("kernel_info_request", this.session, "gradlab-client");
      const status = this.collectIopub(header.msg_id, remaining).catch(() => null);
      const reply = this.expectReply(header.msg_id, "kernel_info_request", remaining);
      this.sendWithHeader("shell", header, {});
      const replyMessage = await reply;
      const seen = await Promise.race([status, delay(250).then(() => null)]);
      if (seen) return replyMessage;
      this.collectors.get(header.msg_id)?.done.reject(new Error("superseded by a newer kernel_info_request"));
      this.collectors.delete(header.msg_id);
    }
  }

  /** One heartbeat round trip; false if the kernel did not echo within timeoutMs. */
  async heartbeat(timeoutMs = 2000): Promise<boolean> {
    const socket = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    socket.connect(endpoint(this.info, "hb"));
    try {
      const ping = Buffer.from(randomUUID());
      await socket.send(ping);
      const [echo] = await socket.receive();
      return echo !== undefined && echo.equals(ping);
    } catch {
      return false;
    } finally {
      socket.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [...Object.values(this.sockets), this.iopub]) socket.close();
    const error = new Error("client closed");
    for (const pending of this.replies.values()) pending.reject(error);
    for (const collector of this.collectors.values()) collector.done.reject(error);
    this.replies.clear();
    this.collectors.clear();
  }

  private sendWithHeader(channel: ClientChannel, header: JupyterMessage["header"], content: Record<string, unknown>): void {
    const message: JupyterMessage = { identities: [], header, parent_header: {}, metadata: {}, content, buffers: [] };
    void this.outgoing[channel].send(encode(message, this.info.key));
  }

  private expectReply(msgId: string, msgType: string, timeoutMs: number): Promise<JupyterMessage> {
    return new Promise<JupyterMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(msgId);
        reject(new Error(`no reply to ${msgType} ${msgId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.replies.set(msgId, {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  private startLoops(): void {
    void this.replyLoop("shell");
    void this.replyLoop("control");
    void this.stdinLoop();
    void this.iopubLoop();
  }

  private async *messages(socket: zmq.Dealer | zmq.Subscriber): AsyncGenerator<JupyterMessage> {
    try {
      for await (const frames of socket) {
        try {
          yield decode(frames, this.info.key);
        } catch {
          // A malformed message from the kernel is skipped; the request it answered times out with a clear error.
        }
      }
    } catch (error) {
      if (!this.closed) throw error;
    }
  }

  private async replyLoop(channel: "shell" | "control"): Promise<void> {
    for await (const message of this.messages(this.sockets[channel])) {
      const parentId = message.parent_header.msg_id;
      const pending = parentId ? this.replies.get(parentId) : undefined;
      if (!pending) continue;
      this.replies.delete(parentId!);
      pending.resolve(message);
    }
  }

  private async stdinLoop(): Promise<void> {
    for await (const message of this.messages(this.sockets.stdin)) {
      if (message.header.msg_type !== "input_request") continue;
      const handler = this.inputHandlers.get(message.parent_header.msg_id ?? "");
      let value = "";
      try {
        if (handler) value = await handler(String(message.content.prompt ?? ""), message.content.password === true);
      } catch {
        value = "";
      }
      this.send("stdin", "input_reply", { value, status: "ok" }, message.header);
    }
  }

  private async iopubLoop(): Promise<void> {
    for await (const message of this.messages(this.iopub)) {
      for (const listener of this.iopubListeners) listener(message);
      const parentId = message.parent_header.msg_id;
      const collector = parentId ? this.collectors.get(parentId) : undefined;
      if (!collector) continue;
      collector.messages.push(message);
      collector.onMessage?.(message);
      if (message.header.msg_type === "status" && message.content.execution_state === "idle") {
        this.collectors.delete(parentId!);
        collector.done.resolve(message);
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
