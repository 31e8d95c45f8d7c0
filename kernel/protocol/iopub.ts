// The iopub publisher: one FIFO of messages, drained one send at a time. Consecutive stream messages of the same
// stream and parent that have not been sent yet are merged, so a flood of console.log lines costs few sends but
// keeps every byte in order.
import { encode } from "../wire/codec.js";
import type { JupyterMessage } from "../wire/message.js";
import type { Transport } from "../transport/transport.js";

/** Merging stops at this size so one message never grows without bound. */
const MAX_MERGED_STREAM_CHARS = 1 << 20;

export class IopubPublisher {
  private readonly pending: JupyterMessage<Record<string, unknown>>[] = [];
  private draining: Promise<void> | null = null;

  constructor(private readonly transport: Transport, private readonly key: string) {}

  publish(message: JupyterMessage<Record<string, unknown>>): void {
    if (!this.mergeIntoLast(message)) this.pending.push(message);
    this.draining ??= this.drain();
  }

  /** Resolves when everything published so far has been handed to the socket. */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private mergeIntoLast(message: JupyterMessage<Record<string, unknown>>): boolean {
    const last = this.pending[this.pending.length - 1];
    if (!last || last.header.msg_type !== "stream" || message.header.msg_type !== "stream") return false;
    if (last.content.name !== message.content.name) return false;
    if (last.parent_header.msg_id !== message.parent_header.msg_id) return false;
    const text = last.content.text as string;
    if (text.length >= MAX_MERGED_STREAM_CHARS) return false;
    last.content.text = text + (message.content.text as string);
    return true;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const message = this.pending.shift()!;
      await this.transport.send("iopub", encode({ ...message, identities: [] }, this.key));
    }
    this.draining = null;
  }
}
