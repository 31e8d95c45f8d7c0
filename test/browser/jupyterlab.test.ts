// JupyterLab 4.5 built with @jupyterlab/builder (webpack module-federation host, test/browser/lab-app), served by Debian's
// jupyterlab_server, in headless Chromium: the gradlab-plotly extension installed by `gradlab install` is discovered
// from the labextensions path like any prebuilt extension; Run All draws interactive plotly figures (hover labels
// included), the saved notebook draws them again after a reload, and an untrusted copy shows the static images.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { requireTool } from "../helpers/require.js";
import { SCREENSHOTS, hasLabTools, menu, shown, startLab, waitForIdleKernel, type Lab } from "./lab.js";
import { PLOTLY_MIME, plotlyPointCount, writeTestNotebook } from "./notebook.js";

const ok = requireTool("Chromium + Jupyter + jupyterlab_server (browser test of JupyterLab)", hasLabTools());

const NOTEBOOK = "plots.ipynb";
const PLOT = ".jp-OutputArea .gradlab-plotly .main-svg";
// The graph bundle carries image/svg+xml and an <img> text/html: JupyterLab prefers the html one; either is an <img>.
const GRAPH = '.jp-OutputArea-output img[src^="data:image/svg+xml"]';

describe.skipIf(!ok)("JupyterLab 4.5 (builder-built host) with the gradlab-plotly extension", () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab((dir) => writeTestNotebook(dir, NOTEBOOK));
  }, 300_000); // a webpack build when the app's inputs changed, installing and starting servers on a busy 2-core machine

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      await lab?.lastPage?.screenshot({ path: join(SCREENSHOTS, "jupyterlab-failure.png") }).catch(() => undefined);
      console.error(`JupyterLab page errors:\n${[...(lab?.pageErrors ?? []), ...(lab?.consoleErrors ?? [])].join("\n")}\nserver log: ${lab?.server.logFile}`);
    }
  });

  afterAll(async () => {
    await lab?.stop();
  });

  /** Sweeps the mouse across a plot's drag layer until plotly shows a hover label; returns its text. */
  async function hoverLabel(page: Page, plot: ReturnType<Page["locator"]>): Promise<string> {
    const box = await plot.locator(".nsewdrag").first().boundingBox();
    if (!box) throw new Error("the plot has no drag layer to hover over");
    const y = box.y + box.height / 2;
    for (let i = 1; i < 20; i++) {
      await page.mouse.move(box.x + (box.width * i) / 20, y, { steps: 2 });
      const label = plot.locator(".hoverlayer .hovertext");
      if ((await label.count()) > 0) return (await label.first().textContent()) ?? "";
    }
    throw new Error("no hover label appeared while the mouse crossed the plot");
  }

  test("Run All draws interactive plots with hover labels; saved and reloaded they draw again; untrusted, static images; without plotly.js, the SVG fallback", async () => {
    const page = await lab.open(NOTEBOOK);
    await waitForIdleKernel(page);
    await menu(page, "Run", "Run All Cells");

    await shown(page).locator(PLOT).first().waitFor({ timeout: 120_000 });
    await shown(page).locator(GRAPH).first().waitFor({ timeout: 60_000 });
    // Interactive: plotly's DOM with its drag layer, and the static fallback was not used.
    const lossPlot = shown(page).locator(".jp-Cell").nth(0).locator(".gradlab-plotly .js-plotly-plot");
    expect(await lossPlot.count()).toBe(1);
    expect(await shown(page).locator(".gradlab-plotly .js-plotly-plot .nsewdrag").count()).toBeGreaterThan(0);
    expect(await shown(page).locator(".gradlab-plotly-fallback").count()).toBe(0);
    // The loss curve has two runs (sgd, adam); the contour plot in the third cell renders too.
    expect(await lossPlot.locator(".scatterlayer .trace").count()).toBe(2);
    await shown(page).locator(".jp-Cell").nth(2).locator(".gradlab-plotly .main-svg").first().waitFor({ timeout: 60_000 });
    const box = await shown(page).locator(PLOT).first().boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(200);
    expect(box?.height ?? 0).toBeGreaterThan(200);
    const graphSize = await shown(page).locator(".jp-Cell").nth(1).locator(GRAPH).first().evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(graphSize[0]).toBeGreaterThan(0);
    expect(graphSize[1]).toBeGreaterThan(0);
    // The live plot: one output, updated in place through the extension while the loop ran, ends with all 300 points.
    const liveCell = shown(page).locator(".jp-Cell").nth(3);
    await expect.poll(() => plotlyPointCount(liveCell.locator(".gradlab-plotly")), { timeout: 120_000 }).toBe(300);
    expect(await liveCell.locator(".jp-OutputArea-output").count()).toBe(1);
    await liveCell.scrollIntoViewIfNeeded();
    await liveCell.screenshot({ path: join(SCREENSHOTS, "jupyterlab-live-plot.png") });
    // A hover label: plotly.js is live in the page, not a picture of it.
    await lossPlot.scrollIntoViewIfNeeded();
    expect(await hoverLabel(page, lossPlot)).toMatch(/\d/);
    await page.screenshot({ path: join(SCREENSHOTS, "jupyterlab-live-hover.png") });
    await shown(page).locator(".jp-Cell").nth(2).screenshot({ path: join(SCREENSHOTS, "jupyterlab-contour.png") });

    // Save, then check what reached the file: the plotly JSON, small, without plotly.js inlined.
    const file = join(lab.notebookDir, NOTEBOOK);
    type Saved = { metadata: Record<string, unknown>; cells: { outputs: { data?: Record<string, unknown> }[] }[] };
    const readSaved = (): Saved | null => {
      try {
        return JSON.parse(readFileSync(file, "utf8")) as Saved; // null while the server is still writing it
      } catch {
        return null;
      }
    };
    await shown(page).locator(".jp-Notebook").click();
    await page.keyboard.press("Control+s");
    await expect
      .poll(() => readSaved()?.cells[2]?.outputs.some((o) => o.data?.[PLOTLY_MIME]) ?? false, { timeout: 60_000 })
      .toBe(true);
    const text = readFileSync(file, "utf8");
    const saved = JSON.parse(text) as Saved;
    const plotOutput = saved.cells[0]!.outputs.find((o) => o.data?.[PLOTLY_MIME]);
    expect(plotOutput).toBeDefined();
    expect(JSON.stringify(plotOutput).length).toBeLessThan(200_000);
    expect(text).not.toContain("plotly.js v");
    // The saved notebook keeps the live plot's final state: one output with all the points.
    const liveOutputs = saved.cells[3]!.outputs;
    expect(liveOutputs).toHaveLength(1);
    const liveFigure = liveOutputs[0]!.data?.[PLOTLY_MIME] as { data: { x: unknown[] }[] };
    expect(liveFigure.data[0]!.x).toHaveLength(300);

    // Reload: no cell is run; the saved (and server-signed, so trusted) outputs must draw as interactive plots again.
    await page.reload({ waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => "jupyterapp" in window, undefined, { timeout: 90_000 });
    const reloadedPlot = shown(page).locator(".jp-Cell").nth(0).locator(".gradlab-plotly .js-plotly-plot");
    await reloadedPlot.locator(".main-svg").first().waitFor({ timeout: 60_000 });
    expect(await shown(page).locator(".gradlab-plotly-fallback").count()).toBe(0);
    expect(await hoverLabel(page, reloadedPlot)).toMatch(/\d/);
    await page.screenshot({ path: join(SCREENSHOTS, "jupyterlab-reloaded.png") });
    await page.close();

    // The same outputs in a notebook the server has no signature for (its content differs): untrusted, so the
    // extension shows the figure's static SVG as an image and says why; plotly.js draws nothing.
    const untrusted = "untrusted.ipynb";
    writeFileSync(join(lab.notebookDir, untrusted), JSON.stringify({ ...saved, metadata: { ...saved.metadata, copied: true } }));
    const copy = await lab.open(untrusted);
    const staticImage = shown(copy).locator(".jp-Cell").nth(0).locator("img.gradlab-plotly-fallback");
    await staticImage.waitFor({ timeout: 60_000 });
    expect(await staticImage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await shown(copy).locator(".jp-Cell").nth(0).locator(".gradlab-plotly-note").textContent()).toContain("not trusted");
    // Every figure (loss curve, contour, live plot) the same way; cells off screen render only once scrolled to.
    for (const cell of [2, 3, 0]) {
      const output = shown(copy).locator(".jp-Cell").nth(cell);
      await output.scrollIntoViewIfNeeded();
      await output.locator("img.gradlab-plotly-fallback").waitFor({ timeout: 60_000 });
    }
    expect(await shown(copy).locator(".js-plotly-plot").count()).toBe(0);
    await copy.screenshot({ path: join(SCREENSHOTS, "jupyterlab-untrusted.png") });
    await copy.close();

    // Trusted but without plotly.js (refused), the renderer shows the bundle's static SVG and says why.
    const degraded = await lab.open(NOTEBOOK, { refusePlotly: true });
    const fallback = shown(degraded).locator(".jp-Cell").nth(0).locator("img.gradlab-plotly-fallback");
    await fallback.waitFor({ timeout: 60_000 });
    expect(await fallback.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await shown(degraded).locator(".jp-Cell").nth(0).locator(".gradlab-plotly-note").textContent()).toContain(
      "plotly.min.js",
    );
    expect(await shown(degraded).locator(".gradlab-plotly .main-svg").count()).toBe(0);
    await degraded.close();

    expect(lab.offsite).toEqual([]);
    expect(lab.pageErrors).toEqual([]);
  }, 600_000); // four page loads of a development build and a kernel run, on a 2-core machine that may be busy
});
