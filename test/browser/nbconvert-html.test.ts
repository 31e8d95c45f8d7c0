// `jupyter nbconvert --execute --to html` (nbconvert 6.5) with the gradlab kernel, then the page opened offline in
// headless Chromium: the figure's static SVG and the graph SVG must be visible images with a real size.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { hasChromium, hasJupyter, requireTool } from "../helpers/require.js";
import { TMP, jupyterEnv, launchChromium, tempDir } from "./harness.js";
import { PLOTLY_MIME, installGradlab, writeTestNotebook } from "./notebook.js";

const ok = requireTool("Chromium + jupyter nbconvert (browser check of nbconvert HTML)", hasChromium() && hasJupyter());

describe.skipIf(!ok)("nbconvert --to html", () => {
  let browser: Browser;
  let htmlFile: string;
  let executed: string;

  beforeAll(async () => {
    const home = tempDir("nbconvert-");
    const dataDir = installGradlab(join(home, "prefix"));
    const dir = join(home, "notebooks");
    const notebook = writeTestNotebook(dir, "plots.ipynb");
    // Execute once into an .ipynb (its outputs are what a saved notebook keeps), then export that to HTML.
    const env = jupyterEnv(dataDir, home);
    const nbconvert = (args: string[]): void => {
      const result = spawnSync("/usr/bin/jupyter", ["nbconvert", ...args], { env, encoding: "utf8", timeout: 240_000 });
      if (result.status !== 0) throw new Error(`nbconvert ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
    };
    nbconvert(["--execute", "--to", "notebook", "--ExecutePreprocessor.timeout=120", "--output", "executed.ipynb", notebook]);
    executed = join(dir, "executed.ipynb");
    nbconvert(["--to", "html", "--output", "plots.html", executed]);
    htmlFile = join(dir, "plots.html");
    browser = await launchChromium();
  }, 300_000); // bundling, installing and starting servers on a busy 2-core machine

  afterAll(async () => {
    await browser?.close();
  });

  test("a plot adds at most ~200 KB to the notebook file: plotly.js is never inlined per output", () => {
    const notebook = JSON.parse(readFileSync(executed, "utf8")) as {
      cells: { outputs: { output_type: string; data?: Record<string, unknown> }[] }[];
    };
    const plots = notebook.cells.flatMap((c) => c.outputs).filter((o) => o.data?.[PLOTLY_MIME]);
    // the loss curve, the contour with gradient field and a 500-step path, the live plot's final state
    expect(plots).toHaveLength(3);
    for (const output of plots) {
      const size = Buffer.byteLength(JSON.stringify(output, null, 1));
      expect(size, `plot output of ${size} bytes`).toBeLessThan(200 * 1024);
      expect(JSON.stringify(output)).not.toContain("plotly.js v");
    }
  });

  test("the static SVG of the plot and the graph are visible in the page, offline", async () => {
    const html = readFileSync(htmlFile, "utf8");
    expect(html).not.toContain("plotly.js v"); // plotly.js is never inlined per output
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const offsite: string[] = [];
    await page.route(/^(?!file:)/, (route) => {
      offsite.push(route.request().url());
      return route.abort();
    });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: "load", timeout: 60_000 });

    // What reached the page: every SVG rendering of an output, whether an <img> or an inline <svg>, with its size.
    const images = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>(".jp-OutputArea-output img, .jp-OutputArea-output svg")]
        .filter((el) => el.tagName.toLowerCase() === "svg" || (el as HTMLImageElement).src.startsWith("data:image/svg+xml"))
        .map((el) => {
          const box = el.getBoundingClientRect();
          const natural = el instanceof HTMLImageElement ? [el.naturalWidth, el.naturalHeight] : [box.width, box.height];
          const cell = el.closest(".jp-Cell");
          const index = cell ? [...document.querySelectorAll(".jp-Cell")].indexOf(cell) : -1;
          return { cell: index, tag: el.tagName.toLowerCase(), width: box.width, height: box.height, natural,
            visible: getComputedStyle(el).visibility !== "hidden" && getComputedStyle(el).display !== "none" };
        }),
    );
    await page.screenshot({ path: join(TMP, "nbconvert-html.png"), fullPage: true });
    for (const cell of [0, 1, 2]) {
      const shown = images.filter((i) => i.cell === cell && i.visible && i.width > 100 && i.height > 50 && i.natural[0]! > 0);
      expect(shown, `cell ${cell}: ${JSON.stringify(images)}`).not.toHaveLength(0);
    }
    await page.close();
    // Only the template's CDN assets (require.js, MathJax) may have been asked for, and they were refused.
    expect(offsite.filter((u) => !/require\.js|mathjax/i.test(u))).toEqual([]);
  }, 300_000);
});
