// FIFO in front of a zeromq.js socket: zeromq.js rejects a send with EBUSY while another send on the same socket is
// pending, so every send is chained here and none is ever dropped or reordered.
export interface Writable {
  send(frames: Buffer[]): Promise<void>;
}

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly socket: Writable, private readonly onError: (error: unknown) => void) {}

  send(frames: Buffer[]): Promise<void> {
    const sent = this.tail.then(() => this.socket.send(frames));
    // A failed send must not poison the chain: later messages still go out in order.
    this.tail = sent.catch(this.onError);
    return this.tail;
  }
}
