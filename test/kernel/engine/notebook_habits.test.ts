// IPython and tslab habits in a real kernel process: promises as results, error shapes, completion order and types,
// `?` help in the pager, magics, notebook-friendly typing and bad input that leaves the kernel and its state alive.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, streamText, type KernelProcess } from "../../../cli/client/index.js";
import type { JupyterMessage } from "../../../kernel/wire/message.js";
import { startGradlabKernel } from "../../helpers/kernel.js";
import { makeNotebookDir, stripAnsi } from "./helpers.js";

let kernel: KernelProcess;

beforeAll(async () => {
  kernel = await startGradlabKernel({ cwd: makeNotebookDir() });
});
afterAll(async () => {
  await kernel?.shutdown();
});

async function execute(code: string, timeoutMs = 60_000) {
  const { reply, iopub } = await kernel.client.execute(code, { timeoutMs, stopOnError: false });
  return { content: reply.content, iopub, stdout: streamText(iopub, "stdout"), stderr: streamText(iopub, "stderr") };
}

function resultOf(iopub: JupyterMessage[]): Record<string, unknown> | undefined {
  return ofType(iopub, "execute_result")[0]?.content.data as Record<string, unknown> | undefined;
}

async function plainResult(code: string): Promise<unknown> {
  const { content, iopub } = await execute(code);
  expect(content.status, JSON.stringify(content)).toBe("ok");
  return resultOf(iopub)?.["text/plain"];
}

function tracebackOf(content: Record<string, unknown>): string {
  return stripAnsi((content.traceback as string[]).join("\n"));
}

describe("re-running a cell", () => {
  it("runs it again, and checks it again once anything it can see changed", async () => {
    await execute("let reruns = 0;");
    expect(await plainResult("reruns += 1;\nreruns")).toBe("1");
    expect(await plainResult("reruns += 1;\nreruns")).toBe("2");
    expect((await execute("definedLater * 2")).content.evalue).toMatch(/TS2304: Cannot find name 'definedLater'/);
    expect((await execute("definedLater * 2")).content.evalue).toMatch(/TS2304: Cannot find name 'definedLater'/);
    await execute("const definedLater = 21;");
    expect(await plainResult("definedLater * 2")).toBe("42");
    await execute("const definedLater = 'text';");
    expect((await execute("definedLater * 2")).content.evalue).toMatch(/TS2362/);
  });
});

describe("a promise as the cell's value", () => {
  it("is awaited and its resolved value displayed", async () => {
    expect(await plainResult("new Promise<number>((r) => setTimeout(() => r(41 + 1), 20))")).toBe("42");
  });

  it("graph(f, x) without await shows the graph in a fresh kernel", async () => {
    const { content, iopub } = await execute("import { graph, tensor, type Tensor } from 'gradlab';\ngraph((x: Tensor) => x.sin(), tensor(1))");
    expect(content.status).toBe("ok");
    expect(String(resultOf(iopub)?.["image/svg+xml"] ?? "")).toContain("<svg");
  });

  it("a rejected promise is an error of that cell", async () => {
    const { content } = await execute("Promise.reject(new RangeError('no luck'))");
    expect(content).toMatchObject({ status: "error", ename: "RangeError", evalue: "no luck" });
  });
});

describe("error shapes", () => {
  it("type errors are TSError with the TypeScript code in evalue", async () => {
    const { content } = await execute("const s: string = 1;");
    expect(content).toMatchObject({ status: "error", ename: "TSError" });
    expect(content.evalue).toBe("1:7 - error TS2322: Type 'number' is not assignable to type 'string'.");
    expect(tracebackOf(content)).toContain("> 1 | const s: string = 1;");
  });

  it("a library error shows the cell's frames, then one line for the library", async () => {
    await execute("import { matmul, ones } from 'gradlab';\nfunction product() {\n  return matmul(ones([2, 3]), ones([2, 3]));\n}");
    const { content } = await execute("const shapes = 1;\nproduct();");
    expect(content.status).toBe("error");
    const tb = tracebackOf(content);
    expect(tb).toMatch(/^\w+: .*\n {4}at product \(In\[\d+\]:3:\d+\)\n {4}at In\[\d+\]:2:1\n {4}in gradlab: matmul\n/);
    expect(tb).not.toMatch(/dist\/lib|node:internal/);
  });
});

describe("error shapes with GRADLAB_DEBUG=1", () => {
  it("library frames are shown as they are", async () => {
    const debug = await startGradlabKernel({ cwd: makeNotebookDir(), env: { ...process.env, GRADLAB_DEBUG: "1" } });
    try {
      const { reply } = await debug.client.execute("import { matmul, ones } from 'gradlab';\nmatmul(ones([2, 3]), ones([2, 3]));", { timeoutMs: 60_000, stopOnError: false });
      const tb = tracebackOf(reply.content);
      expect(tb).toMatch(/at matmul \(file:\/\/.*\/dist\/lib\/.*\.js:\d+:\d+\)/);
      expect(tb).not.toContain("in gradlab:");
      expect(tb).toMatch(/at In\[\d+\]:2:1/);
    } finally {
      await debug.shutdown();
    }
  });
});

describe("completion", () => {
  it("lists public members first, hides _-prefixed ones until `_` is typed, and carries kinds and signatures", async () => {
    await execute("class Box { _secret = 1; __deep = 2; value = 3; open(): number { return this.value; } }\nconst box = new Box();");
    const code = "box.";
    const reply = await kernel.client.request("shell", "complete_request", { code, cursor_pos: code.length });
    expect(reply.content.matches).toEqual(["open", "value"]);
    const types = (reply.content.metadata as { _jupyter_types_experimental: { text: string; type: string; signature?: string }[] })._jupyter_types_experimental;
    expect(types.find((t) => t.text === "open")).toMatchObject({ type: "method", signature: "() => number" });
    expect(types.find((t) => t.text === "value")).toMatchObject({ type: "property", signature: "number" });
    const internal = await kernel.client.request("shell", "complete_request", { code: "box._", cursor_pos: 5 });
    expect(internal.content.matches).toEqual(["__deep", "_secret"].sort((a, b) => a.localeCompare(b)));
  });

  it("on a tensor, sum and mean are offered and nothing internal", async () => {
    await execute("import { tensor } from 'gradlab';\nconst tt = tensor([1, 2]);");
    const reply = await kernel.client.request("shell", "complete_request", { code: "tt.", cursor_pos: 3 });
    const matches = reply.content.matches as string[];
    expect(matches).toEqual(expect.arrayContaining(["sum", "mean", "matmul"]));
    expect(matches.filter((m) => m.startsWith("_"))).toEqual([]);
    const names = await kernel.client.request("shell", "complete_request", { code: "tenso", cursor_pos: 5 });
    const items = (names.content.metadata as { _jupyter_types_experimental: { text: string; signature?: string }[] })._jupyter_types_experimental;
    expect(items.find((i) => i.text === "tensor")?.signature).toBe("(data: TensorLike, options?: TensorOptions) => Tensor");
  });
});

describe("help", () => {
  it("`name?` and `?name` page the signature and documentation, as inspect does", async () => {
    await execute("import { grad } from 'gradlab';");
    for (const code of ["grad?", "?grad"]) {
      const { content, iopub } = await execute(code);
      expect(content.status).toBe("ok");
      const payload = content.payload as { source: string; data: Record<string, string>; start: number }[];
      expect(payload).toHaveLength(1);
      expect(payload[0]!.source).toBe("page");
      expect(payload[0]!.data["text/plain"]).toMatch(/function grad/);
      expect(payload[0]!.data["text/markdown"]).toContain("```typescript");
      expect(ofType(iopub, "error")).toHaveLength(0);
      const inspect = await kernel.client.request("shell", "inspect_request", { code: "grad", cursor_pos: 4, detail_level: 0 });
      expect(inspect.content.data).toEqual(payload[0]!.data);
    }
  });

  it("`name??` adds where it is declared, and the source of a cell's function", async () => {
    await execute("/** Doubles a number. */\nfunction twiceOf(x: number) {\n  return 2 * x;\n}");
    const { content } = await execute("twiceOf??");
    const text = (content.payload as { data: Record<string, string> }[])[0]!.data["text/plain"]!;
    expect(text).toContain("function twiceOf(x: number): number");
    expect(text).toContain("Doubles a number.");
    expect(text).toMatch(/Declared in In\[\d+\], line 2/);
    expect(text).toContain("function twiceOf(x: number) {\n  return 2 * x;\n}");
    const library = await execute("tensor??");
    expect((library.content.payload as { data: Record<string, string> }[])[0]!.data["text/plain"]).toMatch(/Declared in gradlab\/dist\/lib\/.*\.d\.ts:\d+/);
  });

  it("code that merely ends in `?` (a comment) runs as code", async () => {
    expect(await plainResult("let askedValue = 3;\naskedValue // why 3?")).toBe("3");
    expect(await plainResult("askedValue * 2 // and now?")).toBe("6");
  });

  it("`?` on an undefined name says so; the kernel and its state go on", async () => {
    await execute("const keptForHelp = 7;");
    const { content, stdout } = await execute("notDefinedAnywhere?");
    expect(content.status).toBe("ok");
    expect(stdout).toBe("Object `notDefinedAnywhere` not found.\n");
    expect(await plainResult("keptForHelp")).toBe("7");
  });
});

describe("magics", () => {
  it("%time runs the code once, prints the times and shows the result", async () => {
    const { content, iopub, stdout } = await execute("%time [1, 2, 3].map((v) => v * 2)");
    expect(content.status).toBe("ok");
    expect(stdout).toMatch(/^CPU times: user [\d.]+ [mµn]?s, sys: [\d.]+ [mµn]?s, total: [\d.]+ [mµn]?s\nWall time: [\d.]+ [mµn]?s\n$/);
    expect(resultOf(iopub)?.["text/plain"]).toBe("[ 2, 4, 6 ]");
    const cell = await execute("%%time\nconst timedValue = 5;\ntimedValue + 1");
    expect(resultOf(cell.iopub)?.["text/plain"]).toBe("6");
  });

  it("%timeit -n -r reports IPython's mean ± std line; declarations stay", async () => {
    const { content, stdout } = await execute("%timeit -n 20 -r 3 let timedCounter = Math.sqrt(2);");
    expect(content.status).toBe("ok");
    expect(stdout).toMatch(/^[\d.]+ (s|ms|µs|ns) ± [\d.]+ (s|ms|µs|ns) per loop \(mean ± std\. dev\. of 3 runs, 20 loops each\)\n$/);
    expect(await plainResult("timedCounter")).toBe("1.4142135623730951");
    const calibrated = await execute("%%timeit -r 2\n[1, 2, 3].reduce((a, b) => a + b)");
    expect(calibrated.stdout).toMatch(/per loop \(mean ± std\. dev\. of 2 runs, [\d,]+ loops each\)/);
  });

  it("%timeit of a cell that throws reports the error in the cell's own lines", async () => {
    const { content } = await execute("%%timeit\nconst thrower = 1;\nthrow new Error('bad loop');");
    expect(content).toMatchObject({ status: "error", ename: "Error", evalue: "bad loop" });
    expect(tracebackOf(content)).toMatch(/at In\[\d+\]:3:7/);
    expect(await plainResult("1 + 1")).toBe("2");
  });

  it("an interrupt stops %timeit, by SIGINT or by message, and the kernel goes on", async () => {
    await execute("const beforeTimeit = 'kept';");
    for (const how of ["signal", "message"] as const) {
      const running = kernel.client.execute("%timeit -n 100000000 -r 1 Math.sqrt(2)", { timeoutMs: 60_000, stopOnError: false });
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (how === "signal") kernel.child.kill("SIGINT");
      else await kernel.client.request("control", "interrupt_request");
      expect((await running).reply.content).toMatchObject({ status: "error", ename: "Interrupted" });
      expect(await plainResult("beforeTimeit")).toBe("'kept'");
    }
  });

  it("magic lines stay out of the type checker and keep the cell's positions", async () => {
    const { content } = await execute("%%time\nconst wrongType: string = 1;");
    expect(content).toMatchObject({ ename: "TSError" });
    expect(content.evalue).toMatch(/^2:7 - error TS2322/);
  });

  it("%who and %whos list what cells defined, with types", async () => {
    await execute("const whoNumber = 3;\nfunction whoFunction(a: string) { return a.length; }\ninterface WhoShape { x: number }");
    const who = await execute("%who");
    expect(who.stdout.trim().split("\t")).toEqual(expect.arrayContaining(["whoNumber", "whoFunction"]));
    expect(who.stdout).not.toContain("WhoShape");
    const whos = await execute("%whos");
    expect(whos.stdout).toMatch(/^Name\s+Kind\s+Type\s+Value\n-+/);
    expect(whos.stdout).toMatch(/whoNumber\s+variable\s+3\s+3\n/);
    expect(whos.stdout).toMatch(/whoFunction\s+function\s+\(a: string\) => number\s+\[Function: whoFunction\]/);
    expect(whos.stdout).toMatch(/WhoShape\s+interface\n/);
  });

  it("%env reads and sets environment variables; a magic line may head code", async () => {
    expect((await execute("%env GRADLAB_MAGIC_TEST=on")).stdout).toBe("env: GRADLAB_MAGIC_TEST=on\n");
    expect((await execute("%env GRADLAB_MAGIC_TEST")).stdout).toBe("on\n");
    const { iopub } = await execute("%env GRADLAB_MAGIC_TEST=again\nprocess.env.GRADLAB_MAGIC_TEST");
    expect(resultOf(iopub)?.["text/plain"]).toBe("'again'");
    expect((await execute("%env")).stdout).toContain("GRADLAB_MAGIC_TEST=again\n");
  });

  it("%%html, %%markdown and %%latex display the cell's body", async () => {
    for (const [magic, mime] of [["html", "text/html"], ["markdown", "text/markdown"], ["latex", "text/latex"]] as const) {
      const { content, iopub } = await execute(`%%${magic}\n<b>x</b> **y** $z$\n`);
      expect(content.status).toBe("ok");
      expect((ofType(iopub, "display_data")[0]!.content.data as Record<string, string>)[mime]).toBe("<b>x</b> **y** $z$");
    }
  });

  it("%help lists the magics; an unknown magic is a UsageError that lists them", async () => {
    expect((await execute("%help")).stdout).toMatch(/%timeit \[-n N\] \[-r R\] CODE[\s\S]*%%markdown/);
    const { content } = await execute("%unknown 1");
    expect(content).toMatchObject({ status: "error", ename: "UsageError" });
    expect(content.evalue).toMatch(/^Unknown magic `%unknown`\. Magics: %time, %%time, %timeit, %%timeit, %who/);
    expect(await plainResult("keptForHelp")).toBe("7");
  });

  it("%tsconfig shows the effective options and changes them for the session", async () => {
    const shown = await execute("%tsconfig");
    expect(shown.stdout).toContain("the kernel's defaults");
    expect(shown.stdout).toContain('"strict": false');
    expect((await execute("const loose = (v) => v;")).content.status).toBe("ok");
    expect((await execute("%tsconfig noImplicitAny=true")).stdout).toContain('"noImplicitAny": true');
    const strictCell = await execute("const strictNow = (v) => v;");
    expect(strictCell.content).toMatchObject({ ename: "TSError" });
    expect(strictCell.content.evalue).toContain("TS7006");
    expect((await execute("%tsconfig noImplicitAny=false")).content.status).toBe("ok");
    const bad = await execute("%tsconfig module=commonjs");
    expect(bad.content).toMatchObject({ status: "error", ename: "UsageError" });
  });

  it("%reset forgets every name; the kernel goes on", async () => {
    await execute("const beforeReset = 1;");
    const { stdout } = await execute("%reset -f");
    expect(stdout).toMatch(/^Forgot \d+ names/);
    const gone = await execute("beforeReset");
    expect(gone.content).toMatchObject({ status: "error", ename: "TSError" });
    expect(gone.content.evalue).toContain("TS2304");
    expect(await plainResult("const beforeReset = 'new';\nbeforeReset")).toBe("'new'");
  });
});
