// Every tutorial notebook executed headlessly by `gradlab run` and by nbclient (nbconvert --execute), failing on any
// error output; the key numbers stated in each notebook are checked on the executed outputs; the HTML pages render;
// exercise checks are green with the reference answers injected. GRADLAB_NOTEBOOKS=14_,15_ runs only the notebooks
// whose names start with one of those prefixes (for working on a few; CI runs them all).
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, hasJupyter, requireTool } from "../helpers/require.js";
import { launchChromium, openOffline } from "../cli/runner/browser.js";
import { validateWithNbformat } from "../cli/runner/nbformat.js";
import { codeCellsUnexecuted, exerciseVerdicts, loadNotebook, parameterNames, plotCount, problems, summaryOf } from "./executed.js";
import { answerParameters, EXERCISE_ANSWERS } from "./exercise_answers.js";
import { KEY_NUMBERS } from "./key_numbers.js";
import { lintNotebook } from "./lint.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ONLY = (process.env.GRADLAB_NOTEBOOKS ?? "").split(",").filter(Boolean);
const NOTEBOOKS = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"))
  .filter((f) => ONLY.length === 0 || ONLY.some((prefix) => f.startsWith(prefix))).sort();
const STEMS = NOTEBOOKS.map((f) => f.replace(/\.ipynb$/, ""));
const ENGINE_BUILT = requireTool("the built kernel in dist/ (npm run build)", existsSync(join(ROOT, "dist/kernel/engine/index.js")));
const SUITE_TIMEOUT = 15 * 60_000;
const run = promisify(execFile);

function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (output += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (output += t));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("notebook sources", () => {
  it("every committed .ipynb is generated from notebooks/src and has no outputs", async () => {
    await run(process.execPath, [join(ROOT, "notebooks/src/build.mjs"), "--check"]);
    for (const f of NOTEBOOKS) {
      const cells = loadNotebook(join(ROOT, "notebooks", f)).cells.filter((c) => c.cell_type === "code");
      expect(cells.filter((c) => (c.outputs as unknown[]).length > 0 || c.execution_count !== null).length, f).toBe(0);
    }
    expect(NOTEBOOKS.length).toBeGreaterThan(0);
  });

  it("every notebook has key-number checks", () => {
    expect(STEMS.filter((s) => !KEY_NUMBERS[s])).toEqual([]);
  });

  it("the test holds a reference answer for each exercise a parameters cell declares, and no other", () => {
    for (const stem of STEMS) {
      const declared = parameterNames(loadNotebook(join(ROOT, "notebooks", `${stem}.ipynb`))).sort();
      expect(declared, stem).toEqual(Object.keys(EXERCISE_ANSWERS[stem] ?? {}).sort());
    }
    const names = Object.values(EXERCISE_ANSWERS).flatMap((a) => Object.keys(a));
    expect(new Set(names).size).toBe(names.length);
  });
});

/** With the reference answers injected every exercise check is green; without them none may be red. */
function checkExecuted(label: string, dir: () => string, answered: boolean) {
  it.each(STEMS)(`${label}: %s ran every cell without errors and states the right numbers`, (stem) => {
    const nb = loadNotebook(join(dir(), `${stem}.ipynb`));
    expect(problems(nb)).toEqual([]);
    expect(codeCellsUnexecuted(nb)).toBe(0);
    KEY_NUMBERS[stem]!(summaryOf(nb));
  });
  it.each(STEMS)(`${label}: %s's exercise checks are ${answered ? "green with the reference answers" : "not red without answers"}`, (stem) => {
    const verdicts = exerciseVerdicts(loadNotebook(join(dir(), `${stem}.ipynb`)));
    expect(verdicts.length).toBeGreaterThanOrEqual(Object.keys(EXERCISE_ANSWERS[stem] ?? {}).length);
    if (answered) expect(verdicts.filter((v) => v.status !== "correct")).toEqual([]);
    else expect(verdicts.filter((v) => v.status === "incorrect")).toEqual([]);
  });
  it.each(STEMS)(`${label}: %s passes the notebook lint (Markdown, math, figures)`, (stem) => {
    expect(lintNotebook(loadNotebook(join(dir(), `${stem}.ipynb`)))).toEqual([]);
  });
}

describe.skipIf(!ENGINE_BUILT)("gradlab run notebooks/*.ipynb --out DIR --html", () => {
  let outDir = "";
  let result: { code: number | null; output: string };
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "gradlab-notebooks-run-"));
    const started = Date.now();
    result = await runProcess(process.execPath, [join(ROOT, "bin/gradlab.js"), "run", ...NOTEBOOKS.map((f) => `notebooks/${f}`), "--out", outDir, "--html", "--jobs", "2",
      ...answerParameters().flatMap((p) => ["-p", p]),
      // Errors are recorded, not fatal, so one broken notebook does not hide the others; each one's outputs are checked below.
      "--allow-errors"]);
    console.log(`gradlab run: ${NOTEBOOKS.length} notebooks in ${((Date.now() - started) / 1000).toFixed(1)} s (2 jobs)`);
  }, SUITE_TIMEOUT);

  it("exits 0", () => {
    expect(result.code, result.output).toBe(0);
  });

  checkExecuted("gradlab run", () => outDir, true);

  it.skipIf(!requireTool("jupyter (python3-nbformat)", hasJupyter()))("writes valid nbformat 4 notebooks", () => {
    validateWithNbformat(...NOTEBOOKS.map((f) => join(outDir, f)));
  });

  describe.skipIf(!requireTool("chromium", hasChromium()))("HTML pages in headless Chromium, offline", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it.each(STEMS)("%s: every plot is drawn, math typeset, no network, no script errors", async (stem) => {
      const plots = plotCount(loadNotebook(join(outDir, `${stem}.ipynb`)));
      const { page, blocked, pageErrors } = await openOffline(browser, join(outDir, `${stem}.html`));
      if (plots > 0) {
        await page.waitForFunction(() => (window as unknown as { gradlabPlotsRendered?: number }).gradlabPlotsRendered !== undefined, null, { timeout: 60_000 });
        expect(await page.evaluate(() => (window as unknown as { gradlabPlotsRendered: number }).gradlabPlotsRendered)).toBe(plots);
        expect(await page.locator(".plot .main-svg").count()).toBeGreaterThanOrEqual(plots);
      }
      expect(await page.locator(".katex").count()).toBeGreaterThan(0);
      expect(await page.locator(".katex-error").count()).toBe(0);
      const shot = await page.screenshot({ path: join(outDir, `${stem}.png`), fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
      expect(pageErrors).toEqual([]);
      expect(blocked).toEqual([]);
    }, 120_000);
  });
});

describe.skipIf(!ENGINE_BUILT || !requireTool("jupyter (nbconvert)", hasJupyter()))("nbclient: jupyter nbconvert --execute", () => {
  let outDir = "";
  let result: { code: number | null; output: string };
  beforeAll(async () => {
    const prefix = await mkdtemp(join(tmpdir(), "gradlab-kernelspec-"));
    outDir = await mkdtemp(join(tmpdir(), "gradlab-notebooks-nbclient-"));
    await run(process.execPath, [join(ROOT, "bin/gradlab.js"), "install", "--prefix", prefix]);
    const env = { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter"), JUPYTER_DATA_DIR: join(prefix, "data"), JUPYTER_CONFIG_DIR: join(prefix, "config") };
    const started = Date.now();
    result = await runProcess("/usr/bin/jupyter", [
      "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=gradlab", "--allow-errors",
      "--ExecutePreprocessor.timeout=300", "--output-dir", outDir, ...NOTEBOOKS.map((f) => `notebooks/${f}`),
    ], env);
    console.log(`nbconvert --execute: ${NOTEBOOKS.length} notebooks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, SUITE_TIMEOUT);

  it("exits 0", () => {
    expect(result.code, result.output).toBe(0);
  });

  checkExecuted("nbclient", () => outDir, false);
});
