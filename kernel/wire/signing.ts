// HMAC-SHA256 signing of the four signed frames (header, parent, metadata, content); empty key = unsigned connection.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_SCHEME = "hmac-sha256";

export function sign(key: string, parts: readonly Buffer[]): string {
  if (key === "") return "";
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}

/** Compares against the raw frames as received, never a re-serialization, in constant time for equal lengths.
 *  With an empty key every signature is accepted (the spec's "no authentication" mode). */
export function verify(key: string, parts: readonly Buffer[], signature: Buffer): boolean {
  if (key === "") return true;
  const expected = Buffer.from(sign(key, parts), "ascii");
  if (signature.length !== expected.length) return false;
  return timingSafeEqual(signature, expected);
}
