// Explorers in the HTML report, offline in headless Chromium: the step slider and Play/Pause of plot.animatePath and
// the precomputed slider of plot.sweep change the plotted data to the expected frame, with no kernel behind the page.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { INotebookContent } from "@jupyterlab/nbformat";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderNotebookPage } from "../../../cli/report/page.js";
import type { FigureSpec } from "../../../lib/display/figure_spec.js";
import { plot } from "../../../lib/display/plot.js";
import { hasChromium, requireTool } from "../../helpers/require.js";
import { launchChromium, openOffline } from "./browser.js";
import { clickSlider } from "../../browser/sliders.js";
import { descent, quad } from "../../fixtures/descent_on_a_bowl.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SHOTS = join(ROOT, "test", ".tmp", "screenshots");
const PLOTLY = "application/vnd.plotly.v1+json";


const STEPS = 24;
const animation = plot.animatePath(quad, { x: [-4.5, 4.5], y: [-1.5, 1.5] },
  { "gradient descent": descent(0.19, STEPS), momentum: descent(0.1, STEPS, 0.8) },
  { title: "Paths, step by step", zLabel: "q", frameMs: 150 });
const RATES = [0.02, 0.05, 0.1, 0.19, 0.21];
const sweep = plot.sweep(RATES, (lr) => plot.lossCurve({ "gradient descent": descent(lr, 40).map(([x, y]) => quad(x, y)) },
  { logY: true, title: "Loss at the chosen learning rate" }), { label: "learning rate" });

const animSpec = animation.bundle()[PLOTLY] as FigureSpec;
const sweepSpec = sweep.bundle()[PLOTLY] as FigureSpec;

const NOTEBOOK: INotebookContent = {
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [
    { id: "a", cell_type: "code", metadata: {}, execution_count: 1, source: "plot.animatePath(...)",
      outputs: [{ output_type: "execute_result", execution_count: 1, metadata: {}, data: animation.bundle() }] },
    { id: "s", cell_type: "code", metadata: {}, execution_count: 2, source: "plot.sweep(...)",
      outputs: [{ output_type: "execute_result", execution_count: 2, metadata: {}, data: sweep.bundle() }] },
  ],
};

/** x and y of trace `k` as plotted now, and the frame plotly last moved to. */
function plotted(page: Page, id: string, k: number): Promise<{ x: unknown; y: unknown; frame: string | undefined; active: number }> {
  return page.evaluate(([id, k]) => {
    const gd = document.getElementById(id as string) as unknown as {
      data: { x: unknown; y: unknown }[];
      _fullLayout: { _currentFrame?: string; sliders: { active: number }[] };
    };
    const t = gd.data[k as number]!;
    return { x: Array.from(t.x as number[]), y: Array.from(t.y as number[]), frame: gd._fullLayout._currentFrame, active: gd._fullLayout.sliders[0]!.active };
  }, [id, k] as const);
}

const frameOf = (spec: FigureSpec, name: string, j: number) => {
  const f = spec.frames!.find((fr) => fr.name === name)!;
  return { x: f.data[j]!.x, y: f.data[j]!.y };
};

describe.skipIf(!requireTool("chromium", hasChromium()))("explorers in the HTML report, offline", () => {
  let browser: Browser;
  let page: Page;
  let result: Awaited<ReturnType<typeof openOffline>>;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    const file = join(mkdtempSync(join(tmpdir(), "gradlab-explorers-")), "explorers.html");
    writeFileSync(file, renderNotebookPage(NOTEBOOK, { title: "explorers.ipynb" }));
    result = await openOffline(browser, file);
    page = result.page;
    await page.waitForFunction(() => (window as unknown as { gradlabPlotsRendered?: number }).gradlabPlotsRendered !== undefined, null, { timeout: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("animatePath: the slider jumps to a step, Play runs to the last step, Pause stops in between", async () => {
    const id = "gradlab-plot-1";
    expect(await page.locator(`#${id} .slider-container`).count()).toBe(1);
    expect(await page.locator(`#${id} .updatemenu-button`).allTextContents()).toEqual(["Play", "Pause"]);
    // Drawn at the last step, as the static image.
    let now = await plotted(page, id, 1);
    expect(now.x).toEqual(frameOf(animSpec, String(STEPS), 0).x);
    const contourPaths = await page.locator(`#${id} .contourlayer path`).count();
    const plotArea = () => page.evaluate((id) => (document.getElementById(id) as unknown as { _fullLayout: { _size: { w: number; h: number } } })._fullLayout._size, id);
    const before = await plotArea();
    expect(contourPaths).toBeGreaterThan(5);

    await clickSlider(page, page.locator(`#${id}`), 0);
    await page.waitForFunction((id) => (document.getElementById(id) as unknown as { data: { x: unknown[] }[] }).data[1]!.x.length === 1, id);
    now = await plotted(page, id, 1);
    expect(now).toMatchObject({ ...frameOf(animSpec, "0", 0), frame: "0", active: 0 });
    expect(await plotted(page, id, 3)).toMatchObject(frameOf(animSpec, "0", 2)); // the other path too
    expect(await page.locator(`#${id} .contourlayer path`).count()).toBeGreaterThan(contourPaths / 2); // level sets kept
    await page.locator(`#${id}`).screenshot({ path: join(SHOTS, "explorer-animate-path-step0.png") });
    expect(await plotArea()).toEqual(before); // a frame's redraw keeps the figure's size

    const at = (step: number) => step / STEPS;
    await clickSlider(page, page.locator(`#${id}`), at(6));
    await page.waitForFunction((id) => (document.getElementById(id) as unknown as { data: { x: unknown[] }[] }).data[1]!.x.length === 7, id);
    expect(await plotted(page, id, 1)).toMatchObject({ ...frameOf(animSpec, "6", 0), frame: "6", active: 6 });

    // Play from step 6, Pause after a few frames: the plot shows the frame plotly stopped at, and the slider agrees.
    await page.locator(`#${id} .updatemenu-button`, { hasText: "Play" }).click();
    await page.waitForTimeout(700);
    await page.locator(`#${id} .updatemenu-button`, { hasText: "Pause" }).click();
    await page.waitForTimeout(400);
    now = await plotted(page, id, 1);
    const paused = Number(now.frame);
    expect(paused).toBeGreaterThan(6);
    expect(paused).toBeLessThan(STEPS);
    expect(now).toMatchObject({ ...frameOf(animSpec, String(paused), 0), active: paused });
    await page.locator(`#${id}`).screenshot({ path: join(SHOTS, "explorer-animate-path-paused.png") });

    // Play again: it resumes and ends on the last step.
    await page.locator(`#${id} .updatemenu-button`, { hasText: "Play" }).click();
    await page.waitForFunction((id) => (document.getElementById(id) as unknown as { _fullLayout: { _currentFrame?: string } })._fullLayout._currentFrame === String(24), id, { timeout: 20_000 });
    await page.waitForTimeout(300);
    expect(await plotted(page, id, 1)).toMatchObject({ ...frameOf(animSpec, String(STEPS), 0), active: STEPS });
    expect(await page.locator(`#${id} .contourlayer path`).count()).toBeGreaterThan(contourPaths / 2);
    await page.locator(`#${id}`).screenshot({ path: join(SHOTS, "explorer-animate-path-played.png") });
  }, 60_000);

  it("sweep: each slider position shows the curve precomputed for that learning rate", async () => {
    const id = "gradlab-plot-2";
    expect(await page.locator(`#${id} .updatemenu-button`).count()).toBe(0);
    expect((await plotted(page, id, 0)).y).toEqual(frameOf(sweepSpec, "0.1", 0).y); // the middle value first
    for (const [i, name] of [[4, "0.21"], [0, "0.02"], [3, "0.19"]] as const) {
      await clickSlider(page, page.locator(`#${id}`), i / (RATES.length - 1));
      await page.waitForFunction(([id, name]) => (document.getElementById(id) as unknown as { _fullLayout: { _currentFrame?: string } })._fullLayout._currentFrame === name, [id, name] as const);
      expect(await plotted(page, id, 0)).toMatchObject({ ...frameOf(sweepSpec, name, 0), active: i });
      // The current-value label is the slider's text that carries the prefix (plotly gives it the step labels' class).
      expect(await page.locator(`#${id} .slider-container text`, { hasText: "learning rate = " }).textContent()).toBe(`learning rate = ${name}`);
      if (name === "0.21") await page.locator(`#${id}`).screenshot({ path: join(SHOTS, "explorer-sweep-learning-rate.png") });
    }
    // Pause interrupts Play, and plotly's button handler leaves the interrupted animate() promise rejected with no
    // reason ("undefined"): console noise from plotly itself, not a failure. Anything else is.
    expect(result.pageErrors.filter((e) => e !== "undefined")).toEqual([]);
    expect(result.blocked).toEqual([]);
  }, 60_000);
});
