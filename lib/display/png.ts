// A minimal PNG encoder (8-bit palette image, stored deflate blocks) so static heatmaps stay small and browser-safe.
import { viridis } from "./colors.js";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const v of bytes) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

function chunk(type: string, data: Uint8Array): number[] {
  const body = new Uint8Array(4 + data.length);
  for (let i = 0; i < 4; i++) body[i] = type.charCodeAt(i);
  body.set(data, 4);
  return [...u32(data.length), ...body, ...u32(crc32(body))];
}

// zlib stream of uncompressed ("stored") deflate blocks: no compressor needed, and palette pixels are 1 byte each.
function zlibStored(raw: Uint8Array): Uint8Array {
  const out: number[] = [0x78, 0x01];
  for (let pos = 0; pos < raw.length || pos === 0; pos += 65535) {
    const len = Math.min(65535, raw.length - pos);
    const last = pos + len >= raw.length ? 1 : 0;
    out.push(last, len & 255, len >>> 8, ~len & 255, (~len >>> 8) & 255);
    for (let i = 0; i < len; i++) out.push(raw[pos + i] as number);
    if (raw.length === 0) break;
  }
  out.push(...u32(adler32(raw)));
  return Uint8Array.from(out);
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += BASE64[(n >>> 18) & 63]! + BASE64[(n >>> 12) & 63]!;
    s += i + 1 < bytes.length ? BASE64[(n >>> 6) & 63]! : "=";
    s += i + 2 < bytes.length ? BASE64[n & 63]! : "=";
  }
  return s;
}

/**
 * Encodes a grid of values as a viridis PNG data URI. Row 0 of `rows` becomes the BOTTOM image row (plot y grows
 * upwards). Values are scaled from [lo, hi]; non-finite values are painted white.
 */
export function heatmapPngDataUri(rows: readonly (readonly (number | null)[])[], lo: number, hi: number): string {
  const h = rows.length;
  const w = rows[0]?.length ?? 0;
  // Entries 0..254 are viridis; 255 is white, reserved for non-finite values.
  const palette = new Uint8Array(256 * 3);
  for (let i = 0; i < 255; i++) palette.set(viridis(i / 254), i * 3);
  palette.set([255, 255, 255], 255 * 3);
  const raw = new Uint8Array(h * (w + 1));
  const span = hi > lo ? hi - lo : 1;
  for (let r = 0; r < h; r++) {
    const row = rows[h - 1 - r] as readonly (number | null)[];
    raw[r * (w + 1)] = 0; // filter type "none"
    for (let c = 0; c < w; c++) {
      const v = row[c];
      const finite = v !== null && v !== undefined && Number.isFinite(v);
      raw[r * (w + 1) + 1 + c] = finite ? Math.min(254, Math.max(0, Math.round(((v - lo) / span) * 254))) : 255;
    }
  }
  const ihdr = Uint8Array.from([...u32(w), ...u32(h), 8, 3, 0, 0, 0]);
  const bytes = Uint8Array.from([
    137, 80, 78, 71, 13, 10, 26, 10,
    ...chunk("IHDR", ihdr),
    ...chunk("PLTE", palette),
    ...chunk("IDAT", zlibStored(raw)),
    ...chunk("IEND", new Uint8Array(0)),
  ]);
  return "data:image/png;base64," + base64(bytes);
}
