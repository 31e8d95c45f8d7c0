// Engine: the first cell of a session is checked before Node's types have loaded when, and only when, they could not
// change its result; every verdict equals the one a compiler with Node's types gives.
import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "../../../kernel/engine/typescript.js";
import { CellCompiler, type CompileResult } from "../../../kernel/engine/compiler.js";
import { LIBRARY_DTS } from "../../../kernel/engine/paths.js";

const NODE_TYPES = /[\\/]@types[\\/]node[\\/]/;

/** A notebook folder with an npm package whose declarations pull in Node's types. */
function notebookDir(): string {
  const root = mkdtempSync(join(tmpdir(), "gradlab-first-cell-"));
  const pkg = join(root, "node_modules", "needs-node");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "needs-node", types: "index.d.ts", main: "index.js" }));
  writeFileSync(join(pkg, "index.d.ts"), `/// <reference types="node" />\nexport declare function bytes(): Buffer;\n`);
  writeFileSync(join(pkg, "index.js"), "exports.bytes = () => Buffer.from('hi');\n");
  // Declarations that use Node's globals without referencing Node's types (they count on them being there).
  const assumes = join(root, "node_modules", "assumes-node");
  mkdirSync(assumes, { recursive: true });
  writeFileSync(join(assumes, "package.json"), JSON.stringify({ name: "assumes-node", types: "index.d.ts", main: "index.js" }));
  writeFileSync(join(assumes, "index.d.ts"), "export declare function environment(): NodeJS.ProcessEnv;\n");
  writeFileSync(join(assumes, "index.js"), "exports.environment = () => process.env;\n");
  writeFileSync(join(root, "settings.ts"), "export const home = process.env.HOME;\n");
  return root;
}

/** A compiler as the kernel starts one: warmed up, Node's types not yet loaded. */
function freshCompiler(): CellCompiler {
  const compiler = new CellCompiler(ts, notebookDir());
  compiler.warmUp();
  return compiler;
}

const hasNodeTypes = (compiler: CellCompiler) =>
  compiler.service.getProgram()!.getSourceFiles().some((f) => NODE_TYPES.test(f.fileName));

/** What a user sees of a compile: ok, or the messages with their positions. */
const verdict = (r: CompileResult) =>
  r.ok ? "ok" : r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n");

describe("the first cell before Node's types load", () => {
  it("gradlab's declarations check cleanly without Node's types (so such a cell may trust them)", () => {
    const options = { strict: true, skipLibCheck: false, noEmit: true, types: [], lib: ["lib.es2023.d.ts"],
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    // The built shim (paths.ts names the source folder's when it runs from source, as here).
    const shim = join(dirname(LIBRARY_DTS), "..", "kernel", "engine", "tslab_shim.d.ts");
    const program = ts.createProgram([LIBRARY_DTS, shim], options);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    expect(messages.join("\n")).toBe("");
    expect(program.getSourceFiles().some((f) => NODE_TYPES.test(f.fileName))).toBe(false);
  });

  it("a cell needing nothing of Node's is checked without them; they load right after", () => {
    const compiler = freshCompiler();
    expect(hasNodeTypes(compiler)).toBe(false);
    const result = compiler.compile(`import { tensor } from "gradlab";\nconst t = tensor([1, 2]).mul(2);\nt.shape[0] + 1`);
    expect(verdict(result)).toBe("ok");
    expect(hasNodeTypes(compiler)).toBe(false);
    compiler.prepareNextCell(); // what the compiler thread does after replying
    expect(hasNodeTypes(compiler)).toBe(true);
    // The first cell's names reach the next cell, now checked with Node's types.
    expect(verdict(compiler.compile(`const n: number = t.shape[0];\nconsole.log(process.version, n)`))).toBe("ok");
    expect(verdict(compiler.compile(`const s: string = t;`))).toMatch(/Type 'Tensor' is not assignable to type 'string'/);
  });

  it("completion and hover load Node's types first", () => {
    const compiler = freshCompiler();
    const names = compiler.withEditFile("process.", (file) =>
      compiler.service.getCompletionsAtPosition(file, "process.".length, {})?.entries.map((e) => e.name) ?? []);
    expect(names).toContain("argv");
  });

  // Each of these would be judged differently, or not at all, without Node's types.
  const cells = [
    ["uses a Node global", "console.log(process.version)"],
    ["misuses a Node global", "process.exitt(0)"],
    ["imports a Node module with a type error", `import { readFileSync } from "node:fs";\nreadFileSync("x").foo`],
    ["imports a package whose types use Node's", `import { bytes } from "needs-node";\nbytes().foo`],
    ["imports a package whose types assume Node's", `import { environment } from "assumes-node";\nconst n: number = environment();`],
    ["imports a local module that uses Node's globals", `import { home } from "./settings";\nconst n: number = home;`],
    ["clashes with a Node global through declare", "declare global { var process: number }\nexport {};"],
    ["has a plain type error", `const x: number = "one";`],
    ["has a syntax error", `import { tensor } from "gradlab";\nconst t = tensor([1, 2)`],
    ["is fine without Node", "const xs = [1, 2, 3].map((x) => x * 2);\nxs.at(-1)"],
    ["uses tensor operators", `import { tensor } from "gradlab";\nconst a = tensor([1, 2]);\na * 2 + a`],
    ["misuses a tensor operator", `import { tensor } from "gradlab";\nconst a = tensor([1, 2]);\nconst b: number = a + 1;`],
  ] as const;
  it.each(cells)("a first cell that %s gets the verdict Node's types give", (_, code) => {
    const withNode = freshCompiler();
    withNode.loadNodeTypes();
    const expected = verdict(withNode.compile(code));
    expect(verdict(freshCompiler().compile(code))).toBe(expected);
  });
});
