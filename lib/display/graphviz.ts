// Graphviz (compiled to WebAssembly by @viz-js/viz) loaded once on first use: dot text -> SVG text.
// The import is dynamic so that loading gradlab never pays for the ~1.5 MB WebAssembly module unless a graph is drawn.

export type DotRenderer = (dot: string) => string;

let renderer: Promise<DotRenderer> | undefined;
let loaded: DotRenderer | undefined;

/** Loads Graphviz once; later calls return the same renderer. */
export function loadGraphviz(): Promise<DotRenderer> {
  renderer ??= import("@viz-js/viz").then(async ({ instance }) => {
    const viz = await instance();
    loaded = (dot: string) => viz.renderString(dot, { format: "svg", engine: "dot" });
    return loaded;
  });
  return renderer;
}

/** The renderer if Graphviz has finished loading, else undefined (rendering itself is synchronous). */
export function loadedGraphviz(): DotRenderer | undefined {
  return loaded;
}

/**
 * Makes Graphviz's SVG embeddable and compact (graphs must fit the ~200 KB per-output budget): drops the XML prolog,
 * DOCTYPE, comments and <title> tooltips (internal node ids), moves the repeated font-family onto the root element
 * and rounds coordinates to 0.1 pt.
 */
export function cleanSvg(svg: string): string {
  const start = svg.indexOf("<svg");
  return (start >= 0 ? svg.slice(start) : svg)
    .replace(/<!--[\s\S]*?-->\n?/g, "")
    .replace(/<title>[^<]*<\/title>\n?/g, "")
    .replace(/ font-family="[^"]*"/g, "")
    .replace(/ xml:space="preserve"/g, "")
    .replace(/<svg /, '<svg font-family="Helvetica,Arial,sans-serif" ')
    .replace(/="[^"]*"/g, (attr) => attr.replace(/(\d\.\d)\d+/g, "$1")) // coordinates only, never label text
    .trim();
}
