// Frames <-> messages around the "<IDS|MSG>" delimiter. Decoding verifies the signature on the raw frames
// BEFORE any JSON is parsed: the kernel runs with the user's full permissions, so unauthenticated input is dropped.
import { type JupyterMessage, type MessageHeader } from "./message.js";
import { sign, verify } from "./signing.js";

export const DELIMITER = Buffer.from("<IDS|MSG>", "ascii");

/** Why a multipart message was rejected; the text never contains the key or the expected signature. */
export class WireError extends Error {
  constructor(readonly reason: "no-delimiter" | "truncated" | "bad-signature" | "bad-json" | "bad-header", detail: string) {
    super(`${reason}: ${detail}`);
    this.name = "WireError";
  }
}

export function encode(message: JupyterMessage<unknown>, key: string): Buffer[] {
  const signed = [
    Buffer.from(JSON.stringify(message.header)),
    Buffer.from(JSON.stringify(message.parent_header)),
    Buffer.from(JSON.stringify(message.metadata)),
    Buffer.from(JSON.stringify(message.content)),
  ];
  return [...message.identities, DELIMITER, Buffer.from(sign(key, signed), "ascii"), ...signed, ...message.buffers];
}

export function decode(frames: readonly Buffer[], key: string): JupyterMessage {
  const split = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (split < 0) throw new WireError("no-delimiter", `${frames.length} frames without <IDS|MSG>`);
  if (frames.length < split + 6) {
    throw new WireError("truncated", `${frames.length - split - 1} frames after the delimiter, need at least 5`);
  }
  const signature = frames[split + 1]!;
  const signed = frames.slice(split + 2, split + 6);
  if (!verify(key, signed, signature)) throw new WireError("bad-signature", "HMAC-SHA256 signature does not match");
  const [header, parent, metadata, content] = signed.map((part, i) => parseObject(part, SIGNED_NAMES[i]!));
  if (!isHeader(header)) throw new WireError("bad-header", "header lacks string msg_id, msg_type or session");
  return {
    identities: frames.slice(0, split),
    header,
    parent_header: parent as Partial<MessageHeader>,
    metadata: metadata!,
    content: content!,
    buffers: frames.slice(split + 6),
  };
}

const SIGNED_NAMES = ["header", "parent_header", "metadata", "content"] as const;

function parseObject(part: Buffer, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(part.toString("utf8"));
  } catch {
    throw new WireError("bad-json", `${name} is not valid JSON (${part.length} bytes)`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new WireError("bad-json", `${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function isHeader(value: Record<string, unknown> | undefined): value is MessageHeader {
  return (
    value !== undefined &&
    typeof value.msg_id === "string" &&
    typeof value.msg_type === "string" &&
    typeof value.session === "string"
  );
}
