// JupyterLab mime renderer for application/vnd.plotly.v1+json: draws with plotly.js (loaded once, offline, from this
// extension's static folder); shows the bundle's image/svg+xml as an image instead when the output is untrusted or
// plotly.js cannot be loaded.
import { Widget } from "@lumino/widgets";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { loadPlotly, type PlotlyApi } from "./plotly-loader.js";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const SVG_MIME = "image/svg+xml";

interface PlotlySpec {
  data?: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: unknown[];
}

/** One output's plot: a div that plotly draws into; replaced in place on update_display_data. */
export class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  private plotted: HTMLDivElement | null = null;
  private plotly: PlotlyApi | null = null;

  constructor(private readonly mimeType: string) {
    super();
    this.addClass("gradlab-plotly");
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const spec = (model.data[this.mimeType] ?? {}) as PlotlySpec;
    const svg = typeof model.data[SVG_MIME] === "string" ? (model.data[SVG_MIME] as string) : null;
    // An untrusted notebook's figure could come from anyone: plotly.js would render its HTML-capable labels and
    // fetch layout images, while an SVG inside <img> runs nothing and loads nothing. Trusting the notebook re-renders.
    if (!model.trusted) {
      this.showFallback(svg, "the notebook is not trusted; trust it to make the plot interactive");
      return;
    }
    try {
      this.plotly = await loadPlotly();
    } catch (error) {
      this.showFallback(svg, `interactive plot unavailable (${String(error)})`);
      return;
    }
    if (!this.plotted) {
      this.node.textContent = "";
      this.plotted = document.createElement("div");
      this.plotted.className = "gradlab-plotly-plot";
      this.node.appendChild(this.plotted);
    }
    const layout = { ...(spec.layout ?? {}) };
    // Width follows the output area; height must be explicit or plotly collapses inside a zero-height parent.
    const height = typeof layout.height === "number" ? layout.height : 420;
    this.plotted.style.height = `${height}px`;
    // Frames (sliders, Play buttons) travel with the figure; react replaces those of an earlier render.
    await this.plotly.react(this.plotted, {
      data: spec.data ?? [],
      layout: { ...layout, autosize: true },
      config: { responsive: true, displaylogo: false, ...(spec.config ?? {}) },
      ...(spec.frames ? { frames: spec.frames } : {}),
    });
  }

  protected override onAfterShow(): void {
    this.resizePlot();
  }

  protected override onResize(): void {
    this.resizePlot();
  }

  override dispose(): void {
    if (this.plotted && this.plotly) this.plotly.purge(this.plotted);
    super.dispose();
  }

  private resizePlot(): void {
    if (this.plotted && this.plotly && this.isVisible) void this.plotly.Plots.resize(this.plotted);
  }

  private showFallback(svg: string | null, reason: string): void {
    if (this.plotted && this.plotly) this.plotly.purge(this.plotted);
    this.plotted = null;
    this.node.textContent = "";
    if (svg) {
      const img = document.createElement("img");
      img.className = "gradlab-plotly-fallback";
      img.alt = "plot (static SVG rendering)";
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
      this.node.appendChild(img);
    }
    const note = document.createElement("div");
    note.className = "gradlab-plotly-note";
    note.textContent = `gradlab-plotly: ${reason}; showing the static rendering.`;
    this.node.appendChild(note);
  }
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  // Chosen for untrusted outputs too (ahead of the bundle's text/html), where it shows only the static image.
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  createRenderer: (options) => new PlotlyRenderer(options.mimeType),
};

const extension: IRenderMime.IExtension = {
  id: "gradlab-plotly:renderer",
  description: "Renders gradlab's plotly figures offline with the bundled plotly.js.",
  rendererFactory,
  // Rank 0 puts plotly ahead of the bundle's text/html and image/svg+xml fallbacks.
  rank: 0,
  dataType: "json",
};

export default extension;
