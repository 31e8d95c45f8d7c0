// One nbformat output -> HTML for the report; picks the richest MIME type the page can show offline.
import type { IDisplayData, IError, IExecuteResult, IOutput, IStream } from "@jupyterlab/nbformat";
import { joinMultiline } from "../runner/notebook_file.js";
import { WIDGET_VIEW_MIME, type WidgetStateDocument } from "../runner/widget_state.js";
import { renderMarkdown, renderTex } from "./markdown.js";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * What a page needs beyond its HTML, collected while it renders: every plot becomes a placeholder div plus one spec
 * here; widget views are drawn from the notebook's saved widget state, when it has one.
 */
export class PageRegistry {
  readonly plots: { id: string; spec: unknown }[] = [];
  widgetViews = 0;

  constructor(readonly widgetState?: WidgetStateDocument) {}

  add(spec: unknown): string {
    const id = `gradlab-plot-${this.plots.length + 1}`;
    this.plots.push({ id, spec });
    return id;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// Tracebacks and test output carry terminal colours; the page shows the text without them.
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
}

export function renderOutput(output: IOutput, plots: PageRegistry): string {
  switch (output.output_type) {
    case "stream": {
      const s = output as IStream;
      return `<pre class="output stream ${s.name}">${escapeHtml(stripAnsi(joinMultiline(s.text)))}</pre>`;
    }
    case "error": {
      const e = output as IError;
      const text = e.traceback.length > 0 ? e.traceback.join("\n") : `${e.ename}: ${e.evalue}`;
      return `<pre class="output error">${escapeHtml(stripAnsi(text))}</pre>`;
    }
    case "display_data":
    case "execute_result":
      return `<div class="output rich">${renderBundle((output as IDisplayData | IExecuteResult).data, plots)}</div>`;
    default:
      return "";
  }
}

function text(value: unknown): string {
  return typeof value === "string" || Array.isArray(value) ? joinMultiline(value as string | string[]) : JSON.stringify(value);
}

// An <svg> inside HTML must not carry the XML prolog or DOCTYPE that standalone SVG files (e.g. Graphviz output) have.
export function inlineSvg(svg: string): string {
  return svg.replace(/<\?xml[^>]*\?>/g, "").replace(/<!DOCTYPE[^>]*>/gi, "").replace(/<!--[\s\S]*?-->/g, "").trim();
}

export function renderBundle(data: Record<string, unknown>, plots: PageRegistry): string {
  const view = data[WIDGET_VIEW_MIME] as { model_id?: string } | undefined;
  if (view?.model_id && plots.widgetState?.state[view.model_id]) {
    plots.widgetViews++;
    // html-manager's embed script replaces this tag with the widget, drawn from the saved state.
    return `<script type="${WIDGET_VIEW_MIME}">${JSON.stringify(view).replace(/</g, "\\u003c")}</script>`;
  }
  if (data[PLOTLY_MIME] !== undefined) {
    return `<div class="plot" id="${plots.add(data[PLOTLY_MIME])}"></div>`;
  }
  if (data["image/svg+xml"] !== undefined) return `<div class="svg">${inlineSvg(text(data["image/svg+xml"]))}</div>`;
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[mime] !== undefined) return `<img src="data:${mime};base64,${text(data[mime]).replace(/\s/g, "")}" alt="">`;
  }
  if (data["text/html"] !== undefined) return text(data["text/html"]);
  if (data["text/markdown"] !== undefined) return `<div class="markdown">${renderMarkdown(text(data["text/markdown"]))}</div>`;
  if (data["text/latex"] !== undefined) return renderLatexOutput(text(data["text/latex"]));
  if (data["application/json"] !== undefined) {
    return `<pre class="json">${escapeHtml(JSON.stringify(data["application/json"], null, 2))}</pre>`;
  }
  if (data["text/plain"] !== undefined) return `<pre>${escapeHtml(stripAnsi(text(data["text/plain"])))}</pre>`;
  return `<pre class="unsupported">(output in ${escapeHtml(Object.keys(data).join(", ") || "no")} format)</pre>`;
}

function renderLatexOutput(latex: string): string {
  const body = latex.trim().replace(/^\$\$?([\s\S]*?)\$?\$$/, "$1");
  return `<div class="math-display">${renderTex(body, true)}</div>`;
}
