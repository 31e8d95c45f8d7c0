// Wire codec and HMAC signing as pure functions: round trips, tampering, truncation, the unsigned mode.
import { describe, expect, it } from "vitest";
import { decode, DELIMITER, encode, WireError } from "../../../kernel/wire/codec.js";
import { makeHeader, type JupyterMessage } from "../../../kernel/wire/message.js";
import { sign, verify } from "../../../kernel/wire/signing.js";

const KEY = "secret-key-0123";

function sample(): JupyterMessage {
  return {
    identities: [Buffer.from("peer-1")],
    header: makeHeader("execute_request", "session-1", "tester"),
    parent_header: {},
    metadata: { a: 1 },
    content: { code: "1 + 1 // ünïcödé 🎉" },
    buffers: [Buffer.from([1, 2, 3])],
  };
}

describe("wire codec", () => {
  it("round-trips a message with identities and buffers", () => {
    const message = sample();
    const decoded = decode(encode(message, KEY), KEY);
    expect(decoded.identities.map(String)).toEqual(["peer-1"]);
    expect(decoded.header).toEqual(message.header);
    expect(decoded.content).toEqual(message.content);
    expect(decoded.metadata).toEqual({ a: 1 });
    expect(decoded.buffers).toEqual([Buffer.from([1, 2, 3])]);
  });

  it("signs the four JSON frames with HMAC-SHA256 (hex)", () => {
    const frames = encode(sample(), KEY);
    const at = frames.findIndex((f) => f.equals(DELIMITER));
    expect(frames[at + 1]!.toString()).toMatch(/^[0-9a-f]{64}$/);
    expect(verify(KEY, frames.slice(at + 2, at + 6), frames[at + 1]!)).toBe(true);
  });

  it("rejects a tampered content frame, a wrong key, and a missing signature before parsing", () => {
    const frames = encode(sample(), KEY);
    const at = frames.findIndex((f) => f.equals(DELIMITER));
    const tampered = [...frames];
    tampered[at + 5] = Buffer.from('{"code":"rm -rf /"}');
    expect(() => decode(tampered, KEY)).toThrow(/bad-signature/);
    expect(() => decode(frames, "other-key")).toThrow(/bad-signature/);
    const unsigned = [...frames];
    unsigned[at + 1] = Buffer.alloc(0);
    expect(() => decode(unsigned, KEY)).toThrow(/bad-signature/);
    // A signed frame that is not JSON is still rejected for its signature first, never parsed.
    const garbage = [...frames];
    garbage[at + 2] = Buffer.from("{not json");
    expect(() => decode(garbage, KEY)).toThrow(/bad-signature/);
  });

  it("never puts the key or the expected signature into the error", () => {
    const frames = encode(sample(), KEY);
    const at = frames.findIndex((f) => f.equals(DELIMITER));
    const expected = frames[at + 1]!.toString();
    frames[at + 1] = Buffer.from("0".repeat(64));
    try {
      decode(frames, KEY);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WireError);
      expect(String((error as Error).message)).not.toContain(KEY);
      expect(String((error as Error).message)).not.toContain(expected);
    }
  });

  it("reports a missing delimiter and truncated messages", () => {
    expect(() => decode([Buffer.from("x")], KEY)).toThrow(/no-delimiter/);
    const frames = encode(sample(), KEY);
    expect(() => decode(frames.slice(0, 5), KEY)).toThrow(/truncated/);
  });

  it("with an empty key signs nothing and accepts any signature, but still validates JSON", () => {
    const frames = encode(sample(), "");
    const at = frames.findIndex((f) => f.equals(DELIMITER));
    expect(frames[at + 1]!.length).toBe(0);
    expect(decode(frames, "").content).toEqual(sample().content);
    expect(sign("", [Buffer.from("x")])).toBe("");
    frames[at + 2] = Buffer.from("[]");
    expect(() => decode(frames, "")).toThrow(/bad-json/);
  });

  it("requires msg_id, msg_type and session in the header", () => {
    const message = sample();
    const frames = encode({ ...message, header: { ...message.header, msg_type: 5 as unknown as string } }, KEY);
    expect(() => decode(frames, KEY)).toThrow(/bad-header/);
  });
});
