// Plot builders: bundle structure, well-formed deterministic SVG (snapshots), log axes, size bounds, input forms.
import { beforeEach, describe, expect, it } from "vitest";
import { resetSeriesColors } from "../../../lib/display/colors.js";
import { plot } from "../../../lib/display/plot.js";
import type { Figure } from "../../../lib/display/figure.js";
import { Adam, minimize, mul, sub, type Tensor } from "../../../lib/index.js";
import { byClass, findAll, parseXml } from "./xml.js";

const PLOTLY = "application/vnd.plotly.v1+json";
const quad = (x: number, y: number): number => x * x + 3 * y * y;
const rosen = (x: number, y: number): number => (1 - x) ** 2 + 100 * (y - x * x) ** 2;

/** A deterministic gradient-descent path on f (no library dependency). */
function descentPath(f: (x: number, y: number) => number, start: [number, number], lr: number, steps: number): number[][] {
  const h = 1e-6;
  const path = [start];
  let [x, y] = start;
  for (let i = 0; i < steps; i++) {
    const gx = (f(x + h, y) - f(x - h, y)) / (2 * h);
    const gy = (f(x, y + h) - f(x, y - h)) / (2 * h);
    [x, y] = [x - lr * gx, y - lr * gy];
    path.push([x, y]);
  }
  return path;
}

function checkBundle(fig: Figure) {
  const b = fig.bundle();
  expect(Object.keys(b).sort()).toEqual([PLOTLY, "image/svg+xml", "text/html", "text/plain"].sort());
  expect(JSON.parse(JSON.stringify(b))).toEqual(b); // JSON-serialisable, no undefined/NaN
  const spec = b[PLOTLY] as { data: unknown[]; layout: object };
  expect(Array.isArray(spec.data)).toBe(true);
  expect(JSON.stringify(spec)).not.toMatch(/NaN|Infinity/);
  const svg = parseXml(b["image/svg+xml"] as string);
  expect(svg.name).toBe("svg");
  expect(b["text/html"]).toContain("data:image/svg+xml,");
  expect(b["text/html"]).not.toMatch(/plotly\.js v\d|define\("plotly"/); // plotly.js itself never inlined
  return { b, svg };
}

describe("plot builders", () => {
  // Series colours are remembered by name for the session; each snapshot starts from a clean palette.
  beforeEach(() => resetSeriesColors());

  it("line: x/y form, axis titles and ticks, deterministic snapshot", () => {
    const fig = plot.line([0, 1, 2, 3], [1, 4, 9, 16], { title: "squares", xLabel: "n", yLabel: "n²" });
    const { b, svg } = checkBundle(fig);
    expect(findAll(svg, byClass("line"))).toHaveLength(1);
    const ticks = findAll(svg, byClass("tick")).map((t) => t.text);
    expect(ticks).toEqual(expect.arrayContaining(["0", "1", "2", "3", "5", "10", "15"]));
    expect(findAll(svg, byClass("title"))[0]!.text).toBe("squares");
    expect(b["text/plain"]).toContain('Line plot "squares"');
    expect(plot.line([0, 1, 2, 3], [1, 4, 9, 16], { title: "squares", xLabel: "n", yLabel: "n²" }).bundle()).toEqual(b);
    expect(b["image/svg+xml"]).toMatchSnapshot();
  });

  it("line: record of series gets a legend; tensors are read through toArray()", () => {
    const tensorLike = { shape: [3], toArray: () => [3, 2, 1] };
    const { svg, b } = checkBundle(plot.line({ up: [1, 2, 3], down: tensorLike }));
    expect(findAll(svg, byClass("line"))).toHaveLength(2);
    expect(findAll(svg, byClass("legend"))[0]!.children.filter((e) => e.name === "text").map((e) => e.text)).toEqual(["up", "down"]);
    expect((b[PLOTLY] as { data: { name: string }[] }).data.map((d) => d.name)).toEqual(["up", "down"]);
  });

  it("lossCurve: several runs, log scale ticks are powers of ten, non-finite values become gaps", () => {
    const sgd = Array.from({ length: 300 }, (_, i) => 10 * Math.exp(-i / 40) + 0.01);
    const adam = Array.from({ length: 300 }, (_, i) => (i === 150 ? NaN : 5 * Math.exp(-i / 20) + 0.001));
    const { b, svg } = checkBundle(plot.lossCurve({ sgd, adam }, { logY: true }));
    const spec = b[PLOTLY] as { data: { y: (number | null)[] }[]; layout: { yaxis: { type: string } } };
    expect(spec.layout.yaxis.type).toBe("log");
    expect(spec.data[1]!.y[150]).toBeNull();
    // Decades read as plotly's exponentformat "power" writes them: 10 with a superscript exponent, then 1 and 10.
    const label = (t: { text: string; children: { name: string; text: string }[] }) => t.text + t.children.filter((c) => c.name === "tspan").map((c) => `^${c.text}`).join("");
    const yTicks = findAll(svg, byClass("tick")).map(label);
    expect(yTicks).toEqual(expect.arrayContaining(["10^\u22122", "10^\u22121", "1", "10"]));
    expect((spec.layout.yaxis as { exponentformat?: string }).exponentformat).toBe("power");
    const d = findAll(svg, byClass("line"))[1]!.attrs.d!;
    expect(d.match(/M/g)!.length).toBe(2); // the NaN splits adam's line in two
  });

  it("a fit history works directly: lossCurve(history) and gradNorms(history)", () => {
    const history = { loss: [3, 2, 1.5], epochLoss: [2], gradNorm: [1, 1, 1], gradNorms: { "layers.0": [1, 0.5, 0.2] }, steps: 3 };
    const loss = plot.lossCurve(history).bundle()[PLOTLY] as { data: { x: number[]; y: number[] }[] };
    expect(loss.data[0]!.x).toEqual([0, 1, 2]);
    expect(loss.data[0]!.y).toEqual([3, 2, 1.5]);
    const norms = plot.gradNorms(history).bundle()[PLOTLY] as { data: { name: string; y: number[] }[] };
    expect(norms.data.map((d) => [d.name, d.y])).toEqual([["layers.0", [1, 0.5, 0.2]]]);
  });

  it("contour defaults: equal axis scale for comparable ranges, a titled colour bar, the arrows' legend entry", () => {
    const spec = plot.contour(quad, { x: [-4, 4], y: [-1, 1] }, { resolution: 8, gradientField: true }).spec;
    expect(spec.layout.yaxis).toMatchObject({ scaleanchor: "x", scaleratio: 1, constrain: "domain" });
    expect(spec.data[0]).toMatchObject({ colorbar: { title: { text: "f" } } });
    expect(spec.data[1]!.name).toBe("descent direction");
    // The static SVG keeps the scale too: one unit is as many pixels across as up.
    const frame = findAll(parseXml(plot.contour(quad, { x: [-4, 4], y: [-1, 1] }, { resolution: 8 }).toSvg()), byClass("frame"))[0]!.attrs;
    expect(Number(frame.width) / 8).toBeCloseTo(Number(frame.height) / 2, 0);
    // Ranges more than tenfold apart in span are presumably different quantities: no anchor; an explicit choice wins.
    expect(plot.contour(quad, { x: [0, 100], y: [0, 1] }, { resolution: 8 }).spec.layout.yaxis?.scaleanchor).toBeUndefined();
    expect(plot.contour(quad, { x: [-1, 1], y: [-1, 1] }, { resolution: 8, equalScale: false }).spec.layout.yaxis?.scaleanchor).toBeUndefined();
    expect(plot.contour(rosen, { x: [-2, 2], y: [-1, 3] }, { resolution: 8, zLabel: "loss" }).spec.data[0]).toMatchObject({ colorbar: { title: { text: "log10(loss - min loss)" } } });
  });

  it("a series name keeps its colour across figures and builders; one figure never repeats a colour", () => {
    const color = (fig: Figure, name: string) => {
      const t = fig.spec.data.find((d) => d.name === name) as { line?: { color?: string } };
      return t.line?.color;
    };
    const a = plot.lossCurve({ sgd: [3, 2, 1], adam: [3, 1, 0.5] });
    const b = plot.line({ adam: [1, 2], momentum: [2, 3], sgd: [0, 1] });
    const c = plot.contour(quad, { x: [-1, 1], y: [-1, 1] }, { resolution: 6, trajectories: { adam: [[0.5, 0.5], [0, 0]] } });
    expect(color(b, "adam")).toBe(color(a, "adam"));
    expect(color(b, "sgd")).toBe(color(a, "sgd"));
    expect(color(c, "adam")).toBe(color(a, "adam"));
    const many = plot.line(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`s${i}`, [i, i + 1]])));
    expect(new Set(many.spec.data.map((d) => (d as { line: { color: string } }).line.color)).size).toBe(10);
  });

  it("line series may be dashed: in the plotly spec and in the static SVG", () => {
    const fig = plot.line([{ y: [1, 2], name: "measured" }, { y: [1, 3], name: "estimated", dash: "dash" }]);
    const lines = fig.spec.data.map((d) => (d as { line: { dash?: string } }).line.dash);
    expect(lines).toEqual([undefined, "dash"]);
    expect(fig.toSvg()).toContain("stroke-dasharray='6 4'");
  });

  it("lossCurve accepts {loss, step} runs and lists of {step, loss} records", () => {
    const fig = plot.lossCurve([{ name: "a", loss: [3, 2, 1], step: [10, 20, 30] }, { name: "b", loss: [4, 3] }]);
    const spec = fig.bundle()[PLOTLY] as { data: { x: number[]; name: string }[] };
    expect(spec.data.map((d) => [d.name, d.x])).toEqual([["a", [10, 20, 30]], ["b", [0, 1]]]);
    const recs = plot.lossCurve([{ step: 5, loss: 1 }, { step: 6, loss: 0.5 }]).bundle()[PLOTLY] as { data: { x: number[] }[] };
    expect(recs.data[0]!.x).toEqual([5, 6]);
  });

  it("contour: heatmap image, contour lines, arrows pointing downhill, trajectory with end marker; snapshot", () => {
    const path = descentPath(quad, [-1.8, 1.5], 0.1, 15);
    const fig = plot.contour(quad, { x: [-2, 2], y: [-2, 2] }, { resolution: 12, gradientField: { n: 4 }, trajectories: { gd: path } });
    const { b, svg } = checkBundle(fig);
    expect(findAll(svg, (e) => e.name === "image")[0]!.attrs.href).toMatch(/^data:image\/png;base64,/);
    expect(findAll(svg, byClass("contour")).length).toBeGreaterThan(3);
    const spec = b[PLOTLY] as { data: { type: string; name?: string; x: (number | null)[]; y: (number | null)[] }[] };
    expect(spec.data.map((d) => d.type)).toEqual(["contour", "scatter", "scatter", "scatter"]);
    // Each arrow is tail, tip, gap, head, tip, head, gap; the tip is closer to the minimum at the origin than the tail.
    const arrows = spec.data[1]!;
    expect(arrows.x.length).toBe(16 * 7);
    for (let k = 0; k < 16; k++) {
      const [tx, ty, hx, hy] = [arrows.x[7 * k]!, arrows.y[7 * k]!, arrows.x[7 * k + 1]!, arrows.y[7 * k + 1]!];
      expect(quad(hx, hy)).toBeLessThan(quad(tx, ty));
    }
    expect(spec.data[3]!.x).toEqual([Number(path[15]![0]!.toPrecision(6))]);
    expect(b["image/svg+xml"]).toMatchSnapshot();
  });

  it("contour: steep valleys switch to log10(f - min) colouring automatically", () => {
    const fig = plot.contour(rosen, { x: [-2, 2], y: [-1, 3] }, { resolution: 20 });
    expect(fig.layout.meta?.note).toContain("log10");
    expect(plot.contour(quad, { x: [-2, 2], y: [-2, 2] }, { resolution: 20 }).layout.meta).toBeUndefined();
  });

  it("contour with the library: f(v) on a (2,) tensor as minimize takes it, and minimize's result as a trajectory", () => {
    const rosenT = (v: Tensor) => {
      const x = v.at(0);
      const y = v.at(1);
      return sub(1, x).square().add(mul(100, sub(y, x.square()).square()));
    };
    const result = minimize(rosenT, [-1.2, 1], { optimizer: new Adam({ lr: 0.02 }), steps: 200, tol: 0 });
    const fig = plot.contour(rosenT, { x: [-2, 2], y: [-1, 3] }, { resolution: 9, logZ: false, trajectories: { adam: result } });
    const grid = fig.data[0] as { x: number[]; y: number[]; z: number[][] };
    expect(grid.z[2]![3]).toBeCloseTo(rosen(grid.x[3]!, grid.y[2]!), 2);
    const path = fig.data.find((t) => t.name === "adam") as { x: number[]; y: number[] };
    expect(path.x.length).toBe(201);
    expect([path.x[0], path.y[0]]).toEqual([-1.2, 1]);
  });

  it("contour accepts f([x, y]) and scalar-tensor results; bad ranges are named", () => {
    const f = (p: [number, number]) => ({ item: () => p[0] + p[1] });
    const fig = plot.contour(f as never, { x: [0, 1], y: [0, 1] }, { resolution: 5 });
    expect((fig.data[0] as { z: number[][] }).z[4]).toEqual([1, 1.25, 1.5, 1.75, 2]);
    expect(() => plot.contour(quad, { x: [1, 0], y: [0, 1] })).toThrow("plot.contour: range x must be [min, max]");
  });

  it("surface: plotly 3-D surface, static SVG is the top view", () => {
    const { b, svg } = checkBundle(plot.surface((x, y) => Math.sin(x) * Math.cos(y), { x: [-3, 3], y: [-3, 3] }, { resolution: 15 }));
    expect((b[PLOTLY] as { data: { type: string }[] }).data[0]!.type).toBe("surface");
    expect(findAll(svg, byClass("note"))[0]!.text).toContain("static view");
  });

  it("histogram: counts add up, shared bins for several distributions", () => {
    const a = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 12.9898));
    const b2 = Array.from({ length: 500 }, (_, i) => 0.5 * Math.cos(i * 7.1));
    const { b, svg } = checkBundle(plot.histogram({ a, b: b2 }, { bins: 20 }));
    const spec = b[PLOTLY] as { data: { x: number[]; y: number[] }[] };
    expect(spec.data[0]!.y.reduce((s, v) => s + v, 0)).toBe(1000);
    expect(spec.data[1]!.y.reduce((s, v) => s + v, 0)).toBe(500);
    expect(spec.data[0]!.x).toEqual(spec.data[1]!.x);
    expect(findAll(svg, byClass("bars"))).toHaveLength(2);
    expect(plot.histogram([1, 2, 2, 3], { bins: 3 }).bundle()["image/svg+xml"]).toMatchSnapshot();
  });

  it("gradNorms: one line per layer on a log axis, from either input form", () => {
    const steps = Array.from({ length: 50 }, (_, i) => ({ "layers.0": 1e-4 * (i + 1), "layers.1": 1 / (i + 1) }));
    const fig = plot.gradNorms(steps);
    const { b, svg } = checkBundle(fig);
    const spec = b[PLOTLY] as { data: { name: string }[]; layout: { yaxis: { type: string } } };
    expect(spec.data.map((d) => d.name)).toEqual(["layers.0", "layers.1"]);
    expect(spec.layout.yaxis.type).toBe("log");
    expect(findAll(svg, byClass("line"))).toHaveLength(2);
    const byLayer = plot.gradNorms({ "layers.0": steps.map((s) => s["layers.0"]), "layers.1": steps.map((s) => s["layers.1"]) });
    expect(byLayer.bundle()).toEqual(b);
  });

  it("a figure stays under ~200 KB: 5 runs of 100,000 steps; contour with field and 3 long trajectories", () => {
    const runs = Object.fromEntries(
      Array.from({ length: 5 }, (_, r) => [`run ${r}`, Array.from({ length: 100_000 }, (_, i) => Math.exp(-i / (1000 * (r + 1))) + 1e-3 * Math.sin(i))]),
    );
    const loss = JSON.stringify(plot.lossCurve(runs, { logY: true }).bundle()).length;
    expect(loss).toBeLessThan(200_000);
    const trajectories = [0.001, 0.0015, 0.002].map((lr) => descentPath(rosen, [-1.5, 2], lr, 1000));
    const contourSize = JSON.stringify(
      plot.contour(rosen, { x: [-2, 2], y: [-1, 3] }, { gradientField: true, trajectories }).bundle(),
    ).length;
    expect(contourSize).toBeLessThan(200_000);
  });

  it("downsampling keeps spikes: the maximum of a long series survives", () => {
    const y = Array.from({ length: 50_000 }, (_, i) => (i === 31_337 ? 100 : 1 + Math.sin(i / 50)));
    const spec = plot.line(y).bundle()[PLOTLY] as { data: { x: number[]; y: number[] }[] };
    expect(spec.data[0]!.y.length).toBeLessThanOrEqual(4000);
    expect(Math.max(...spec.data[0]!.y)).toBe(100);
    expect(spec.data[0]!.x).toContain(31_337);
  });
});

describe("degenerate inputs still give a valid figure", () => {
  it.each([
    ["empty", []],
    ["one point", [5]],
    ["constant", [2, 2, 2]],
    ["all NaN", [NaN, NaN]],
    ["infinities", [1, Infinity, -Infinity, 2]],
  ])("line(%s)", (_name, y) => {
    const b = plot.line(y as number[]).bundle();
    const svg = parseXml(b["image/svg+xml"] as string);
    expect(findAll(svg, byClass("frame"))).toHaveLength(1);
    expect(b["image/svg+xml"]).not.toMatch(/NaN|Infinity/);
    expect(JSON.stringify(b["application/vnd.plotly.v1+json"])).not.toMatch(/NaN|Infinity/);
  });

  it("log axis with non-positive values drops them instead of failing", () => {
    const b = plot.lossCurve([1, 0, -1, 0.1], { logY: true }).bundle();
    expect(b["image/svg+xml"]).not.toMatch(/NaN/);
    parseXml(b["image/svg+xml"] as string);
  });

  it("histogram of identical values and contour of a constant function", () => {
    parseXml(plot.histogram([3, 3, 3]).bundle()["image/svg+xml"] as string);
    const c = plot.contour(() => 1, { x: [0, 1], y: [0, 1] }, { resolution: 6, gradientField: { n: 3 } }).bundle();
    expect(c["image/svg+xml"]).not.toMatch(/NaN/);
  });
});
