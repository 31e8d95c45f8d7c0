// A gradlab kernel process driven the way a frontend drives it: every iopub message recorded (comm traffic between
// cells answers no request, so tests wait on the log), cells run without stop-on-error, results read as text.
import { afterAll, beforeAll } from "vitest";
import { ofType, type KernelProcess } from "../../../cli/client/index.js";
import type { JupyterMessage } from "../../../kernel/wire/message.js";
import { startGradlabKernel } from "../../helpers/kernel.js";
import { makeNotebookDir } from "./helpers.js";

export interface Frontend {
  kernel: KernelProcess;
  /** Every iopub message since the kernel started, in arrival order. */
  iopub: JupyterMessage[];
  /** Runs a cell; resolves with its reply content and its iopub messages. */
  execute(code: string): Promise<{ reply: Record<string, unknown>; messages: JupyterMessage[] }>;
  /** Runs a cell that must succeed; resolves with its iopub messages. */
  ok(code: string): Promise<JupyterMessage[]>;
  /** Resolves with the first recorded iopub message matching `match`, waiting for it to arrive. */
  waitFor(match: (m: JupyterMessage) => boolean, timeoutMs?: number): Promise<JupyterMessage>;
}

/** The text/plain of the execute_result among `messages`, if any. */
export function resultText(messages: JupyterMessage[]): unknown {
  return (ofType(messages, "execute_result")[0]?.content.data as Record<string, unknown> | undefined)?.["text/plain"];
}

/** Starts one kernel for the calling test file (before all its tests) and shuts it down after them. */
export function useFrontend(expectOk: (reply: Record<string, unknown>) => void): Frontend {
  const frontend = { iopub: [] as JupyterMessage[] } as Frontend;
  beforeAll(async () => {
    frontend.kernel = await startGradlabKernel({ cwd: makeNotebookDir() });
    frontend.kernel.client.onIopub((message) => frontend.iopub.push(message));
  });
  afterAll(async () => {
    await frontend.kernel?.shutdown();
  });
  frontend.execute = async (code) => {
    const { reply, iopub } = await frontend.kernel.client.execute(code, { timeoutMs: 60_000, stopOnError: false });
    return { reply: reply.content, messages: iopub };
  };
  frontend.ok = async (code) => {
    const { reply, messages } = await frontend.execute(code);
    expectOk(reply);
    return messages;
  };
  frontend.waitFor = async (match, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = frontend.iopub.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error("timed out waiting for an iopub message");
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return frontend;
}
