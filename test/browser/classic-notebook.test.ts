// Classic Notebook 6 (Debian's jupyter-notebook) in headless Chromium: Run All with the gradlab kernel; the figure's
// text/html fallback draws with plotly.js from the gradlab-plotly nbextension (offline), the graph SVG shows.
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { requireTool } from "../helpers/require.js";
import { hasClassicTools, startClassic, type Classic } from "./classic.js";
import { TMP } from "./harness.js";
import { plotlyPointCount, writeTestNotebook } from "./notebook.js";

const ok = requireTool("Chromium + Jupyter classic Notebook (browser test of the classic Notebook)", hasClassicTools());

const NOTEBOOK = "plots.ipynb";
const PLOT = ".output_html .gradlab-plot .main-svg";
const GRAPH = '.output_subarea img[src^="data:image/svg+xml"]';

describe.skipIf(!ok)("classic Notebook 6 with the gradlab-plotly nbextension", () => {
  let classic: Classic;

  beforeAll(async () => {
    classic = await startClassic((dir) => writeTestNotebook(dir, NOTEBOOK));
  }, 300_000); // bundling, installing and starting servers on a busy 2-core machine

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      await classic?.lastPage?.screenshot({ path: join(TMP, "classic-notebook-failure.png") }).catch(() => undefined);
      console.error(`classic Notebook errors:\n${[...(classic?.pageErrors ?? []), ...(classic?.consoleErrors ?? [])].join("\n")}\nserver log: ${classic?.server.logFile}`);
    }
  });

  afterAll(async () => {
    await classic?.stop();
  });

  test("Run All: plots draw with plotly.js offline (the live one updated in place), the graph SVG shows", async () => {
    const page = await classic.open(NOTEBOOK);
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
    expect(classic.offsite).toEqual([]);
  }, 600_000); // a kernel run and a notebook page on a 2-core machine that may be busy
});
