// In-memory Transport (xeus' mock-server idea): tests feed frames in and read every send, across all channels,
// in the exact order the protocol layer issued them.
import type { RequestChannel, SendChannel, Transport } from "./transport.js";

export class MemoryTransport implements Transport {
  /** Every send, in call order across channels. */
  readonly sent: { channel: SendChannel; frames: Buffer[] }[] = [];
  private handler: ((channel: RequestChannel, frames: Buffer[]) => void) | null = null;

  onMessage(handler: (channel: RequestChannel, frames: Buffer[]) => void): void {
    this.handler = handler;
  }

  /** Delivers frames as if a client had sent them on `channel`. */
  deliver(channel: RequestChannel, frames: Buffer[]): void {
    if (!this.handler) throw new Error("MemoryTransport: no handler attached yet");
    this.handler(channel, frames);
  }

  async send(channel: SendChannel, frames: Buffer[]): Promise<void> {
    this.sent.push({ channel, frames });
  }

  async close(): Promise<void> {}
}
