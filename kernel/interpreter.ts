// The seam between the Jupyter protocol layer (kernel/protocol) and the TypeScript engine (kernel/engine):
// the protocol never sees TypeScript, the engine never sees ZeroMQ or message headers (xeus' xinterpreter idea).

/** A MIME bundle as Jupyter sends it: mime type -> data (string, or JSON for +json types). */
export type MimeBundle = Record<string, unknown>;

/** What the engine may emit while a cell runs; the protocol turns each call into an iopub message
 *  parented to the execute_request being served, preserving call order. */
export interface ExecuteContext {
  stream(name: "stdout" | "stderr", text: string): void;
  /** display_data, or update_display_data when `update` is true (then transient.display_id is required). */
  display(data: MimeBundle, metadata: Record<string, unknown>, transient?: { display_id?: string }, update?: boolean): void;
  clearOutput(wait: boolean): void;
  /** Sends input_request on stdin and resolves with the frontend's reply; rejects when the frontend
   *  does not allow stdin (allow_stdin false) or the request is interrupted. */
  input(prompt: string, password: boolean): Promise<string>;
  /** Messages for comms opened by kernel code (comm_open/comm_msg/comm_close on iopub). */
  commSend: CommPublish;
}

export type CommMsgType = "comm_open" | "comm_msg" | "comm_close";

/** Publishes a comm message on iopub, parented to the request it answers. */
export type CommPublish = (kind: CommMsgType, content: Record<string, unknown>, metadata?: Record<string, unknown>) => void;

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  storeHistory: boolean;
  userExpressions: Record<string, string>;
  allowStdin: boolean;
  executionCount: number;
}

export type ExecuteOutcome =
  | {
    status: "ok";
    result?: { data: MimeBundle; metadata: Record<string, unknown> };
    userExpressions?: Record<string, unknown>;
    /** execute_reply payloads, e.g. `{ source: "page", data, start: 0 }` for help shown in the frontend's pager. */
    payload?: Record<string, unknown>[];
  }
  | { status: "error"; ename: string; evalue: string; traceback: string[] };

export interface CompleteReply {
  matches: string[];
  /** Code-point offsets into the cell, as the protocol (5.2+) says. */
  cursorStart: number;
  cursorEnd: number;
  metadata: Record<string, unknown>;
}

export interface InspectReply {
  found: boolean;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export type IsCompleteReply =
  | { status: "complete" }
  | { status: "incomplete"; indent: string }
  | { status: "invalid" }
  | { status: "unknown" };

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  codemirror_mode?: unknown;
  pygments_lexer?: string;
}

export interface KernelInfo {
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  help_links: { text: string; url: string }[];
}

/** One per kernel process. Calls to execute are serialized by the protocol layer (one cell at a time). */
export interface Interpreter {
  /** Prepare everything needed before the first kernel_info_reply should be fast (lazy-load the rest). */
  start(): Promise<void>;
  execute(request: ExecuteRequest, ctx: ExecuteContext): Promise<ExecuteOutcome>;
  /** cursorPos is in code points (protocol 5.2+). */
  complete(code: string, cursorPos: number): Promise<CompleteReply>;
  inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectReply>;
  isComplete(code: string): Promise<IsCompleteReply>;
  kernelInfo(): KernelInfo;
  /** Abort the running cell (from interrupt_request or SIGINT); earlier cells' state survives. */
  interrupt(): void;
  /**
   * A comm message from the frontend, served as it arrives (also while a cell runs; the cell sees it when it awaits).
   * `publish` parents what the kernel sends back between cells. Returns false for a comm id the kernel does not know
   * (or, for comm_open, when nothing can take the comm).
   */
  handleComm(kind: CommMsgType, content: Record<string, unknown>, metadata: Record<string, unknown>, publish: CommPublish): boolean;
  /** Where comm messages that answer no request go (a timer's widget update before any frontend message). */
  setCommFallback?(publish: CommPublish): void;
  /** Open comms for comm_info_request, optionally filtered by target name. */
  commInfo(targetName?: string): Record<string, { target_name: string }>;
  shutdown(restart: boolean): Promise<void>;
}
