// The TypeScript engine inside a real kernel process, driven over ZeroMQ: results, errors and robustness. Interrupts,
// stdin and output volume through the same engine are in test/kernel/protocol/engine_flow.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ofType, streamText, type KernelProcess } from "../../../cli/client/index.js";
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
  return { content: reply.content, iopub };
}

function resultOf(iopub: Awaited<ReturnType<typeof execute>>["iopub"]): unknown {
  return (ofType(iopub, "execute_result")[0]?.content.data as Record<string, unknown> | undefined)?.["text/plain"];
}

describe("TypeScript engine in a kernel process", () => {
  it("returns the last expression as execute_result, and type errors as error messages", async () => {
    const ok = await execute("const two: number = 1 + 1;\ntwo");
    expect(ok.content.status).toBe("ok");
    expect(resultOf(ok.iopub)).toBe("2");
    const bad = await execute("const s: string = two;");
    expect(bad.content).toMatchObject({ status: "error", ename: "TSError" });
    expect(String(bad.content.evalue)).toMatch(/^1:7 - error TS2322: Type 'number' is not assignable to type 'string'/);
    expect(ofType(bad.iopub, "error")).toHaveLength(1);
  });

  it("type-checks cells against earlier ones; re-declaring const works; top-level await", async () => {
    await execute("interface Pt { x: number }\nconst pt: Pt = { x: 2 };\nconst k = 1;");
    expect(resultOf((await execute("const k = 'again';\nconst q: Pt = { x: await Promise.resolve(pt.x * 21) };\nq.x + k")).iopub)).toBe("'42again'");
    expect((await execute("const wrong: Pt = { x: 'no' };")).content).toMatchObject({ status: "error", ename: "TSError" });
  });

  it("imports ESM-only (with top-level await) and CommonJS packages from the notebook folder, and node: built-ins", async () => {
    const { iopub } = await execute("import { answer } from 'esm-tla';\nimport { greet } from 'cjs-typed';\nimport { join } from 'node:path';\n`${greet(join('a', String(answer)))}`");
    expect(resultOf(iopub)).toBe("'hello a/42'");
  });

  it("sends display_data, update_display_data and clear_output from the display API and from tslab's", async () => {
    const { iopub } = await execute("const h = display.html('<b>1</b>', { id: 'live' });\nh.update(2);\nclearOutput({ wait: true });\nimport * as tslab from 'tslab';\ntslab.display.markdown('**md**');");
    const kinds = ofType(iopub, "display_data", "update_display_data", "clear_output").map((m) => m.header.msg_type);
    expect(kinds).toEqual(["display_data", "update_display_data", "clear_output", "display_data"]);
    const update = ofType(iopub, "update_display_data")[0]!;
    expect((update.content.transient as { display_id: string }).display_id).toBe("live");
    expect((ofType(iopub, "display_data")[1]!.content.data as Record<string, string>)["text/markdown"]).toBe("**md**");
  });

  it("refuses process.exit(1) with a message, and the kernel stays alive", async () => {
    await execute("let beforeExit = 'kept';");
    const { content } = await execute("process.exit(1);");
    expect(content).toMatchObject({ status: "error" });
    expect(String(content.evalue)).toMatch(/process\.exit\(\) is disabled/);
    expect(kernel.child.exitCode).toBeNull();
    expect(resultOf((await execute("beforeExit")).iopub)).toBe("'kept'");
  });

  it("reports an unhandled rejection and an error thrown in a timer", async () => {
    const { iopub } = await execute("Promise.reject(new Error('rejected!'));\nsetTimeout(() => { throw new Error('timer!'); }, 10);\nawait new Promise((r) => setTimeout(r, 200));");
    const stderr = stripAnsi(streamText(iopub, "stderr"));
    expect(stderr).toContain("Unhandled promise rejection:\nError: rejected!");
    expect(stderr).toContain("Uncaught exception (in a timer or callback):\nError: timer!");
    expect(resultOf((await execute("1 + 1")).iopub)).toBe("2");
  });

  it("reports deep recursion as a RangeError", async () => {
    const { content } = await execute("function deep(n: number): number { return deep(n + 1) + 1; }\ndeep(0);");
    expect(content).toMatchObject({ status: "error", ename: "RangeError", evalue: "Maximum call stack size exceeded" });
    expect(resultOf((await execute("'alive'")).iopub)).toBe("'alive'");
  });

  it("maps a runtime traceback to the cell's lines", async () => {
    const { content } = await execute("const list: number[] = [];\n\nconst first = list[0]!.toFixed(2);");
    expect(content).toMatchObject({ status: "error", ename: "TypeError" });
    expect(stripAnsi((content.traceback as string[]).join("\n"))).toMatch(/at In\[\d+\]:3:\d+/);
  });
});

describe("the first cell of a fresh kernel (checked before Node's types load when they cannot change the verdict)", () => {
  async function firstCell(code: string, setUp: (dir: string) => void = () => {}) {
    const dir = makeNotebookDir();
    setUp(dir);
    const fresh = await startGradlabKernel({ cwd: dir });
    try {
      const first = await fresh.client.execute(code, { timeoutMs: 60_000, stopOnError: false });
      const second = await fresh.client.execute("process.version.startsWith('v')", { timeoutMs: 60_000 });
      return { first, second };
    } finally {
      await fresh.shutdown();
    }
  }

  it("a gradlab cell runs at once, and the next cell has Node's types", async () => {
    const { first, second } = await firstCell(`import { tensor } from "gradlab";\ntensor([1, 2, 3]).sum().item()`);
    expect(resultOf(first.iopub)).toBe("6");
    expect(resultOf(second.iopub)).toBe("true");
  });

  it("a local module using Node's globals is judged with Node's types", async () => {
    const { first } = await firstCell(`import { home } from "./settings";\nconst n: number = home;`, (dir) =>
      writeFileSync(join(dir, "settings.ts"), "export const home = process.env.HOME;\n"));
    expect(first.reply.content).toMatchObject({ status: "error", ename: "TSError" });
    // Without strictNullChecks (the notebook default) the value's type is plain string.
    expect(String(first.reply.content.evalue)).toMatch(/Type 'string' is not assignable to type 'number'/);
  });
});
