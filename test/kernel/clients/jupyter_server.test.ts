// A real Jupyter Server (Debian's, 127.0.0.1, random port, token) driven by JupyterLab's own client library
// (@jupyterlab/services): start gradlab by name, execute, complete, inspect, interrupt, restart, shut down.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jupyterSandbox, type JupyterSandbox } from "../../helpers/kernel.js";
import { hasJupyter, requireTool } from "../../helpers/require.js";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, token: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter server exited with code ${server.exitCode}`);
    const ok = await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` } }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`jupyter server did not answer within ${timeoutMs} ms`);
}

interface Executed {
  reply: KernelMessage.IExecuteReplyMsg;
  iopub: KernelMessage.IIOPubMessage[];
}

async function execute(kernel: Kernel.IKernelConnection, code: string, onIopub?: (msg: KernelMessage.IIOPubMessage) => void): Promise<Executed> {
  const iopub: KernelMessage.IIOPubMessage[] = [];
  const future = kernel.requestExecute({ code, stop_on_error: false });
  future.onIOPub = (msg) => {
    iopub.push(msg);
    onIopub?.(msg);
  };
  const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
  return { reply, iopub };
}

const hasServer = hasJupyter() && existsSync("/usr/bin/jupyter-server");

describe.skipIf(!requireTool("jupyter-server", hasServer))("Jupyter Server + @jupyterlab/services", () => {
  let sandbox: JupyterSandbox;
  let server: ChildProcess;
  let manager: KernelManager;
  let kernel: Kernel.IKernelConnection;
  let serverLog = "";

  beforeAll(async () => {
    sandbox = await jupyterSandbox();
    const port = await freePort();
    const token = randomBytes(16).toString("hex");
    const root = join(sandbox.dir, "notebooks");
    await mkdir(root, { recursive: true });
    server = spawn(
      "/usr/bin/jupyter",
      ["server", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0", "--no-browser", "--allow-root", `--ServerApp.token=${token}`, `--ServerApp.root_dir=${root}`],
      { env: sandbox.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    server.stdout!.on("data", (chunk) => (serverLog += chunk));
    server.stderr!.on("data", (chunk) => (serverLog += chunk));
    const baseUrl = `http://127.0.0.1:${port}/`;
    await waitForServer(baseUrl, token, server, 60_000);
    const serverSettings = ServerConnection.makeSettings({ baseUrl, wsUrl: `ws://127.0.0.1:${port}/`, token });
    manager = new KernelManager({ serverSettings });
    await manager.ready;
  }, 120_000);

  afterAll(async () => {
    manager?.dispose();
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    await sandbox?.cleanup();
  });

  it("lists gradlab among the server's kernelspecs and starts it by name", async () => {
    const specs = await fetch(`${manager.serverSettings.baseUrl}api/kernelspecs`, { headers: { Authorization: `token ${manager.serverSettings.token}` } }).then((r) => r.json());
    expect(specs.kernelspecs.gradlab.spec.language).toBe("typescript");
    kernel = await manager.startNew({ name: "gradlab" });
    const info = await kernel.info;
    expect(info.language_info.name).toBe("typescript");
    expect(info.protocol_version).toBe("5.3");
  }, 120_000);

  it("executes typed cells with streams and an execute_result", async () => {
    const first = await execute(kernel, "const xs: number[] = [1, 2, 3];\nconsole.log('sum', xs.reduce((a, b) => a + b, 0));");
    expect(first.reply.content.status).toBe("ok");
    const stream = first.iopub.find((m) => m.header.msg_type === "stream") as KernelMessage.IStreamMsg | undefined;
    expect(stream?.content.text).toBe("sum 6\n");
    const second = await execute(kernel, "xs.map((x) => x * x)");
    const result = second.iopub.find((m) => m.header.msg_type === "execute_result") as KernelMessage.IExecuteResultMsg | undefined;
    expect(result?.content.data["text/plain"]).toBe("[ 1, 4, 9 ]");
  }, 120_000);

  it("completes and inspects through the server", async () => {
    const code = "xs.redu";
    const complete = await kernel.requestComplete({ code, cursor_pos: code.length });
    expect(complete.content.status).toBe("ok");
    if (complete.content.status === "ok") expect(complete.content.matches).toContain("reduce");
    const inspect = await kernel.requestInspect({ code: "Math.max", cursor_pos: 6, detail_level: 0 });
    expect(inspect.content.status).toBe("ok");
    if (inspect.content.status === "ok") {
      expect(inspect.content.found).toBe(true);
      expect(String(inspect.content.data["text/plain"])).toMatch(/max/);
    }
  }, 120_000);

  it("interrupts a busy loop through the server and keeps the kernel's state", async () => {
    let sawBusy!: () => void;
    const busy = new Promise<void>((resolve) => (sawBusy = resolve));
    const running = execute(kernel, "while (true) {}", (msg) => {
      if (msg.header.msg_type === "execute_input") sawBusy();
    });
    await busy;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kernel.interrupt();
    const { reply } = await running;
    expect(reply.content.status).toBe("error");
    const after = await execute(kernel, "xs.length");
    const result = after.iopub.find((m) => m.header.msg_type === "execute_result") as KernelMessage.IExecuteResultMsg | undefined;
    expect(result?.content.data["text/plain"]).toBe("3");
  }, 120_000);

  it("restarts (fresh execution count) and shuts down", async () => {
    await kernel.restart();
    const { reply } = await execute(kernel, "1 + 1");
    expect(reply.content.status).toBe("ok");
    expect(reply.content.execution_count).toBe(1);
    const id = kernel.id;
    await kernel.shutdown();
    const running = await fetch(`${manager.serverSettings.baseUrl}api/kernels`, { headers: { Authorization: `token ${manager.serverSettings.token}` } }).then((r) => r.json());
    expect(running.map((k: { id: string }) => k.id)).not.toContain(id);
  }, 120_000);
});
