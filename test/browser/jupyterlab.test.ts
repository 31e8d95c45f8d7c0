// JupyterLab 4.5 built with @jupyterlab/builder (webpack module-federation host, test/browser/lab-app), served by Debian's
// jupyterlab_server, in headless Chromium: the gradlab-plotly extension installed by `gradlab install` is discovered
// from the labextensions path like any prebuilt extension; Run All draws interactive plotly figures (hover labels
// included), the saved notebook draws them again after a reload, and an untrusted copy shows the static images.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { hasChromium, hasJupyter, requireTool } from "../helpers/require.js";
import { buildLabApp } from "./lab-app/build.mjs";
import {
  PYTHON, ROOT, TMP, hasJupyterLabServer, jupyterEnv, launchChromium, startJupyterServer, tempDir,
  type RunningServer,
} from "./harness.js";
import { PLOTLY_MIME, installGradlab, plotlyPointCount, writeTestNotebook } from "./notebook.js";

const ok = requireTool(
  "Chromium + Jupyter + jupyterlab_server (browser test of JupyterLab)",
  hasChromium() && hasJupyter() && hasJupyterLabServer(),
);

const SCREENSHOTS = join(TMP, "screenshots");
const NOTEBOOK = "plots.ipynb";
const PLOT = ".jp-OutputArea .gradlab-plotly .main-svg";
// The graph bundle carries image/svg+xml and an <img> text/html: JupyterLab prefers the html one; either is an <img>.
const GRAPH = '.jp-OutputArea-output img[src^="data:image/svg+xml"]';

describe.skipIf(!ok)("JupyterLab 4.5 (builder-built host) with the gradlab-plotly extension", () => {
  let server: RunningServer;
  let browser: Browser;
  let notebookDir: string;
  const offsite: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  let lastPage: Page | undefined;
  let pages = 0;

  beforeAll(async () => {
    const appDir = await buildLabApp(join(TMP, "lab-app"));
    const home = tempDir("jupyterlab-");
    // The kernelspec and the prebuilt extension land in <prefix>/share/jupyter, which JUPYTER_PATH puts first in
    // jupyter_path("kernels") and jupyter_path("labextensions"), where the server discovers them.
    const dataDir = installGradlab(join(home, "prefix"));
    notebookDir = join(home, "notebooks");
    writeTestNotebook(notebookDir, NOTEBOOK);
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startJupyterServer({
      args: [PYTHON, join(ROOT, "test", "browser", "lab-app", "serve.py"), appDir],
      env: jupyterEnv(dataDir, home),
      rootDir: notebookDir,
      readyPath: "/lab",
      logFile: join(home, "server.log"),
    });
    browser = await launchChromium();
  }, 300_000); // a webpack build when the app's inputs changed, installing and starting servers on a busy 2-core machine

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      await lastPage?.screenshot({ path: join(SCREENSHOTS, "jupyterlab-failure.png") }).catch(() => undefined);
      console.error(`JupyterLab page errors:\n${[...pageErrors, ...consoleErrors].join("\n")}\nserver log: ${server?.logFile}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openNotebook(name: string, opts: { refusePlotly?: boolean } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Offline: anything not served by our server is refused, and remembered for the assertion below.
    await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
      offsite.push(route.request().url());
      return route.abort();
    });
    if (opts.refusePlotly) await page.route(/plotly\.min\.js/, (route) => route.abort());
    // jupyter_server 1.23 has no /api/events, /api/me or /lsp/status: those 404s are expected and harmless.
    page.on("console", (m) => {
      const text = m.text();
      if (m.type() === "error" && !/api\/events|status of 404/.test(text)) consoleErrors.push(text.slice(0, 300));
    });
    page.on("pageerror", (e) => pageErrors.push(String(e).slice(0, 300)));
    lastPage = page;
    // A workspace of its own per page, or JupyterLab would restore the notebooks earlier pages opened, in other tabs.
    const workspace = `page-${++pages}`;
    await page.goto(`${server.baseUrl}/lab/workspaces/${workspace}/tree/${name}?token=${server.token}`, {
      waitUntil: "domcontentloaded",
      timeout: 120_000,
    });
    // page_config.json sets exposeAppInBrowser, so the application is window.jupyterapp once started.
    await page.waitForFunction(() => "jupyterapp" in window, undefined, { timeout: 90_000 });
    await page.evaluate(() => (window as unknown as { jupyterapp: { restored: Promise<void> } }).jupyterapp.restored);
    await shown(page).locator(".jp-Notebook .jp-Cell").first().waitFor({ timeout: 60_000 });
    expect(await page.locator(".jp-NotebookPanel").count()).toBe(1);
    // The extension came in through the server's federated_extensions list, as a webpack container.
    expect(await page.evaluate(() => Object.keys((window as unknown as { _JUPYTERLAB: object })._JUPYTERLAB))).toContain(
      "gradlab-plotly",
    );
    return page;
  }

  /** The notebook on screen: the default workspace reopens earlier notebooks too, in hidden tabs. */
  const shown = (page: Page) => page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)");

  async function menu(page: Page, top: string, item: string): Promise<void> {
    await page.locator(".lm-MenuBar-itemLabel", { hasText: new RegExp(`^${top}$`) }).click();
    await page.locator(".lm-Menu-itemLabel", { hasText: new RegExp(`^${item}$`) }).first().click();
  }

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
    const page = await openNotebook(NOTEBOOK);
    // Run All before the kernel is up would open JupyterLab's "Select Kernel" dialog: wait for an idle gradlab kernel.
    await page.waitForFunction(
      () => {
        type Kernel = { name: string; status: string; connectionStatus: string };
        const lab = (window as unknown as { jupyterapp?: { shell: { currentWidget: unknown } } }).jupyterapp;
        const widget = lab?.shell.currentWidget as { sessionContext?: { session?: { kernel?: Kernel } } } | undefined;
        const kernel = widget?.sessionContext?.session?.kernel;
        return kernel?.name === "gradlab" && kernel.connectionStatus === "connected" && kernel.status === "idle";
      },
      undefined,
      { timeout: 120_000 },
    );
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
    const file = join(notebookDir, NOTEBOOK);
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
    writeFileSync(join(notebookDir, untrusted), JSON.stringify({ ...saved, metadata: { ...saved.metadata, copied: true } }));
    const copy = await openNotebook(untrusted);
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
    const degraded = await openNotebook(NOTEBOOK, { refusePlotly: true });
    const fallback = shown(degraded).locator(".jp-Cell").nth(0).locator("img.gradlab-plotly-fallback");
    await fallback.waitFor({ timeout: 60_000 });
    expect(await fallback.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await shown(degraded).locator(".jp-Cell").nth(0).locator(".gradlab-plotly-note").textContent()).toContain(
      "plotly.min.js",
    );
    expect(await shown(degraded).locator(".gradlab-plotly .main-svg").count()).toBe(0);
    await degraded.close();

    expect(offsite).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 600_000); // four page loads of a development build and a kernel run, on a 2-core machine that may be busy
});
