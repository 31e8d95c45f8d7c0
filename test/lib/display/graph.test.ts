// Computation graphs: dot text from a plain-data Graph (values, grads, local derivatives, capping) and SVG via Graphviz.
import { describe, expect, it } from "vitest";
import { graph, toDot, summarizeValue, type Graph } from "../../../lib/display/graph.js";
import { findAll, parseXml } from "./xml.js";
import { tensor, type Tensor } from "../../../lib/index.js";

const s = (v: number) => ({ shape: [], data: [v] });

/** f(x, y) = x * y + exp(x) at x = 1, y = 2, with gradients and local derivatives filled by hand (the chain rule). */
function smallGraph(): Graph {
  const e = Math.E;
  return {
    nodes: [
      { id: 0, op: "input", name: "x", value: s(1), grad: s(2 + e) },
      { id: 1, op: "input", name: "y", value: s(2), grad: s(1) },
      { id: 2, op: "mul", value: s(2), grad: s(1) },
      { id: 3, op: "exp", value: s(e), grad: s(1) },
      { id: 4, op: "add", value: s(2 + e), grad: s(1) },
    ],
    edges: [
      { from: 0, to: 2, argIndex: 0, local: s(2) },
      { from: 1, to: 2, argIndex: 1, local: s(1) },
      { from: 0, to: 3, argIndex: 0, local: s(e) },
      { from: 2, to: 4, argIndex: 0, local: s(1) },
      { from: 3, to: 4, argIndex: 1, local: s(1) },
    ],
    output: 4,
  };
}

describe("computation graph display", () => {
  it("toDot: one node per op with shape, value and grad; local derivative on each edge", () => {
    const dot = toDot(smallGraph());
    expect(dot.match(/^ {2}n\d+ \[/gm)).toHaveLength(5);
    expect(dot.match(/->/g)).toHaveLength(5);
    expect(dot).toContain("grad 4.718"); // dx = y + e^x
    expect(dot).toContain('n0 -> n3 [label="∂ 2.718"]');
    expect(dot).toContain('n0 -> n2 [label="∂ 2"]');
    expect(dot).toMatchSnapshot();
  });

  it("summarizeValue: scalars, tiny tensors, larger tensors", () => {
    expect(summarizeValue({ shape: [], data: [0.5] })).toBe("0.5");
    expect(summarizeValue({ shape: [3], data: [1, 2, 3] })).toBe("[1, 2, 3]");
    expect(summarizeValue({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] })).toBe("mean 3.5, [1, 6]");
  });

  it("large graphs are capped with a note and a placeholder node", () => {
    const nodes = Array.from({ length: 200 }, (_, i) => ({ id: i, op: i === 0 ? "input" : "sin", value: s(i) }));
    const edges = Array.from({ length: 199 }, (_, i) => ({ from: i, to: i + 1, argIndex: 0 }));
    const dot = toDot({ nodes, edges, output: 199 }, { maxNodes: 30 });
    expect(dot.match(/^ {2}n\d+ \[/gm)).toHaveLength(30);
    expect(dot).toContain("showing the 30 nodes closest to the output of 200");
    expect(dot).toContain("… 170 earlier nodes");
    expect(dot).toContain("hidden -> n170");
  });

  it("graph(Graph) renders SVG with Graphviz: one <g class='node'> per node, edge labels present", async () => {
    const fig = await graph(smallGraph());
    const b = fig.bundle();
    const svg = parseXml(b["image/svg+xml"] as string);
    expect(svg.name).toBe("svg");
    expect(findAll(svg, (e) => e.name === "g" && e.attrs.class === "node")).toHaveLength(5);
    expect(findAll(svg, (e) => e.name === "g" && e.attrs.class === "edge")).toHaveLength(5);
    const texts = findAll(svg, (e) => e.name === "text").map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(["mul", "exp", "grad 4.718", "∂ 2.718"]));
    expect(b["text/html"]).toContain('<img alt="computation graph" src="data:image/svg+xml,');
    expect(b["text/plain"]).toContain("Computation graph: 5 nodes (3 ops), 5 edges");
    expect((await graph(smallGraph())).bundle()).toEqual(b); // deterministic
  });

  it("a 200-node graph of tensors is capped and its bundle stays under ~200 KB; deep graphs run top to bottom", async () => {
    const v = (n: number) => ({ shape: [n], data: Float64Array.from({ length: n }, (_, i) => Math.sin(i)) });
    const ops = ["mul", "add", "tanh", "matmul"];
    const nodes = Array.from({ length: 200 }, (_, i) => ({ id: i, op: i === 0 ? "input" : ops[i % 4]!, value: v(8), grad: v(8) }));
    const edges = Array.from({ length: 199 }, (_, i) => ({ from: i, to: i + 1, argIndex: 0, local: v(8) }));
    const fig = await graph({ nodes, edges, output: 199 });
    expect(fig.dot).toContain("rankdir=TB");
    expect(fig.dot).toContain("… 160 earlier nodes");
    expect(JSON.stringify(fig.bundle()).length).toBeLessThan(200_000);
    expect(toDot(smallGraph())).toContain("rankdir=LR");
  });

  it("graph(f, x, y) traces the library: op nodes, named inputs, gradients and chain-rule factors", async () => {
    const f = (x: Tensor, y: Tensor) => x.mul(y).add(x.exp());
    const fig = await graph(f, 1, 2);
    const g = fig.graph;
    const byOp = (op: string) => g.nodes.filter((n) => n.op === op);
    expect(byOp("input").map((n) => n.name)).toEqual(["x", "y"]);
    expect(["mul", "exp", "add"].every((op) => byOp(op).length === 1)).toBe(true);
    const x = byOp("input")[0]!;
    expect(x.grad!.data[0]).toBeCloseTo(2 + Math.E, 12); // df/dx = y + e^x
    const expEdge = g.edges.find((e) => e.from === x.id && e.to === byOp("exp")[0]!.id)!;
    expect(expEdge.local!.data[0]).toBeCloseTo(Math.E, 12);
    const svg = parseXml(fig.bundle()["image/svg+xml"] as string);
    expect(findAll(svg, (e) => e.name === "g" && e.attrs.class === "node").length).toBe(g.nodes.length);
    expect(findAll(svg, (e) => e.name === "text").map((e) => e.text)).toContain("grad 4.718");
  });

  it("graph(tensor) shows a requiresGrad tensor's recorded history", async () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const loss = w.square().sum();
    const fig = await graph(loss);
    expect(fig.graph.nodes.map((n) => n.op)).toEqual(expect.arrayContaining(["input", "square", "sum"]));
    const leaf = fig.graph.nodes.find((n) => n.op === "input")!;
    expect(Array.from(leaf.grad!.data)).toEqual([2, 4, 6]);
    expect(fig.bundle()["text/plain"]).toContain("Computation graph:");
  });

  it("a graph() promise left without await still displays once Graphviz is loaded", async () => {
    await graph(smallGraph());
    const pending = graph(smallGraph());
    const shown = (pending as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!();
    expect(shown["image/svg+xml"]).toBe((await pending).svg);
  });
});
