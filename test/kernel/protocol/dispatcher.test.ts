// The protocol core over an in-memory transport: the exact order of everything the kernel sends for one request,
// across iopub and shell (outputs, then the reply, then idle), without ZeroMQ or a process.
import { describe, expect, it } from "vitest";
import type { Interpreter } from "../../../kernel/interpreter.js";
import { KernelServer } from "../../../kernel/protocol/dispatcher.js";
import { MemoryTransport } from "../../../kernel/transport/memory.js";
import { decode, encode } from "../../../kernel/wire/codec.js";
import { makeHeader } from "../../../kernel/wire/message.js";
// @ts-expect-error: plain-JS fixture shared with the process-level tests
import { createMockInterpreter } from "./fixtures/mock_interpreter.mjs";

const KEY = "dispatcher-test-key";

function setup() {
  const transport = new MemoryTransport();
  const logs: string[] = [];
  let shutdown: boolean | null = null;
  new KernelServer({
    transport,
    interpreter: createMockInterpreter() as Interpreter,
    key: KEY,
    log: (line) => logs.push(line),
    onShutdown: (restart) => (shutdown = restart),
  });
  const send = (channel: "shell" | "control", msgType: string, content: Record<string, unknown>) => {
    const header = makeHeader(msgType, "client");
    transport.deliver(channel, encode({ identities: [Buffer.from("peer")], header, parent_header: {}, metadata: {}, content, buffers: [] }, KEY));
    return header.msg_id;
  };
  /** Sends so far as "channel:msg_type[:detail]" for messages parented to msgId. */
  const trace = (msgId: string) =>
    transport.sent
      .map(({ channel, frames }) => ({ channel, message: decode(frames, KEY) }))
      .filter(({ message }) => message.parent_header.msg_id === msgId)
      .map(({ channel, message }) => {
        const detail = message.content.execution_state ?? message.content.name ?? message.content.status;
        return `${channel}:${message.header.msg_type}${detail ? `:${detail}` : ""}`;
      });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  return { transport, logs, send, trace, settle, shutdown: () => shutdown };
}

describe("dispatcher over a memory transport", () => {
  it("orders busy, execute_input, outputs, execute_result, reply, idle", async () => {
    const { send, trace, settle } = setup();
    const id = send("shell", "execute_request", { code: "print:a\nstderr:b\nvalue" });
    await settle();
    expect(trace(id)).toEqual([
      "iopub:status:busy",
      "iopub:execute_input",
      "iopub:stream:stdout",
      "iopub:stream:stderr",
      "iopub:execute_result",
      "shell:execute_reply:ok",
      "iopub:status:idle",
    ]);
  });

  it("routes replies back to the sender's identity and signs them", async () => {
    const { send, transport, settle } = setup();
    send("shell", "kernel_info_request", {});
    await settle();
    const reply = transport.sent.find((s) => s.channel === "shell")!;
    expect(reply.frames[0]!.toString()).toBe("peer");
    expect(decode(reply.frames, KEY).content.protocol_version).toBe("5.3");
    expect(() => decode(reply.frames, "wrong")).toThrow(/bad-signature/);
  });

  it("merges consecutive stream writes that are still queued, keeping every byte in order", async () => {
    const { send, trace, transport, settle } = setup();
    const id = send("shell", "execute_request", { code: "lines:1000" });
    await settle();
    const text = transport.sent
      .map((s) => decode(s.frames, KEY))
      .filter((m) => m.header.msg_type === "stream" && m.parent_header.msg_id === id)
      .map((m) => m.content.text)
      .join("");
    expect(text).toBe(Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join(""));
    expect(trace(id).filter((t) => t.startsWith("iopub:stream")).length).toBeLessThan(1000);
  });

  it("answers shutdown_request, then calls onShutdown after the idle status", async () => {
    const { send, trace, settle, shutdown } = setup();
    const id = send("control", "shutdown_request", { restart: true });
    await settle();
    expect(trace(id)).toEqual(["iopub:status:busy", "control:shutdown_reply:ok", "iopub:status:idle"]);
    expect(shutdown()).toBe(true);
  });

  it("drops badly signed frames before dispatch and logs why", async () => {
    const { transport, logs, settle } = setup();
    const frames = encode({ identities: [], header: makeHeader("execute_request", "x"), parent_header: {}, metadata: {}, content: { code: "print:x" }, buffers: [] }, "other");
    const before = transport.sent.length;
    transport.deliver("shell", frames);
    await settle();
    expect(transport.sent.length).toBe(before);
    expect(logs.join("\n")).toMatch(/dropped message on shell \(bad-signature/);
  });
});
