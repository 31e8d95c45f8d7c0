// Request/reply calls between the kernel thread and an engine worker over postMessage; other messages are events.

export interface Port {
  postMessage(value: unknown): void;
  on(event: "message", listener: (value: unknown) => void): unknown;
}

interface CallMessage { rpc: "call"; id: number; method: string; args: unknown[] }
interface ReplyMessage { rpc: "reply"; id: number; ok: boolean; value?: unknown; error?: { name: string; message: string; stack?: string } }

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly port: Port, onEvent: (event: unknown) => void) {
    port.on("message", (msg) => {
      const reply = msg as ReplyMessage;
      if (reply?.rpc !== "reply") return onEvent(msg);
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(Object.assign(new Error(reply.error?.message ?? "worker call failed"), { name: reply.error?.name ?? "Error", stack: reply.error?.stack }));
    });
  }

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ rpc: "call", id, method, args } satisfies CallMessage);
    });
  }

  /** Fail every call in flight (the worker died). */
  failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

export type Handlers = Record<string, (...args: never[]) => unknown>;

export function serveRpc(port: Port, handlers: Handlers, onEvent: (event: unknown) => void = () => {}): void {
  port.on("message", async (msg) => {
    const call = msg as CallMessage;
    if (call?.rpc !== "call") return onEvent(msg);
    try {
      const handler = handlers[call.method];
      if (!handler) throw new Error(`unknown engine call ${call.method}`);
      const value = await (handler as (...args: unknown[]) => unknown)(...call.args);
      port.postMessage({ rpc: "reply", id: call.id, ok: true, value } satisfies ReplyMessage);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ rpc: "reply", id: call.id, ok: false, error: { name: err.name, message: err.message, stack: err.stack } } satisfies ReplyMessage);
    }
  });
}
