// Kernel lifetime and transports: ipc sockets work; a kernel whose launcher dies without a shutdown_request (as
// `jupyter run` does) exits by itself instead of running on as an orphan; SIGTERM ends it cleanly.
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createConnectionInfo, writeConnectionFile } from "../../../kernel/client/index.js";
import { startMockKernel } from "../../helpers/kernel.js";

const MOCK_KERNEL = fileURLToPath(new URL("./fixtures/mock_kernel.mjs", import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe("kernel lifetime", () => {
  it("also runs over ipc sockets (transport \"ipc\" in the connection file)", async () => {
    const kernel = await startMockKernel({ transport: "ipc" });
    try {
      expect(kernel.info.transport).toBe("ipc");
      const { reply } = await kernel.client.execute("print:over ipc");
      expect(reply.content.status).toBe("ok");
      expect(await kernel.client.heartbeat()).toBe(true);
    } finally {
      await kernel.shutdown();
    }
  }, 60_000);

  it("exits when the process that launched it is gone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-orphan-"));
    try {
      const file = join(dir, "connection.json");
      await writeConnectionFile(file, await createConnectionInfo());
      // The shell starts the kernel in the background, naming itself in JPY_PARENT_PID as jupyter_client does, and
      // exits at once.
      const launcher = spawnSync("/bin/sh", ["-c", `JPY_PARENT_PID=$$ "${process.execPath}" "${MOCK_KERNEL}" --connection-file "${file}" >/dev/null 2>&1 & echo $!`], { encoding: "utf8" });
      const pid = Number(launcher.stdout.trim());
      expect(pid).toBeGreaterThan(0);
      const gone = await waitUntil(() => !alive(pid), 20_000);
      if (!gone) process.kill(pid, "SIGKILL");
      expect(gone).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("`gradlab kernel` with a missing connection file fails at once, naming the file (the early compiler thread does not hold it)", () => {
    const bin = fileURLToPath(new URL("../../../bin/gradlab.js", import.meta.url));
    const missing = join(tmpdir(), `gradlab-missing-${process.pid}.json`);
    const run = spawnSync(process.execPath, [bin, "kernel", "--connection-file", missing], { encoding: "utf8", timeout: 15_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(missing);
  }, 30_000);

  it("exits with code 0 on SIGTERM", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-term-"));
    try {
      const file = join(dir, "connection.json");
      await writeConnectionFile(file, await createConnectionInfo());
      const child = spawn(process.execPath, [MOCK_KERNEL, "--connection-file", file], { stdio: "ignore" });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
