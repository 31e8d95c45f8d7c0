// Starts a kernel process from a kernelspec-style argv ("{connection_file}" substituted), connects a client,
// and owns the process: interrupt (SIGINT or interrupt_request), restart, shutdown, kill.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectionInfo } from "../../kernel/connection.js";
import { KERNEL_ENV } from "../../kernel/kernel_env.js";
import type { JupyterMessage } from "../../kernel/wire/message.js";
import { kernelArgv } from "../package.js";
import { KernelClient } from "./client.js";
import { createConnectionInfo, writeConnectionFile } from "./connection_file.js";

export interface LaunchOptions {
  /** Kernel command line; "{connection_file}" is replaced by the path of the file written for it. */
  argv: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How the kernel wants to be interrupted (kernelspec interrupt_mode). */
  interruptMode?: "signal" | "message";
  /** Called with each chunk of the kernel's stderr (it is also kept, see KernelProcess.stderr). */
  onStderr?: (text: string) => void;
  readyTimeoutMs?: number;
  /** "ipc" puts the sockets in the temporary folder instead of on 127.0.0.1 ports. */
  transport?: ConnectionInfo["transport"];
}

/** argv that runs this package's kernel: `node bin/gradlab.js kernel --connection-file {connection_file}`. */
export function gradlabKernelArgv(): string[] {
  return kernelArgv();
}

/** The environment for this package's kernel: the caller's, plus what the kernelspec sets (kernel_env.ts). */
export function gradlabKernelEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...KERNEL_ENV };
}

/** Starts before giving up when the kernel finds a port taken (see startKernel). */
const PORT_ATTEMPTS = 3;

/**
 * Writes a connection file and starts the kernel on it. Free ports are chosen here and bound by the kernel a moment
 * later, so another process (a parallel run, a test server) can take one in between; the kernel then exits saying the
 * address is in use, and the start is retried on fresh ports.
 */
export async function startKernel(options: LaunchOptions): Promise<KernelProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      const portTaken = /address already in use/i.test((error as Error).message);
      if (!portTaken || options.transport === "ipc" || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnce(options: LaunchOptions): Promise<KernelProcess> {
  const dir = await mkdtemp(join(tmpdir(), "gradlab-kernel-"));
  const connectionFile = join(dir, "connection.json");
  const info = options.transport === "ipc" ? await createConnectionInfo(join(dir, "kernel"), undefined, "ipc") : await createConnectionInfo();
  await writeConnectionFile(connectionFile, info);
  const kernel = new KernelProcess(options, info, connectionFile, dir);
  try {
    await kernel.start();
  } catch (error) {
    // A kernel that never became ready must not leave open sockets behind: they keep the caller's process alive.
    kernel.client?.close();
    kernel.child?.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return kernel;
}

export class KernelProcess {
  client!: KernelClient;
  child!: ChildProcess;
  kernelInfo!: JupyterMessage;
  private stderrChunks: string[] = [];
  private exitPromise!: Promise<number | null>;

  constructor(
    private readonly options: LaunchOptions,
    readonly info: ConnectionInfo,
    readonly connectionFile: string,
    private readonly dir: string,
  ) {}

  /** Everything the kernel wrote to stderr so far. */
  get stderr(): string {
    return this.stderrChunks.join("");
  }

  get exited(): Promise<number | null> {
    return this.exitPromise;
  }

  async start(): Promise<void> {
    const argv = this.options.argv.map((arg) => arg.replaceAll("{connection_file}", this.connectionFile));
    const [command, ...args] = argv;
    if (!command) throw new Error("kernel argv is empty");
    this.child = spawn(command, args, {
      cwd: this.options.cwd,
      // As jupyter_client does: the kernel watches this pid and exits if we die without shutting it down.
      env: { ...(this.options.env ?? process.env), JPY_PARENT_PID: String(process.pid) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.exitPromise = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.stdout!.setEncoding("utf8").on("data", (text: string) => this.stderrChunks.push(text));
    this.child.stderr!.setEncoding("utf8").on("data", (text: string) => {
      this.stderrChunks.push(text);
      this.options.onStderr?.(text);
    });
    this.client ??= KernelClient.connect(this.info);
    const ready = this.client.waitForReady(this.options.readyTimeoutMs ?? 60_000);
    const died = this.exitPromise.then((code) => {
      throw new Error(`kernel exited with code ${code} before it was ready; stderr:\n${this.stderr.slice(-2000)}`);
    });
    this.kernelInfo = await Promise.race([ready, died]);
  }

  /** SIGINT for interrupt_mode "signal" (the default here), else interrupt_request on control. */
  async interrupt(): Promise<void> {
    if ((this.options.interruptMode ?? "signal") === "signal") this.child.kill("SIGINT");
    else await this.client.request("control", "interrupt_request", {});
  }

  /** shutdown_request(restart) on control, wait for exit, start a fresh process on the same connection file. */
  async restart(): Promise<void> {
    await this.client.request("control", "shutdown_request", { restart: true });
    await this.waitForExit(10_000);
    await this.start();
  }

  /** Polite shutdown; kills the process if it has not exited in time. Removes the connection file. */
  async shutdown(timeoutMs = 10_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.client.request("control", "shutdown_request", { restart: false }, timeoutMs).catch(() => undefined);
    }
    const code = await this.waitForExit(timeoutMs);
    this.client.close();
    await rm(this.dir, { recursive: true, force: true });
    return code;
  }

  private async waitForExit(timeoutMs: number): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    try {
      return await this.exitPromise;
    } finally {
      clearTimeout(timer);
    }
  }
}
