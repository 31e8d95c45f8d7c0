// ZeroMQ transport (zeromq@6): ROUTER for shell/control/stdin, PUB for iopub, REP echo for heartbeat, all bound
// only to the address in the connection file. Every socket's sends go through a SendQueue.
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "../connection.js";
import { SendQueue } from "./send_queue.js";
import type { RequestChannel, SendChannel, Transport } from "./transport.js";

export class ZmqTransport implements Transport {
  private handler: ((channel: RequestChannel, frames: Buffer[]) => void) | null = null;
  /** Messages that arrive between bind() and onMessage() (clients connect and send at once) wait here. */
  private early: [RequestChannel, Buffer[]][] = [];
  private readonly queues: Record<SendChannel, SendQueue>;
  private closed = false;

  private constructor(
    private readonly routers: Record<RequestChannel, zmq.Router>,
    private readonly iopub: zmq.Publisher,
    private readonly heartbeat: zmq.Reply,
    private readonly log: (line: string) => void,
  ) {
    const onError = (error: unknown) => this.log(`send failed: ${(error as Error).message}`);
    this.queues = {
      shell: new SendQueue(routers.shell, onError),
      control: new SendQueue(routers.control, onError),
      stdin: new SendQueue(routers.stdin, onError),
      iopub: new SendQueue(iopub, onError),
    };
  }

  static async bind(info: ConnectionInfo, log: (line: string) => void): Promise<ZmqTransport> {
    const routers = { shell: new zmq.Router(), control: new zmq.Router(), stdin: new zmq.Router() };
    // No high-water mark on iopub: a PUB socket silently drops at the limit, and output must never be lost.
    const iopub = new zmq.Publisher({ sendHighWaterMark: 0, linger: 1000 });
    const heartbeat = new zmq.Reply();
    const ipv6 = info.ip.includes(":");
    const sockets: [zmq.Socket, Parameters<typeof endpoint>[1]][] = [
      [routers.shell, "shell"], [routers.control, "control"], [routers.stdin, "stdin"], [iopub, "iopub"], [heartbeat, "hb"],
    ];
    for (const [socket, channel] of sockets) {
      if (ipv6) socket.ipv6 = true;
      const address = endpoint(info, channel);
      try {
        await socket.bind(address);
      } catch (error) {
        // Sockets left open would keep the process alive, so a kernel that cannot listen would hang instead of exit.
        for (const [s] of sockets) s.close();
        throw new Error(`cannot listen for ${channel} on ${address}: ${(error as Error).message}`);
      }
    }
    const transport = new ZmqTransport(routers, iopub, heartbeat, log);
    transport.startLoops();
    return transport;
  }

  onMessage(handler: (channel: RequestChannel, frames: Buffer[]) => void): void {
    this.handler = handler;
    for (const [channel, frames] of this.early.splice(0)) handler(channel, frames);
  }

  send(channel: SendChannel, frames: Buffer[]): Promise<void> {
    return this.queues[channel].send(frames);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [...Object.values(this.routers), this.iopub, this.heartbeat]) socket.close();
  }

  private startLoops(): void {
    for (const channel of ["shell", "control", "stdin"] as const) void this.receiveLoop(channel);
    void this.heartbeatLoop();
  }

  private async receiveLoop(channel: RequestChannel): Promise<void> {
    try {
      for await (const frames of this.routers[channel]) {
        if (this.handler) this.handler(channel, frames);
        else this.early.push([channel, frames]);
      }
    } catch (error) {
      if (!this.closed) this.log(`${channel} receive loop stopped: ${(error as Error).message}`);
    }
  }

  private async heartbeatLoop(): Promise<void> {
    try {
      for await (const frames of this.heartbeat) await this.heartbeat.send(frames);
    } catch (error) {
      if (!this.closed) this.log(`heartbeat stopped: ${(error as Error).message}`);
    }
  }
}
