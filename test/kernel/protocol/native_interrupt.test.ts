// A cell looping over large matmuls (native BLAS calls, synchronous, when the system has OpenBLAS) is interrupted by
// SIGINT and by interrupt_request like any busy loop: the cell ends with an error, earlier bindings survive.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, type KernelProcess } from "../../../cli/client/index.js";
import { startGradlabKernel } from "../../helpers/kernel.js";

const resultText = (iopub: Parameters<typeof ofType>[0]) =>
  (ofType(iopub, "execute_result")[0]?.content.data as Record<string, string> | undefined)?.["text/plain"];

describe("interrupting a loop of matmuls", () => {
  let kernel: KernelProcess;
  beforeAll(async () => {
    kernel = await startGradlabKernel();
    const setup = await kernel.client.execute(
      'import { backendInfo, matmul, rng } from "gradlab";\nconst a = rng(0).normal([384, 384]);\nlet products = 0;\nbackendInfo().matmul',
      { timeoutMs: 180_000 });
    expect(setup.reply.content.status).toBe("ok");
    console.log(`matmul in the kernel: ${resultText(setup.iopub)}`);
  }, 200_000);
  afterAll(async () => {
    await kernel?.shutdown();
  });

  for (const how of ["signal", "message"] as const) {
    it(`by ${how === "signal" ? "SIGINT" : "interrupt_request"}, keeping the bindings and the products done so far`, async () => {
      const before = Number(resultText((await kernel.client.execute("products")).iopub));
      const running = kernel.client.execute("while (true) { matmul(a, a); products++; }", { timeoutMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const sent = performance.now();
      if (how === "signal") kernel.child.kill("SIGINT");
      else expect((await kernel.client.request("control", "interrupt_request")).content.status).toBe("ok");
      const { reply } = await running;
      // Well inside the kernel's 5 s grace before it restarts the execution thread (which would lose the bindings).
      expect(performance.now() - sent).toBeLessThan(4000);
      expect(reply.content).toMatchObject({ status: "error", ename: "Interrupted" });
      const after = await kernel.client.execute("[a.shape, products > " + before + "]");
      expect(resultText(after.iopub)).toBe("[ [ 384, 384 ], true ]");
      expect(kernel.child.exitCode).toBeNull();
    }, 90_000);
  }
});
