// Turns a cell's iopub messages into nbformat 4 outputs: merges streams, applies clear_output and update_display_data.
import type { IDisplayData, IError, IExecuteResult, IMimeBundle, IOutput, IStream } from "@jupyterlab/nbformat";
import { joinMultiline } from "./notebook_file.js";

type Content = Record<string, unknown>;

/** One per notebook: display ids can be updated from later cells, so the map outlives a cell. */
export class NotebookOutputs {
  private readonly byDisplayId = new Map<string, IDisplayData[]>();

  cell(): CellOutputs {
    return new CellOutputs(this.byDisplayId);
  }
}

export class CellOutputs {
  readonly outputs: IOutput[] = [];
  private clearPending = false;

  constructor(private readonly byDisplayId: Map<string, IDisplayData[]>) {}

  /** Feeds one iopub message of the cell being executed; messages that carry no output are ignored. */
  handle(msgType: string, content: Content): void {
    switch (msgType) {
      case "stream":
        return this.addStream(String(content.name) === "stderr" ? "stderr" : "stdout", String(content.text ?? ""));
      case "display_data":
        return this.addDisplay(content);
      case "update_display_data":
        return this.updateDisplay(content);
      case "execute_result":
        return this.add({
          output_type: "execute_result",
          execution_count: typeof content.execution_count === "number" ? content.execution_count : null,
          data: bundle(content.data),
          metadata: bundle(content.metadata),
        } satisfies IExecuteResult);
      case "error":
        return this.add({
          output_type: "error",
          ename: String(content.ename ?? "Error"),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        } satisfies IError);
      case "clear_output":
        if (content.wait === true) this.clearPending = true;
        else this.outputs.length = 0;
        return;
    }
  }

  /** An output the runner itself adds (e.g. a timeout notice), formatted like a kernel error. */
  addError(ename: string, evalue: string, traceback: string[]): void {
    this.add({ output_type: "error", ename, evalue, traceback });
  }

  private add(output: IOutput): void {
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    this.outputs.push(output);
  }

  private addStream(name: "stdout" | "stderr", text: string): void {
    const last = this.outputs[this.outputs.length - 1];
    if (!this.clearPending && last?.output_type === "stream" && (last as IStream).name === name) {
      (last as IStream).text = joinMultiline((last as IStream).text) + text;
      return;
    }
    this.add({ output_type: "stream", name, text } satisfies IStream);
  }

  private addDisplay(content: Content): void {
    const output: IDisplayData = { output_type: "display_data", data: bundle(content.data), metadata: bundle(content.metadata) };
    this.add(output);
    const id = displayId(content);
    if (id !== undefined) this.byDisplayId.set(id, [...(this.byDisplayId.get(id) ?? []), output]);
  }

  private updateDisplay(content: Content): void {
    const id = displayId(content);
    if (id === undefined) return;
    for (const output of this.byDisplayId.get(id) ?? []) {
      output.data = bundle(content.data);
      output.metadata = bundle(content.metadata);
    }
  }
}

function displayId(content: Content): string | undefined {
  const transient = content.transient as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === "string" ? transient.display_id : undefined;
}

function bundle(value: unknown): IMimeBundle {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as IMimeBundle) : {};
}
