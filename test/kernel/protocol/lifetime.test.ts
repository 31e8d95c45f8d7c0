// Kernel lifetime and transports: ipc sockets work; a kernel whose launcher dies without a shutdown_request (as
// `jupyter run` does) exits by itself instead of running on as an orphan; SIGTERM ends it cleanly; a port taken
// before the kernel binds it ends the kernel at once, and the launcher starts it again on fresh ports.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createConnectionInfo, startKernel, writeConnectionFile } from "../../../cli/client/index.js";
import { startMockKernel } from "../../helpers/kernel.js";

const MOCK_KERNEL = fileURLToPath(new URL("./fixtures/mock_kernel.mjs", import.meta.url));
const PORT_TAKEN_ONCE = fileURLToPath(new URL("./fixtures/port_taken_once.mjs", import.meta.url));

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

/** Runs `use` with the path of a fresh connection file in a temporary folder, removed afterwards. */
async function withConnectionFile(prefix: string, use: (file: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    const file = join(dir, "connection.json");
    await writeConnectionFile(file, await createConnectionInfo());
    await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
    await withConnectionFile("gradlab-orphan-", async (file) => {
      // The shell starts the kernel in the background, naming itself in JPY_PARENT_PID as jupyter_client does, and
      // exits at once.
      const launcher = spawnSync("/bin/sh", ["-c", `JPY_PARENT_PID=$$ "${process.execPath}" "${MOCK_KERNEL}" --connection-file "${file}" >/dev/null 2>&1 & echo $!`], { encoding: "utf8" });
      const pid = Number(launcher.stdout.trim());
      expect(pid).toBeGreaterThan(0);
      const gone = await waitUntil(() => !alive(pid), 20_000);
      if (!gone) process.kill(pid, "SIGKILL");
      expect(gone).toBe(true);
    });
  }, 30_000);

  it("`gradlab kernel` with a missing or malformed connection file fails at once, naming the file (the early compiler thread does not hold it)", async () => {
    const bin = fileURLToPath(new URL("../../../bin/gradlab.js", import.meta.url));
    const kernelWith = (file: string) => spawnSync(process.execPath, [bin, "kernel", "--connection-file", file], { encoding: "utf8", timeout: 15_000 });
    const missing = join(tmpdir(), `gradlab-missing-${process.pid}.json`);
    const run = kernelWith(missing);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(missing);
    await withConnectionFile("gradlab-malformed-", async (file) => {
      await writeFile(file, "{not json");
      const malformed = kernelWith(file);
      expect(malformed.error).toBeUndefined();
      expect(malformed.status).toBe(1);
      expect(malformed.stderr).toContain(file);
      expect(malformed.stderr).toMatch(/JSON/);
    });
  }, 30_000);

  it("`gradlab kernel` whose port is taken exits at once with code 1, naming the channel and the address", async () => {
    const bin = fileURLToPath(new URL("../../../bin/gradlab.js", import.meta.url));
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      await withConnectionFile("gradlab-taken-", async (file) => {
        const info = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        await writeFile(file, JSON.stringify({ ...info, control_port: port }));
        // Before, the kernel printed the error and then ran on with no sockets, until the launcher gave up (60 s).
        const run = spawnSync(process.execPath, [bin, "kernel", "--connection-file", file], { encoding: "utf8", timeout: 20_000 });
        expect(run.error).toBeUndefined();
        expect(run.status).toBe(1);
        expect(run.stderr).toContain(`cannot listen for control on tcp://127.0.0.1:${port}`);
        expect(run.stderr).toMatch(/address already in use/i);
      });
    } finally {
      squatter.close();
    }
  }, 30_000);

  it("a start whose port was taken meanwhile is retried on fresh ports", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-retry-"));
    const starts = join(dir, "starts");
    try {
      const kernel = await startKernel({
        argv: [process.execPath, PORT_TAKEN_ONCE, "--connection-file", "{connection_file}"],
        env: { ...process.env, GRADLAB_TEST_STARTS: starts },
      });
      try {
        expect(readFileSync(starts, "utf8")).toBe("start\nstart\n");
        const { reply } = await kernel.client.execute("print:after a retry");
        expect(reply.content.status).toBe("ok");
      } finally {
        await kernel.shutdown();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("exits with code 0 on SIGTERM", async () => {
    // Started by the launcher, which returns once the kernel answers (its signal handlers are in place by then).
    const kernel = await startMockKernel();
    try {
      const exited = new Promise<number | null>((resolve) => kernel.child.once("exit", (code) => resolve(code)));
      kernel.child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      await kernel.shutdown();
    }
  }, 30_000);
});
