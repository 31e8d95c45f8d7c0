// Jupyter comms for cells and libraries: `comm.open(target, data)` and `comm.registerTarget(name, handler)`, carried by
// the hook the gradlab kernel installs at globalThis[Symbol.for("gradlab.comms")] (absent outside a kernel).

/** One comm message as a handler receives it. */
export interface CommMessage {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** One end of a comm: messages to the frontend with `send`, from it through `onMessage`, in the order they were sent. */
export interface Comm {
  readonly id: string;
  readonly targetName: string;
  /** True after either side closed the comm; `send` then throws. */
  readonly closed: boolean;
  send(data: Record<string, unknown>, metadata?: Record<string, unknown>): void;
  close(data?: Record<string, unknown>): void;
  /** Calls `handler` for each message from the frontend; returns a function that stops it. */
  onMessage(handler: (message: CommMessage) => void): () => void;
  /** Calls `handler` once when the comm closes (from either side, or when the kernel's state is reset). */
  onClose(handler: (message: CommMessage) => void): () => void;
}

/** What the kernel provides; libraries reach it through `comm`, never directly. */
export interface CommHook {
  open(targetName: string, data: Record<string, unknown>, metadata: Record<string, unknown>): Comm;
  registerTarget(targetName: string, handler: (comm: Comm, message: CommMessage) => void): void;
}

const HOOK_KEY = Symbol.for("gradlab.comms");

/** The kernel's comm hook, or undefined outside the kernel. Read at call time, never cached. */
export function commHook(): CommHook | undefined {
  const hook = (globalThis as Record<symbol, unknown>)[HOOK_KEY] as CommHook | undefined;
  return hook && typeof hook.open === "function" && typeof hook.registerTarget === "function" ? hook : undefined;
}

function requireHook(what: string): CommHook {
  const hook = commHook();
  if (!hook) throw new Error(`${what}: comms need a Jupyter frontend connected through the gradlab kernel (this is plain Node)`);
  return hook;
}

/** Comms to the frontend: the Jupyter messaging protocol's comm_open / comm_msg / comm_close. */
export const comm = {
  /** True inside the gradlab kernel, where comms reach the frontend. */
  get available(): boolean {
    return commHook() !== undefined;
  },
  /** Opens a comm to a target the frontend registered (for example "jupyter.widget"). */
  open(targetName: string, data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Comm {
    if (typeof targetName !== "string" || targetName === "") throw new TypeError("comm.open: the target name must be a non-empty string");
    return requireHook("comm.open").open(targetName, data, metadata);
  },
  /** Accepts comms the frontend opens with this target name; `handler` runs once per new comm. */
  registerTarget(targetName: string, handler: (comm: Comm, message: CommMessage) => void): void {
    if (typeof targetName !== "string" || targetName === "") throw new TypeError("comm.registerTarget: the target name must be a non-empty string");
    if (typeof handler !== "function") throw new TypeError("comm.registerTarget: the handler must be a function");
    requireHook("comm.registerTarget").registerTarget(targetName, handler);
  },
};
