// Tensor display: text/plain (the tensor's numpy-style toString) and an HTML table with shape and dtype; 2-D tensors
// are coloured as a heatmap (plus a heatmap image when large), big ones truncated like numpy. Duck-typed: reads
// `shape`, `dtype`, `data` (flat, row-major) or `toArray()`, so it imports nothing from core.
import { rgbHex, textColorOn, viridis } from "./colors.js";
import { escapeHtml } from "./html.js";
import type { MimeBundle } from "./mime.js";
import { finiteExtent, formatNumber } from "./numbers.js";
import { heatmapPngDataUri } from "./png.js";
import { toNumbers } from "./inputs.js";
import { formatShape } from "../tensor/shape.js";

export interface TensorView {
  shape: readonly number[];
  dtype?: string;
  data?: ArrayLike<number>;
  toArray?(): unknown;
  toString(): string;
}

/** numpy's rule: summarise when there are more than 1000 elements, keeping 3 items at each edge. */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;
/** Tables wider or taller than this are cut even below the threshold, to stay readable. */
const MAX_TABLE_AXIS = 40;

/** Indices to show along an axis of length n: all, or the edges with -1 marking the "…" gap. */
function shownIndices(n: number, summarise: boolean): number[] {
  const edge = summarise ? EDGE_ITEMS : MAX_TABLE_AXIS / 2;
  if (n <= 2 * edge + 1) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: edge }, (_, i) => i), -1, ...Array.from({ length: edge }, (_, i) => n - edge + i)];
}

function flatValues(t: TensorView): ArrayLike<number> {
  if (t.data && typeof t.data.length === "number") return t.data;
  if (typeof t.toArray === "function") return toNumbers(t.toArray(), "tensor");
  throw new TypeError("tensorBundle: expected a tensor with `data` or `toArray()`");
}

function cellStyle(v: number, lo: number, hi: number, heat: boolean): string {
  if (!heat || !Number.isFinite(v)) return "";
  const rgb = viridis(hi > lo ? (v - lo) / (hi - lo) : 0.5);
  return ` style="background:${rgbHex(rgb)};color:${textColorOn(rgb)}"`;
}

function table2d(values: ArrayLike<number>, rows: number, cols: number, summarise: boolean, heat: boolean): string {
  const [lo, hi] = (heat ? finiteExtent(Array.from(values)) : null) ?? [0, 1];
  const ri = shownIndices(rows, summarise);
  const ci = shownIndices(cols, summarise);
  const th = (s: string): string => `<th style="color:#888;font-weight:normal">${s}</th>`;
  let html = `<tr>${th("")}${ci.map((c) => th(c < 0 ? "…" : String(c))).join("")}</tr>`;
  for (const r of ri) {
    html += `<tr>${th(r < 0 ? "⋮" : String(r))}`;
    for (const c of ci) {
      if (r < 0 || c < 0) {
        html += `<td>${r < 0 && c < 0 ? "⋱" : r < 0 ? "⋮" : "…"}</td>`;
        continue;
      }
      const v = values[r * cols + c] as number;
      html += `<td${cellStyle(v, lo, hi, heat)}>${escapeHtml(formatNumber(v, 4))}</td>`;
    }
    html += `</tr>`;
  }
  return `<table class="gradlab-tensor-table" style="border-collapse:collapse;font-family:monospace;font-size:12px;text-align:right">${html}</table>`;
}

// For large matrices the table shows only the edges; a small image shows the whole matrix (strided to <= 200 px).
function heatmapImage(values: ArrayLike<number>, rows: number, cols: number): string {
  const step = Math.max(1, Math.ceil(Math.max(rows, cols) / 200));
  const grid: number[][] = [];
  for (let r = rows - 1; r >= 0; r -= step) {
    const row: number[] = [];
    for (let c = 0; c < cols; c += step) row.push(values[r * cols + c] as number);
    grid.push(row);
  }
  const [lo, hi] = finiteExtent(grid.flat()) ?? [0, 1];
  const scale = Math.max(1, Math.floor(240 / Math.max(grid.length, grid[0]?.length ?? 1)));
  const w = (grid[0]?.length ?? 0) * scale;
  const h = grid.length * scale;
  return `<img class="gradlab-tensor-heatmap" alt="heatmap" width="${w}" height="${h}" style="image-rendering:pixelated" ` +
    `src="${heatmapPngDataUri(grid, lo, hi)}" title="min ${formatNumber(lo)}, max ${formatNumber(hi)}"/>`;
}

/** The MIME bundle of a tensor: text/plain and text/html. Pure. */
export function tensorBundle(t: TensorView): MimeBundle {
  const shape = [...t.shape];
  const size = shape.reduce((a, b) => a * b, 1);
  const dtype = t.dtype ?? "float64";
  const values = flatValues(t);
  const summarise = size > SUMMARY_THRESHOLD;
  const caption = `<div style="color:#666;font-size:12px;margin-bottom:2px">Tensor shape ${formatShape(shape)} ${escapeHtml(dtype)}</div>`;
  let body: string;
  if (shape.length === 0) {
    body = `<code>${escapeHtml(formatNumber(values[0] as number, 8))}</code>`;
  } else if (shape.length <= 2) {
    const [rows, cols] = shape.length === 1 ? [1, shape[0] as number] : [shape[0] as number, shape[1] as number];
    const heat = shape.length === 2 && size > 1;
    body = table2d(values, rows, cols, summarise, heat);
    if (heat && (rows > 2 * EDGE_ITEMS + 1 || cols > 2 * EDGE_ITEMS + 1) && (summarise || rows * cols >= 64)) {
      body = `<div style="display:flex;gap:12px;align-items:flex-start">${body}${heatmapImage(values, rows, cols)}</div>`;
    }
  } else {
    body = `<pre style="font-size:12px">${escapeHtml(t.toString())}</pre>`;
  }
  return { "text/plain": t.toString(), "text/html": `<div class="gradlab-tensor">${caption}${body}</div>` };
}
