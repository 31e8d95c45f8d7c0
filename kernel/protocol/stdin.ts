// input_request / input_reply over the stdin channel: one pending request at a time, routed back to the
// frontend that sent the execute_request (its identities), cancelled by interrupt or shutdown.
import { childOf, type JupyterMessage } from "../wire/message.js";

type Send = (message: JupyterMessage<unknown>) => Promise<void>;

export class InputCancelled extends Error {
  constructor(reason: string) {
    super(`input request cancelled: ${reason}`);
    this.name = "InputCancelled";
  }
}

export class StdinBroker {
  private pending: { resolve(value: string): void; reject(error: Error): void } | null = null;

  constructor(private readonly send: Send, private readonly session: string) {}

  request(parent: JupyterMessage, prompt: string, password: boolean): Promise<string> {
    if (parent.content.allow_stdin === false) {
      return Promise.reject(new Error("input is not supported: this frontend does not allow stdin (allow_stdin is false)"));
    }
    this.cancel("a new input request replaced it");
    return new Promise<string>((resolve, reject) => {
      this.pending = { resolve, reject };
      void this.send(childOf(parent, "input_request", { prompt, password }, this.session));
    });
  }

  handleReply(message: JupyterMessage): void {
    if (message.header.msg_type !== "input_reply" || !this.pending) return;
    const { resolve } = this.pending;
    this.pending = null;
    resolve(typeof message.content.value === "string" ? message.content.value : "");
  }

  cancel(reason: string): void {
    if (!this.pending) return;
    const { reject } = this.pending;
    this.pending = null;
    reject(new InputCancelled(reason));
  }
}
