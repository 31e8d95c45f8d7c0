// -p name=value parsing and papermill-style injection after the cell tagged "parameters".
import type { INotebookContent } from "@jupyterlab/nbformat";
import { describe, expect, it } from "vitest";
import { injectParameters, parameterCellSource, parseParameter, parseParameters } from "../../../cli/runner/parameters.js";

const code = (source: string, tags: string[] = []) => ({ cell_type: "code" as const, source, metadata: { tags }, outputs: [], execution_count: null });

function notebook(cells: ReturnType<typeof code>[], minor = 5): INotebookContent {
  return { nbformat: 4, nbformat_minor: minor, metadata: {}, cells };
}

describe("parseParameter", () => {
  it("parses JSON values and keeps anything else as a string", () => {
    expect(parseParameter("lr=0.5")).toEqual(["lr", 0.5]);
    expect(parseParameter("steps=100")).toEqual(["steps", 100]);
    expect(parseParameter("flag=true")).toEqual(["flag", true]);
    expect(parseParameter("sizes=[1,2,3]")).toEqual(["sizes", [1, 2, 3]]);
    expect(parseParameter('name="adam"')).toEqual(["name", "adam"]);
    expect(parseParameter("name=adam")).toEqual(["name", "adam"]);
    expect(parseParameter("eq=a=b")).toEqual(["eq", "a=b"]);
    expect(parseParameter("empty=")).toEqual(["empty", ""]);
  });

  it("rejects malformed arguments naming them", () => {
    expect(() => parseParameter("lr")).toThrow(/-p lr: expected name=value/);
    expect(() => parseParameter("=3")).toThrow(/expected name=value/);
    expect(() => parseParameter("learning-rate=3")).toThrow(/"learning-rate" is not a valid TypeScript identifier/);
  });

  it("later values win", () => {
    expect(parseParameters(["a=1", "a=2"])).toEqual({ a: 2 });
  });
});

describe("injectParameters", () => {
  it("inserts a tagged cell right after the parameters cell", () => {
    const nb = notebook([code("// intro"), code("const lr = 0.1;", ["parameters"]), code("lr * 2")]);
    const { notebook: out, warning } = injectParameters(nb, { lr: 0.5, name: "sgd" });
    expect(warning).toBeUndefined();
    expect(out.cells.map((c) => c.source)).toEqual(["// intro", "const lr = 0.1;", parameterCellSource({ lr: 0.5, name: "sgd" }), "lr * 2"]);
    expect(out.cells[2]!.metadata.tags).toEqual(["injected-parameters"]);
    expect(typeof out.cells[2]!.id).toBe("string");
    expect(out.cells[2]!.source).toContain('const name = "sgd";');
    expect(nb.cells).toHaveLength(3);
  });

  it("replaces an earlier injected cell and puts it first when no cell is tagged, with a warning", () => {
    const nb = notebook([code("const old = 1;", ["injected-parameters"]), code("x")], 4);
    const { notebook: out, warning } = injectParameters(nb, { x: 1 });
    expect(out.cells).toHaveLength(2);
    expect(out.cells[0]!.source).toBe(parameterCellSource({ x: 1 }));
    expect(out.cells[0]!.id).toBeUndefined();
    expect(warning).toMatch(/no cell is tagged "parameters"/);
  });

  it("leaves the notebook alone without parameters", () => {
    const nb = notebook([code("1")]);
    expect(injectParameters(nb, {}).notebook).toBe(nb);
  });
});
