// Notebook-friendly typing in a real kernel process: a notebook written for tslab runs unchanged under the defaults,
// a tsconfig.json in the notebook's folder or a parent is honoured, and a malformed one is reported, not fatal.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ofType, streamText, type KernelProcess } from "../../../cli/client/index.js";
import { startGradlabKernel } from "../../helpers/kernel.js";
import { makeNotebookDir } from "./helpers.js";

const TSLAB_NOTEBOOK = fileURLToPath(new URL("../../fixtures/tslab_style.ipynb", import.meta.url));

let kernel: KernelProcess | undefined;
afterEach(async () => {
  await kernel?.shutdown();
  kernel = undefined;
});

async function execute(code: string) {
  const { reply, iopub } = await kernel!.client.execute(code, { timeoutMs: 60_000, stopOnError: false });
  const data = ofType(iopub, "execute_result")[0]?.content.data as Record<string, unknown> | undefined;
  return { content: reply.content, iopub, result: data?.["text/plain"], stdout: streamText(iopub, "stdout"), stderr: streamText(iopub, "stderr") };
}

describe("default compiler options", () => {
  it("run a notebook written for tslab unchanged", async () => {
    kernel = await startGradlabKernel({ cwd: makeNotebookDir() });
    const notebook = JSON.parse(readFileSync(TSLAB_NOTEBOOK, "utf8")) as { cells: { cell_type: string; source: string[] }[] };
    const results: unknown[] = [];
    for (const cell of notebook.cells.filter((c) => c.cell_type === "code")) {
      const { content, result, iopub } = await execute(cell.source.join(""));
      expect(content.status, `${cell.source.join("")}\n${JSON.stringify(content)}`).toBe("ok");
      results.push(result ?? ofType(iopub, "display_data").length);
    }
    expect(results).toEqual(["42", "[ 2, 1, 'hello tslab' ]", "true", "5", 2, "[ 2, 4, 6 ]"]);
  });

  it("still report what tslab reports: wrong types and unknown names", async () => {
    kernel = await startGradlabKernel({ cwd: makeNotebookDir() });
    expect((await execute("const n: number = 'text';")).content).toMatchObject({ ename: "TSError" });
    expect((await execute("undefinedName + 1")).content).toMatchObject({ ename: "TSError" });
    expect((await execute("Math.flor(1.5)")).content.evalue).toMatch(/TS2551: Property 'flor' does not exist/);
  });
});

describe("tsconfig.json", () => {
  it("the nearest one above the notebook sets strictness, target, lib and paths", async () => {
    const project = makeNotebookDir();
    const notebooks = join(project, "notebooks");
    mkdirSync(join(project, "shared"), { recursive: true });
    mkdirSync(notebooks);
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
      // Comments and trailing commas are allowed, as tsc allows them.
      compilerOptions: { strict: true, lib: ["es2020"], noUncheckedIndexedAccess: true, paths: { "@shared/*": ["./shared/*"] } },
    }).replace("{", "{ // the project's options\n"));
    writeFileSync(join(project, "shared", "scale.js"), "export const scale = (x) => 10 * x;\n");
    writeFileSync(join(project, "shared", "scale.d.ts"), "export declare const scale: (x: number) => number;\n");
    kernel = await startGradlabKernel({ cwd: notebooks });
    const untyped = await execute("const double = (x) => x * 2;");
    expect(untyped.content).toMatchObject({ ename: "TSError" });
    expect(untyped.content.evalue).toContain("TS7006: Parameter 'x' implicitly has an 'any' type.");
    // lib es2020 has no Object.hasOwn (es2022).
    expect((await execute("Object.hasOwn({}, 'a')")).content.evalue).toMatch(/TS2550: Property 'hasOwn' does not exist/);
    // A project's extra checks are for its source files, not the notebook.
    expect((await execute("const xs = [1, 2];\nxs[0].toFixed(1)")).result).toBe("'1.0'");
    expect((await execute("import { scale } from '@shared/scale';\nscale(4)")).result).toBe("40");
    const shown = await execute("%tsconfig");
    expect(shown.stdout).toContain(`from ${join(project, "tsconfig.json")}`);
    expect(shown.stdout).toContain('"strict": true');
    expect(shown.stdout).toContain('"es2020"');
  });

  it("a malformed one is reported in the first cell; the defaults apply and the kernel goes on", async () => {
    const dir = makeNotebookDir();
    writeFileSync(join(dir, "tsconfig.json"), '{ "compilerOptions": { "strict": tru');
    kernel = await startGradlabKernel({ cwd: dir });
    const first = await execute("const double = (x) => x * 2;\ndouble(2)");
    expect(first.content.status).toBe("ok");
    expect(first.result).toBe("4");
    expect(first.stderr).toContain(`${join(dir, "tsconfig.json")} is not valid, so its compiler options are ignored`);
    const second = await execute("double(3)");
    expect(second.result).toBe("6");
    expect(second.stderr).toBe("");
  });
});
