// The transport seam: raw multipart frames in and out per channel; knows nothing about message content.
export type RequestChannel = "shell" | "control" | "stdin";
export type SendChannel = RequestChannel | "iopub";

export interface Transport {
  /** Called for every multipart message received on a ROUTER channel, in arrival order per channel. */
  onMessage(handler: (channel: RequestChannel, frames: Buffer[]) => void): void;
  /** Resolves once the frames are handed to the socket; sends on one channel keep their call order. */
  send(channel: SendChannel, frames: Buffer[]): Promise<void>;
  close(): Promise<void>;
}
