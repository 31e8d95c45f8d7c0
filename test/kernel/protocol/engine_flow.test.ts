// Full flows through the real kernel process with the TypeScript engine: interrupts (SIGINT and interrupt_request)
// of a busy loop and a hung await with state kept, stdin input, stop-on-error, 100,000 console.log lines, 10 MB print.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, streamText, type KernelProcess } from "../../../cli/client/index.js";
import { expectNumberedLinesThenIdle, startGradlabKernel } from "../../helpers/kernel.js";

const resultText = (iopub: Parameters<typeof ofType>[0]) =>
  (ofType(iopub, "execute_result")[0]?.content.data as Record<string, string> | undefined)?.["text/plain"];

describe("kernel process with the TypeScript engine", () => {
  let kernel: KernelProcess;
  beforeAll(async () => {
    kernel = await startGradlabKernel();
    // First cell warms the TypeScript service; later timings are not under test here.
    await kernel.client.execute("const kept: number[] = [1, 2, 3];", { timeoutMs: 180_000 });
  }, 200_000);
  afterAll(async () => {
    await kernel?.shutdown();
  });

  async function interruptAfter(code: string, how: "signal" | "message") {
    const running = kernel.client.execute(code, { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (how === "signal") kernel.child.kill("SIGINT");
    else expect((await kernel.client.request("control", "interrupt_request")).content.status).toBe("ok");
    return running;
  }

  for (const how of ["signal", "message"] as const) {
    it(`interrupts while(true){} by ${how === "signal" ? "SIGINT" : "interrupt_request"}, keeping earlier bindings`, async () => {
      const { reply } = await interruptAfter("while (true) {}", how);
      expect(reply.content.status).toBe("error");
      const after = await kernel.client.execute("kept.length");
      expect(resultText(after.iopub)).toBe("3");
      expect(kernel.child.exitCode).toBeNull();
    }, 90_000);

    it(`interrupts a hung await by ${how === "signal" ? "SIGINT" : "interrupt_request"}, keeping earlier bindings`, async () => {
      const { reply } = await interruptAfter("await new Promise(() => {});", how);
      expect(reply.content.status).toBe("error");
      const after = await kernel.client.execute("kept.map((x) => x * 10)");
      expect(resultText(after.iopub)).toBe("[ 10, 20, 30 ]");
    }, 90_000);
  }

  it("reads input over stdin (await input(...))", async () => {
    const { iopub, reply } = await kernel.client.execute('const name = await input("name? ");\nconsole.log(`hello ${name}`);', {
      onInput: (prompt) => (prompt === "name? " ? "Ada" : "?"),
    });
    expect(reply.content.status).toBe("ok");
    expect(streamText(iopub, "stdout")).toBe("hello Ada\n");
  });

  it("aborts cells queued behind a failing cell (stop_on_error), like Run All", async () => {
    const failing = kernel.client.execute('await new Promise((r) => setTimeout(r, 300));\nthrow new Error("stop here");');
    const queued = kernel.client.execute('console.log("must not run")');
    const [failed, aborted] = await Promise.all([failing, queued]);
    expect(failed.reply.content).toMatchObject({ status: "error", evalue: "stop here" });
    expect(aborted.reply.content.status).toBe("aborted");
    expect(streamText(aborted.iopub, "stdout")).toBe("");
  });

  it("delivers 100,000 console.log lines in order, then idle", async () => {
    const { iopub, reply } = await kernel.client.execute("for (let i = 0; i < 100000; i++) console.log(`line ${i}`);", { timeoutMs: 180_000 });
    expect(reply.content.status).toBe("ok");
    expectNumberedLinesThenIdle(iopub, 100_000);
  }, 200_000);

  it("delivers 10 MB printed at once", async () => {
    const { iopub } = await kernel.client.execute('console.log("y".repeat(10 * 1024 * 1024));', { timeoutMs: 180_000 });
    const text = streamText(iopub, "stdout");
    expect(text.length).toBe(10 * 1024 * 1024 + 1);
    expect(/^y+\n$/.test(text)).toBe(true);
  }, 200_000);
});
