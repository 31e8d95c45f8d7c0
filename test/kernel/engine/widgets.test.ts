// Widgets through a real kernel process, with the test playing the frontend's widget manager: comm_open with protocol
// 2.1 state, display of the view, updates from the frontend echoed and observed, request_state, custom messages,
// interact's debounced and cancellable re-runs in an Output widget, and bad input.
import { describe, expect, it } from "vitest";
import { ofType } from "../../../cli/client/index.js";
import type { JupyterMessage } from "../../../kernel/wire/message.js";
import { resultText as text, useFrontend } from "./frontend.js";

const frontend = useFrontend((reply) => expect(reply, JSON.stringify(reply)).toMatchObject({ status: "ok" }));
const { iopub, waitFor, execute, ok } = frontend;

const sendUpdate = (commId: string, state: Record<string, unknown>) =>
  frontend.kernel.client.send("shell", "comm_msg", { comm_id: commId, data: { method: "update", state, buffer_paths: [] } });

/** The comm_open of the widget model that the view in `messages` shows. */
function shownModel(messages: JupyterMessage[]): { id: string; state: Record<string, unknown>; open: JupyterMessage } {
  const view = ofType(messages, "display_data").map((m) => (m.content.data as Record<string, { model_id?: string }>)["application/vnd.jupyter.widget-view+json"]).find(Boolean);
  expect(view, "a widget view was displayed").toBeDefined();
  const open = ofType(messages, "comm_open").find((m) => m.content.comm_id === view!.model_id)!;
  return { id: view!.model_id!, state: (open.content.data as { state: Record<string, unknown> }).state, open };
}

describe("widgets in a kernel process", () => {
  it("a FloatSlider opens its model with protocol 2.1 state, layout and style models, and shows its view", async () => {
    const messages = await ok(`
      import { widgets } from "gradlab";
      const lr = new widgets.FloatSlider({ min: 0, max: 1, value: 0.25, step: 0.05, description: "lr" });
      const seen: number[] = [];
      lr.onChange((v) => seen.push(v));
      display(lr);`);
    const { id, state, open } = shownModel(messages);
    expect(open.content.target_name).toBe("jupyter.widget");
    expect(open.metadata).toEqual({ version: "2.1.0" });
    expect(state).toMatchObject({
      _model_name: "FloatSliderModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "FloatSliderView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
      min: 0, max: 1, value: 0.25, step: 0.05, description: "lr", continuous_update: true, readout_format: ".2f",
    });
    // layout and style are references to models opened before the slider
    const opens = ofType(messages, "comm_open");
    for (const key of ["layout", "style"]) {
      const ref = String(state[key]);
      expect(ref).toMatch(/^IPY_MODEL_/);
      const sub = opens.find((m) => m.content.comm_id === ref.slice("IPY_MODEL_".length))!;
      expect(opens.indexOf(sub)).toBeLessThan(opens.indexOf(opens.find((m) => m.content.comm_id === id)!));
    }
    const view = ofType(messages, "display_data").at(-1)!.content.data as Record<string, unknown>;
    expect(view["application/vnd.jupyter.widget-view+json"]).toEqual({ version_major: 2, version_minor: 1, model_id: id });
    expect(String(view["text/plain"])).toMatch(/^FloatSlider\(.*value=0\.25/);

    // A frontend update: applied, observed, and echoed as a child of the frontend's message.
    const sent = sendUpdate(id, { value: 0.5 });
    const echo = await waitFor((m) => m.parent_header.msg_id === sent.header.msg_id && m.header.msg_type === "comm_msg");
    expect(echo.content.data).toEqual({ method: "echo_update", state: { value: 0.5 }, buffer_paths: [] });
    expect(text(await ok("JSON.stringify([lr.value, seen])"))).toBe(`'[0.5,[0.5]]'`);

    // Out of range from the frontend: clamped, and the frontend is told the value the kernel kept.
    const far = sendUpdate(id, { value: 7 });
    const fix = await waitFor((m) => m.parent_header.msg_id === far.header.msg_id && m.header.msg_type === "comm_msg" && (m.content.data as { method?: string }).method === "update");
    expect((fix.content.data as { state: unknown }).state).toEqual({ value: 1 });
    expect(text(await ok("lr.value"))).toBe("1");

    // The kernel sets a value: one update with the changed key only.
    const set = await ok("lr.value = 0.75;");
    const update = ofType(set, "comm_msg").find((m) => m.content.comm_id === id)!;
    expect(update.content.data).toEqual({ method: "update", state: { value: 0.75 }, buffer_paths: [] });

    // request_state: the whole state.
    const ask = frontend.kernel.client.send("shell", "comm_msg", { comm_id: id, data: { method: "request_state" } });
    const full = await waitFor((m) => m.parent_header.msg_id === ask.header.msg_id && m.header.msg_type === "comm_msg");
    expect((full.content.data as { state: Record<string, unknown> }).state).toMatchObject({ _model_name: "FloatSliderModel", value: 0.75, min: 0, max: 1 });
  });

  it("every control opens the model JupyterLab's widget manager knows", async () => {
    const messages = await ok(`
      import { widgets } from "gradlab";
      const all = [
        new widgets.FloatLogSlider({ min: 1e-4, max: 1, value: 1e-2 }), new widgets.IntSlider({ min: 10, max: 500, value: 100 }),
        new widgets.Dropdown({ options: ["sgd", "adam"], value: "adam" }), new widgets.Checkbox({ value: true }),
        new widgets.Button({ description: "go" }), new widgets.Text({ value: "hi" }), new widgets.Play({ max: 10 }),
        new widgets.Label("note"), new widgets.Output(),
      ];
      display(new widgets.HBox(all.slice(0, 2)));
      display(new widgets.VBox(all.slice(2)));`);
    const names = ofType(messages, "comm_open").map((m) => (m.content.data as { state: { _model_name: string } }).state._model_name);
    for (const name of ["FloatLogSliderModel", "IntSliderModel", "DropdownModel", "CheckboxModel", "ButtonModel", "TextModel", "PlayModel", "LabelModel", "OutputModel", "HBoxModel", "VBoxModel", "LayoutModel", "SliderStyleModel", "ButtonStyleModel"]) {
      expect(names).toContain(name);
    }
    const log = ofType(messages, "comm_open").find((m) => (m.content.data as { state: { _model_name: string } }).state._model_name === "FloatLogSliderModel")!;
    // The log slider's min/max are exponents; its value is the value itself.
    expect((log.content.data as { state: unknown }).state).toMatchObject({ min: -4, max: 0, base: 10, value: 0.01 });
    const dropdown = ofType(messages, "comm_open").find((m) => (m.content.data as { state: { _model_name: string } }).state._model_name === "DropdownModel")!;
    expect((dropdown.content.data as { state: unknown }).state).toMatchObject({ _options_labels: ["sgd", "adam"], index: 1 });
  });

  it("a button's click runs its handler in the kernel; link keeps two values equal", async () => {
    const messages = await ok(`
      import { widgets, link } from "gradlab";
      let clicks = 0;
      const go = new widgets.Button({ description: "go" });
      go.onClick(() => clicks++);
      const a = new widgets.IntSlider({ value: 3 });
      const b = new widgets.IntSlider({ value: 9 });
      link([a, "value"], [b, "value"]);
      display(go);
      JSON.stringify([a.value, b.value])`);
    expect(text(messages)).toBe(`'[3,3]'`);
    const { id } = shownModel(messages);
    const click = frontend.kernel.client.send("shell", "comm_msg", { comm_id: id, data: { method: "custom", content: { event: "click" } } });
    await waitFor((m) => m.parent_header.msg_id === click.header.msg_id && m.content.execution_state === "idle");
    expect(text(await ok("b.value = 42; JSON.stringify([clicks, a.value, b.value])"))).toBe(`'[1,42,42]'`);
  });

  it("interact re-runs in its Output widget after a change, debounced, dropping runs made stale", async () => {
    const messages = await ok(`
      import { interact, logSlider, intSlider } from "gradlab";
      const ui = interact(({ lr, steps }) => {
        let x = 5;
        for (let i = 0; i < steps; i++) x -= lr * 2 * x; // gradient descent on x²
        console.log("lr", lr, "steps", steps);
        return "final x = " + x.toExponential(3);
      }, { lr: logSlider(1e-3, 1, 1e-2), steps: intSlider(1, 200, 10) }, { debounceMs: 50 });`);
    expect(text(messages)).toBeUndefined(); // shown once, as a widget, not again as the cell's result
    const box = shownModel(messages);
    expect(box.state._model_name).toBe("VBoxModel");
    const outputOpen = ofType(messages, "comm_open").find((m) => (m.content.data as { state: { _model_name: string } }).state._model_name === "OutputModel")!;
    const outputId = String(outputOpen.content.comm_id);
    const first = ofType(messages, "comm_msg").filter((m) => m.content.comm_id === outputId).at(-1)!;
    const expected = (lr: number, steps: number) => {
      let x = 5;
      for (let i = 0; i < steps; i++) x -= lr * 2 * x;
      return `'final x = ${x.toExponential(3)}'`.slice(1, -1);
    };
    expect((first.content.data as { state: { outputs: unknown[] } }).state.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "lr 0.01 steps 10\n" },
      { output_type: "display_data", data: { "text/plain": expected(0.01, 10) }, metadata: {} },
    ]);

    // Drag the learning-rate slider across 100 values: only the last one's run is shown, and few runs start.
    const lrId = String((box.state.children as string[])[0]).slice("IPY_MODEL_".length);
    const before = iopub.length;
    for (let i = 0; i < 100; i++) sendUpdate(lrId, { value: 0.001 + i * 0.001 });
    const shown = await waitFor((m) => iopub.indexOf(m) >= before && m.content.comm_id === outputId && JSON.stringify(m.content.data).includes("lr 0.1 steps 10"));
    expect((shown.content.data as { state: { outputs: { data?: unknown }[] } }).state.outputs[1]!.data).toEqual({ "text/plain": expected(0.1, 10) });
    expect(JSON.parse(String(text(await ok("JSON.stringify(ui.runs)"))).slice(1, -1))).toMatchObject({ shown: 2 });
    expect(Number(text(await ok("ui.runs.started")))).toBeLessThanOrEqual(4);
  });

  it("a callback that throws shows the error in the Output widget; later changes still run", async () => {
    const messages = await ok(`
      import { interact, intSlider } from "gradlab";
      const fragile = interact(({ n }) => { if (n === 3) throw new Error("n = 3 is not allowed"); return "n is " + n; }, { n: intSlider(0, 10, 1) }, { debounceMs: 0 });`);
    const box = shownModel(messages);
    const nId = String((box.state.children as string[])[0]).slice("IPY_MODEL_".length);
    const outputId = String((box.state.children as string[])[1]).slice("IPY_MODEL_".length);
    sendUpdate(nId, { value: 3 });
    await waitFor((m) => m.content.comm_id === outputId && JSON.stringify(m.content.data).includes("n = 3 is not allowed"));
    sendUpdate(nId, { value: 4 });
    await waitFor((m) => m.content.comm_id === outputId && JSON.stringify(m.content.data).includes("n is 4"));
    expect(text(await ok("1 + 1"))).toBe("2");
  });

  it("Output.capture shows a callback's prints and displays in the widget, and an exception there too", async () => {
    const messages = await ok(`
      import { widgets } from "gradlab";
      const out = new widgets.Output();
      display(out);
      out.capture(() => { console.log("inside"); display.markdown("**shown**"); });
      let rethrown = "";
      try { out.capture(() => { throw new Error("bad callback"); }); } catch (e) { rethrown = (e as Error).message; }
      rethrown`);
    expect(text(messages)).toBe("'bad callback'");
    expect(ofType(messages, "stream")).toEqual([]); // nothing escaped into the cell's own output
    const outputId = ofType(messages, "comm_open").find((m) => (m.content.data as { state: { _model_name: string } }).state._model_name === "OutputModel")!.content.comm_id;
    const updates = ofType(messages, "comm_msg").filter((m) => m.content.comm_id === outputId).map((m) => (m.content.data as { state: { outputs: unknown } }).state.outputs);
    expect(updates[0]).toEqual([
      { output_type: "stream", name: "stdout", text: "inside\n" },
      { output_type: "display_data", data: { "text/markdown": "**shown**" }, metadata: {} },
    ]);
    expect(updates[1]).toEqual([{ output_type: "error", ename: "Error", evalue: "bad callback", traceback: ["Error: bad callback"] }]);
  });

  it("bad input: min > max and non-finite values are clear errors of the cell; state survives", async () => {
    await ok("const keep = 41;");
    const inverted = await execute(`import { widgets } from "gradlab"; new widgets.FloatSlider({ min: 5, max: 1 });`);
    expect(inverted.reply).toMatchObject({ status: "error", ename: "ValueError" });
    expect(String(inverted.reply.evalue)).toBe("FloatSlider: min (5) is greater than max (1)");
    const nan = await execute(`new widgets.IntSlider({ value: NaN });`);
    expect(String(nan.reply.evalue)).toBe("IntSlider: value must be a finite number, got NaN");
    const log = await execute(`new widgets.FloatLogSlider({ min: 0, max: 1 });`);
    expect(String(log.reply.evalue)).toBe("FloatLogSlider: min must be positive, got 0");
    expect(text(await ok("keep + 1"))).toBe("42");
  });
});
