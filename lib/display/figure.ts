// Figure: a plotly {data, layout} spec plus a text summary; its MIME bundle carries plotly JSON, an HTML fallback that
// upgrades to plotly when the page has it (else shows the static SVG), the static SVG itself and text/plain.
import type { FigureSpec } from "./figure_spec.js";
import { escapeHtml, svgDataUri } from "./html.js";
import { contentHash, DISPLAY, PLOTLY_MIME, type Displayable, type MimeBundle } from "./mime.js";
import { renderSvg } from "./svg_render.js";

/** The plotly form of a spec: width is left to the frontend so the plot fills the output area. */
function plotlyJson(spec: FigureSpec): FigureSpec {
  const { width: _w, ...layout } = spec.layout;
  return spec.frames ? { data: spec.data, layout, frames: spec.frames } : { data: spec.data, layout };
}

// JSON placed inside <script> must not close the element or break JS string rules.
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/<\//g, "<\\/").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * HTML for frontends without a plotly renderer (classic Notebook, nbconvert, JupyterLab without the extension): the
 * static SVG as an <img> (survives sanitizers that blank inline <svg>), then a script that swaps in an interactive
 * plot when `window.Plotly` or a requirejs module "plotly" is available. plotly.js itself is never inlined. The plot is
 * drawn with newPlot's one-object form, the only one that also takes animation frames.
 */
export function figureHtml(spec: FigureSpec, svg: string): string {
  const json = plotlyJson(spec);
  const hash = contentHash(JSON.stringify(json));
  const width = spec.layout.width ?? 640;
  const alt = escapeHtml(spec.layout.title?.text ?? "figure");
  const img = `<img alt="${alt}" src="${svgDataUri(svg)}" style="max-width:100%;height:auto"/>`;
  // The div gets the figure's height: plotly sizes a plot without a width from its container, on every redraw.
  // Find our div: the script's previous sibling where scripts run in place (JupyterLab); else (classic Notebook runs
  // output scripts from <head> via jQuery) the last unclaimed div with this figure's hash. A saved notebook's outputs
  // run their scripts before the output is in the page, so the search is repeated for a few seconds. The claimed div
  // keeps its draw function (gradlabDraw): the classic nbextension calls it when this script's early request for
  // "plotly" went out before the nbextension had said where plotly.js is.
  const script =
    `(function(){var H="${hash}",s=document.currentScript,tries=0,fig=${scriptSafeJson(json)};` +
    `function find(){var el=s&&s.previousElementSibling;if(el&&el.getAttribute("data-fig")===H)return el;` +
    `var all=document.querySelectorAll('div.gradlab-plot[data-fig="'+H+'"]');` +
    `for(var i=all.length-1;i>=0;i--){if(!all[i].gradlabDraw)return all[i];}return null;}` +
    `function start(){var el=find();if(!el){if(++tries<50)setTimeout(start,100);return;}` +
    `function draw(P){if(!P||!P.newPlot||el.hasAttribute("data-drawn"))return;el.setAttribute("data-drawn","1");` +
    `el.innerHTML="";el.style.width="100%";if(fig.layout.height)el.style.height=fig.layout.height+"px";P.newPlot(el,{data:fig.data,layout:fig.layout,frames:fig.frames,config:{responsive:true,displaylogo:false}});}` +
    `el.gradlabDraw=draw;if(window.Plotly){draw(window.Plotly);}else if(typeof window.require==="function"){` +
    `try{window.require(["plotly"],draw,function(){});}catch(e){}}}start();})();`;
  return `<div class="gradlab-plot" data-fig="${hash}" style="max-width:${width}px">${img}</div>\n<script type="text/javascript">${script}</script>`;
}

/** The full MIME bundle of a figure spec. Pure and deterministic. */
export function figureBundle(spec: FigureSpec, summary: string): MimeBundle {
  const svg = renderSvg(spec);
  return {
    [PLOTLY_MIME]: plotlyJson(spec),
    "text/html": figureHtml(spec, svg),
    "image/svg+xml": svg,
    "text/plain": summary,
  };
}

/** What the plot builders return: displays itself in the kernel, and exposes its spec, SVG and bundle. */
export class Figure implements Displayable {
  constructor(
    readonly spec: FigureSpec,
    readonly summary: string,
  ) {}

  /** plotly traces */
  get data(): FigureSpec["data"] {
    return this.spec.data;
  }

  /** plotly layout */
  get layout(): FigureSpec["layout"] {
    return this.spec.layout;
  }

  /** The static SVG rendering. */
  toSvg(): string {
    return renderSvg(this.spec);
  }

  bundle(): MimeBundle {
    return figureBundle(this.spec, this.summary);
  }

  [DISPLAY](): MimeBundle {
    return this.bundle();
  }

  toString(): string {
    return this.summary;
  }
}
