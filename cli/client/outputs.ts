// Small readers over a cell's iopub messages (tests, benchmarks); notebook output assembly lives in cli/runner.
import type { JupyterMessage } from "../../kernel/wire/message.js";

/** All text of one stream ("stdout" or "stderr") in the messages, concatenated in order. */
export function streamText(messages: readonly JupyterMessage[], name: "stdout" | "stderr"): string {
  return messages
    .filter((message) => message.header.msg_type === "stream" && message.content.name === name)
    .map((message) => String(message.content.text))
    .join("");
}

/** The messages of the given types, in order. */
export function ofType(messages: readonly JupyterMessage[], ...types: string[]): JupyterMessage[] {
  return messages.filter((message) => types.includes(message.header.msg_type));
}
