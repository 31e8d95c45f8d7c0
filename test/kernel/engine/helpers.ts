// Shared fixtures for the engine tests: a notebook folder with npm packages, and a recording ExecuteContext.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecuteContext, ExecuteOutcome, Interpreter, MimeBundle } from "../../../kernel/interpreter.js";

/** The engine runs from the build (its workers are .js files): tests import dist, as the kernel process does. */
export async function loadEngine(): Promise<typeof import("../../../kernel/engine/index.js")> {
  return import(join(process.cwd(), "dist", "kernel", "engine", "index.js"));
}

function writePackage(root: string, name: string, files: Record<string, string>): void {
  const dir = join(root, "node_modules", name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
}

/** A notebook folder with an ESM-only package using top-level await, a typed CommonJS one and an untyped one. */
export function makeNotebookDir(): string {
  const root = mkdtempSync(join(tmpdir(), "gradlab-engine-"));
  writePackage(root, "esm-tla", {
    "package.json": JSON.stringify({ name: "esm-tla", type: "module", exports: { ".": { types: "./index.d.ts", import: "./index.js" } } }),
    "index.js": "await new Promise((r) => setTimeout(r, 5));\nexport const answer = 42;\nexport function twice(x) { return 2 * x; }\n",
    "index.d.ts": "export declare const answer: number;\nexport declare function twice(x: number): number;\n",
  });
  writePackage(root, "cjs-typed", {
    "package.json": JSON.stringify({ name: "cjs-typed", main: "index.js", types: "index.d.ts" }),
    "index.js": "exports.greet = (name) => 'hello ' + name;\n",
    "index.d.ts": "export declare function greet(name: string): string;\n",
  });
  writePackage(root, "cjs-untyped", {
    "package.json": JSON.stringify({ name: "cjs-untyped", main: "index.js" }),
    "index.js": "module.exports = { value: 7 };\n",
  });
  writeFileSync(join(root, "local.mjs"), "export const local = 'from the notebook folder';\n");
  return root;
}

export type Event =
  | { type: "stream"; name: string; text: string }
  | { type: "display"; data: MimeBundle; displayId?: string; update: boolean }
  | { type: "clear"; wait: boolean };

export class RecordingContext implements ExecuteContext {
  events: Event[] = [];
  inputs: { prompt: string; password: boolean }[] = [];
  constructor(private readonly answer: (prompt: string) => string = () => "") {}
  stream(name: "stdout" | "stderr", text: string): void {
    this.events.push({ type: "stream", name, text });
  }
  display(data: MimeBundle, _metadata: Record<string, unknown>, transient?: { display_id?: string }, update?: boolean): void {
    this.events.push({ type: "display", data, displayId: transient?.display_id, update: update ?? false });
  }
  clearOutput(wait: boolean): void {
    this.events.push({ type: "clear", wait });
  }
  async input(prompt: string, password: boolean): Promise<string> {
    this.inputs.push({ prompt, password });
    return this.answer(prompt);
  }
  commSend(): void {}
  text(name: "stdout" | "stderr"): string {
    return this.events.filter((e): e is Extract<Event, { type: "stream" }> => e.type === "stream" && e.name === name).map((e) => e.text).join("");
  }
}

let count = 0;
export async function run(interpreter: Interpreter, code: string, ctx = new RecordingContext()): Promise<{ outcome: ExecuteOutcome; ctx: RecordingContext }> {
  const outcome = await interpreter.execute(
    { code, silent: false, storeHistory: true, userExpressions: {}, allowStdin: true, executionCount: ++count }, ctx);
  return { outcome, ctx };
}

/** The text/plain of a cell's result, or undefined when it has none. */
export function resultText(outcome: ExecuteOutcome): string | undefined {
  if (outcome.status !== "ok") throw new Error(`cell failed: ${outcome.ename}: ${outcome.evalue}\n${outcome.traceback.join("\n")}`);
  return outcome.result?.data["text/plain"] as string | undefined;
}

export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** A started TypeScript interpreter over a fresh notebook folder (the unit tests' fixture). */
export async function startInterpreter(): Promise<Interpreter> {
  const { createTypeScriptInterpreter } = await loadEngine();
  const interpreter = createTypeScriptInterpreter({ cwd: makeNotebookDir() });
  await interpreter.start();
  return interpreter;
}
