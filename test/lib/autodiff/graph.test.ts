// The graph tracer behind `graph(f, ...args)`: node values and gradients, chain-rule factors on edges, history graphs.
import { describe, expect, it } from "vitest";
import { tensor, type Tensor } from "../../../lib/index.js";
import { historyGraph, traceGraph } from "../../../lib/autodiff/graph.js";
import { graph } from "../../../lib/display/graph.js";

const scalar = (v: { data: ArrayLike<number> } | undefined): number => Array.from(v!.data)[0]!;

describe("traceGraph", () => {
  it("records one node per op with values, gradients d(out)/d(node), and local derivatives on edges", () => {
    const f = (x: Tensor, y: Tensor) => x.mul(y).add(x.sin());
    const g = traceGraph(f, tensor(2), 3);
    expect(g.nodes.map((n) => n.op)).toEqual(["input", "input", "mul", "sin", "add"]);
    expect(g.nodes.slice(0, 2).map((n) => n.name)).toEqual(["x", "y"]);
    const [x, y, mul, sin, add] = g.nodes;
    expect(scalar(add!.value)).toBeCloseTo(6 + Math.sin(2), 14);
    expect(g.output).toBe(add!.id);
    expect(scalar(x!.grad)).toBeCloseTo(3 + Math.cos(2), 14); // y + cos x
    expect(scalar(y!.grad)).toBe(2); // x
    expect(scalar(mul!.grad)).toBe(1);
    const local = (from: number, to: number) => scalar(g.edges.find((e) => e.from === from && e.to === to)!.local);
    expect(local(x!.id, mul!.id)).toBe(3);
    expect(local(y!.id, mul!.id)).toBe(2);
    expect(local(x!.id, sin!.id)).toBeCloseTo(Math.cos(2), 14);
    // The chain rule read off the picture: grad(x) = sum over paths of the products of edge factors.
    expect(local(x!.id, mul!.id) * scalar(mul!.grad) + local(x!.id, sin!.id) * scalar(sin!.grad)).toBeCloseTo(scalar(x!.grad), 14);
  });

  it("shows constants created inside f, names tree arguments by path index, and keeps non-scalar gradients", () => {
    const g = traceGraph((p: Tensor[]) => p[0]!.mul(p[1]!).sum().mul(10), [tensor([1, 2]), tensor([3, 4])]);
    expect(g.nodes.filter((n) => n.op === "input").map((n) => n.name)).toEqual(["p[0]", "p[1]"]);
    expect(g.nodes.some((n) => n.op === "const" && scalar(n.value) === 10)).toBe(true);
    expect(Array.from(g.nodes[0]!.grad!.data)).toEqual([30, 40]);
  });

  it("draws the history of a requiresGrad tensor after backward()", () => {
    const a = tensor(1.5, { requiresGrad: true });
    const loss = a.mul(a).exp();
    loss.backward();
    const g = historyGraph(loss);
    expect(g.nodes.map((n) => n.op)).toEqual(["input", "mul", "exp"]);
    expect(scalar(g.nodes[0]!.grad)).toBeCloseTo(a.grad!.item(), 12);
  });

  it("names the problem for bad input", () => {
    expect(() => traceGraph((x: Tensor) => 3 as unknown as Tensor, tensor(1))).toThrow(/graph: f must return a tensor computed from its arguments/);
    expect(() => historyGraph(tensor(1))).toThrow(/no recorded history/);
    expect(() => traceGraph((x: Tensor) => x, "nope" as unknown as Tensor)).toThrow(/graph/);
  });

  it("renders through the display builder as SVG with the op names", async () => {
    const fig = await graph((x: Tensor) => x.mul(x).add(1).log(), tensor(2));
    const bundle = fig[Symbol.for("Jupyter.display") as keyof typeof fig] as unknown as () => Record<string, string>;
    const svg = bundle.call(fig)["image/svg+xml"]!;
    expect(svg).toContain("<svg");
    for (const op of ["mul", "add", "log"]) expect(svg).toContain(op);
  });
});
