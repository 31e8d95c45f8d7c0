// Graphviz (compiled to WebAssembly by @viz-js/viz) loaded once on first use: dot text -> SVG text.
// The import is dynamic so that loading gradlab never pays for the ~1.5 MB WebAssembly module unless a graph is drawn.

export type DotRenderer = (dot: string) => string;

let renderer: Promise<DotRenderer> | undefined;

/** Loads Graphviz once; later calls return the same renderer. */
export function loadGraphviz(): Promise<DotRenderer> {
  renderer ??= import("@viz-js/viz").then(async ({ instance }) => {
    const viz = await instance();
    return (dot: string) => viz.renderString(dot, { format: "svg", engine: "dot" });
  });
  return renderer;
}

/** Drops the XML prolog, DOCTYPE and generator comments so the SVG can be embedded and stays compact. */
export function cleanSvg(svg: string): string {
  const start = svg.indexOf("<svg");
  return (start >= 0 ? svg.slice(start) : svg).replace(/<!--[\s\S]*?-->\n?/g, "").trim();
}
