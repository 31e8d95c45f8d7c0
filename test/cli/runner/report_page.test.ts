// The HTML report in headless Chromium, offline: plotly.js once, every plot drawn interactively, SVG graphs, KaTeX math.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { INotebookContent } from "@jupyterlab/nbformat";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderNotebookPage } from "../../../cli/report/page.js";
import { hasChromium, requireTool } from "../../helpers/require.js";
import { launchChromium, openOffline } from "./browser.js";

function plotBundle(title: string, ys: number[]) {
  return {
    "application/vnd.plotly.v1+json": { data: [{ type: "scatter", mode: "lines", y: ys, name: "loss" }], layout: { title: { text: title } } },
    "text/html": "<div>fallback</div>",
    "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'></svg>",
    "text/plain": `Plot(${title})`,
  };
}

const GRAPH_SVG = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="80pt" viewBox="0 0 200 80"><g class="graph"><ellipse cx="50" cy="40" rx="40" ry="20" fill="none" stroke="black"/><text x="50" y="44" text-anchor="middle">mul</text></g></svg>`;

export const SAMPLE: INotebookContent = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { id: "m1", cell_type: "markdown", metadata: {}, source: "# Derivatives\nThe limit $f'(x) = \\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h}$ and\n\n$$\\nabla f(x, y) = (2x,\\ 2y)$$" },
    { id: "c1", cell_type: "code", metadata: {}, execution_count: 1, source: "plot.lossCurve(history)", outputs: [{ output_type: "execute_result", execution_count: 1, metadata: {}, data: plotBundle("first <b>plot</b></script>", [3, 2, 1]) }] },
    { id: "c2", cell_type: "code", metadata: {}, execution_count: 2, source: "display(graph(f, x))\nconsole.log('hi <there>')", outputs: [
      { output_type: "display_data", metadata: {}, data: { "image/svg+xml": GRAPH_SVG, "text/plain": "Graph" } },
      { output_type: "stream", name: "stdout", text: "hi <there>\n" },
      { output_type: "display_data", metadata: {}, data: plotBundle("second", [1, 4, 9]) },
    ] },
    { id: "c3", cell_type: "code", metadata: {}, execution_count: 3, source: "throw new Error('boom')", outputs: [
      { output_type: "error", ename: "Error", evalue: "boom", traceback: ["\u001b[31mError: boom\u001b[0m", "    at <cell 3>:1:7"] },
    ] },
  ],
};

describe("renderNotebookPage (string)", () => {
  const html = renderNotebookPage(SAMPLE, { title: "sample.ipynb" });

  it("includes plotly.js once, escapes text, strips ANSI, inlines the graph SVG without its XML prolog", async () => {
    const plotly = await readFile(join(process.cwd(), "node_modules/plotly.js-dist-min/plotly.min.js"), "utf8");
    const marker = plotly.slice(0, 200);
    expect(html.split(marker).length - 1).toBe(1);
    expect(html).toContain("hi &lt;there&gt;");
    expect(html).not.toContain("\u001b[");
    expect(html).not.toContain("<?xml");
    expect(html).not.toContain("<!DOCTYPE svg");
    expect(html).not.toMatch(/<(link|script)[^>]+(src|href)=["']?https?:/);
    expect(html).toContain("data:font/woff2;base64,");
    expect(html).not.toMatch(/url\(fonts\//);
  });

  it("leaves plotly.js out of a page without plots", () => {
    const noPlots = renderNotebookPage({ ...SAMPLE, cells: [SAMPLE.cells[0]!] }, { title: "t" });
    expect(noPlots).not.toContain("Plotly.newPlot");
    expect(noPlots.length).toBeLessThan(html.length - 1_000_000);
  });
});

describe.skipIf(!requireTool("chromium", hasChromium()))("renderNotebookPage in headless Chromium, offline", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("draws every plot with plotly, shows the SVG graph and the math, with no network access", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-report-"));
    const file = join(dir, "sample.html");
    await writeFile(file, renderNotebookPage(SAMPLE, { title: "sample.ipynb" }));
    const { page, blocked, pageErrors } = await openOffline(browser, file);
    await page.waitForFunction(() => (window as unknown as { gradlabPlotsRendered?: number }).gradlabPlotsRendered !== undefined, null, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { gradlabPlotsRendered: number }).gradlabPlotsRendered)).toBe(2);
    // Plotly's interactive layer: a drag cover and a modebar per plot.
    expect(await page.locator(".plot .main-svg").count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator(".plot .modebar").count()).toBe(2);
    expect(await page.locator(".plot .scatterlayer .trace").count()).toBe(2);
    const graph = await page.locator(".svg svg").boundingBox();
    expect(graph?.width).toBeGreaterThan(100);
    expect(await page.locator(".katex").count()).toBe(2);
    expect(await page.locator(".katex-display").count()).toBe(1);
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => document.fonts.check("16px KaTeX_Main"))).toBe(true);
    expect(await page.locator("pre.error").innerText()).toContain("Error: boom");
    const shot = await page.screenshot({ path: join(dir, "sample.png"), fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    console.log(`report screenshot: ${join(dir, "sample.png")}`);
    expect(pageErrors).toEqual([]);
    expect(blocked).toEqual([]);
  }, 120_000);
});
