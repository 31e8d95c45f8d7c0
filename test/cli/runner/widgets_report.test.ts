// Widgets after a headless run: `gradlab run --html` saves the widget state into the executed notebook (as
// JupyterLab's "Save Widget State" does) and the offline HTML report draws the widgets from it, at their last values.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, requireTool } from "../../helpers/require.js";
import { launchChromium, openOffline } from "./browser.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const cells = [
  `import { widgets, interact, logSlider, intSlider } from "gradlab";`,
  `const ui = interact(({ lr, steps }) => {
  let x = 5;
  for (let i = 0; i < steps; i++) x -= lr * 2 * x;
  return "final x = " + x.toFixed(4);
}, { lr: logSlider(1e-3, 1, 1e-2), steps: intSlider(1, 100, 10) }, { debounceMs: 0 });`,
  `const knob = new widgets.FloatSlider({ min: 0, max: 1, step: 0.05, value: 0.2, description: "knob" });
display(knob);`,
  `knob.value = 0.65;\nui.controls.steps.value = 20;\nawait ui.rerun();`,
];

describe.skipIf(!requireTool("Chromium", hasChromium()))("widgets in `gradlab run --html`", () => {
  let dir: string;
  let executed: { metadata: Record<string, unknown>; cells: { outputs: { data?: Record<string, unknown> }[] }[] };
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gradlab-widgets-report-"));
    const notebook = {
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
      cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null })),
    };
    writeFileSync(join(dir, "explorer.ipynb"), JSON.stringify(notebook));
    const run = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "run", join(dir, "explorer.ipynb"), "--html", "--out", join(dir, "out")], { encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    executed = JSON.parse(readFileSync(join(dir, "out", "explorer.ipynb"), "utf8"));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("the executed notebook carries every widget's final state", () => {
    const doc = (executed.metadata.widgets as Record<string, { version_major: number; state: Record<string, { model_name: string; state: Record<string, unknown> }> }>)["application/vnd.jupyter.widget-state+json"]!;
    expect(doc.version_major).toBe(2);
    const models = Object.values(doc.state);
    const byName = (name: string) => models.filter((m) => m.model_name === name);
    expect(byName("FloatSliderModel").map((m) => m.state.value)).toEqual([0.65]);
    expect(byName("IntSliderModel").map((m) => m.state.value)).toEqual([20]);
    expect(byName("FloatLogSliderModel").map((m) => m.state.value)).toEqual([0.01]);
    const output = byName("OutputModel")[0]!;
    let x = 5;
    for (let i = 0; i < 20; i++) x -= 0.01 * 2 * x;
    expect(output.state.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": `final x = ${x.toFixed(4)}` }, metadata: {} }]);
    // every reference in a saved model points at a saved model
    for (const model of models) {
      for (const value of Object.values(model.state)) {
        for (const ref of [value].flat()) if (typeof ref === "string" && ref.startsWith("IPY_MODEL_")) expect(doc.state[ref.slice(10)]).toBeDefined();
      }
    }
  });

  it("the HTML report draws the widgets offline, at their last values", async () => {
    const { page, blocked, pageErrors } = await openOffline(browser, join(dir, "out", "explorer.html"));
    await page.waitForSelector(".widget-slider", { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll(".widget-slider").length === 3, undefined, { timeout: 30_000 });
    const readouts = await page.$$eval(".widget-readout", (els) => els.map((e) => (e as HTMLElement).innerText.trim() || (e as HTMLInputElement).value));
    expect(readouts).toEqual(expect.arrayContaining(["0.65", "20", "0.0100"])); // the log slider's readout format is ".3g"
    const outputText = await page.$eval(".widget-output", (el) => (el as HTMLElement).innerText);
    let x = 5;
    for (let i = 0; i < 20; i++) x -= 0.01 * 2 * x;
    expect(outputText).toContain(`final x = ${x.toFixed(4)}`);
    await page.screenshot({ path: join(ROOT, "test", ".tmp", "screenshots", "widgets-report.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
    expect(blocked.filter((url) => !/\.(woff2?|ttf|eot|svg)(\?|$)/.test(url))).toEqual([]);
  });
});
