// Kernel-free explorers in the builder-built JupyterLab: a plot.sweep figure run in a cell carries its precomputed
// frames through the gradlab-plotly renderer, so clicking its slider shows the curve computed for that value.
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { FigureSpec } from "../../lib/display/figure_spec.js";
import { plot } from "../../lib/display/plot.js";
import { requireTool } from "../helpers/require.js";
import { SCREENSHOTS, hasLabTools, menu, shown, startLab, waitForIdleKernel, type Lab } from "./lab.js";
import { writeNotebook } from "./notebook.js";
import { clickSlider } from "./sliders.js";

const ok = requireTool("Chromium + Jupyter + jupyterlab_server (browser test of explorers in JupyterLab)", hasLabTools());

const NOTEBOOK = "explorer.ipynb";
const RATES = [0.05, 0.2, 0.5, 0.9];
// The same function in the cell and here: gradient descent on x² from x = 5, 20 steps.
const descent = (lr: number): number[] => {
  const xs: number[] = [];
  let x = 5;
  for (let i = 0; i < 20; i++) {
    xs.push(x);
    x -= lr * 2 * x;
  }
  return xs;
};
const CELL =
  'import { plot } from "gradlab";\n' +
  "const descent = (lr: number): number[] => {\n" +
  "  const xs: number[] = [];\n" +
  "  let x = 5;\n" +
  "  for (let i = 0; i < 20; i++) { xs.push(x); x -= lr * 2 * x; }\n" +
  "  return xs;\n" +
  "};\n" +
  `plot.sweep(${JSON.stringify(RATES)}, (lr) => plot.line(descent(lr), { title: "x per step", xLabel: "step", yLabel: "x" }), { label: "learning rate" })`;
const expected = plot.sweep(RATES, (lr) => plot.line(descent(lr), { title: "x per step", xLabel: "step", yLabel: "x" }), { label: "learning rate" })
  .bundle()["application/vnd.plotly.v1+json"] as FigureSpec;

const drawnY = (figure: Locator): Promise<number[]> =>
  figure.evaluate((el) => Array.from((el as unknown as { data: { y: number[] }[] }).data[0]!.y));

describe.skipIf(!ok)("kernel-free explorers in JupyterLab 4.5", () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab((dir) => writeNotebook(dir, NOTEBOOK, [CELL]));
  }, 300_000);

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      await lab?.lastPage?.screenshot({ path: join(SCREENSHOTS, "jupyterlab-explorer-failure.png") }).catch(() => undefined);
      console.error(`JupyterLab page errors:\n${[...(lab?.pageErrors ?? []), ...(lab?.consoleErrors ?? [])].join("\n")}`);
    }
  });

  afterAll(async () => {
    await lab?.stop();
  });

  test("a plot.sweep figure's slider shows each precomputed curve", async () => {
    const page = await lab.open(NOTEBOOK);
    await waitForIdleKernel(page);
    await menu(page, "Run", "Run All Cells");
    const figure = shown(page).locator(".jp-Cell").nth(0).locator(".js-plotly-plot");
    await figure.waitFor({ timeout: 60_000 });
    await figure.locator(".slider-container").waitFor({ timeout: 30_000 });
    const frame = (i: number) => expected.frames![i]!.data[0]!.y as number[];

    await clickSlider(page, figure, 0);
    await expect.poll(() => drawnY(figure), { timeout: 20_000 }).toEqual(frame(0));
    await clickSlider(page, figure, 1);
    await expect.poll(() => drawnY(figure), { timeout: 20_000 }).toEqual(frame(RATES.length - 1));
    expect(frame(0)).not.toEqual(frame(RATES.length - 1));
    await shown(page).locator(".jp-Cell").nth(0).screenshot({ path: join(SCREENSHOTS, "jupyterlab-explorer-sweep.png") });
    await page.close();
    expect(lab.offsite).toEqual([]);
    expect(lab.pageErrors).toEqual([]);
  }, 600_000);
});
