// The protocol layer end to end: a real kernel process (mock interpreter) driven over ZeroMQ by cli/client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, streamText, type KernelProcess } from "../../../cli/client/index.js";
import type { JupyterMessage } from "../../../kernel/wire/message.js";
import { startMockKernel } from "../../helpers/kernel.js";

const types = (messages: JupyterMessage[]) => messages.map((m) => m.header.msg_type);

describe("protocol (mock interpreter, real kernel process)", () => {
  let kernel: KernelProcess;
  beforeAll(async () => {
    kernel = await startMockKernel();
  });
  afterAll(async () => {
    await kernel?.shutdown();
  });

  it("answers heartbeats", async () => {
    expect(await kernel.client.heartbeat()).toBe(true);
  });

  it("answers kernel_info with status ok, protocol 5.3 and the interpreter's language_info", async () => {
    const reply = await kernel.client.request("shell", "kernel_info_request");
    expect(reply.header.msg_type).toBe("kernel_info_reply");
    expect(reply.content).toMatchObject({ status: "ok", protocol_version: "5.3", implementation: "gradlab-mock" });
    expect((reply.content.language_info as { name: string }).name).toBe("mock");
    const onControl = await kernel.client.request("control", "kernel_info_request");
    expect(onControl.content.status).toBe("ok");
  });

  it("publishes busy, execute_input, outputs, execute_result, idle in order and counts executions", async () => {
    const first = await kernel.client.execute("print:hi\nvalue");
    expect(types(first.iopub)).toEqual(["status", "execute_input", "stream", "execute_result", "status"]);
    expect(first.iopub[0]!.content.execution_state).toBe("busy");
    expect(first.iopub.at(-1)!.content.execution_state).toBe("idle");
    const count = first.reply.content.execution_count as number;
    expect(first.iopub[1]!.content).toEqual({ code: "print:hi\nvalue", execution_count: count });
    expect(first.iopub[3]!.content).toMatchObject({ execution_count: count, data: { "text/plain": "value" } });
    expect(first.reply.content).toMatchObject({ status: "ok", user_expressions: {}, payload: [] });
    for (const message of first.iopub) expect(message.parent_header.msg_id).toBe(first.reply.parent_header.msg_id);
    const second = await kernel.client.execute("x");
    expect(second.reply.content.execution_count).toBe(count + 1);
  });

  it("keeps the count with store_history false and sends no outputs or execute_input when silent", async () => {
    const before = (await kernel.client.execute("x")).reply.content.execution_count as number;
    const noHistory = await kernel.client.execute("y", { storeHistory: false });
    expect(noHistory.reply.content.execution_count).toBe(before);
    const silent = await kernel.client.execute("print:quiet\nz", { silent: true });
    expect(silent.reply.content.execution_count).toBe(before);
    expect(types(silent.iopub)).toEqual(["status", "stream", "status"]);
  });

  it("returns user_expressions from the interpreter", async () => {
    const { reply } = await kernel.client.execute("x", { userExpressions: { a: "abc" } });
    expect(reply.content.user_expressions).toEqual({ a: { status: "ok", data: { "text/plain": "ABC" }, metadata: {} } });
  });

  it("sends stderr, display_data, update_display_data and clear_output", async () => {
    const { iopub } = await kernel.client.execute("stderr:warn\ndisplay:one\nupdate:two\nclear:wait\nclear");
    expect(streamText(iopub, "stderr")).toBe("warn\n");
    const [display] = ofType(iopub, "display_data");
    expect(display!.content).toMatchObject({ data: { "text/plain": "one" }, transient: { display_id: "d1" } });
    expect(ofType(iopub, "update_display_data")[0]!.content).toMatchObject({ data: { "text/plain": "two" }, transient: { display_id: "d1" } });
    expect(ofType(iopub, "clear_output").map((m) => m.content.wait)).toEqual([true, false]);
  });

  it("reports errors on iopub and in the reply", async () => {
    const { reply, iopub } = await kernel.client.execute("throw:boom");
    expect(reply.content).toMatchObject({ status: "error", ename: "MockError", evalue: "boom" });
    expect(ofType(iopub, "error")[0]!.content).toMatchObject({ ename: "MockError", evalue: "boom", traceback: ["MockError: boom"] });
  });

  it("aborts execute requests queued behind an error (stop_on_error), then runs new ones", async () => {
    const failing = kernel.client.execute("sleep:300\nthrow:first");
    const queued = [kernel.client.execute("print:never-1"), kernel.client.execute("print:never-2")];
    const [failed, ...aborted] = await Promise.all([failing, ...queued]);
    expect(failed.reply.content.status).toBe("error");
    for (const result of aborted) {
      expect(result.reply.content.status).toBe("aborted");
      expect(streamText(result.iopub, "stdout")).toBe("");
      expect(types(result.iopub)).toEqual(["status", "status"]);
    }
    const after = await kernel.client.execute("print:runs");
    expect(streamText(after.iopub, "stdout")).toBe("runs\n");
  });

  it("does not abort queued requests when stop_on_error is false", async () => {
    const failing = kernel.client.execute("sleep:200\nthrow:x", { stopOnError: false });
    const next = kernel.client.execute("print:still-runs");
    const [, ran] = await Promise.all([failing, next]);
    expect(ran.reply.content.status).toBe("ok");
    expect(streamText(ran.iopub, "stdout")).toBe("still-runs\n");
  });

  it("answers complete, inspect and is_complete from the interpreter", async () => {
    const complete = await kernel.client.request("shell", "complete_request", { code: "é pri", cursor_pos: 5 });
    expect(complete.content).toEqual({ status: "ok", matches: ["print", "printf"], cursor_start: 2, cursor_end: 5, metadata: {} });
    const inspect = await kernel.client.request("shell", "inspect_request", { code: "print", cursor_pos: 3, detail_level: 0 });
    expect(inspect.content).toMatchObject({ status: "ok", found: true, data: { "text/plain": expect.stringContaining("stdout") } });
    const statuses = [];
    for (const code of ["x", "f {", "}}"]) {
      statuses.push((await kernel.client.request("shell", "is_complete_request", { code })).content);
    }
    expect(statuses).toEqual([{ status: "complete" }, { status: "incomplete", indent: "  " }, { status: "invalid" }]);
  });

  it("records history for tail, range and search", async () => {
    await kernel.client.execute("history-marker-1");
    await kernel.client.execute("history-marker-2");
    const tail = await kernel.client.request("shell", "history_request", { hist_access_type: "tail", n: 2, output: true, raw: true });
    const entries = tail.content.history as [number, number, [string, string]][];
    expect(entries.map((e) => e[2])).toEqual([
      ["history-marker-1", "history-marker-1"],
      ["history-marker-2", "history-marker-2"],
    ]);
    const [session, line] = entries[0]!;
    const range = await kernel.client.request("shell", "history_request", { hist_access_type: "range", session, start: line, stop: line + 1, raw: true, output: false });
    expect(range.content.history).toEqual([[session, line, "history-marker-1"]]);
    const search = await kernel.client.request("shell", "history_request", { hist_access_type: "search", pattern: "history-marker-?", unique: true, raw: true, output: false });
    expect((search.content.history as unknown[]).length).toBe(2);
  });

  it("handles comm_info, comm_open/msg/close, and closes comms for unknown targets", async () => {
    const closed = new Promise<JupyterMessage>((resolve) => {
      const off = kernel.client.onIopub((m) => {
        if (m.header.msg_type === "comm_close" && m.content.comm_id === "c-unknown") {
          off();
          resolve(m);
        }
      });
    });
    kernel.client.send("shell", "comm_open", { comm_id: "c-unknown", target_name: "nobody", data: {} });
    expect((await closed).content).toEqual({ comm_id: "c-unknown", data: {} });

    kernel.client.send("shell", "comm_open", { comm_id: "c-echo", target_name: "echo", data: {} });
    kernel.client.send("shell", "comm_msg", { comm_id: "c-echo", data: { x: 1 } });
    const info = await kernel.client.request("shell", "comm_info_request", { target_name: "echo" });
    expect(info.content).toEqual({ status: "ok", comms: { "c-echo": { target_name: "echo" } } });
    kernel.client.send("shell", "comm_close", { comm_id: "c-echo", data: {} });
    const after = await kernel.client.request("shell", "comm_info_request", {});
    expect(after.content.comms).toEqual({});
  });

  it("asks for input on stdin and refuses when allow_stdin is false", async () => {
    const prompts: [string, boolean][] = [];
    const { iopub } = await kernel.client.execute("input:name? \npassword:pw: ", {
      onInput: (prompt, password) => {
        prompts.push([prompt, password]);
        return password ? "hunter2" : "Ada";
      },
    });
    expect(prompts).toEqual([["name? ", false], ["pw: ", true]]);
    expect(streamText(iopub, "stdout")).toBe("got Ada\nsecret length 7\n");
    const refused = await kernel.client.execute("input:x", { allowStdin: false });
    expect(refused.reply.content.status).toBe("error");
    expect(String(refused.reply.content.evalue)).toMatch(/allow_stdin/);
  });

  it("serves control while a cell runs, and interrupts by interrupt_request and by SIGINT", async () => {
    const started = Date.now();
    const hung = kernel.client.execute("hang");
    const info = await kernel.client.request("control", "kernel_info_request");
    expect(info.content.status).toBe("ok");
    const interrupt = await kernel.client.request("control", "interrupt_request");
    expect(interrupt.content.status).toBe("ok");
    expect((await hung).reply.content).toMatchObject({ status: "error", ename: "Interrupted" });

    const hungAgain = kernel.client.execute("hang");
    await new Promise((resolve) => setTimeout(resolve, 200));
    kernel.child.kill("SIGINT");
    expect((await hungAgain).reply.content).toMatchObject({ status: "error", ename: "Interrupted" });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(kernel.child.exitCode).toBeNull();
    expect((await kernel.client.execute("print:alive")).reply.content.status).toBe("ok");
  });

  it("cancels a pending input request on interrupt", async () => {
    const waiting = kernel.client.execute("input:never answered", {
      onInput: () => new Promise<string>(() => {}),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await kernel.client.request("control", "interrupt_request");
    const { reply } = await waiting;
    expect(reply.content).toMatchObject({ status: "error", ename: "InputCancelled" });
  });

  it("does not run cells sent on the control channel (cells run only on shell, one at a time)", async () => {
    const message = kernel.client.send("control", "execute_request", { code: "print:from-control", silent: false });
    const iopub = await kernel.client.collectIopub(message.header.msg_id, 10_000);
    expect(iopub.map((m) => m.header.msg_type)).toEqual(["status", "status"]);
    // The kernel's stderr pipe can trail its ZeroMQ replies: wait for the log line rather than race it.
    await expect.poll(() => kernel.stderr, { timeout: 10_000 }).toMatch(/ignoring message type "execute_request" on control/);
  });

  it("ignores unknown message types but still reports busy and idle", async () => {
    const message = kernel.client.send("shell", "no_such_request", {});
    const iopub = await kernel.client.collectIopub(message.header.msg_id, 10_000);
    expect(iopub.map((m) => m.content.execution_state)).toEqual(["busy", "idle"]);
  });
});

describe("shutdown and restart", () => {
  it("restarts on shutdown_request(restart) and exits on shutdown_request", async () => {
    const kernel = await startMockKernel();
    try {
      const firstPid = kernel.child.pid;
      await kernel.client.execute("x");
      await kernel.restart();
      expect(kernel.child.pid).not.toBe(firstPid);
      const { reply } = await kernel.client.execute("print:after restart");
      expect(reply.content).toMatchObject({ status: "ok", execution_count: 1 });
      const shutdown = await kernel.client.request("control", "shutdown_request", { restart: false });
      expect(shutdown.content).toEqual({ status: "ok", restart: false });
      expect(await kernel.exited).toBe(0);
    } finally {
      await kernel.shutdown();
    }
  });

  it("shuts down from the shell channel too", async () => {
    const kernel = await startMockKernel();
    try {
      const reply = await kernel.client.request("shell", "shutdown_request", { restart: false });
      expect(reply.content.status).toBe("ok");
      expect(await kernel.exited).toBe(0);
    } finally {
      await kernel.shutdown();
    }
  });
});
