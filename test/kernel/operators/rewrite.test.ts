// Tensor operators: the type-driven rewrite, its position map, diagnostics and emitted JS, on an in-memory checker.
import { describe, expect, it } from "vitest";
import ts from "typescript";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  OPS_GLOBAL_DECLARATION,
  readOperatorSwitch,
  rewriteTensorOperators,
  type CheckedText,
} from "../../../kernel/operators/rewrite.js";

const GRADLAB_D_TS = `declare module "gradlab" {
  export class Tensor {
    readonly shape: number[];
    matmul(o: Tensor): Tensor;
    backward(): void;
    sum(): Tensor;
    add(o: Tensor | number): Tensor;
  }
  export function tensor(data: number | number[]): Tensor;
}`;

/** A language service over three in-memory files, standing in for the kernel's cell environment. */
function makeChecker(prefix = "") {
  const files = new Map<string, { text: string; version: number }>([
    ["/gradlab.d.ts", { text: GRADLAB_D_TS, version: 0 }],
    ["/prelude.d.ts", { text: OPS_GLOBAL_DECLARATION, version: 0 }],
    ["/cell.ts", { text: "", version: 0 }],
  ]);
  const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, noEmit: true, lib: ["lib.es2022.d.ts"] };
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [...files.keys()],
    getScriptVersion: (f) => String(files.get(f)?.version ?? 0),
    getScriptSnapshot: (f) => {
      const file = files.get(f);
      if (file) return ts.ScriptSnapshot.fromString(file.text);
      const text = ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => "/",
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
    readFile: (f) => files.get(f)?.text ?? ts.sys.readFile(f),
  };
  const service = ts.createLanguageService(host);
  let checks = 0;
  const check = (text: string): CheckedText => {
    checks++;
    const file = files.get("/cell.ts")!;
    file.text = prefix + text;
    file.version++;
    const program = service.getProgram()!;
    return { program, sourceFile: program.getSourceFile("/cell.ts")!, checker: program.getTypeChecker() };
  };
  const diagnostics = () => service.getSemanticDiagnostics("/cell.ts").concat(service.getSyntacticDiagnostics("/cell.ts"));
  return { check, diagnostics, service, checks: () => checks };
}

const HEADER = `import { tensor, Tensor } from "gradlab";\nconst a = tensor([1, 2]); const b = tensor([3, 4]); const c = tensor(5);\n`;

function rewrite(body: string) {
  const env = makeChecker();
  const analysis = rewriteTensorOperators(HEADER + body, env.check);
  return { ...analysis, env, body: analysis.text.slice(analysis.map.toRewritten(HEADER.length)) };
}

describe("tensor operator rewrite", () => {
  it.each([
    ["a + b", "__gradlabOps.add(a, b)"],
    ["a - b", "__gradlabOps.sub(a, b)"],
    ["a * b", "__gradlabOps.mul(a, b)"],
    ["a / b", "__gradlabOps.div(a, b)"],
    ["a ** 2", "__gradlabOps.pow(a, 2)"],
    ["2 * a", "__gradlabOps.mul(2, a)"],
    ["-a", "__gradlabOps.neg(a)"],
  ])("rewrites %s", (expr, expected) => {
    const r = rewrite(`const r = ${expr};`);
    expect(r.body).toBe(`const r = ${expected};`);
  });

  it("respects precedence and left associativity", () => {
    expect(rewrite("const r = a - b - c;").body).toBe("const r = __gradlabOps.sub(__gradlabOps.sub(a, b), c);");
    expect(rewrite("const r = a + b * c;").body).toBe("const r = __gradlabOps.add(a, __gradlabOps.mul(b, c));");
    expect(rewrite("const r = (a + b) * c;").body).toBe("const r = __gradlabOps.mul((__gradlabOps.add(a, b)), c);");
    expect(rewrite("const r = a ** 2 ** 3;").body).toBe("const r = __gradlabOps.pow(a, 2 ** 3);");
  });

  it("propagates through nested sums of products and later declarations (fixpoint)", () => {
    const r = rewrite("const f = (x: Tensor) => (x * x + 3 * x).sum();\nconst y = a * b;\nconst z = y * 2;");
    expect(r.body).toContain("(__gradlabOps.add(__gradlabOps.mul(x, x), __gradlabOps.mul(3, x))).sum()");
    expect(r.body).toContain("const z = __gradlabOps.mul(y, 2);");
    expect(r.env.diagnostics()).toEqual([]);
  });

  it("rewrites compound assignment and leaves numbers and comparisons alone", () => {
    const r = rewrite("let w = a; const lr = 0.1; w -= lr * b;\nlet n = 1; n += 2 * 3; const big = n > 2;\nconst t = w.shape.length * 2;");
    expect(r.body).toContain("w = __gradlabOps.sub(w, __gradlabOps.mul(lr, b));");
    expect(r.body).toContain("let n = 1; n += 2 * 3; const big = n > 2;");
    expect(r.body).toContain("const t = w.shape.length * 2;");
    expect(r.env.diagnostics()).toEqual([]);
  });

  it("works in generics constrained to Tensor, closures and loops", () => {
    const r = rewrite("function sq<T extends Tensor>(x: T) { return x * x; }\nlet acc = c; for (let i = 0; i < 3; i++) { acc = acc + i * c; }\nconst g = [a, b].map((t) => t / 2);");
    expect(r.body).toContain("return __gradlabOps.mul(x, x);");
    expect(r.body).toContain("acc = __gradlabOps.add(acc, __gradlabOps.mul(i, c));");
    expect(r.body).toContain("(t) => __gradlabOps.div(t, 2)");
    expect(r.env.diagnostics()).toEqual([]);
  });

  it("sends an `any` operand beside a tensor to the op, and leaves any-with-number alone", () => {
    const r = rewrite("const u: any = 1;\nconst t = u * a;\nconst n = u * 2;");
    expect(r.body).toContain("const t = __gradlabOps.mul(u, a);");
    expect(r.body).toContain("const n = u * 2;");
  });

  it("does not touch a cell without tensor operators and checks it only once", () => {
    const env = makeChecker();
    const text = "const x = 1 + 2 * 3; const s = 'a' + x; const y = -x ** 2;";
    const r = rewriteTensorOperators(text, env.check);
    expect(r.text).toBe(text);
    expect(r.rewrites).toEqual([]);
    expect(env.checks()).toBe(1);
  });

  it("names the operator and the operand types for a misuse, and leaves string concatenation legal", () => {
    const r = rewrite(`const bad = a * "x";\nconst obj = { k: 1 };\nconst bad2 = obj - b;\nconst s = a + "!";`);
    const messages = r.diagnostics.map((d) => d.message);
    expect(messages).toContainEqual(expect.stringContaining(`Operator '*' cannot be applied to types 'Tensor' and '"x"'`));
    expect(messages).toContainEqual(expect.stringContaining(`Operator '-' cannot be applied to types '{ k: number; }' and 'Tensor'`));
    expect(messages.some((m) => m.includes("'+'"))).toBe(false);
    const first = r.diagnostics.find((d) => d.message.includes("'*'"))!;
    expect((HEADER + `const bad = a * "x";`).slice(first.start, first.start + first.length)).toBe(`a * "x"`);
  });

  it("maps positions both ways so hover and completion land on the user's text", () => {
    const body = "const r = (a * b).sum();";
    const r = rewrite(body);
    const original = HEADER + body;
    const dot = original.indexOf(").sum") + 2;
    const inRewritten = r.map.toRewritten(dot, "before");
    expect(r.text.slice(inRewritten, inRewritten + 3)).toBe("sum");
    const completions = r.env.service.getCompletionsAtPosition("/cell.ts", inRewritten, {});
    expect(completions?.entries.map((e) => e.name)).toContain("matmul");
    const paren = original.indexOf("(a * b)");
    const info = r.env.service.getQuickInfoAtPosition("/cell.ts", r.map.toRewritten(original.indexOf(".sum") + 1));
    expect(ts.displayPartsToString(info?.displayParts)).toContain("Tensor");
    expect(r.map.toOriginal(r.map.toRewritten(paren))).toBe(paren);
  });

  it("keeps `-a ** 2` a syntax error", () => {
    const r = rewrite("const r = -a ** 2;");
    expect(r.rewrites).toEqual([]);
    expect(r.env.diagnostics().some((d) => d.code === 17006)).toBe(true);
  });

  it("reads the per-cell and notebook-wide magic comments", () => {
    expect(readOperatorSwitch("// @gradlab-operators: off\nconst x = 1", true)).toEqual({ thisCell: false });
    expect(readOperatorSwitch("const x = 1", true)).toEqual({ thisCell: true });
    expect(readOperatorSwitch("// @gradlab-operators: off-all", true)).toEqual({ thisCell: false, sessionDefault: false });
    expect(readOperatorSwitch("x\n  // @gradlab-operators: on-all", false)).toEqual({ thisCell: true, sessionDefault: true });
  });

  it("never affects a plain .ts file compiled outside the kernel: TypeScript still rejects tensor arithmetic there", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-plain-ts-"));
    const file = join(dir, "plain.ts");
    const entry = join(process.cwd(), "dist", "lib", "index.js");
    writeFileSync(file, `import { tensor } from ${JSON.stringify(entry)};\nconst a = tensor([1, 2]);\nexport const c = a * a;\n`);
    const program = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true });
    const codes = ts.getPreEmitDiagnostics(program).map((d) => d.code);
    expect(codes).toContain(2362);
  });
});
