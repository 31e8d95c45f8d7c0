// Engine: cell state across cells, types across cells, top-level await, imports, results and the display API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Interpreter } from "../../../kernel/interpreter.js";
import { resultText, run, startInterpreter, stripAnsi } from "./helpers.js";
import { requireTool } from "../../helpers/require.js";

let interpreter: Interpreter;

beforeAll(async () => {
  interpreter = await startInterpreter();
});
afterAll(() => interpreter.shutdown(false));

describe("state across cells", () => {
  it("later cells see earlier values, functions and types", async () => {
    resultText((await run(interpreter, "interface Point { x: number; y: number }\nconst origin: Point = { x: 0, y: 0 };\nfunction norm(p: Point): number { return Math.hypot(p.x, p.y); }")).outcome);
    expect(resultText((await run(interpreter, "const p: Point = { x: 3, y: 4 };\nnorm(p) + origin.x")).outcome)).toBe("5");
  });

  it("earlier types are enforced in later cells", async () => {
    const { outcome } = await run(interpreter, "const bad: Point = { x: 1 };");
    expect(outcome.status).toBe("error");
    if (outcome.status === "error") expect(outcome.evalue).toMatch(/Property 'y' is missing/);
  });

  it("re-running a cell that declares const works, and the new value wins", async () => {
    resultText((await run(interpreter, "const answer = 1;")).outcome);
    resultText((await run(interpreter, "const answer = 'two';")).outcome);
    expect(resultText((await run(interpreter, "answer.toUpperCase()")).outcome)).toBe("'TWO'");
  });

  it("let from an earlier cell can be assigned, and closures see the new value", async () => {
    resultText((await run(interpreter, "let counter = 0;\nconst readCounter = () => counter;")).outcome);
    resultText((await run(interpreter, "counter += 41; counter++;")).outcome);
    expect(resultText((await run(interpreter, "readCounter()")).outcome)).toBe("42");
  });

  it("classes, enums, destructuring and generics carry over", async () => {
    resultText((await run(interpreter, "class Box<T> { constructor(readonly v: T) {} }\nenum Color { Red, Green }\nconst { a, b: [c] } = { a: 1, b: [2] };")).outcome);
    expect(resultText((await run(interpreter, "const bx: Box<number> = new Box(a + c);\nbx.v + Color.Green")).outcome)).toBe("4");
  });

  it("a long session: 58 cells with redeclarations, failed cells and imports keep the newest types", async () => {
    // The compiler keeps the next cells' files ready ahead (16 at a time) and drops shadowed cells when it refills;
    // this crosses several refills, with failed cells reusing a slot and imports changing the program's modules.
    for (let i = 0; i < 58; i++) {
      if (i % 7 === 3) {
        const { outcome } = await run(interpreter, `const broken${i}: number = "no";`);
        expect(outcome.status).toBe("error");
      } else if (i % 5 === 0) {
        resultText((await run(interpreter, `import { twice } from 'esm-tla';\nconst shadowed = twice(${i});`)).outcome);
      } else {
        const value = i % 2 === 0 ? `${i}` : `"s${i}"`;
        resultText((await run(interpreter, `const shadowed = ${value};\nlet step${i} = ${i};`)).outcome);
      }
    }
    // Cell 57 (odd) made `shadowed` a string; cell 56's `let` is still assignable; cell 3's failure declared nothing.
    expect(resultText((await run(interpreter, "shadowed.toUpperCase() + (step56 += 1)")).outcome)).toBe("'S5757'");
    const { outcome } = await run(interpreter, "const n: number = shadowed;");
    expect(outcome.status).toBe("error");
    if (outcome.status === "error") expect(outcome.evalue).toMatch(/Type 'string' is not assignable to type 'number'/);
    expect((await run(interpreter, "broken3")).outcome.status).toBe("error");
    expect(resultText((await run(interpreter, "step1 + step2 + twice(step4)")).outcome)).toBe("11");
  });

  it("declare global augments the global scope for later cells, and Node's own globals stay intact", async () => {
    resultText((await run(interpreter, "declare global { var answerFromAugmentation: number }\nglobalThis.answerFromAugmentation = 41;")).outcome);
    expect(resultText((await run(interpreter, "answerFromAugmentation + 1")).outcome)).toBe("42");
    expect(resultText((await run(interpreter, "typeof global.setTimeout")).outcome)).toBe("'function'");
  });

  it("top-level await", async () => {
    expect(resultText((await run(interpreter, "const later = await new Promise<number>((r) => setTimeout(() => r(7), 10));\nlater * 6")).outcome)).toBe("42");
  });
});

describe("imports", () => {
  it("an ESM-only package with top-level await, from the notebook folder, with its types", async () => {
    expect(resultText((await run(interpreter, "import { answer, twice } from 'esm-tla';\ntwice(answer)")).outcome)).toBe("84");
    const { outcome } = await run(interpreter, "const s: string = twice(1);");
    expect(outcome.status).toBe("error");
  });

  it("CommonJS packages, typed and untyped", async () => {
    expect(resultText((await run(interpreter, "import { greet } from 'cjs-typed';\ngreet('ada')")).outcome)).toBe("'hello ada'");
    expect(resultText((await run(interpreter, "import untyped from 'cjs-untyped';\nuntyped.value")).outcome)).toBe("7");
  });

  it("node: built-ins and Node's types, with no import", async () => {
    expect(resultText((await run(interpreter, "import { basename } from 'node:path';\nbasename('/a/b.txt')")).outcome)).toBe("'b.txt'");
    expect(resultText((await run(interpreter, "typeof process.version + typeof Buffer.from('x')")).outcome)).toBe("'stringobject'");
  });

  it("relative imports resolve from the notebook folder", async () => {
    expect(resultText((await run(interpreter, "const { local } = await import('./local.mjs');\nlocal")).outcome)).toBe("'from the notebook folder'");
  });

  it("imports stay visible in later cells", async () => {
    expect(resultText((await run(interpreter, "greet('again') + basename('/x/y')")).outcome)).toBe("'hello againy'");
  });

  const libraryBuilt = requireTool("the built library in dist/ (npm run build)", existsSync(join(process.cwd(), "dist", "lib", "index.js")));
  it.skipIf(!libraryBuilt)("gradlab resolves to this package's library, in the cells' realm", async () => {
    const code = "import { tensor, Tensor } from 'gradlab';\nconst t = tensor([1, 2, 3]);\n[t instanceof Tensor, Array.isArray(t.toArray()), t.shape instanceof Array]";
    expect(resultText((await run(interpreter, code)).outcome)).toBe("[ true, true, true ]");
    expect((await run(interpreter, "const n: number = t;")).outcome.status).toBe("error");
  });
});

describe("results and display", () => {
  it("the last expression is the result; strings are quoted like a REPL; undefined gives none", async () => {
    expect(resultText((await run(interpreter, "'abc'")).outcome)).toBe("'abc'");
    expect(resultText((await run(interpreter, "({ a: [1, 2], b: 'x' })")).outcome)).toBe("{ a: [ 1, 2 ], b: 'x' }");
    expect(resultText((await run(interpreter, "undefined")).outcome)).toBeUndefined();
    expect(resultText((await run(interpreter, "const quiet = 3;")).outcome)).toBeUndefined();
  });

  it("objects with [Symbol.for('Jupyter.display')] give their own bundle", async () => {
    const { outcome } = await run(interpreter, "({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>hi</b>', 'text/plain': 'hi' }; } })");
    expect(outcome.status === "ok" && outcome.result?.data).toEqual({ "text/html": "<b>hi</b>", "text/plain": "hi" });
  });

  it("display(), display.html/markdown/svg/latex/json/png, handles with update, clearOutput", async () => {
    const code = [
      "const h = display(1, { id: 'counter' });",
      "display.html('<i>x</i>'); display.markdown('# m'); display.svg('<svg/>'); display.latex('$x$');",
      "display.json({ k: 1 }); display.png(new Uint8Array([1, 2, 3]));",
      "h.update(2);",
      "clearOutput({ wait: true });",
    ].join("\n");
    const { ctx, outcome } = await run(interpreter, code);
    expect(outcome.status).toBe("ok");
    const shown = ctx.events.map((e) => (e.type === "display" ? Object.keys(e.data)[0] + (e.update ? "!" : "") : e.type));
    expect(shown).toEqual(["text/plain", "text/html", "text/markdown", "image/svg+xml", "text/latex", "application/json", "image/png", "text/plain!", "clear"]);
    const first = ctx.events[0]!;
    const update = ctx.events[7]!;
    expect(first.type === "display" && first.displayId).toBe("counter");
    expect(update.type === "display" && update.displayId === "counter" && update.data["text/plain"]).toBe("2");
    expect(ctx.events[6]!.type === "display" && (ctx.events[6] as { data: Record<string, unknown> }).data["image/png"]).toBe("AQID");
    expect(ctx.events[8]).toEqual({ type: "clear", wait: true });
  });

  it("the library's live-display hook reaches the cell's output", async () => {
    const { ctx } = await run(interpreter, "const hook = (globalThis as any)[Symbol.for('gradlab.display')];\nhook.display({ 'text/plain': 'live' }, 'L1'); hook.update({ 'text/plain': 'live2' }, 'L1'); hook.clear(false);");
    expect(ctx.events).toEqual([
      { type: "display", data: { "text/plain": "live" }, displayId: "L1", update: false },
      { type: "display", data: { "text/plain": "live2" }, displayId: "L1", update: true },
      { type: "clear", wait: false },
    ]);
  });

  it("tslab notebooks keep working: import * as tslab from 'tslab'", async () => {
    const { ctx, outcome } = await run(interpreter, "import * as tslab from 'tslab';\ntslab.display.html('<b>t</b>'); tslab.display.markdown('*m*');\nconst d = tslab.newDisplay(); d.text('one'); d.text('two');");
    expect(outcome.status).toBe("ok");
    expect(ctx.events.map((e) => e.type === "display" && [Object.values(e.data)[0], e.update])).toEqual([
      ["<b>t</b>", false], ["*m*", false], ["one", false], ["two", true],
    ]);
  });

  it("input() and password() ask the frontend", async () => {
    const { RecordingContext } = await import("./helpers.js");
    const ctx = new RecordingContext((prompt) => `answer to ${prompt}`);
    const { outcome } = await run(interpreter, "const name = await input('name? ');\nconst secret = await password('pw: ');\nname + '|' + secret", ctx);
    expect(resultText(outcome)).toBe("'answer to name? |answer to pw: '");
    expect(ctx.inputs).toEqual([{ prompt: "name? ", password: false }, { prompt: "pw: ", password: true }]);
  });

  it("console and process.stdout/stderr arrive as streams in order", async () => {
    const { ctx } = await run(interpreter, "console.log('a'); process.stdout.write('b\\n'); console.error('c'); display.text('d'); console.log('e');");
    expect(ctx.events.map((e) => (e.type === "stream" ? `${e.name}:${e.text}` : e.type))).toEqual(["stdout:a\nb\n", "stderr:c\n", "display", "stdout:e\n"]);
  });

  it("compile errors mention the cell's line and column with a code frame", async () => {
    const { outcome } = await run(interpreter, "const ok = 1;\nconst n: number = 'text';");
    expect(outcome.status).toBe("error");
    if (outcome.status !== "error") return;
    expect(outcome.evalue).toMatch(/^2:7 - error TS2322: Type 'string' is not assignable to type 'number'/);
    const tb = stripAnsi(outcome.traceback.join("\n"));
    expect(tb).toContain("> 2 | const n: number = 'text';");
    expect(tb).toMatch(/\|\s+\^/);
  });

  it("a cell that failed to compile declares nothing", async () => {
    await run(interpreter, "const ghost: number = 'x';");
    const { outcome } = await run(interpreter, "ghost");
    expect(outcome.status === "error" && outcome.evalue).toMatch(/Cannot find name 'ghost'/);
  });
});
