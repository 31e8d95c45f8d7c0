// Static SVG rendering of a FigureSpec: axes with nice ticks (linear/log), lines, markers, bars, heatmaps, contours,
// legend and colour bar. Deterministic (ids from a content hash, coordinates rounded to 0.1 px).
import { rgbHex, seriesColor, viridis } from "./colors.js";
import { contourLevels, contourLines } from "./contour_lines.js";
import type { BarTrace, FigureSpec, GridTrace, ScatterTrace } from "./figure_spec.js";
import { escapeHtml } from "./html.js";
import { contentHash } from "./mime.js";
import { finiteExtent, formatNumber, px } from "./numbers.js";
import { heatmapPngDataUri } from "./png.js";
import { buildScale, type Scale } from "./svg_scale.js";

interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  x: Scale;
  y: Scale;
}

const FONT = "font-family='Helvetica, Arial, sans-serif'";
const DASHES: Record<string, string> = { dash: "6 4", dot: "2 3" };

function scatterPath(t: ScatterTrace, f: Frame): string {
  let d = "";
  let pen = false;
  for (let i = 0; i < t.x.length; i++) {
    const X = f.x.map(t.x[i] ?? null);
    const Y = f.y.map(t.y[i] ?? null);
    if (Number.isNaN(X) || Number.isNaN(Y)) {
      pen = false;
      continue;
    }
    d += (pen ? "L" : "M") + px(X) + " " + px(Y);
    pen = true;
  }
  return d;
}

function markerShape(symbol: string | undefined, X: number, Y: number, r: number): string {
  if (symbol === "square") return `M${px(X - r)} ${px(Y - r)}h${px(2 * r)}v${px(2 * r)}h${px(-2 * r)}z`;
  if (symbol === "x") return `M${px(X - r)} ${px(Y - r)}L${px(X + r)} ${px(Y + r)}M${px(X - r)} ${px(Y + r)}L${px(X + r)} ${px(Y - r)}`;
  // circle: a zero-length stroke with a round cap (stroke-width = diameter), the most compact form
  return `M${px(X)} ${px(Y)}h0`;
}

function renderScatter(t: ScatterTrace, index: number, f: Frame): string {
  const color = t.line?.color ?? t.marker?.color ?? seriesColor(index);
  const opacity = t.opacity !== undefined ? ` opacity='${t.opacity}'` : "";
  let out = "";
  if (t.mode.includes("lines")) {
    const dash = DASHES[t.line?.dash ?? ""];
    out += `<path class='trace line' d='${scatterPath(t, f)}' fill='none' stroke='${color}' stroke-width='${t.line?.width ?? 2}'`;
    out += `${dash ? ` stroke-dasharray='${dash}'` : ""} stroke-linejoin='round'${opacity}/>`;
  }
  if (t.mode.includes("markers")) {
    const r = (t.marker?.size ?? 6) / 2;
    const mcolor = t.marker?.color ?? color;
    let d = "";
    for (let i = 0; i < t.x.length; i++) {
      const X = f.x.map(t.x[i] ?? null);
      const Y = f.y.map(t.y[i] ?? null);
      if (!Number.isNaN(X) && !Number.isNaN(Y)) d += markerShape(t.marker?.symbol, X, Y, r);
    }
    const symbol = t.marker?.symbol ?? "circle";
    const paint =
      symbol === "x" ? `fill='none' stroke='${mcolor}' stroke-width='2'`
      : symbol === "circle" ? `fill='none' stroke='${mcolor}' stroke-width='${px(2 * r)}' stroke-linecap='round'`
      : `fill='${mcolor}'`;
    out += `<path class='trace markers' d='${d}' ${paint}${opacity}/>`;
  }
  return out;
}

function renderBars(t: BarTrace, index: number, f: Frame): string {
  const color = t.marker?.color ?? seriesColor(index);
  const base = f.y.log ? f.y.map(f.y.lo) : f.y.map(0);
  let d = "";
  t.x.forEach((c, i) => {
    const w = t.width[i] ?? null;
    const h = t.y[i] ?? null;
    if (c === null || w === null || h === null) return;
    const x0 = f.x.map(c - w / 2);
    const x1 = f.x.map(c + w / 2);
    const y1 = f.y.map(h);
    if ([x0, x1, y1].some(Number.isNaN)) return;
    d += `M${px(x0)} ${px(base)}V${px(y1)}H${px(x1)}V${px(base)}z`;
  });
  const opacity = t.opacity ?? 0.85;
  return `<path class='trace bars' d='${d}' fill='${color}' fill-opacity='${opacity}' stroke='#fff' stroke-width='0.5'/>`;
}

function gridExtent(t: GridTrace): [number, number] {
  return finiteExtent(t.z.flat()) ?? [0, 1];
}

function renderGrid(t: GridTrace, f: Frame): string {
  const [lo, hi] = gridExtent(t);
  const x0 = f.x.map(t.x[0] ?? null);
  const x1 = f.x.map(t.x[t.x.length - 1] ?? null);
  const y0 = f.y.map(t.y[0] ?? null);
  const y1 = f.y.map(t.y[t.y.length - 1] ?? null);
  let out = `<image class='trace heatmap' x='${px(Math.min(x0, x1))}' y='${px(Math.min(y0, y1))}' width='${px(Math.abs(x1 - x0))}'`;
  out += ` height='${px(Math.abs(y1 - y0))}' preserveAspectRatio='none' href='${heatmapPngDataUri(t.z, lo, hi)}'/>`;
  if (t.type === "heatmap") return out;
  // A surface's static view draws 10 levels; a contour trace carries its own.
  const { start, end, size } = t.contours && "start" in t.contours ? t.contours : contourLevels(lo, hi, 10);
  for (let level = start, k = 0; level <= end + size * 1e-6 && k < 50; level += size, k++) {
    let d = "";
    for (const line of contourLines(t.x, t.y, t.z, level)) {
      // Points closer than the 0.1 px rounding repeat; dropping them keeps the path short.
      const points = line.map(([a, b]) => `${px(f.x.map(a))} ${px(f.y.map(b))}`).filter((p, i, all) => p !== all[i - 1]);
      if (points.length > 1) d += "M" + points.join("L");
    }
    const shade = (level - lo) / (hi - lo || 1) > 0.6 ? "#333" : "#fff";
    if (d) out += `<path class='contour' d='${d}' fill='none' stroke='${shade}' stroke-width='0.8' stroke-opacity='0.7'/>`;
  }
  return out;
}

function renderAxes(f: Frame): string {
  let out = "";
  for (const t of f.x.ticks) {
    const X = f.x.map(t);
    if (Number.isNaN(X)) continue;
    out += `<line class='grid' x1='${px(X)}' x2='${px(X)}' y1='${px(f.top)}' y2='${px(f.bottom)}' stroke='#e5e5e5'/>`;
    out += `<text class='tick' x='${px(X)}' y='${px(f.bottom + 16)}' text-anchor='middle'>${f.x.label(t)}</text>`;
  }
  for (const t of f.y.ticks) {
    const Y = f.y.map(t);
    if (Number.isNaN(Y)) continue;
    out += `<line class='grid' x1='${px(f.left)}' x2='${px(f.right)}' y1='${px(Y)}' y2='${px(Y)}' stroke='#e5e5e5'/>`;
    out += `<text class='tick' x='${px(f.left - 6)}' y='${px(Y + 4)}' text-anchor='end'>${f.y.label(t)}</text>`;
  }
  out += `<rect class='frame' x='${px(f.left)}' y='${px(f.top)}' width='${px(f.right - f.left)}' height='${px(f.bottom - f.top)}' fill='none' stroke='#888'/>`;
  return out;
}

function renderLegend(entries: { name: string; color: string; kind: string }[], x: number, y: number): string {
  let out = `<g class='legend'>`;
  entries.forEach((e, i) => {
    const Y = y + i * 18;
    out += e.kind === "bar"
      ? `<rect x='${px(x)}' y='${px(Y - 5)}' width='18' height='10' fill='${e.color}'/>`
      : `<line x1='${px(x)}' x2='${px(x + 18)}' y1='${px(Y)}' y2='${px(Y)}' stroke='${e.color === "#ffffff" ? "#555" : e.color}' stroke-width='2.5'/>`;
    out += `<text x='${px(x + 24)}' y='${px(Y + 4)}'>${escapeHtml(e.name.slice(0, 22))}</text>`;
  });
  return out + `</g>`;
}

function renderColorbar(id: string, lo: number, hi: number, x: number, top: number, bottom: number, title: string | undefined): string {
  const stops = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<stop offset='${t}' stop-color='${rgbHex(viridis(1 - t))}'/>`)
    .join("");
  let out = `<defs><linearGradient id='cb-${id}' x1='0' y1='0' x2='0' y2='1'>${stops}</linearGradient></defs>`;
  out += `<rect class='colorbar' x='${px(x)}' y='${px(top)}' width='12' height='${px(bottom - top)}' fill='url(#cb-${id})'/>`;
  out += `<text x='${px(x + 16)}' y='${px(top + 8)}'>${formatNumber(hi, 3)}</text>`;
  out += `<text x='${px(x + 16)}' y='${px(bottom)}'>${formatNumber(lo, 3)}</text>`;
  if (title) {
    out += `<text class='colorbar-title' transform='translate(${px(x + 62)} ${px((top + bottom) / 2)}) rotate(-90)' text-anchor='middle'>`;
    out += `${escapeHtml(title)}</text>`;
  }
  return out;
}

/**
 * The plot area shrunk and centred so one unit of y spans as many pixels as one unit of x, when the y axis is anchored
 * to x (plotly's scaleanchor with constrain "domain" does the same in the interactive figure).
 */
function equalScaleBox(fig: FigureSpec, left: number, top: number, right: number, bottom: number): [number, number, number, number] {
  const { xaxis, yaxis } = fig.layout;
  if (yaxis?.scaleanchor !== "x" || !xaxis?.range || !yaxis.range || xaxis.type === "log" || yaxis.type === "log") return [left, top, right, bottom];
  const spanX = xaxis.range[1] - xaxis.range[0];
  const spanY = (yaxis.range[1] - yaxis.range[0]) * (yaxis.scaleratio ?? 1);
  const perUnit = Math.min((right - left) / spanX, (bottom - top) / spanY);
  const padX = (right - left - spanX * perUnit) / 2;
  const padY = (bottom - top - spanY * perUnit) / 2;
  return [left + padX, top + padY, right - padX, bottom - padY];
}

/** Renders the figure as a standalone SVG document (the static view used by nbconvert, reports and fallbacks). */
export function renderSvg(fig: FigureSpec): string {
  const W = fig.layout.width ?? 640;
  const H = fig.layout.height ?? 420;
  const id = contentHash(JSON.stringify(fig));
  const legend = fig.data
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.name && t.showlegend !== false && t.type !== "heatmap" && t.type !== "contour" && t.type !== "surface")
    .map(({ t, i }) => ({
      name: t.name as string,
      kind: t.type,
      color: t.type === "scatter" ? t.line?.color ?? t.marker?.color ?? seriesColor(i) : t.type === "bar" ? t.marker?.color ?? seriesColor(i) : "#000",
    }));
  const showLegend = fig.layout.showlegend ?? legend.length > 1;
  const grid = fig.data.find((t): t is GridTrace => t.type !== "scatter" && t.type !== "bar");
  const title = fig.layout.title?.text;
  const note = fig.layout.meta?.note;
  let left = 70;
  let top = (title ? 40 : 16) + (note ? 14 : 0);
  let right = W - 20 - (showLegend ? 150 : 0) - (grid ? 80 : 0);
  let bottom = H - 48;
  [left, top, right, bottom] = equalScaleBox(fig, left, top, right, bottom);
  const frame: Frame = {
    left, top, right, bottom,
    x: buildScale(fig.data, "x", fig.layout.xaxis, left, right),
    y: buildScale(fig.data, "y", fig.layout.yaxis, bottom, top),
  };
  let body = `<defs><clipPath id='clip-${id}'><rect x='${left}' y='${top}' width='${px(right - left)}' height='${px(bottom - top)}'/></clipPath></defs>`;
  body += `<rect width='${W}' height='${H}' fill='#fff'/>`;
  body += renderAxes(frame);
  body += `<g clip-path='url(#clip-${id})'>`;
  fig.data.forEach((t, i) => {
    body += t.type === "scatter" ? renderScatter(t, i, frame) : t.type === "bar" ? renderBars(t, i, frame) : renderGrid(t, frame);
  });
  body += `</g>`;
  if (grid) body += renderColorbar(id, ...gridExtent(grid), right + 14, top, bottom, grid.colorbar?.title.text);
  if (showLegend && legend.length) body += renderLegend(legend, W - 160, top + 10);
  if (title) body += `<text class='title' x='${px(W / 2)}' y='26' text-anchor='middle' font-size='15' font-weight='bold'>${escapeHtml(title)}</text>`;
  if (note) body += `<text class='note' x='${px(W / 2)}' y='${title ? 42 : 14}' text-anchor='middle' fill='#666'>${escapeHtml(note)}</text>`;
  const xt = fig.layout.xaxis?.title?.text;
  const yt = fig.layout.yaxis?.title?.text;
  if (xt) body += `<text class='xtitle' x='${px((left + right) / 2)}' y='${H - 10}' text-anchor='middle'>${escapeHtml(xt)}</text>`;
  if (yt) body += `<text class='ytitle' transform='translate(16 ${px((top + bottom) / 2)}) rotate(-90)' text-anchor='middle'>${escapeHtml(yt)}</text>`;
  return (
    `<svg xmlns='http://www.w3.org/2000/svg' width='${W}' height='${H}' viewBox='0 0 ${W} ${H}' ${FONT} font-size='12'>` +
    body +
    `</svg>`
  );
}
