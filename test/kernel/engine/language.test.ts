// Engine: type-aware completion (code-point cursors), hover documentation, and is_complete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Interpreter } from "../../../kernel/interpreter.js";
import { resultText, run, startInterpreter } from "./helpers.js";

let interpreter: Interpreter;

beforeAll(async () => {
  interpreter = await startInterpreter();
});
afterAll(() => interpreter.shutdown(false));

const points = (s: string): number => [...s].length;

describe("complete", () => {
  it("completes members from the type of an expression", async () => {
    const code = "const words = ['a', 'b'];\nwords.jo";
    const reply = await interpreter.complete(code, points(code));
    expect(reply.matches).toEqual(["join"]);
    expect([reply.cursorStart, reply.cursorEnd]).toEqual([points(code) - 2, points(code)]);
  });

  it("sees declarations of earlier cells, including their types", async () => {
    resultText((await run(interpreter, "interface Model { weight: number; bias: number }\nconst model: Model = { weight: 1, bias: 0 };")).outcome);
    const code = "model.";
    expect((await interpreter.complete(code, points(code))).matches).toEqual(["bias", "weight"]);
  });

  it("the compiler's idle warm-up leaves no trace: its scratch cell is invisible to cells and completions", async () => {
    // The warm-up runs after 250 ms without requests (compiler_worker.ts); wait out several of its steps.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await interpreter.complete("__wa", 4)).matches).toEqual([]);
    expect((await run(interpreter, "__warm")).outcome.status).toBe("error");
    expect(resultText((await run(interpreter, "const __warm = 'mine';\n__warm.length")).outcome)).toBe("4");
    const code = "model.bi";
    expect((await interpreter.complete(code, points(code))).matches).toEqual(["bias"]);
  });

  it("counts the cursor in code points: an emoji before the cursor", async () => {
    const code = "const s = '😀😀'; model.we";
    const reply = await interpreter.complete(code, points(code));
    expect(reply.matches).toEqual(["weight"]);
    expect(reply.cursorEnd).toBe(points(code));
    expect(reply.cursorStart).toBe(points(code) - 2);
    expect(code.length - points(code)).toBe(2);
  });

  it("replaces the whole word around the cursor", async () => {
    const code = "Math.fl + 1";
    const reply = await interpreter.complete(code, 6);
    expect(reply.matches).toContain("floor");
    expect([reply.cursorStart, reply.cursorEnd]).toEqual([5, 7]);
  });
});

describe("complete while typing (lists reused while only the word being typed changes)", () => {
  const members = async (code: string) => (await interpreter.complete(code, points(code))).matches;

  it("each keystroke gets the list filtered by the word typed so far", async () => {
    const line = "const typed = [3, 1, 2];\ntyped.";
    expect(await members(`${line}re`)).toEqual(["reduce", "reduceRight", "reverse"]);
    expect(await members(`${line}red`)).toEqual(["reduce", "reduceRight"]);
    expect(await members(`${line}redx`)).toEqual([]);
    expect(await members(`${line}r`)).toEqual(["reduce", "reduceRight", "reverse"]);
    // The word's end after the cursor is replaced, and does not narrow the list.
    const code = `${line}reXYZ`;
    expect((await interpreter.complete(code, points(code) - 3)).matches).toEqual(["reduce", "reduceRight", "reverse"]);
  });

  it("a change anywhere else in the text gives a new list", async () => {
    expect(await members("const probeA1 = 1;\nprobe")).toEqual(["probeA1"]);
    expect(await members("const probeB1 = 1;\nprobe")).toEqual(["probeB1"]);
    // Same text before the word, different text after it.
    expect((await interpreter.complete("const probeA1 = 1;\nprobe\nconst probeC1 = 1;", 24)).matches).toEqual(["probeA1", "probeC1"]);
  });

  it("a cell run in between gives a new list", async () => {
    expect(await members("cacheProbe")).toEqual([]);
    resultText((await run(interpreter, "const cacheProbeValue = 1;")).outcome);
    expect(await members("cacheProbe")).toEqual(["cacheProbeValue"]);
    resultText((await run(interpreter, "const cacheProbeOther = 2;")).outcome);
    expect(await members("cacheProbe")).toEqual(["cacheProbeOther", "cacheProbeValue"]);
  });
});

describe("inspect", () => {
  it("shows the signature and JSDoc", async () => {
    resultText((await run(interpreter, "/** Scales a number by a factor. */\nfunction scale(x: number, factor = 2): number { return x * factor; }")).outcome);
    const code = "scale(3)";
    const reply = await interpreter.inspect(code, 5, 0);
    expect(reply.found).toBe(true);
    expect(reply.data["text/plain"]).toContain("function scale(x: number, factor?: number): number");
    expect(reply.data["text/plain"]).toContain("Scales a number by a factor.");
    expect(reply.data["text/markdown"]).toContain("```typescript");
  });

  it("documents library and Node APIs", async () => {
    const reply = await interpreter.inspect("Math.max", 8, 0);
    expect(reply.data["text/plain"]).toMatch(/Math\.max\(\.\.\.values: number\[\]\): number[\s\S]*larger/);
  });

  it("documents gradlab's API (declaration files' JSDoc is read on demand)", async () => {
    const code = "import { grad } from 'gradlab';\ngrad";
    const reply = await interpreter.inspect(code, points(code), 0);
    expect(reply.data["text/plain"]).toMatch(/^function grad[\s\S]*the gradient of scalar-valued f/);
  });

  it("documents Node APIs too (their JSDoc is read on demand)", async () => {
    const code = "import { readFileSync } from 'node:fs';\nreadFileSync";
    const reply = await interpreter.inspect(code, points(code), 0);
    expect(reply.data["text/plain"]).toMatch(/^function readFileSync\(path: PathOrFileDescriptor[\s\S]*Returns the contents of the `path`/);
  });

  it("found is false on nothing", async () => {
    expect((await interpreter.inspect("   ", 1, 0)).found).toBe(false);
  });
});

describe("is_complete", () => {
  const cases: [string, string][] = [
    ["x = 1", "complete"],
    ["const a = /x+/", "complete"],
    ["if (x) {", "incomplete"],
    ["foo(1,", "incomplete"],
    ["const t = `abc", "incomplete"],
    ["const t = `a ${1 +", "incomplete"],
    ["1 +", "incomplete"],
    ["/* open comment", "incomplete"],
    ["if (ready)", "incomplete"],
    ["let 1x = 2", "invalid"],
    ["'abc", "invalid"],
    ["foo())", "invalid"],
  ];
  it.each(cases)("%j is %s", async (code, status) => {
    expect((await interpreter.isComplete(code)).status).toBe(status);
  });

  it("incomplete gives an indent for the next line", async () => {
    expect(await interpreter.isComplete("function f() {")).toEqual({ status: "incomplete", indent: "  " });
    expect(await interpreter.isComplete("  if (y) {")).toEqual({ status: "incomplete", indent: "    " });
  });
});
