// iopub messages -> nbformat outputs: stream merging, clear_output (with and without wait), display updates across cells.
import { describe, expect, it } from "vitest";
import { NotebookOutputs } from "../../../cli/runner/outputs.js";

describe("CellOutputs", () => {
  it("merges consecutive chunks of the same stream only", () => {
    const cell = new NotebookOutputs().cell();
    cell.handle("stream", { name: "stdout", text: "a\n" });
    cell.handle("stream", { name: "stdout", text: "b\n" });
    cell.handle("stream", { name: "stderr", text: "warn\n" });
    cell.handle("stream", { name: "stdout", text: "c\n" });
    cell.handle("status", { execution_state: "idle" });
    expect(cell.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
      { output_type: "stream", name: "stderr", text: "warn\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ]);
  });

  it("clear_output clears now, or at the next output with wait", () => {
    const cell = new NotebookOutputs().cell();
    cell.handle("stream", { name: "stdout", text: "1" });
    cell.handle("clear_output", { wait: false });
    expect(cell.outputs).toEqual([]);
    cell.handle("stream", { name: "stdout", text: "2" });
    cell.handle("clear_output", { wait: true });
    expect(cell.outputs).toHaveLength(1);
    cell.handle("stream", { name: "stdout", text: "3" });
    expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "3" }]);
  });

  it("applies update_display_data to the display with that id, also from a later cell, without transient in the output", () => {
    const nb = new NotebookOutputs();
    const first = nb.cell();
    first.handle("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } });
    const second = nb.cell();
    second.handle("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "bar" } });
    second.handle("update_display_data", { data: { "text/plain": "ignored" }, metadata: {}, transient: { display_id: "other" } });
    expect(first.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} }]);
    expect(second.outputs).toEqual([]);
  });

  it("keeps execute_result and error fields", () => {
    const cell = new NotebookOutputs().cell();
    cell.handle("execute_result", { execution_count: 3, data: { "text/plain": "2" }, metadata: {} });
    cell.handle("error", { ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at cell 1:1"] });
    expect(cell.outputs).toEqual([
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": "2" }, metadata: {} },
      { output_type: "error", ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at cell 1:1"] },
    ]);
  });
});
