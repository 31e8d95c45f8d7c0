// Test helpers: start the real kernel process (built dist/) with the TypeScript engine or with the mock interpreter.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { gradlabKernelArgv, startKernel, streamText, type KernelProcess, type LaunchOptions } from "../../cli/client/index.js";
import type { JupyterMessage } from "../../kernel/wire/message.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const MOCK_KERNEL = fileURLToPath(new URL("../kernel/protocol/fixtures/mock_kernel.mjs", import.meta.url));

function assertBuilt(): void {
  if (!existsSync(`${root}dist/kernel/main.js`)) throw new Error("dist/kernel/main.js missing: run `npm run build` first");
}

export async function startMockKernel(options: Partial<LaunchOptions> = {}): Promise<KernelProcess> {
  assertBuilt();
  return startKernel({ argv: [process.execPath, MOCK_KERNEL, "--connection-file", "{connection_file}"], ...options });
}

export async function startGradlabKernel(options: Partial<LaunchOptions> = {}): Promise<KernelProcess> {
  assertBuilt();
  return startKernel({ argv: gradlabKernelArgv(), ...options });
}

export const GRADLAB_BIN = `${root}bin/gradlab.js`;

export interface JupyterSandbox {
  dir: string;
  /** Environment in which Jupyter sees only the sandbox's data/config/runtime dirs (never the real home's). */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

/** A temporary Jupyter home with the gradlab kernelspec installed into it by `gradlab install --user`. */
export async function jupyterSandbox(kernelName = "gradlab"): Promise<JupyterSandbox> {
  assertBuilt();
  const dir = await mkdtemp(join(tmpdir(), "gradlab-jupyter-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dir,
    JUPYTER_DATA_DIR: join(dir, "data"),
    JUPYTER_PATH: join(dir, "data"),
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    IPYTHONDIR: join(dir, "ipython"),
    JUPYTER_PLATFORM_DIRS: "0",
    PYTHONNOUSERSITE: "1",
  };
  execFileSync(process.execPath, [GRADLAB_BIN, "install", "--user", "--name", kernelName], { env, stdio: "pipe" });
  return { dir, env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Asserts that stdout holds exactly `line 0` .. `line n-1`, in order, and that the last iopub message is idle. */
export function expectNumberedLinesThenIdle(iopub: JupyterMessage[], n: number): void {
  const lines = streamText(iopub, "stdout").split("\n");
  expect(lines.pop()).toBe("");
  expect(lines.length).toBe(n);
  lines.forEach((line, i) => {
    if (line !== `line ${i}`) expect(line).toBe(`line ${i}`);
  });
  expect(iopub.at(-1)!.content.execution_state).toBe("idle");
}
