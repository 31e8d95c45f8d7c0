// Output volume through the transport: 100,000 stream writes all arrive in order before idle; 10 MB in one write.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamText, type KernelProcess } from "../../../cli/client/index.js";
import { expectNumberedLinesThenIdle, startMockKernel } from "../../helpers/kernel.js";

describe("output volume (mock interpreter, real kernel process)", () => {
  let kernel: KernelProcess;
  beforeAll(async () => {
    kernel = await startMockKernel();
  });
  afterAll(async () => {
    await kernel?.shutdown();
  });

  it("delivers 100,000 lines in order, then the idle status", async () => {
    const { iopub, reply } = await kernel.client.execute("lines:100000", { timeoutMs: 120_000 });
    expect(reply.content.status).toBe("ok");
    expectNumberedLinesThenIdle(iopub, 100_000);
  }, 120_000);

  it("delivers 20,000 separate display_data messages in order (no EBUSY, nothing dropped)", async () => {
    const { iopub } = await kernel.client.execute("displays:20000", { timeoutMs: 120_000 });
    const texts = iopub.filter((m) => m.header.msg_type === "display_data").map((m) => (m.content.data as Record<string, string>)["text/plain"]);
    expect(texts.length).toBe(20_000);
    texts.forEach((text, i) => {
      if (text !== `d${i}`) expect(text).toBe(`d${i}`);
    });
  }, 120_000);

  it("delivers 10 MB written at once", async () => {
    const { iopub } = await kernel.client.execute(`big:${10 * 1024 * 1024}`, { timeoutMs: 120_000 });
    const text = streamText(iopub, "stdout");
    expect(text.length).toBe(10 * 1024 * 1024);
    expect(/^x+$/.test(text)).toBe(true);
  }, 120_000);
});
