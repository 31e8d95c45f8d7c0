// The RunnerKernel used by `gradlab run`: this package's own kernel process, driven by cli/client over ZeroMQ.
import { gradlabKernelArgv, gradlabKernelEnv, startKernel, type KernelProcess } from "../client/index.js";
import type { ExecuteReplyContent, IopubHandler, RunnerKernel } from "./kernel_session.js";

// The client needs a finite timeout; the runner enforces --timeout itself, so this only bounds a lost reply.
const NO_CLIENT_TIMEOUT_MS = 2 ** 31 - 1;

export async function startGradlabKernel(notebookDir: string): Promise<RunnerKernel> {
  // SIGINT rather than interrupt_request: a cell stuck in a synchronous loop blocks the kernel's event loop,
  // so only a signal can reach it.
  const kernel = await startKernel({ argv: gradlabKernelArgv(), env: gradlabKernelEnv(), cwd: notebookDir, interruptMode: "signal" });
  return new GradlabKernel(kernel);
}

class GradlabKernel implements RunnerKernel {
  private readonly died: Promise<never>;

  constructor(private readonly kernel: KernelProcess) {
    this.died = kernel.exited.then((code) => {
      throw new Error(`the kernel process exited (code ${code}) while a cell was running; its stderr ends with:\n${kernel.stderr.slice(-2000)}`);
    });
    this.died.catch(() => undefined);
  }

  languageInfo(): Record<string, unknown> | undefined {
    const info = this.kernel.kernelInfo.content.language_info;
    return typeof info === "object" && info !== null ? (info as Record<string, unknown>) : undefined;
  }

  async execute(code: string, onIopub: IopubHandler): Promise<ExecuteReplyContent> {
    const run = this.kernel.client.execute(code, {
      allowStdin: false,
      stopOnError: true,
      timeoutMs: NO_CLIENT_TIMEOUT_MS,
      onIopub: (message) => onIopub(message.header.msg_type, message.content as Record<string, unknown>),
    });
    const { reply } = await Promise.race([run, this.died]);
    return reply.content as unknown as ExecuteReplyContent;
  }

  async interrupt(): Promise<void> {
    await this.kernel.interrupt();
  }

  kill(): void {
    this.kernel.child.kill("SIGKILL");
    // Still close the client sockets and remove the connection file, or the runner process would not exit.
    this.kernel.shutdown(2000).catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    await this.kernel.shutdown();
  }
}
