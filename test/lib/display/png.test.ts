// Heatmap PNG encoder: valid chunk CRCs and IDAT pixels that inflate back to the palette indices, bottom row first.
import { crc32, inflateSync } from "node:zlib";
import { expect, it } from "vitest";
import { heatmapPngDataUri } from "../../../lib/display/png.js";

it("encodes palette indices (row 0 at the bottom, non-finite white) in a PNG whose chunks check out", () => {
  const uri = heatmapPngDataUri([[0, 1, null], [0.5, 2, NaN]], 0, 2);
  const buf = Buffer.from(uri.slice("data:image/png;base64,".length), "base64");
  const types: string[] = [];
  let idat = Buffer.alloc(0);
  for (let p = 8; p < buf.length; ) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString("latin1", p + 4, p + 8);
    expect(buf.readUInt32BE(p + 8 + len)).toBe(crc32(buf.subarray(p + 4, p + 8 + len)));
    if (type === "IDAT") idat = buf.subarray(p + 8, p + 8 + len);
    types.push(type);
    p += 12 + len;
  }
  expect(types).toEqual(["IHDR", "PLTE", "IDAT", "IEND"]);
  // Each row starts with filter byte 0; 255 is the white entry.
  expect([...inflateSync(idat)]).toEqual([0, 64, 254, 255, 0, 0, 127, 255]);
});
