// Conformance: Debian's jupyter_kernel_test (KernelTests subclass in test_gradlab_kernel.py) run by /usr/bin/python3
// against the gradlab kernelspec installed in a sandboxed Jupyter home.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jupyterSandbox, type JupyterSandbox } from "../../helpers/kernel.js";
import { hasJupyter, requireTool } from "../../helpers/require.js";

const hasKernelTest = hasJupyter() && existsSync("/usr/lib/python3/dist-packages/jupyter_kernel_test/__init__.py");
const here = fileURLToPath(new URL(".", import.meta.url));

describe.skipIf(!requireTool("python3-jupyter-kernel-test", hasKernelTest))("jupyter_kernel_test conformance", () => {
  let sandbox: JupyterSandbox;
  beforeAll(async () => {
    sandbox = await jupyterSandbox();
  });
  afterAll(async () => {
    await sandbox?.cleanup();
  });

  it("passes every KernelTests test with TypeScript samples", () => {
    const run = spawnSync("/usr/bin/python3", ["-m", "unittest", "-v", "test_gradlab_kernel"], {
      cwd: here,
      env: { ...sandbox.env, PYTHONPATH: here },
      encoding: "utf8",
      timeout: 240_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    if (run.status !== 0) console.error(output);
    expect(run.status, output.slice(-4000)).toBe(0);
    expect(output).toMatch(/Ran 1[0-9] tests/);
    // Every test and subtest must really run (the pager one included).
    const skipped = [...output.matchAll(/^\s*(test_\w+) .*\.\.\. skipped/gm)].map((m) => m[1]);
    expect(skipped).toEqual([]);
  }, 300_000);
});
