// Kernel-free explorers in Debian's classic Notebook 6, from a saved, trusted notebook that nobody runs: the
// plot.animatePath and plot.sweep outputs draw with the gradlab-plotly nbextension and their sliders show the frames.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { FigureSpec } from "../../lib/display/figure_spec.js";
import { plot } from "../../lib/display/plot.js";
import { descent, quad } from "../fixtures/descent_on_a_bowl.js";
import { requireTool } from "../helpers/require.js";
import { hasClassicTools, startClassic, type Classic } from "./classic.js";
import { PYTHON } from "./harness.js";
import { SCREENSHOTS } from "./lab.js";
import { PLOTLY_MIME, writeNotebook } from "./notebook.js";
import { clickSlider } from "./sliders.js";

const ok = requireTool("Chromium + Jupyter classic Notebook (browser test of explorers in the classic Notebook)", hasClassicTools());

const NOTEBOOK = "explorers.ipynb";
const STEPS = 12;
const RATES = [0.02, 0.05, 0.1, 0.19];
const animation = plot.animatePath(quad, { x: [-4.5, 4.5], y: [-1.5, 1.5] }, { "gradient descent": descent(0.19, STEPS) },
  { title: "Paths, step by step", zLabel: "q" });
const sweep = plot.sweep(RATES, (lr) => plot.lossCurve({ "gradient descent": descent(lr, 30).map(([x, y]) => quad(x, y)) },
  { logY: true, title: "Loss at the chosen learning rate" }), { label: "learning rate" });
const animSpec = animation.bundle()[PLOTLY_MIME] as FigureSpec;
const sweepSpec = sweep.bundle()[PLOTLY_MIME] as FigureSpec;

const frame = (spec: FigureSpec, name: string, j: number): { x: unknown; y: unknown } => {
  const f = spec.frames!.find((fr) => fr.name === name)!;
  return { x: f.data[j]!.x, y: f.data[j]!.y };
};

/** x and y of trace `k` as the figure shows them now. */
const drawn = (figure: Locator, k: number): Promise<{ x: unknown; y: unknown }> =>
  figure.evaluate((el, k) => {
    const t = (el as unknown as { data: { x: number[]; y: number[] }[] }).data[k]!;
    return { x: Array.from(t.x), y: Array.from(t.y) };
  }, k);

describe.skipIf(!ok)("kernel-free explorers in the classic Notebook 6, from a saved notebook", () => {
  let classic: Classic;

  beforeAll(async () => {
    let file = "";
    const write = (dir: string): void => {
      file = writeNotebook(dir, NOTEBOOK, ["plot.animatePath(...)", "plot.sweep(...)"], [animation.bundle(), sweep.bundle()]);
    };
    // Outputs saved elsewhere are untrusted (their scripts never run); nbformat's `jupyter trust` app (Debian ships no
    // jupyter-trust command) signs them for this server.
    const sign = (env: NodeJS.ProcessEnv): void => {
      const trust = spawnSync(PYTHON, ["-c", "from nbformat.sign import main; main()", file], { env, encoding: "utf8" });
      if (trust.status !== 0) throw new Error(`signing ${file} failed: ${trust.stderr}`);
    };
    classic = await startClassic(write, sign);
  }, 300_000);

  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      await classic?.lastPage?.screenshot({ path: join(SCREENSHOTS, "classic-explorers-failure.png") }).catch(() => undefined);
      console.error(`classic Notebook errors:\n${[...(classic?.pageErrors ?? []), ...(classic?.consoleErrors ?? [])].join("\n")}\nserver log: ${classic?.server.logFile}`);
    }
  });

  afterAll(async () => {
    await classic?.stop();
  });

  test("the saved animatePath and sweep figures draw with plotly and their sliders show each frame", async () => {
    const page = await classic.open(NOTEBOOK);
    const figures = page.locator(".output_html .gradlab-plot.js-plotly-plot");
    await figures.nth(1).locator(".slider-container").waitFor({ timeout: 60_000 });
    expect(await figures.count()).toBe(2);

    // animatePath: drawn at the last step; the slider goes back to the start and to step 5.
    const path = figures.nth(0);
    expect(await drawn(path, 1)).toEqual(frame(animSpec, String(STEPS), 0));
    expect(await path.locator(".contourlayer path").count()).toBeGreaterThan(5);
    await clickSlider(page, path, 0);
    await expect.poll(() => drawn(path, 1), { timeout: 20_000 }).toEqual(frame(animSpec, "0", 0));
    await clickSlider(page, path, 5 / STEPS);
    await expect.poll(() => drawn(path, 1), { timeout: 20_000 }).toEqual(frame(animSpec, "5", 0));
    expect(await path.locator(".contourlayer path").count()).toBeGreaterThan(5); // the level sets stay
    await path.screenshot({ path: join(SCREENSHOTS, "classic-explorer-animate-path.png") });

    // sweep: each slider position shows the loss curve precomputed for that learning rate.
    const rates = figures.nth(1);
    for (const i of [RATES.length - 1, 0]) {
      await clickSlider(page, rates, i / (RATES.length - 1));
      await expect.poll(() => drawn(rates, 0), { timeout: 20_000 }).toEqual(frame(sweepSpec, String(RATES[i]), 0));
    }
    expect(frame(sweepSpec, String(RATES[0]), 0)).not.toEqual(frame(sweepSpec, String(RATES[RATES.length - 1]), 0));
    await rates.screenshot({ path: join(SCREENSHOTS, "classic-explorer-sweep.png") });
    expect(classic.pageErrors).toEqual([]);
    expect(classic.offsite).toEqual([]);
  }, 180_000);
});
