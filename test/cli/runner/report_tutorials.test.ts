// Tutorials 07 and 08 through `gradlab run --html`, opened offline in headless Chromium: every figure is drawn with the
// titles its executed notebook states, and screenshots of the first figure land in test/.tmp/screenshots/.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { ICodeCell } from "@jupyterlab/nbformat";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FigureSpec } from "../../../lib/display/figure_spec.js";
import { hasChromium, requireTool } from "../../helpers/require.js";
import { loadNotebook } from "../../notebooks/executed.js";
import { launchChromium, openOffline } from "./browser.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SHOTS = join(ROOT, "test", ".tmp", "screenshots");
const PLOTLY = "application/vnd.plotly.v1+json";
const ENGINE_BUILT = requireTool("the built kernel in dist/ (npm run build)", existsSync(join(ROOT, "dist/kernel/engine/index.js")));
const TUTORIALS = [["07", "07_optimizers_compared"], ["08", "08_vanishing_and_exploding_gradients"]] as const;

interface Titles {
  title: string;
  x: string;
  y: string;
}

/** The figures a notebook's outputs carry, in page order: plotly spec and static SVG. */
function figures(file: string): { spec: FigureSpec; svg: string }[] {
  return loadNotebook(file).cells.filter((c) => c.cell_type === "code").flatMap((c) => (c as ICodeCell).outputs)
    .map((o) => o.data as Record<string, unknown> | undefined)
    .filter((d) => d?.[PLOTLY] !== undefined)
    .map((d) => ({ spec: d![PLOTLY] as FigureSpec, svg: d!["image/svg+xml"] as string }));
}

const titlesOf = (spec: FigureSpec): Titles => ({
  title: spec.layout.title?.text ?? "",
  x: spec.layout.xaxis?.title?.text ?? "",
  y: spec.layout.yaxis?.title?.text ?? "",
});

describe.skipIf(!ENGINE_BUILT || !requireTool("chromium", hasChromium()))("tutorial reports (gradlab run --html) in headless Chromium", () => {
  let outDir = "";
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    outDir = await mkdtemp(join(tmpdir(), "gradlab-report-tutorials-"));
    await promisify(execFile)(process.execPath, [join(ROOT, "bin/gradlab.js"), "run",
      ...TUTORIALS.map(([, stem]) => `notebooks/${stem}.ipynb`), "--out", outDir, "--html", "--jobs", "2"], { cwd: ROOT });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each(TUTORIALS)("%s: every figure is drawn by plotly with its title and axis titles, offline, without page errors", async (nn, stem) => {
    const expected = figures(join(outDir, `${stem}.ipynb`));
    expect(expected.length).toBeGreaterThan(2);
    const { page, blocked, pageErrors } = await openOffline(browser, join(outDir, `${stem}.html`));
    await page.waitForFunction(() => (window as unknown as { gradlabPlotsRendered?: number }).gradlabPlotsRendered !== undefined, null, { timeout: 60_000 });
    const drawn = await page.locator(".plot").evaluateAll((plots) => plots.map((p) => ({
      titles: { title: p.querySelector(".gtitle")?.textContent ?? "", x: p.querySelector(".xtitle")?.textContent ?? "", y: p.querySelector(".ytitle")?.textContent ?? "" },
      traces: p.querySelectorAll(".scatterlayer .trace path.js-line, .scatterlayer .trace path.point").length,
      contours: p.querySelectorAll(".contourlayer path").length,
    })));
    expect(drawn.map((d) => d.titles)).toEqual(expected.map(({ spec }) => titlesOf(spec)));
    expected.forEach(({ spec }, i) => {
      expect(drawn[i]!.traces, `figure ${i + 1}`).toBeGreaterThan(0);
      if (spec.data.some((t) => t.type === "contour")) expect(drawn[i]!.contours, `figure ${i + 1}`).toBeGreaterThan(5);
    });
    await page.locator(".plot").first().screenshot({ path: join(SHOTS, `report-${nn}-figure.png`) });
    expect(pageErrors).toEqual([]);
    expect(blocked).toEqual([]);

    // The static SVG of the same figure, as nbconvert and untrusted notebooks show it.
    const svgFile = join(outDir, `${stem}-figure.svg`);
    writeFileSync(svgFile, expected[0]!.svg);
    const still = await openOffline(browser, svgFile);
    const svgTitles = await still.page.locator("svg").first().evaluate((svg) => ({
      title: svg.querySelector(".title")?.textContent ?? "", x: svg.querySelector(".xtitle")?.textContent ?? "", y: svg.querySelector(".ytitle")?.textContent ?? "",
    }));
    expect(svgTitles).toEqual(titlesOf(expected[0]!.spec));
    if (expected[0]!.spec.data.some((t) => t.type === "contour")) expect(await still.page.locator("path.contour").count()).toBeGreaterThan(5);
    await still.page.locator("svg").first().screenshot({ path: join(SHOTS, `report-${nn}-figure-static.png`) });
    expect(still.pageErrors).toEqual([]);
  }, 60_000);
});
