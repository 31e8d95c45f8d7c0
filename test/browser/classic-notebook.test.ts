// Classic Notebook 6 (Debian's jupyter-notebook) in headless Chromium: Run All with the gradlab kernel; the figure's
// text/html fallback draws with plotly.js from the gradlab-plotly nbextension (offline), the graph SVG shows.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { hasChromium, hasJupyter, requireTool } from "../helpers/require.js";
import { PYTHON, TMP, jupyterEnv, launchChromium, startJupyterServer, tempDir, type RunningServer } from "./harness.js";
import { installGradlab, plotlyPointCount, writeTestNotebook } from "./notebook.js";
import { existsSync } from "node:fs";

const ok = requireTool(
  "Chromium + Jupyter classic Notebook (browser test of the classic Notebook)",
  hasChromium() && hasJupyter() && existsSync("/usr/lib/python3/dist-packages/notebook"),
);

const NOTEBOOK = "plots.ipynb";
const PLOT = ".output_html .gradlab-plot .main-svg";
const GRAPH = '.output_subarea img[src^="data:image/svg+xml"]';

describe.skipIf(!ok)("classic Notebook 6 with the gradlab-plotly nbextension", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page | undefined;
  const offsite: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const home = tempDir("classic-");
    const prefix = join(home, "prefix");
    const dataDir = installGradlab(prefix);
    const notebookDir = join(home, "notebooks");
    writeTestNotebook(notebookDir, NOTEBOOK);
    server = await startJupyterServer({
      args: [PYTHON, "-m", "notebook"],
      // `gradlab install --prefix P` enables the nbextension in P/etc/jupyter, which Jupyter reads via JUPYTER_CONFIG_PATH.
      env: { ...jupyterEnv(dataDir, home), JUPYTER_CONFIG_PATH: join(prefix, "etc", "jupyter") },
      rootDir: notebookDir,
      readyPath: "/tree",
      logFile: join(home, "server.log"),
    });
    browser = await launchChromium();
  }, 300_000); // bundling, installing and starting servers on a busy 2-core machine

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      await page?.screenshot({ path: join(TMP, "classic-notebook-failure.png") }).catch(() => undefined);
      console.error(`classic Notebook page errors:\n${pageErrors.join("\n")}\nserver log: ${server?.logFile}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("Run All: plots draw with plotly.js offline (the live one updated in place), the graph SVG shows", async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
      offsite.push(route.request().url());
      return route.abort();
    });
    page.on("pageerror", (e) => pageErrors.push(String(e).slice(0, 300)));
    page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text().slice(0, 300)));
    // Debian's notebook enables the ipywidgets nbextension, which is not installed: that 404 is not ours.
    await page.goto(`${server.baseUrl}/notebooks/${NOTEBOOK}?token=${server.token}`, {
      waitUntil: "domcontentloaded",
      timeout: 120_000,
    });
    // Run All before the kernel is up would queue into nothing: wait for an idle, connected gradlab kernel.
    await page.waitForFunction(
      () => {
        const nb = (window as unknown as { Jupyter?: { notebook?: { kernel?: { name: string; is_connected(): boolean } } } })
          .Jupyter?.notebook;
        return nb?.kernel?.name === "gradlab" && nb.kernel.is_connected() && !!document.querySelector(".kernel_idle_icon");
      },
      undefined,
      { timeout: 120_000 },
    );
    await page.click("#celllink");
    await page.click("#run_all_cells > a");

    await page.waitForSelector(PLOT, { timeout: 120_000 });
    await page.waitForSelector(GRAPH, { timeout: 60_000 });
    expect(await page.locator(".output_html .js-plotly-plot .nsewdrag").count()).toBeGreaterThan(0);
    const box = await page.locator(PLOT).first().boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(200);
    expect(box?.height ?? 0).toBeGreaterThan(200);
    const graph = page.locator(".cell").nth(1).locator(GRAPH).first();
    const size = await graph.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(size[0]).toBeGreaterThan(0);
    expect(size[1]).toBeGreaterThan(0);
    await page.locator(".cell").nth(2).locator(PLOT).first().waitFor({ timeout: 60_000 });
    // The live plot (update_display_data in place): one output, redrawn with plotly, all 300 points at the end.
    const liveCell = page.locator(".cell").nth(3);
    await expect.poll(() => plotlyPointCount(liveCell), { timeout: 120_000 }).toBe(300);
    expect(await liveCell.locator(".output_area").count()).toBe(1);
    await page.screenshot({ path: join(TMP, "classic-notebook-run-all.png"), fullPage: true });
    expect(offsite).toEqual([]);
  }, 600_000); // a kernel run and a notebook page on a 2-core machine that may be busy
});
