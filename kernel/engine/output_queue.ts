// Worker side of all cell output: streams, displays, clears and comm messages go through one ordered queue that is posted to the
// kernel thread in batches (per event-loop turn, or at once when large), so 100,000 lines arrive complete and in order.
import type { MimeBundle } from "../interpreter.js";

export type OutputItem =
  | { kind: "stream"; name: "stdout" | "stderr"; text: string }
  | { kind: "display"; data: MimeBundle; metadata: Record<string, unknown>; displayId?: string; update: boolean }
  | { kind: "clear"; wait: boolean }
  | {
      kind: "comm";
      msgType: "comm_open" | "comm_msg" | "comm_close";
      content: Record<string, unknown>;
      metadata: Record<string, unknown>;
      /** Sent while handling this frontend comm message (its token): published as that message's child. */
      replyTo?: number;
    };

/** Past this many buffered characters, flush synchronously (a busy loop that prints never yields to the event loop). */
const FLUSH_CHARS = 1 << 20;

export class OutputQueue {
  private items: OutputItem[] = [];
  private chars = 0;
  private scheduled = false;

  constructor(private readonly post: (items: OutputItem[]) => void) {}

  stream(name: "stdout" | "stderr", text: string): void {
    if (text.length === 0) return;
    const last = this.items[this.items.length - 1];
    if (last?.kind === "stream" && last.name === name) last.text += text;
    else this.items.push({ kind: "stream", name, text });
    this.chars += text.length;
    this.schedule();
  }

  push(item: OutputItem): void {
    this.items.push(item);
    this.schedule();
  }

  flush(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.chars = 0;
    this.post(items);
  }

  private schedule(): void {
    if (this.chars >= FLUSH_CHARS) return this.flush();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }
}
