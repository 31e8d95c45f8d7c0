// Hostile wire: bad signatures are dropped and logged without secrets, 10,000 malformed messages do not take the
// kernel down, and sockets listen only on the connection file's address.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelProcess } from "../../../cli/client/index.js";
import { DELIMITER, encode } from "../../../kernel/wire/codec.js";
import { makeHeader, type JupyterMessage } from "../../../kernel/wire/message.js";
import { sign } from "../../../kernel/wire/signing.js";
import { startMockKernel } from "../../helpers/kernel.js";

function request(msgType: string, content: Record<string, unknown>): JupyterMessage {
  return { identities: [], header: makeHeader(msgType, "fuzzer"), parent_header: {}, metadata: {}, content, buffers: [] };
}

/** Deterministic pseudo-random source so a failing fuzz case can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: T[]) => items[Math.floor(next() * items.length)]! };
}

function malformed(key: string, rand: ReturnType<typeof generator>): Buffer[] {
  const valid = encode(request("kernel_info_request", {}), key);
  const at = valid.findIndex((f) => f.equals(DELIMITER));
  const junk = () => randomBytes(rand.int(64));
  const signedGarbage = (parts: Buffer[]) => [DELIMITER, Buffer.from(sign(key, parts)), ...parts];
  switch (rand.int(10)) {
    case 0: // no delimiter at all
      return Array.from({ length: 1 + rand.int(6) }, junk);
    case 1: // truncated after the delimiter
      return valid.slice(0, at + 1 + rand.int(5));
    case 2: // wrong signature, right shape
      return [DELIMITER, Buffer.from("f".repeat(64)), ...valid.slice(at + 2)];
    case 3: // missing signature
      return [DELIMITER, Buffer.alloc(0), ...valid.slice(at + 2)];
    case 4: // one flipped byte in a signed frame
      return valid.map((frame, i) => (i === at + 2 + rand.int(4) ? Buffer.concat([frame, Buffer.from("x")]) : frame));
    case 5: // correctly signed but not JSON
      return signedGarbage([junk(), junk(), junk(), junk()]);
    case 6: // correctly signed JSON of the wrong shapes
      return signedGarbage([Buffer.from(rand.pick(["[]", "null", "1", '"s"', "{}"])), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")]);
    case 7: // correctly signed header with wrong field types
      return signedGarbage([Buffer.from(JSON.stringify({ msg_id: 1, msg_type: ["x"], session: null })), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")]);
    case 8: // correctly signed, unknown or request types with nonsense content
      return encode(request(rand.pick(["bogus_request", "complete_request", "is_complete_request", "history_request", "comm_msg"]), { code: rand.int(2) ? 5 : null, cursor_pos: "x", hist_access_type: 7 }), key);
    default: // random frames around a delimiter
      return [junk(), DELIMITER, ...Array.from({ length: rand.int(8) }, junk)];
  }
}

describe("security (mock interpreter, real kernel process)", () => {
  let kernel: KernelProcess;
  beforeAll(async () => {
    kernel = await startMockKernel();
  });
  afterAll(async () => {
    await kernel?.shutdown();
  });

  it("drops a badly signed execute_request without running it, and logs no secret", async () => {
    const key = kernel.info.key;
    const marker = `evil-${randomBytes(4).toString("hex")}`;
    const outputs: string[] = [];
    const off = kernel.client.onIopub((m) => outputs.push(JSON.stringify(m.content)));
    const frames = encode(request("execute_request", { code: `print:${marker}`, silent: false }), "attacker-key");
    await kernel.client.sendRaw("shell", frames);
    const expected = sign(key, frames.slice(2, 6));
    // A valid request after it proves the bad one was processed (dropped) first.
    await kernel.client.execute("print:after");
    off();
    expect(outputs.join("\n")).not.toContain(marker);
    // The kernel's stderr pipe can trail its ZeroMQ replies: wait for the log line rather than race it.
    await expect.poll(() => kernel.stderr, { timeout: 10_000 }).toMatch(/dropped message on shell \(bad-signature/);
    expect(kernel.stderr).not.toContain(key);
    expect(kernel.stderr).not.toContain(expected);
  });

  it("survives 10,000 malformed, truncated and badly signed messages on shell and control, then answers kernel_info", async () => {
    const rand = generator(20261129);
    for (let i = 0; i < 10_000; i++) {
      await kernel.client.sendRaw(i % 2 === 0 ? "shell" : "control", malformed(kernel.info.key, rand));
    }
    const reply = await kernel.client.request("shell", "kernel_info_request", {}, 60_000);
    expect(reply.content.status).toBe("ok");
    const control = await kernel.client.request("control", "kernel_info_request", {}, 60_000);
    expect(control.content.status).toBe("ok");
    expect(await kernel.client.heartbeat()).toBe(true);
    expect(kernel.child.exitCode).toBeNull();
    expect(kernel.stderr).not.toContain(kernel.info.key);
  }, 180_000);

  it.skipIf(!existsSync("/proc/net/tcp"))("listens only on the connection file's address (127.0.0.1)", () => {
    const ports = [kernel.info.shell_port, kernel.info.control_port, kernel.info.stdin_port, kernel.info.iopub_port, kernel.info.hb_port];
    const listening = ["/proc/net/tcp", "/proc/net/tcp6"]
      .filter(existsSync)
      .flatMap((file) => readFileSync(file, "utf8").split("\n").slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === "0A")
      .map((cols) => cols[1]!.split(":"))
      .filter(([, port]) => ports.includes(parseInt(port!, 16)));
    expect(listening.map(([, port]) => parseInt(port!, 16)).sort()).toEqual([...ports].sort());
    for (const [address] of listening) expect(address).toBe("0100007F");
  });
});
