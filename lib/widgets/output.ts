// The Output widget (@jupyter-widgets/output 1.0.0): a place in the notebook whose outputs the kernel replaces, so a
// callback's prints and plots show inside a widget layout instead of under the cell that happened to run last.
import { displayHook, type MimeBundle } from "../display/mime.js";
import { reference, WidgetModel } from "./model.js";

/** nbformat output records, as the Output model's `outputs` holds them. */
export type OutputRecord =
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** Collects outputs without touching the widget, so a stale run can be dropped whole. */
export class OutputBuffer {
  readonly records: OutputRecord[] = [];

  display(bundle: Record<string, unknown>, metadata: Record<string, unknown>): void {
    this.records.push({ output_type: "display_data", data: bundle, metadata });
  }

  stream(name: "stdout" | "stderr", text: string): void {
    const last = this.records[this.records.length - 1];
    if (last?.output_type === "stream" && last.name === name) last.text += text;
    else this.records.push({ output_type: "stream", name, text });
  }

  clear(): void {
    this.records.length = 0;
  }

  error(error: unknown): void {
    const e = error instanceof Error ? error : new Error(String(error));
    this.records.push({ output_type: "error", ename: e.name, evalue: e.message, traceback: [`${e.name}: ${e.message}`] });
  }
}

export class Output extends WidgetModel {
  constructor() {
    super({ model: "OutputModel", view: "OutputView", module: "@jupyter-widgets/output", version: "1.0.0" }, {
      _dom_classes: [],
      layout: reference(new WidgetModel({ model: "LayoutModel", view: "LayoutView", module: "@jupyter-widgets/base" }, {})),
      msg_id: "",
      outputs: [],
    });
  }

  get outputs(): readonly OutputRecord[] {
    return this.get("outputs") as OutputRecord[];
  }

  /** Replaces everything shown. */
  setOutputs(records: readonly OutputRecord[]): void {
    this.set({ outputs: records.map((r) => ({ ...r })) });
  }

  clear(): void {
    this.setOutputs([]);
  }

  /** Adds one rich output (anything `display` accepts, as its bundle). */
  appendDisplay(bundle: MimeBundle): void {
    this.setOutputs([...this.outputs, { output_type: "display_data", data: bundle, metadata: {} }]);
  }

  /**
   * Runs `fn` with its prints and displays shown in this widget (replacing what it showed). An exception is shown in
   * the widget and thrown again.
   */
  capture<T>(fn: () => T): T {
    const buffer = new OutputBuffer();
    return runCaptured(buffer, fn, (outcome) => {
      if ("error" in outcome) buffer.error(outcome.error);
      this.setOutputs(buffer.records);
    });
  }
}

export type RunOutcome = { value: unknown } | { error: unknown };

/**
 * Runs `fn` with its prints and displays going into `buffer` (through the kernel's display hook; outside a kernel they
 * go where they always go), and calls `settle` once `fn`, and the promise it returns if any, has finished. Returns what
 * `fn` returned; a synchronous exception is thrown again after `settle`.
 */
export function runCaptured<T>(buffer: OutputBuffer, fn: () => T, settle: (outcome: RunOutcome) => void): T {
  const hook = displayHook();
  let result: T;
  try {
    result = hook?.capture ? hook.capture(buffer, fn) : fn();
  } catch (error) {
    settle({ error });
    throw error;
  }
  if (result instanceof Promise) result.then((value: unknown) => settle({ value }), (error: unknown) => settle({ error }));
  else settle({ value: result });
  return result;
}
