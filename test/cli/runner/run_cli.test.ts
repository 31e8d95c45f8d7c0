// `gradlab run` end to end: the real CLI, real kernels over ZeroMQ, checked outputs on disk.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { describe, expect, it } from "vitest";
import { hasJupyter, requireTool } from "../../helpers/require.js";
import { validateWithNbformat } from "./nbformat.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const ENGINE_BUILT = requireTool("the built kernel in dist/ (npm run build)", existsSync(join(ROOT, "dist/kernel/engine/index.js")));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function gradlabRun(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/gradlab.js"), "run", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

type CellSpec = string | { markdown: string } | { code: string; tags: string[] };

function notebook(cells: CellSpec[]): INotebookContent {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
    cells: cells.map((c, i) => {
      if (typeof c === "object" && "markdown" in c) return { id: `c${i}`, cell_type: "markdown", metadata: {}, source: c.markdown };
      const code = typeof c === "string" ? c : c.code;
      const tags = typeof c === "string" ? [] : c.tags;
      return { id: `c${i}`, cell_type: "code", metadata: tags.length ? { tags } : {}, execution_count: null, outputs: [], source: code };
    }),
  };
}

async function writeNotebook(dir: string, name: string, cells: CellSpec[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(notebook(cells), null, 1));
  return file;
}

async function readJson(file: string): Promise<INotebookContent> {
  return JSON.parse(await readFile(file, "utf8")) as INotebookContent;
}

const codeCells = (nb: INotebookContent) => nb.cells.filter((c) => c.cell_type === "code") as ICodeCell[];
const textOf = (cell: ICodeCell) => JSON.stringify(cell.outputs);

// Each test starts one or two fresh kernels; on a loaded machine a cold kernel needs tens of seconds.
describe.skipIf(!ENGINE_BUILT)("gradlab run", { timeout: 240_000 }, () => {
  it("executes cells in order on one kernel, writes a valid nbformat 4 notebook and an HTML page", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-run-"));
    const file = await writeNotebook(dir, "ok.ipynb", [
      { markdown: "# Title with $x^2$" },
      "const xs = [1, 2, 3];\nconsole.log('sum', xs.reduce((a, b) => a + b, 0));",
      "xs.map((x) => x * 10)",
    ]);
    const res = await gradlabRun([file, "--out", join(dir, "out"), "--html"]);
    expect(res.stderr).toContain("cell 2 of 2");
    expect(res.code, res.stderr).toBe(0);
    const out = join(dir, "out", "ok.ipynb");
    const nb = await readJson(out);
    const [first, second] = codeCells(nb);
    expect(first!.execution_count).toBe(1);
    expect(first!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "sum 6\n" }]);
    expect(second!.outputs[0]!.output_type).toBe("execute_result");
    expect(textOf(second!)).toContain("30");
    expect(nb.metadata.language_info?.name).toBe("typescript");
    if (requireTool("jupyter (python3-nbformat)", hasJupyter())) validateWithNbformat(out);
    const html = await readFile(join(dir, "out", "ok.html"), "utf8");
    expect(html).toContain("katex");
    expect(res.stdout).toContain(out);
  });

  it("fails on the first error naming the notebook, cell, error and traceback, and overwrites nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-run-"));
    const file = await writeNotebook(dir, "bad.ipynb", [
      { markdown: "intro" },
      "const a = 1;",
      "function explode(): number {\n  throw new RangeError('value out of range: 42');\n}\nexplode();",
      "console.log('never runs');",
    ]);
    const outDir = join(dir, "out");
    await gradlabRun([await writeNotebook(dir, "placeholder.ipynb", ["1"]), "--out", outDir]);
    await writeFile(join(outDir, "bad.ipynb"), "previous result");
    const res = await gradlabRun([file, "--out", outDir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${file}: cell 3 (code cell 2 of 3) failed: RangeError: value out of range: 42`);
    expect(res.stderr).toMatch(/explode/);
    expect(await readFile(join(outDir, "bad.ipynb"), "utf8")).toBe("previous result");
  });

  it("--allow-errors records the error and keeps going", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-run-"));
    const file = await writeNotebook(dir, "errs.ipynb", ["throw new Error('first');", "console.log('after');"]);
    const res = await gradlabRun([file, "--allow-errors"]);
    expect(res.code, res.stderr).toBe(0);
    const [failed, after] = codeCells(await readJson(file));
    expect(failed!.outputs.some((o) => o.output_type === "error" && o.evalue === "first")).toBe(true);
    expect(after!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "after\n" }]);
  });

  it("--timeout interrupts a runaway cell, says so, and the kernel keeps earlier state", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-run-"));
    const file = await writeNotebook(dir, "loop.ipynb", ["let kept = 7;", "while (true) {}", "console.log('kept', kept);"]);
    // Generous limit: the first cell of a fresh kernel also pays for starting the type checker.
    const failing = await gradlabRun([file, "--timeout", "30", "--out", join(dir, "strict")]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/cell 2 \(code cell 2 of 3\) failed: CellTimeoutError: timed out: the cell exceeded the 30 s timeout and was interrupted/);
    expect(existsSync(join(dir, "strict", "loop.ipynb"))).toBe(false);
    const lenient = await gradlabRun([file, "--timeout", "30", "--allow-errors", "--out", join(dir, "lenient")]);
    expect(lenient.code).toBe(0);
    const cells = codeCells(await readJson(join(dir, "lenient", "loop.ipynb")));
    expect(textOf(cells[1]!)).toContain("the cell exceeded the 30 s timeout and was interrupted");
    expect(cells[2]!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "kept 7\n" }]);
  });

  it("-p injects a tagged cell after the parameters cell, values as JSON or strings", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-run-"));
    const file = await writeNotebook(dir, "params.ipynb", [
      { code: "const lr = 0.1;\nconst name = 'sgd';", tags: ["parameters"] },
      "console.log(lr * 10, name, typeof lr);",
    ]);
    const res = await gradlabRun([file, "--out", join(dir, "out"), "-p", "lr=0.5", "-p", "name=adam"]);
    expect(res.code, res.stderr).toBe(0);
    const nb = await readJson(join(dir, "out", "params.ipynb"));
    expect(nb.cells[1]!.metadata.tags).toEqual(["injected-parameters"]);
    expect(codeCells(nb)[2]!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "5 adam number\n" }]);
    if (requireTool("jupyter (python3-nbformat)", hasJupyter())) validateWithNbformat(join(dir, "out", "params.ipynb"));
  });

  it("--jobs 2 runs notebooks at the same time, one kernel each", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-run-"));
    const cells = ["const t0 = Date.now(); await new Promise((r) => setTimeout(r, 3000)); console.log(JSON.stringify([t0, Date.now(), process.pid]));"];
    const a = await writeNotebook(dir, "a.ipynb", cells);
    const b = await writeNotebook(dir, "b.ipynb", cells);
    const res = await gradlabRun([a, b, "--jobs", "2", "--out", join(dir, "out")]);
    expect(res.code, res.stderr).toBe(0);
    const spans = await Promise.all(["a", "b"].map(async (n) => {
      const out = codeCells(await readJson(join(dir, "out", `${n}.ipynb`)))[0]!.outputs[0] as { text: string };
      return JSON.parse(out.text) as [number, number, number];
    }));
    const [[a0, a1, pidA], [b0, b1, pidB]] = spans as [[number, number, number], [number, number, number]];
    expect(pidA).not.toBe(pidB);
    expect(Math.max(a0, b0)).toBeLessThan(Math.min(a1, b1)); // the two cells' run intervals overlap
  });

  it("rejects invalid JSON and non-nbformat-4 files naming the file, writing nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-run-"));
    const broken = join(dir, "broken.ipynb");
    await writeFile(broken, '{"cells": [');
    const res = await gradlabRun([broken]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${broken}: not valid JSON`);
    expect(await readFile(broken, "utf8")).toBe('{"cells": [');
    const v3 = join(dir, "v3.ipynb");
    await writeFile(v3, JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }));
    const res3 = await gradlabRun([v3]);
    expect(res3.code).toBe(1);
    expect(res3.stderr).toContain(`${v3}: not an nbformat 4 notebook (nbformat 3)`);
  });
});
