// A whole executed notebook -> one self-contained HTML page (plotly.js once, KaTeX CSS and fonts inlined, no network).
import type { ICell, ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { cellSource } from "../runner/notebook_file.js";
import { savedWidgetState, WIDGET_STATE_MIME, type WidgetStateDocument } from "../runner/widget_state.js";
import { katexCss, plotlyScript, widgetEmbedScriptUrl } from "./assets.js";
import { renderMarkdown } from "./markdown.js";
import { PageRegistry, escapeHtml, renderOutput } from "./outputs_html.js";

const PAGE_CSS = `
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 24px 32px 64px; }
header.report { border-bottom: 1px solid #d0d7de; margin-bottom: 16px; color: #57606a; font-size: 13px; }
.cell { margin: 10px 0; }
.cell.code .input { display: flex; gap: 8px; }
.prompt { color: #6e7781; font: 12px/1.9 ui-monospace, monospace; min-width: 52px; text-align: right; flex: none; }
pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; margin: 0; white-space: pre-wrap; word-break: break-word; }
.source { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 10px; flex: 1; overflow-x: auto; }
.outputs { margin-left: 60px; }
.output { margin: 6px 0; overflow-x: auto; }
.output.stderr { background: #fff8e6; }
.output.error { background: #ffebe9; color: #82071e; padding: 6px 8px; border-radius: 6px; }
.markdown table, .output table { border-collapse: collapse; }
.markdown th, .markdown td, .output th, .output td { border: 1px solid #d0d7de; padding: 2px 8px; }
.plot { width: 100%; min-height: 360px; }
.svg svg { max-width: 100%; height: auto; }
.math-display { overflow-x: auto; }
`;

export interface PageOptions {
  title: string;
  /** e.g. "executed by gradlab run on 2026-11-29 in 12.3 s" */
  subtitle?: string;
}

export function renderNotebookPage(nb: INotebookContent, opts: PageOptions): string {
  const plots = new PageRegistry(savedWidgetState(nb));
  const body = nb.cells.map((cell) => renderCell(cell, plots)).join("\n");
  const scripts = (plots.plots.length > 0 ? plotScripts(plots) : "") + (plots.widgetViews > 0 ? widgetScripts(plots.widgetState!) : "");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gradlab run">
<title>${escapeHtml(opts.title)}</title>
<style>${PAGE_CSS}</style>
<style>${katexCss()}</style>
</head>
<body>
<main>
<header class="report"><strong>${escapeHtml(opts.title)}</strong>${opts.subtitle ? ` &middot; ${escapeHtml(opts.subtitle)}` : ""}</header>
${body}
</main>
${scripts}
</body>
</html>
`;
}

function renderCell(cell: ICell, plots: PageRegistry): string {
  const source = cellSource(cell);
  if (cell.cell_type === "markdown") return `<div class="cell markdown">${renderMarkdown(source)}</div>`;
  if (cell.cell_type === "raw") return `<div class="cell raw"><pre>${escapeHtml(source)}</pre></div>`;
  const code = cell as ICodeCell;
  const prompt = `[${code.execution_count ?? " "}]:`;
  const outputs = (code.outputs ?? []).map((o) => renderOutput(o, plots)).join("\n");
  return `<div class="cell code">
<div class="input"><div class="prompt">${prompt}</div><pre class="source"><code class="language-typescript">${escapeHtml(source)}</code></pre></div>
<div class="outputs">${outputs}</div>
</div>`;
}

// The saved state in the tag html-manager's embed script reads, then that script (inlined: the page stays offline).
function widgetScripts(state: WidgetStateDocument): string {
  const json = JSON.stringify(state).replace(/</g, "\\u003c");
  return `<script type="${WIDGET_STATE_MIME}">${json}</script>
<script src="${widgetEmbedScriptUrl()}"></script>`;
}

// Specs travel as JSON in an inert script tag; "<" is escaped so no string inside can close the tag.
function plotScripts(plots: PageRegistry): string {
  const specs = JSON.stringify(plots.plots).replace(/</g, "\\u003c");
  return `<script type="application/json" id="gradlab-plot-specs">${specs}</script>
<script>${plotlyScript()}</script>
<script>
(function () {
  var specs = JSON.parse(document.getElementById("gradlab-plot-specs").textContent);
  var pending = specs.map(function (p) {
    var s = p.spec || {};
    var config = Object.assign({ responsive: true, displaylogo: false }, s.config || {});
    var el = document.getElementById(p.id);
    // Plotly sizes a plot without a width from its container, on every redraw (an animation frame too): the container
    // must have the figure's height, or a redraw shrinks the plot to the CSS minimum.
    if (s.layout && typeof s.layout.height === "number") el.style.height = s.layout.height + "px";
    // The one-object form is the only one that also registers animation frames (sliders, Play buttons).
    return Plotly.newPlot(el, { data: s.data || [], layout: s.layout || {}, frames: s.frames, config: config });
  });
  Promise.all(pending).then(function () { window.gradlabPlotsRendered = specs.length; },
    function (err) { window.gradlabPlotError = String(err); });
})();
</script>`;
}
