// Test helpers: start the real kernel process (built dist/) with the TypeScript engine or with the mock interpreter.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gradlabKernelArgv, startKernel, type KernelProcess, type LaunchOptions } from "../../kernel/client/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const MOCK_KERNEL = fileURLToPath(new URL("../kernel/protocol/fixtures/mock_kernel.mjs", import.meta.url));

/** True when B's TypeScript engine has been built into dist/. */
export const hasEngine = existsSync(`${root}dist/kernel/engine/index.js`);

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
