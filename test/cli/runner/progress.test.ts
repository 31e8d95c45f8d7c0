// Terminal progress: a line per cell with notebook, cell i of n and elapsed time off a TTY; a redrawn status line on one.
import { describe, expect, it } from "vitest";
import { Progress } from "../../../cli/runner/progress.js";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 200, write: (t: string) => chunks.push(t) } };
}

describe("Progress", () => {
  it("prints notebook, cell i of n and the elapsed time, one line per cell, without escape codes off a TTY", () => {
    let now = 1000;
    const { chunks, stream } = sink(false);
    const p = new Progress(stream, () => now);
    p.notebookStart("a.ipynb");
    now += 1500;
    p.cellStart("a.ipynb", 2, 7);
    now += 500;
    p.notebookDone("a.ipynb", "ok");
    expect(chunks.join("")).toBe("a.ipynb: cell 2 of 7 (1.5 s)\na.ipynb: ok in 2.0 s\n");
  });

  it("redraws one status line for all running notebooks on a TTY, and keeps messages above it", () => {
    let now = 0;
    const { chunks, stream } = sink(true);
    const p = new Progress(stream, () => now);
    p.notebookStart("a.ipynb");
    p.notebookStart("b.ipynb");
    now = 3000;
    p.cellStart("b.ipynb", 1, 4);
    const status = chunks[chunks.length - 1]!;
    expect(status).toBe("\r\u001b[Ka.ipynb: starting kernel (3.0 s) | b.ipynb: cell 1 of 4 (3.0 s)");
    p.line("b.ipynb: warning");
    expect(chunks.slice(-3)).toEqual(["\r\u001b[K", "b.ipynb: warning\n", status]);
    p.notebookDone("a.ipynb", "ok");
    p.notebookDone("b.ipynb", "ok");
  });
});
