// A minimal PNG encoder (8-bit palette image, zlib-compressed) so static heatmaps stay small and browser-safe.
import { crc32, deflateSync } from "node:zlib";
import { viridis } from "./colors.js";

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  // The CRC covers the type and the data, not the length.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

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
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 3, 0, 0, 0], 8); // 8-bit depth, palette colour, default compression/filter/interlace
  const bytes = Buffer.concat([
    SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("PLTE", palette),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
  return "data:image/png;base64," + bytes.toString("base64");
}
