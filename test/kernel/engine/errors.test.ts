// Engine: runtime errors with cell line numbers, contained failures (exit, rejections, timers, recursion), interrupts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Interpreter } from "../../../kernel/interpreter.js";
import { RecordingContext, resultText, run, startInterpreter, stripAnsi } from "./helpers.js";

let interpreter: Interpreter;

beforeAll(async () => {
  interpreter = await startInterpreter();
});
afterAll(() => interpreter.shutdown(false));

describe("runtime errors", () => {
  it("a traceback uses the cells' own line numbers, through calls across cells", async () => {
    resultText((await run(interpreter, "// helper\nfunction check(n: number): number {\n  if (n > 2) throw new RangeError(`too big: ${n}`);\n  return n;\n}")).outcome);
    const { outcome } = await run(interpreter, "const values: number[] = [1, 2];\n\ncheck(values.length + 5);");
    expect(outcome.status).toBe("error");
    if (outcome.status !== "error") return;
    expect(outcome.ename).toBe("RangeError");
    expect(outcome.evalue).toBe("too big: 7");
    const tb = stripAnsi(outcome.traceback.join("\n"));
    expect(tb).toMatch(/at check \(In\[\d+\]:3:\d+\)/);
    expect(tb).toMatch(/at In\[\d+\]:3:1/);
    expect(tb).toContain("> 3 |   if (n > 2) throw new RangeError");
    expect(tb).not.toMatch(/node:internal|executor_worker/);
  });

  it("ename is the error's name (TypeError from the runtime)", async () => {
    const { outcome } = await run(interpreter, "const o: any = undefined;\no.field");
    expect(outcome.status === "error" && [outcome.ename, outcome.evalue]).toEqual(["TypeError", "Cannot read properties of undefined (reading 'field')"]);
  });

  it("a thrown non-Error value is reported", async () => {
    const { outcome } = await run(interpreter, "throw { code: 42 };");
    expect(outcome.status === "error" && outcome.evalue).toBe("{ code: 42 }");
    const str = await run(interpreter, "throw 'plain string';");
    expect(str.outcome.status === "error" && str.outcome.evalue).toBe("'plain string'");
  });

  it("a syntax error is reported with line:col and a code frame", async () => {
    const { outcome } = await run(interpreter, "const a = 1;\nconst b = (2 + ;");
    expect(outcome.status === "error" && outcome.ename).toBe("SyntaxError");
    if (outcome.status !== "error") return;
    expect(outcome.evalue).toMatch(/^2:16 - Expression expected/);
    expect(stripAnsi(outcome.traceback.join("\n"))).toContain("> 2 | const b = (2 + ;");
  });
});

describe("robustness", () => {
  it("process.exit(1) is refused with a clear message; state survives", async () => {
    resultText((await run(interpreter, "const kept = 'still here';")).outcome);
    const { outcome } = await run(interpreter, "process.exit(1);");
    expect(outcome.status === "error" && outcome.evalue).toMatch(/process\.exit\(\) is disabled/);
    expect(resultText((await run(interpreter, "kept")).outcome)).toBe("'still here'");
  });

  it("deep recursion gives a RangeError and the kernel goes on", async () => {
    const { outcome } = await run(interpreter, "function down(n: number): number { return down(n + 1) + 1; }\ndown(0);");
    expect(outcome.status === "error" && outcome.ename).toBe("RangeError");
    expect(resultText((await run(interpreter, "kept.length")).outcome)).toBe("10");
  });

  it("a tensor too big for the memory allowed is an OutOfMemoryError naming the op and shapes; state survives", async () => {
    resultText((await run(interpreter, "import * as gl from 'gradlab';\nconst big = gl.rng(1).normal([16384, 128]);")).outcome);
    const { outcome } = await run(interpreter,
      "process.env.GRADLAB_MEMORY_LIMIT = '1GiB';\nconst products = [0, 1].map(() => gl.matmul(big, gl.transpose(big)));");
    expect(outcome.status === "error" && outcome.ename).toBe("OutOfMemoryError");
    if (outcome.status !== "error") return;
    expect(outcome.evalue).toBe("matmul: out of memory: a float64 tensor of 268,435,456 elements needs 2.0 GiB, more than " +
      "GRADLAB_MEMORY_LIMIT=1GiB allows (inputs of shape (16384, 128) and (128, 16384))");
    expect(stripAnsi(outcome.traceback.join("\n"))).toMatch(/In\[\d+\]:2/);
    expect(resultText((await run(interpreter, "delete process.env.GRADLAB_MEMORY_LIMIT;\nbig.shape")).outcome)).toBe("[ 16384, 128 ]");
  });

  it("an unhandled rejection during a cell is reported in that cell", async () => {
    const { ctx, outcome } = await run(interpreter, "Promise.reject(new Error('nobody caught me'));\nawait new Promise((r) => setTimeout(r, 50));");
    expect(outcome.status).toBe("ok");
    expect(stripAnsi(ctx.text("stderr"))).toMatch(/Unhandled promise rejection:\nError: nobody caught me\n\s+at In\[\d+\]:1:/);
  });

  it("an error thrown in a timer after its cell ended is reported in the next cell", async () => {
    const first = await run(interpreter, "setTimeout(() => { throw new TypeError('late timer'); }, 20);");
    expect(first.outcome.status).toBe("ok");
    await new Promise((r) => setTimeout(r, 300));
    const { ctx } = await run(interpreter, "1");
    expect(stripAnsi(ctx.text("stderr"))).toMatch(/Uncaught exception \(in a timer or callback\):\nTypeError: late timer/);
  });

  it("a hung await is interrupted and every binding is kept", async () => {
    resultText((await run(interpreter, "let progress = 'before';")).outcome);
    // Interrupt once the cell runs (it asks for input first), not while it may still be compiling on a busy machine.
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const pending = run(interpreter, "progress = 'waiting';\nawait input('go? ');\nawait new Promise(() => {});\nprogress = 'never';",
      new RecordingContext(() => {
        running();
        return "";
      }));
    await started;
    await new Promise((r) => setTimeout(r, 100));
    interpreter.interrupt();
    const { outcome } = await pending;
    expect(outcome.status === "error" && outcome.ename).toBe("Interrupted");
    expect(resultText((await run(interpreter, "progress + ' ' + kept")).outcome)).toBe("'waiting still here'");
  });
});
