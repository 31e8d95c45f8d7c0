// Tensor operators as a notebook user meets them: cells in a real kernel process, with results, hover, completion,
// type errors and tracebacks checked over the Jupyter protocol.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, type KernelProcess } from "../../../cli/client/index.js";
import { startGradlabKernel } from "../../helpers/kernel.js";
import { makeNotebookDir, stripAnsi } from "../engine/helpers.js";

let kernel: KernelProcess;

beforeAll(async () => {
  kernel = await startGradlabKernel({ cwd: makeNotebookDir() });
  await execute(`import { tensor, grad, Tensor } from "gradlab";\nconst a = tensor([1, 2, 4]); const b = tensor([2, 2, 2]);`);
});
afterAll(async () => {
  await kernel?.shutdown();
});

async function execute(code: string) {
  const { reply, iopub } = await kernel.client.execute(code, { timeoutMs: 60_000, stopOnError: false });
  const result = (ofType(iopub, "execute_result")[0]?.content.data as Record<string, unknown> | undefined)?.["text/plain"];
  return { content: reply.content, result: typeof result === "string" ? stripAnsi(result) : result };
}

/** The value of a tensor expression as nested arrays, computed in the kernel. */
async function valueOf(expr: string): Promise<unknown> {
  const { content, result } = await execute(`JSON.stringify((${expr}).toArray())`);
  expect(content.status, JSON.stringify(content)).toBe("ok");
  return JSON.parse(JSON.parse((result as string).replace(/^'|'$/g, '"')));
}

describe("tensor operators in cells", () => {
  it("computes every operator between tensors and between tensors and numbers", async () => {
    expect(await valueOf("a + b")).toEqual([3, 4, 6]);
    expect(await valueOf("a - b")).toEqual([-1, 0, 2]);
    expect(await valueOf("a * b")).toEqual([2, 4, 8]);
    expect(await valueOf("a / b")).toEqual([0.5, 1, 2]);
    expect(await valueOf("a ** 2")).toEqual([1, 4, 16]);
    expect(await valueOf("2 ** b")).toEqual([4, 4, 4]);
    expect(await valueOf("10 - a")).toEqual([9, 8, 6]);
    expect(await valueOf("-a")).toEqual([-1, -2, -4]);
    expect(await valueOf("a - b - b")).toEqual([-3, -2, 0]);
    expect(await valueOf("(a + 1) * (b - 1) / 2")).toEqual([1, 1.5, 2.5]);
  });

  it("differentiates through operators inside closures passed to grad: d/dx sum(x*x + 3x) = 2x + 3", async () => {
    expect(await valueOf("grad((x: Tensor) => (x * x + 3 * x).sum())(tensor([0, 1, -2]))")).toEqual([3, 5, -1]);
  });

  it("supports compound assignment in a gradient-descent loop, and leaves plain numbers alone", async () => {
    const { content } = await execute(
      "let w = tensor([5]); const lr = 0.25;\nfor (let i = 0; i < 20; i++) { const g = grad((v: Tensor) => (v * v).sum())(w); w -= lr * g; }\nlet n = 3; n *= 2;",
    );
    expect(content.status).toBe("ok");
    const [w] = (await valueOf("w")) as number[];
    expect(Math.abs(w!)).toBeLessThan(1e-5);
    expect((await execute("n")).result).toBe("6");
    expect((await execute("typeof (n * 2)")).result).toBe("'number'");
  });

  it("reports a misuse naming the operator and the operand types, at the user's line:col", async () => {
    const { content } = await execute(`const ok = 1;\nconst bad = a * "x";`);
    expect(content.status).toBe("error");
    expect(stripAnsi(String(content.evalue))).toContain(`2:13 - error TS2365: Operator '*' cannot be applied to types 'Tensor' and '"x"'`);
  });

  it("still reports unrelated type errors at their original position", async () => {
    const { content } = await execute(`const t = a * b;\nconst s: string = t.shape.length;`);
    expect(content.status).toBe("error");
    expect(String(content.evalue)).toMatch(/^2:7 - error TS2322: Type 'number' is not assignable to type 'string'/);
  });

  it("maps a runtime error after a rewritten line to the user's own line and column", async () => {
    const { content } = await execute(`const p = a * b + 1;\nconst q = (a * b).matmul(tensor([[1, 2]]));`);
    expect(content.status).toBe("error");
    const traceback = stripAnsi((content.traceback as string[]).join("\n"));
    expect(traceback).toMatch(/In\[\d+\]:2:19\b/); // the `.matmul` call in `const q = (a * b).matmul(...)`
    expect(traceback).toContain("matmul");
  });

  it("shows Tensor on hover over an operator expression and tensor methods in completion after it", async () => {
    const code = "const h = (a * b).sum";
    const inspect = await kernel.client.request("shell", "inspect_request", { code, cursor_pos: code.length, detail_level: 0 });
    expect(String((inspect.content.data as Record<string, string>)["text/plain"])).toContain("Tensor");
    const expr = "const e = (a * b) + 1;";
    const onOperator = await kernel.client.request("shell", "inspect_request", { code: expr, cursor_pos: expr.indexOf("*") + 1, detail_level: 0 });
    expect((onOperator.content.data as Record<string, string>)["text/plain"]).toBe("a * b: Tensor");
    const onPlus = await kernel.client.request("shell", "inspect_request", { code: expr, cursor_pos: expr.indexOf("+"), detail_level: 0 });
    expect((onPlus.content.data as Record<string, string>)["text/plain"]).toBe("(a * b) + 1: Tensor");
    const partial = "(a * b).mat";
    const complete = await kernel.client.request("shell", "complete_request", { code: partial, cursor_pos: partial.length });
    expect(complete.content.matches).toContain("matmul");
    expect(complete.content.cursor_start).toBe(partial.length - 3);
  });

  it("can be switched off per cell and for the rest of the notebook with a magic comment", async () => {
    const off = await execute("// @gradlab-operators: off\nconst z = a * b;");
    expect(off.content.status).toBe("error");
    expect(stripAnsi(String(off.content.evalue))).toMatch(/arithmetic operation/);
    expect((await execute("(a * b).sum().item()")).result).toBe("14");
    expect((await execute("// @gradlab-operators: off-all\n1")).content.status).toBe("ok");
    expect((await execute("const z2 = a * b;")).content.status).toBe("error");
    expect((await execute("// @gradlab-operators: on-all\n(a * b).sum().item()")).result).toBe("14");
  });

  it("keeps `-a ** 2` a syntax error", async () => {
    const { content } = await execute("const r = -a ** 2;");
    expect(content.status).toBe("error");
    expect(String(content.evalue)).toMatch(/unary expression/i);
  });
});

describe("tensors reaching plain JS arithmetic", () => {
  it("fails with a clear message instead of silently producing NaN when an operand is typed any", async () => {
    const { content } = await execute("const loose: any = a;\nconst r = 0.5 * loose;");
    expect(content.status).toBe("error");
    expect(String(content.evalue)).toContain("was used as a number by a JavaScript operator");
    expect(stripAnsi((content.traceback as string[]).join("\n"))).toMatch(/In\[\d+\]:2:/);
  });

  it("keeps the gradient's type, so operators apply to grad(f)(x) without annotations", async () => {
    expect(await valueOf("grad((x: Tensor) => (x ** 3).sum())(a) / 3")).toEqual([1, 4, 16]);
  });
});
