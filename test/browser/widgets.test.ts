// Widgets in the builder-built JupyterLab 4.5 with @jupyter-widgets/jupyterlab-manager 5 (protocol 2.1, controls
// 2.0.0): interact() shows a log slider and an Output widget holding a gradlab plotly figure; dragging the slider with
// the mouse makes the kernel re-run the function, and the plot shows the series for the new learning rate.
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { requireTool } from "../helpers/require.js";
import { SCREENSHOTS, hasLabTools, menu, shown, startLab, waitForIdleKernel, type Lab } from "./lab.js";
import { writeNotebook } from "./notebook.js";

const ok = requireTool("Chromium + Jupyter + jupyterlab_server (browser test of widgets in JupyterLab)", hasLabTools());

const NOTEBOOK = "widgets.ipynb";
const STEPS = 30;
// Gradient descent on f(x) = x² from x = 5; the title carries the learning rate the kernel used, as JavaScript prints it.
const CELL =
  'import { interact, logSlider, plot } from "gradlab";\n' +
  "interact(({ lr }) => {\n" +
  "  const xs: number[] = [];\n" +
  "  let x = 5;\n" +
  `  for (let i = 0; i < ${STEPS}; i++) { xs.push(x); x -= lr * 2 * x; }\n` +
  "  return plot.line(xs, { title: `lr = ${lr}` });\n" +
  "}, { lr: logSlider(1e-3, 1, 1e-2) })";

/** The series the cell plots for `lr`, rounded to 6 significant digits as gradlab's figures store them. */
function descent(lr: number): number[] {
  const xs: number[] = [];
  let x = 5;
  for (let i = 0; i < STEPS; i++) {
    xs.push(Number(x.toPrecision(6)));
    x -= lr * 2 * x;
  }
  return xs;
}

interface Drawn {
  lr: number;
  y: number[];
}

/** The learning rate in the drawn plot's title and its trace's y values; null while no plot is drawn. */
function drawn(plot: Locator): Promise<Drawn | null> {
  return plot
    .evaluate((el) => {
      const gd = el as unknown as { data?: { y?: ArrayLike<number> }[]; layout?: { title?: { text?: string } } };
      const title = gd.layout?.title?.text ?? "";
      const y = gd.data?.[0]?.y;
      if (!y || !title.startsWith("lr = ")) return null;
      return { lr: Number(title.slice("lr = ".length)), y: Array.from(y) };
    })
    .catch(() => null);
}

describe.skipIf(!ok)("widgets in JupyterLab 4.5 with @jupyter-widgets/jupyterlab-manager 5", () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab((dir) => writeNotebook(dir, NOTEBOOK, [CELL]));
  }, 300_000); // a webpack build when the app's inputs changed, installing and starting servers on a busy 2-core machine

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      await lab?.lastPage?.screenshot({ path: join(SCREENSHOTS, "jupyterlab-widgets-failure.png") }).catch(() => undefined);
      console.error(`JupyterLab page errors:\n${[...(lab?.pageErrors ?? []), ...(lab?.consoleErrors ?? [])].join("\n")}\nserver log: ${lab?.server.logFile}`);
    }
  });

  afterAll(async () => {
    await lab?.stop();
  });

  test("interact's log slider, dragged with the mouse, re-runs the cell's function and the plot shows the new series", async () => {
    const page = await lab.open(NOTEBOOK);
    await waitForIdleKernel(page);
    await menu(page, "Run", "Run All Cells");

    const output = shown(page).locator(".jp-Cell").nth(0).locator(".jp-OutputArea-output");
    const slider = output.locator(".widget-slider");
    await slider.waitFor({ timeout: 120_000 });
    const plot = output.locator(".widget-output .js-plotly-plot");
    await plot.waitFor({ timeout: 120_000 });

    const before = await drawn(plot);
    expect(before).toEqual({ lr: 0.01, y: descent(0.01) });
    const readout = slider.locator(".widget-readout");
    expect(Number(await readout.textContent())).toBeCloseTo(0.01, 6);

    await shown(page).locator(".jp-Cell").nth(0).screenshot({ path: join(SCREENSHOTS, "jupyterlab-widgets-before.png") });

    // Drag the handle right by 0.4 of the track (exponents -3 to 0): from 10^-2 to about 10^-0.8, a value with more
    // digits than the readout shows.
    const handle = slider.locator(".noUi-handle");
    const track = slider.locator(".noUi-target");
    const [handleBox, trackBox] = [await handle.boundingBox(), await track.boundingBox()];
    if (!handleBox || !trackBox) throw new Error("the slider's handle or track is not laid out");
    const [x0, y0] = [handleBox.x + handleBox.width / 2, handleBox.y + handleBox.height / 2];
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x0 + trackBox.width * 0.4, y0, { steps: 12 });
    await page.mouse.up();

    // The readout shows the value with 3 significant digits; the kernel ran with the exact one, named in the title.
    await expect.poll(async () => Number(await readout.textContent()), { timeout: 30_000 }).toBeGreaterThan(0.05);
    const shownLr = Number(await readout.textContent());
    const matchesReadout = (d: Drawn | null): boolean => d !== null && Math.abs(d.lr - shownLr) / shownLr < 5e-3;
    await expect.poll(async () => matchesReadout(await drawn(plot)), { timeout: 60_000 }).toBe(true);
    const after = await drawn(plot);
    if (!after || !matchesReadout(after)) throw new Error(`the plot shows lr = ${after?.lr}, the slider ${shownLr}`);
    expect(after.y).toEqual(descent(after.lr));
    expect(after.y).not.toEqual(before?.y);
    // Still one slider and one plot: the Output widget replaced its figure instead of adding one.
    expect(await slider.count()).toBe(1);
    expect(await plot.count()).toBe(1);

    await output.first().scrollIntoViewIfNeeded();
    await shown(page).locator(".jp-Cell").nth(0).screenshot({ path: join(SCREENSHOTS, "jupyterlab-widgets.png") });
    await page.close();

    expect(lab.offsite).toEqual([]);
    expect(lab.pageErrors).toEqual([]);
    expect(lab.consoleErrors).toEqual([]);
  }, 600_000); // a page load of a development build and a kernel start, on a 2-core machine that may be busy
});
