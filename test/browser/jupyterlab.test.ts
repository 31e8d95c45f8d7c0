// JupyterLab 4 (assembled from @jupyterlab/*-extension packages, served by jupyterlab_server) in headless Chromium:
// Run All with the gradlab kernel, the plotly plot renders through the gradlab-plotly extension installed by
// `gradlab install`, offline; the graph SVG shows; the saved notebook still shows the plot when reopened.
import { readFileSync } from "node:fs";
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

const NOTEBOOK = "plots.ipynb";
const PLOT = ".jp-OutputArea .gradlab-plotly .main-svg";
// The graph bundle carries image/svg+xml and an <img> text/html: JupyterLab prefers the html one; either is an <img>.
const GRAPH = '.jp-OutputArea-output img[src^="data:image/svg+xml"]';

describe.skipIf(!ok)("JupyterLab 4 with the gradlab-plotly extension", () => {
  let server: RunningServer;
  let browser: Browser;
  let notebookDir: string;
  const offsite: string[] = [];
  const consoleErrors: string[] = [];
  let lastPage: Page | undefined;

  beforeAll(async () => {
    const appDir = await buildLabApp(join(TMP, "lab-app"));
    const home = tempDir("jupyterlab-");
    const dataDir = installGradlab(join(home, "prefix"));
    notebookDir = join(home, "notebooks");
    writeTestNotebook(notebookDir, NOTEBOOK);
    server = await startJupyterServer({
      args: [PYTHON, join(ROOT, "test", "browser", "lab-app", "serve.py"), appDir],
      env: jupyterEnv(dataDir, home),
      rootDir: notebookDir,
      readyPath: "/lab",
      logFile: join(home, "server.log"),
    });
    browser = await launchChromium();
  }, 300_000); // bundling, installing and starting servers on a busy 2-core machine

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      await lastPage?.screenshot({ path: join(TMP, "jupyterlab-failure.png") }).catch(() => undefined);
      console.error(`JupyterLab page errors:\n${consoleErrors.join("\n")}\nserver log: ${server?.logFile}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openNotebook(opts: { refusePlotly?: boolean } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Offline: anything not served by our server is refused, and remembered for the assertion below.
    await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
      offsite.push(route.request().url());
      return route.abort();
    });
    if (opts.refusePlotly) await page.route(/plotly\.min\.js/, (route) => route.abort());
    // jupyter_server 1.23 has no /api/events or /api/me: those 404s are expected and harmless.
    page.on("console", (m) => {
      const text = m.text();
      if (m.type() === "error" && !/api\/events|status of 404/.test(text)) consoleErrors.push(text.slice(0, 300));
    });
    page.on("pageerror", (e) => consoleErrors.push(String(e).slice(0, 300)));
    lastPage = page;
    await page.goto(`${server.baseUrl}/lab/tree/${NOTEBOOK}?token=${server.token}`, {
      waitUntil: "domcontentloaded",
      timeout: 120_000,
    });
    await page.waitForSelector("body[data-gradlab-lab=ready]", { state: "attached", timeout: 90_000 });
    await page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { gradlabLabErrors: string[] }).gradlabLabErrors)).toEqual([]);
    return page;
  }

  async function menu(page: Page, top: string, item: string): Promise<void> {
    await page.locator(".lm-MenuBar-itemLabel", { hasText: new RegExp(`^${top}$`) }).click();
    await page.locator(".lm-Menu-itemLabel", { hasText: new RegExp(`^${item}$`) }).first().click();
  }

  test("Run All: the plot is interactive plotly, the graph SVG shows; saved and reopened, the plot is still there; SVG fallback without plotly.js", async () => {
    const page = await openNotebook();
    // Run All before the kernel is up would open JupyterLab's "Select Kernel" dialog: wait for an idle gradlab kernel.
    await page.waitForFunction(
      () => {
        type Kernel = { name: string; status: string; connectionStatus: string };
        const lab = (window as unknown as { gradlabLab?: { shell: { currentWidget: unknown } } }).gradlabLab;
        const widget = lab?.shell.currentWidget as { sessionContext?: { session?: { kernel?: Kernel } } } | undefined;
        const kernel = widget?.sessionContext?.session?.kernel;
        return kernel?.name === "gradlab" && kernel.connectionStatus === "connected" && kernel.status === "idle";
      },
      undefined,
      { timeout: 120_000 },
    );
    await menu(page, "Run", "Run All Cells");

    await page.waitForSelector(PLOT, { timeout: 120_000 });
    await page.waitForSelector(GRAPH, { timeout: 60_000 });
    // Interactive: plotly's drag layer and mode bar exist, and the static fallback was not used.
    expect(await page.locator(".gradlab-plotly .js-plotly-plot .nsewdrag").count()).toBeGreaterThan(0);
    expect(await page.locator(".gradlab-plotly-fallback").count()).toBe(0);
    // The loss curve has two runs (sgd, adam); the contour plot in the third cell renders too.
    expect(await page.locator(".jp-Cell").nth(0).locator(".gradlab-plotly .scatterlayer .trace").count()).toBe(2);
    await page.locator(".jp-Cell").nth(2).locator(".gradlab-plotly .main-svg").first().waitFor({ timeout: 60_000 });
    const box = await page.locator(PLOT).first().boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(200);
    expect(box?.height ?? 0).toBeGreaterThan(200);
    const graphSize = await page.locator(".jp-Cell").nth(1).locator(GRAPH).first().evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(graphSize[0]).toBeGreaterThan(0);
    expect(graphSize[1]).toBeGreaterThan(0);
    // The live plot: one output, updated in place through the extension while the loop ran, ends with all 300 points.
    const liveCell = page.locator(".jp-Cell").nth(3);
    await expect.poll(() => plotlyPointCount(liveCell.locator(".gradlab-plotly")), { timeout: 120_000 }).toBe(300);
    expect(await liveCell.locator(".jp-OutputArea-output").count()).toBe(1);
    await page.screenshot({ path: join(TMP, "jupyterlab-run-all.png") });
    await page.locator(".jp-Cell").nth(2).screenshot({ path: join(TMP, "jupyterlab-contour.png") });

    // Save, then check what reached the file: the plotly JSON, small, without plotly.js inlined.
    const file = join(notebookDir, NOTEBOOK);
    type Saved = { cells: { outputs: { data?: Record<string, unknown> }[] }[] };
    const readSaved = (): Saved | null => {
      try {
        return JSON.parse(readFileSync(file, "utf8")) as Saved; // null while the server is still writing it
      } catch {
        return null;
      }
    };
    await page.locator(".jp-Notebook").first().click();
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
    await page.close();

    // Reopen from disk in a fresh page: no cell is run, the saved output must render as a plot again.
    const reopened = await openNotebook();
    await reopened.waitForSelector(PLOT, { timeout: 60_000 });
    expect(await reopened.locator(".gradlab-plotly-fallback").count()).toBe(0);
    await reopened.screenshot({ path: join(TMP, "jupyterlab-reopened.png") });
    await reopened.close();

    // Without plotly.js (refused), the renderer shows the bundle's static SVG and says why.
    const degraded = await openNotebook({ refusePlotly: true });
    const fallback = degraded.locator(".jp-Cell").nth(0).locator("img.gradlab-plotly-fallback");
    await fallback.waitFor({ timeout: 60_000 });
    expect(await fallback.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await degraded.locator(".jp-Cell").nth(0).locator(".gradlab-plotly-note").textContent()).toContain(
      "plotly.min.js",
    );
    expect(await degraded.locator(".gradlab-plotly .main-svg").count()).toBe(0);
    await degraded.close();

    expect(offsite).toEqual([]);
  }, 600_000); // three page loads of a 13 MB app and a kernel run, on a 2-core machine that may be busy
});
