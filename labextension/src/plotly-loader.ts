// Loads plotly.js once per page from the extension's own static folder (no CDN), by a classic <script> tag.
export interface PlotlyApi {
  /** The one-object form: the only one that also carries animation frames. */
  react(el: HTMLElement, figure: { data: unknown[]; layout: object; config: object; frames?: unknown[] }): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): Promise<unknown> | void };
}

/** webpack's runtime fills this in (publicPath "auto"): the URL of the static/ folder remoteEntry.js was loaded from,
 *  where the build puts plotly.min.js too. */
declare const __webpack_public_path__: string;

let pending: Promise<PlotlyApi> | null = null;

export function loadPlotly(): Promise<PlotlyApi> {
  const existing = (window as unknown as { Plotly?: PlotlyApi }).Plotly;
  if (existing) return Promise.resolve(existing);
  pending ??= new Promise<PlotlyApi>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `${__webpack_public_path__}plotly.min.js`;
    script.async = true;
    script.onload = () => {
      const loaded = (window as unknown as { Plotly?: PlotlyApi }).Plotly;
      if (loaded) resolve(loaded);
      else reject(new Error(`${script.src} loaded but did not define window.Plotly`));
    };
    script.onerror = () => reject(new Error(`could not load ${script.src}`));
    document.head.appendChild(script);
  }).catch((error: unknown) => {
    pending = null; // let a later output retry
    throw error;
  });
  return pending;
}
