// What a request handler can see and do: the request, the kernel's shared services, reply() and publish().
// Handlers emit only through this context, so parenting and ordering are decided in one place.
import type { Interpreter } from "../interpreter.js";
import { childOf, type JupyterMessage } from "../wire/message.js";
import type { History } from "./history.js";
import type { IopubPublisher } from "./iopub.js";
import type { StdinBroker } from "./stdin.js";
import { mark } from "../trace.js";

export interface KernelServices {
  readonly interpreter: Interpreter;
  readonly iopub: IopubPublisher;
  readonly stdin: StdinBroker;
  readonly history: History;
  readonly session: string;
  /** Last execution_count handed out; incremented by execute requests with store_history. */
  executionCount: number;
  /** Answer execute_requests already queued behind the current one with status "aborted". */
  abortQueued(): void;
  /** Interrupt the running cell and cancel a pending input request. */
  interrupt(): void;
  requestShutdown(restart: boolean): void;
  /** The kernel's log (stderr, which the Jupyter server keeps). */
  log(line: string): void;
}

export type ReplyChannel = "shell" | "control";

export class RequestContext {
  constructor(
    readonly message: JupyterMessage,
    readonly channel: ReplyChannel,
    readonly kernel: KernelServices,
    private readonly sendReply: (channel: ReplyChannel, message: JupyterMessage<unknown>) => Promise<void>,
  ) {}

  get content(): Record<string, unknown> {
    return this.message.content;
  }

  publish(msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown> = {}): void {
    this.kernel.iopub.publish(childOf({ ...this.message, identities: [] }, msgType, content, this.kernel.session, metadata));
  }

  /** Sends `<request>_reply` after every iopub message published so far is out, so outputs precede the reply. */
  async reply(content: Record<string, unknown>, metadata: Record<string, unknown> = {}): Promise<void> {
    await this.kernel.iopub.flushed();
    mark("outputs sent");
    const msgType = this.message.header.msg_type.replace(/_request$/, "_reply");
    await this.sendReply(this.channel, childOf(this.message, msgType, content, this.kernel.session, metadata));
    mark(`${msgType} sent`);
  }
}

export type Handler = (ctx: RequestContext) => Promise<void>;
