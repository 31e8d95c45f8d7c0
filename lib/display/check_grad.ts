// checkGrad report display: a table of analytic vs numerical derivatives with absolute and relative error per check,
// failures marked. Duck-typed over the report's rows (mode, order, error, tolerance, scale, ok, and when present
// analytic / numerical values), so it imports nothing from autodiff.
import { escapeHtml } from "./html.js";
import type { MimeBundle } from "./mime.js";
import { formatNumber } from "./numbers.js";

export interface CheckGradRowView {
  mode?: string;
  order?: number;
  arg?: string;
  /** Analytic derivative (a directional derivative, or one value per coordinate). */
  analytic?: number | ArrayLike<number>;
  /** Central-difference estimate of the same quantity. */
  numerical?: number | ArrayLike<number>;
  /** max |analytic - numerical| (`absErr` accepted too). */
  error?: number;
  absErr?: number;
  relErr?: number;
  tolerance?: number;
  /** max |numerical|, to turn the absolute error into a relative one. */
  scale?: number;
  ok: boolean;
}

export interface CheckGradReportView {
  rows?: readonly CheckGradRowView[];
  checks?: readonly CheckGradRowView[];
  entries?: readonly CheckGradRowView[];
  ok?: boolean;
}

const MAX_COORDS = 12;

function values(v: number | ArrayLike<number> | undefined): string {
  if (v === undefined) return "";
  if (typeof v === "number") return formatNumber(v, 6);
  if (v.length === 1) return formatNumber(v[0] as number, 6);
  const shown = Array.from({ length: Math.min(v.length, MAX_COORDS) }, (_, i) => formatNumber(v[i] as number, 6));
  return `[${shown.join(", ")}${v.length > MAX_COORDS ? `, … (${v.length})` : ""}]`;
}

function errors(r: CheckGradRowView): { abs: number; rel: number } {
  const a = typeof r.analytic === "number" ? r.analytic : undefined;
  const n = typeof r.numerical === "number" ? r.numerical : undefined;
  const abs = r.error ?? r.absErr ?? (a !== undefined && n !== undefined ? Math.abs(a - n) : NaN);
  const scale = r.scale ?? (n !== undefined ? Math.abs(n) : NaN);
  const rel = r.relErr ?? abs / Math.max(scale, Number.MIN_VALUE);
  return { abs, rel: scale === 0 && abs === 0 ? 0 : rel };
}

const exp2 = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : "—");

/** The report's MIME bundle (text/html table, text/plain table). Pure. */
export function checkGradBundle(report: CheckGradReportView): MimeBundle {
  const rows = report.rows ?? report.checks ?? report.entries ?? [];
  const ok = report.ok ?? rows.every((r) => r.ok);
  const hasArg = rows.some((r) => r.arg !== undefined);
  const hasValues = rows.some((r) => r.analytic !== undefined || r.numerical !== undefined);
  const head = [
    ...(hasArg ? ["arg"] : []), "mode", "order",
    ...(hasValues ? ["analytic", "numerical"] : []), "abs error", "rel error", "tolerance", "result",
  ];
  const cells = rows.map((r) => {
    const { abs, rel } = errors(r);
    return [
      ...(hasArg ? [r.arg ?? ""] : []), r.mode ?? "", String(r.order ?? 1),
      ...(hasValues ? [values(r.analytic), values(r.numerical)] : []),
      exp2(abs), exp2(rel), r.tolerance === undefined ? "" : exp2(r.tolerance), r.ok ? "ok" : "FAIL",
    ];
  });
  const verdict = ok ? `checkGrad: all ${rows.length} checks passed` : `checkGrad: ${rows.filter((r) => !r.ok).length} of ${rows.length} checks FAILED`;
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]): string => c.map((s, i) => s.padStart(widths[i] as number)).join("  ");
  const plain = [verdict, line(head), ...cells.map(line)].join("\n");
  const th = head.map((h) => `<th style="text-align:right;padding:2px 8px">${h}</th>`).join("");
  const tr = cells
    .map((c, k) => {
      const failed = !rows[k]!.ok;
      const style = failed ? ` style="background:#fde0e0"` : "";
      const tds = c.map((s, i) => {
        const mark = i === c.length - 1 ? (failed ? `<b style="color:#c00">✗ FAIL</b>` : `<span style="color:#2a2">✓ ok</span>`) : escapeHtml(s);
        return `<td style="text-align:right;padding:2px 8px;font-family:monospace">${mark}</td>`;
      });
      return `<tr class="${failed ? "fail" : "ok"}"${style}>${tds.join("")}</tr>`;
    })
    .join("");
  const color = ok ? "#2a2" : "#c00";
  const html = `<div class="gradlab-checkgrad"><div style="font-weight:bold;color:${color}">${escapeHtml(verdict)}</div>` +
    `<table style="border-collapse:collapse;font-size:12px"><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table></div>`;
  return { "text/plain": plain, "text/html": html };
}
