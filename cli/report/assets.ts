// The report's offline assets, read once: plotly.js and KaTeX's CSS with its fonts inlined (from the installed npm
// packages), and the widget embed script (built into the package, since its npm package is a build-time dependency).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

let plotlyCache: string | undefined;
let katexCssCache: string | undefined;

export function plotlyScript(): string {
  plotlyCache ??= readFileSync(require.resolve("plotly.js-dist-min"), "utf8");
  return plotlyCache;
}

/** katex.min.css with each @font-face reduced to its woff2 file as a data: URL, so formulas render with no network. */
export function katexCss(): string {
  if (katexCssCache !== undefined) return katexCssCache;
  const dist = dirname(require.resolve("katex"));
  const css = readFileSync(join(dist, "katex.min.css"), "utf8");
  katexCssCache = css.replace(/src:url\(fonts\/([\w-]+)\.woff2\) format\("woff2"\)[^;}]*/g, (_all, name: string) => {
    const font = readFileSync(join(dist, "fonts", `${name}.woff2`)).toString("base64");
    return `src:url(data:font/woff2;base64,${font}) format("woff2")`;
  });
  return katexCssCache;
}

let widgetEmbedCache: string | undefined;

/**
 * @jupyter-widgets/html-manager's standalone embed script (draws widget views from saved widget state) as a data: URL.
 * Inline script text would not do: the bundle works out its public path from its own script's src and stops without one.
 */
export function widgetEmbedScriptUrl(): string {
  widgetEmbedCache ??= `data:text/javascript;base64,${readFileSync(new URL("./widget-embed.js", import.meta.url)).toString("base64")}`;
  return widgetEmbedCache;
}
