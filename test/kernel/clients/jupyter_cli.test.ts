// Jupyter's own command-line clients drive the installed gradlab kernelspec: `jupyter console` (stdin piped) and
// `jupyter nbconvert --execute` on test/fixtures/kernel_smoke.ipynb.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jupyterSandbox, type JupyterSandbox } from "../../helpers/kernel.js";
import { hasJupyter, requireTool } from "../../helpers/require.js";

const NOTEBOOK = fileURLToPath(new URL("../../fixtures/kernel_smoke.ipynb", import.meta.url));

describe.skipIf(!requireTool("jupyter-console and jupyter-nbconvert", hasJupyter() && existsSync("/usr/bin/jupyter-console") && existsSync("/usr/bin/jupyter-nbconvert")))(
  "Jupyter command-line clients",
  () => {
    let sandbox: JupyterSandbox;
    beforeAll(async () => {
      sandbox = await jupyterSandbox();
    });
    afterAll(async () => {
      await sandbox?.cleanup();
    });

    it("jupyter console --kernel gradlab executes cells piped on stdin", () => {
      const run = spawnSync("/usr/bin/jupyter", ["console", "--kernel", "gradlab", "--simple-prompt", "--ZMQTerminalInteractiveShell.kernel_timeout=180"], {
        env: sandbox.env,
        input: 'const answer: number = 6 * 7;\nconsole.log("the answer is", answer)\n`typed ${typeof answer}`\n',
        encoding: "utf8",
        timeout: 240_000,
      });
      const output = `${run.stdout}\n${run.stderr}`;
      expect(output, output).toContain("the answer is 42");
      expect(output, output).toContain("'typed number'");
    }, 300_000);

    it("jupyter nbconvert --execute runs a notebook with the gradlab kernel", () => {
      const outDir = join(sandbox.dir, "nbconvert");
      const run = spawnSync(
        "/usr/bin/jupyter",
        ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=gradlab", "--ExecutePreprocessor.timeout=300", "--output-dir", outDir, NOTEBOOK],
        { env: sandbox.env, encoding: "utf8", timeout: 300_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const notebook = JSON.parse(readFileSync(join(outDir, "kernel_smoke.ipynb"), "utf8"));
      const code = notebook.cells.filter((cell: { cell_type: string }) => cell.cell_type === "code");
      expect(code.map((cell: { execution_count: number }) => cell.execution_count)).toEqual([1, 2, 3, 4]);
      const joined = (text: string | string[]) => (Array.isArray(text) ? text.join("") : text);
      expect(code[1].outputs.length).toBe(1);
      expect(code[1].outputs[0]).toMatchObject({ output_type: "stream", name: "stdout" });
      expect(joined(code[1].outputs[0].text)).toBe("2,4,6\n");
      expect(code[2].outputs[0]).toMatchObject({ output_type: "display_data", });
      expect(joined(code[2].outputs[0].data["text/html"])).toBe("<b>rich output</b>");
      expect(code[3].outputs[0]).toMatchObject({ output_type: "execute_result" });
      expect(joined(code[3].outputs[0].data["text/plain"])).toBe("60");
      expect(notebook.metadata.language_info.name).toBe("typescript");
    }, 320_000);
  },
);
