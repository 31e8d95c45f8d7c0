// Jupyter comms through a real kernel process: opened from either side, messages both ways, close, comm_info with and
// without a target filter, unknown ids, a burst of 1,000 messages applied in order, and messages seen by a cell that
// awaits while it runs.
import { describe, expect, it } from "vitest";
import { ofType, streamText } from "../../../cli/client/index.js";
import { resultText as result, useFrontend } from "./frontend.js";

const frontend = useFrontend((reply) => expect(reply, JSON.stringify(reply)).toMatchObject({ status: "ok" }));
const { iopub, waitFor } = frontend;
const execute = (code: string) => frontend.ok(code);

async function commInfo(targetName?: string): Promise<Record<string, { target_name: string }>> {
  const reply = await frontend.kernel.client.request("shell", "comm_info_request", targetName === undefined ? {} : { target_name: targetName });
  expect(reply.content.status).toBe("ok");
  return reply.content.comms as Record<string, { target_name: string }>;
}

describe("comms in a kernel process", () => {
  it("a cell opens a comm: comm_open, comm_msg both ways, comm_info, close", async () => {
    const opened = await execute(`
      import { comm } from "gradlab";
      const received: unknown[] = [];
      const c = comm.open("test.echo", { hello: 1 }, { version: "1.0" });
      c.onMessage((m) => { received.push(m.data); c.send({ echo: m.data }); });
      c.send({ first: true });
      c.id`);
    const id = JSON.parse(String(result(opened)).replace(/'/g, '"')) as string;
    const open = ofType(opened, "comm_open")[0]!;
    expect(open.content).toEqual({ comm_id: id, target_name: "test.echo", data: { hello: 1 } });
    expect(open.metadata).toEqual({ version: "1.0" });
    expect(ofType(opened, "comm_msg")[0]!.content).toEqual({ comm_id: id, data: { first: true } });
    // the comm_open is published before the cell's own result
    expect(opened.indexOf(open)).toBeLessThan(opened.indexOf(ofType(opened, "execute_result")[0]!));

    expect(await commInfo()).toMatchObject({ [id]: { target_name: "test.echo" } });
    expect(await commInfo("test.echo")).toEqual({ [id]: { target_name: "test.echo" } });
    expect(await commInfo("other.target")).toEqual({});

    // A frontend message between cells is handled now, and the answer is published now, not at the next cell.
    const sent = frontend.kernel.client.send("shell", "comm_msg", { comm_id: id, data: { x: 42 } });
    const echo = await waitFor((m) => m.header.msg_type === "comm_msg" && (m.content.data as { echo?: unknown }).echo !== undefined);
    expect(echo.content).toEqual({ comm_id: id, data: { echo: { x: 42 } } });
    expect(echo.parent_header.msg_id).toBe(sent.header.msg_id);
    expect(result(await execute("JSON.stringify(received)"))).toBe(`'[{"x":42}]'`);

    const close = frontend.kernel.client.send("shell", "comm_close", { comm_id: id, data: {} });
    await waitFor((m) => m.parent_header.msg_id === close.header.msg_id && m.content.execution_state === "idle");
    expect(await commInfo()).toEqual({});
    expect(result(await execute("c.closed"))).toBe("true");
    // A late message for the closed comm is dropped with a log line; the cell's handler never sees it.
    frontend.kernel.client.send("shell", "comm_msg", { comm_id: id, data: { x: 43 } });
    const deadline = Date.now() + 10_000;
    while (!frontend.kernel.stderr.includes(`unknown comm id "${id}"`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(frontend.kernel.stderr).toContain(`ignoring comm_msg for unknown comm id "${id}"`);
    expect(result(await execute("JSON.stringify(received)"))).toBe(`'[{"x":42}]'`);
  });

  it("the frontend opens a comm to a registered target; an unregistered target is closed again", async () => {
    await execute(`
      import { comm } from "gradlab";
      const opens: unknown[] = [];
      comm.registerTarget("test.target", (c, m) => { opens.push(m.data); c.send({ welcome: c.id }); });`);
    frontend.kernel.client.send("shell", "comm_open", { comm_id: "front-1", target_name: "test.target", data: { from: "frontend" } });
    const welcome = await waitFor((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === "front-1");
    expect(welcome.content.data).toEqual({ welcome: "front-1" });
    expect(await commInfo("test.target")).toEqual({ "front-1": { target_name: "test.target" } });
    expect(result(await execute("JSON.stringify(opens)"))).toBe(`'[{"from":"frontend"}]'`);

    frontend.kernel.client.send("shell", "comm_open", { comm_id: "front-2", target_name: "nobody.listens", data: {} });
    const closed = await waitFor((m) => m.header.msg_type === "comm_close" && m.content.comm_id === "front-2");
    expect(closed.content).toEqual({ comm_id: "front-2", data: {} });
    expect(await commInfo("nobody.listens")).toEqual({});
  });

  it("a message for an unknown comm id is ignored with a log line, and the kernel carries on", async () => {
    frontend.kernel.client.send("shell", "comm_msg", { comm_id: "no-such-comm", data: { x: 1 } });
    const deadline = Date.now() + 10_000;
    while (!frontend.kernel.stderr.includes("no-such-comm") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(frontend.kernel.stderr).toMatch(/ignoring comm_msg for unknown comm id "no-such-comm"/);
    expect(result(await execute("1 + 1"))).toBe("2");
  });

  it("1,000 frontend messages in a burst are all applied, in order, and the last value wins", async () => {
    const opened = await execute(`
      import { comm } from "gradlab";
      const values: number[] = [];
      const burst = comm.open("test.burst");
      burst.onMessage((m) => { values.push(m.data.value as number); });
      burst.id`);
    const id = String(result(opened)).replace(/'/g, "");
    for (let i = 0; i < 1000; i++) frontend.kernel.client.send("shell", "comm_msg", { comm_id: id, data: { value: i } });
    const deadline = Date.now() + 30_000;
    let count = 0;
    while (count < 1000 && Date.now() < deadline) count = Number(result(await execute("values.length")));
    expect(count).toBe(1000);
    expect(result(await execute("values.every((v, i) => v === i) && values[values.length - 1]"))).toBe("999");
  });

  it("a running cell that awaits sees frontend messages as they arrive", async () => {
    const opened = await execute(`
      import { comm } from "gradlab";
      let knob = 0;
      const live = comm.open("test.live");
      live.onMessage((m) => { knob = m.data.knob as number; });
      live.id`);
    const id = String(result(opened)).replace(/'/g, "");
    // The cell waits (awaiting between steps, as a training loop would) until it sees the knob move.
    const running = frontend.kernel.client.execute(`
      const seen: number[] = [];
      for (let step = 0; step < 400 && knob !== 7; step++) { seen.push(knob); await new Promise((r) => setTimeout(r, 10)); }
      console.log("knob", knob);`, { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 300));
    const knobMessage = frontend.kernel.client.send("shell", "comm_msg", { comm_id: id, data: { knob: 7 } });
    const { reply, iopub: messages } = await running;
    expect(reply.content.status).toBe("ok");
    expect(streamText(messages, "stdout")).toBe("knob 7\n");
    // The comm message served while the cell ran published no busy/idle of its own: the frontend never sees the
    // kernel idle while a cell still runs.
    expect(iopub.filter((m) => m.header.msg_type === "status" && m.parent_header.msg_id === knobMessage.header.msg_id)).toEqual([]);
  });

  it("a handler that throws reports the error on stderr and later messages are still handled", async () => {
    const opened = await execute(`
      import { comm } from "gradlab";
      const got: number[] = [];
      const fragile = comm.open("test.fragile");
      fragile.onMessage((m) => { if (m.data.n === 1) throw new Error("bad knob value"); got.push(m.data.n as number); });
      fragile.id`);
    const id = String(result(opened)).replace(/'/g, "");
    for (const n of [0, 1, 2]) frontend.kernel.client.send("shell", "comm_msg", { comm_id: id, data: { n } });
    await new Promise((r) => setTimeout(r, 500));
    const after = await execute("JSON.stringify(got)");
    expect(result(after)).toBe(`'[0,2]'`);
    // Output produced between cells shows at the start of the next cell.
    expect(streamText(after, "stderr")).toMatch(/Error in comm test\.fragile message handler:\n.*bad knob value/);
  });

  it("outside a kernel, comm.open says what is missing", async () => {
    const { comm } = await import("../../../lib/index.js");
    expect(comm.available).toBe(false);
    expect(() => comm.open("x")).toThrow(/comm\.open: comms need a Jupyter frontend connected through the gradlab kernel/);
  });
});
