// Engine: a cell that ignores interrupts (a busy loop after an await) ends with a restarted execution thread.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Interpreter } from "../../../kernel/interpreter.js";
import { loadEngine, makeNotebookDir, RecordingContext, resultText, run, stripAnsi } from "./helpers.js";

let interpreter: Interpreter;

beforeAll(async () => {
  const { createTypeScriptInterpreter } = await loadEngine();
  interpreter = createTypeScriptInterpreter({ cwd: makeNotebookDir(), hardInterruptMs: 1500 });
  await interpreter.start();
});
afterAll(() => interpreter.shutdown(false));

it("restarts the execution thread when a loop after an await does not stop, and says that variables are lost", async () => {
  resultText((await run(interpreter, "const lost = 1;")).outcome);
  // The cell asks for input before its loop, so the interrupt is sent once the cell runs, not while it may still be
  // compiling on a busy machine (an interrupt during the compile just cancels the cell).
  let running!: () => void;
  const started = new Promise<void>((resolve) => (running = resolve));
  const pending = run(interpreter, "await input('go? ');\nwhile (true) {}", new RecordingContext(() => {
    running();
    return "";
  }));
  await started;
  await new Promise((r) => setTimeout(r, 100));
  interpreter.interrupt();
  const { outcome, ctx } = await pending;
  expect(outcome.status === "error" && outcome.ename).toBe("KernelRestarted");
  expect(stripAnsi(ctx.text("stderr"))).toMatch(/restarting the execution thread/);
  // Types follow the runtime: the old declarations are gone, new cells work.
  const after = await run(interpreter, "lost");
  expect(after.outcome.status === "error" && after.outcome.evalue).toMatch(/Cannot find name 'lost'/);
  expect(resultText((await run(interpreter, "const fresh = 2;\nfresh * 21")).outcome)).toBe("42");
});
