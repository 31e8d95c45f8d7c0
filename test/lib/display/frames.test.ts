// Explorers without a kernel: plot.animatePath and plot.sweep bundles carry frames, a slider and buttons that agree.
import { beforeEach, describe, expect, it } from "vitest";
import { resetSeriesColors } from "../../../lib/display/colors.js";
import type { Figure } from "../../../lib/display/figure.js";
import type { FigureSpec, ScatterTrace } from "../../../lib/display/figure_spec.js";
import { plot } from "../../../lib/display/plot.js";
import { parseXml } from "./xml.js";
import { descent, quad } from "../../fixtures/descent_on_a_bowl.js";

const PLOTLY = "application/vnd.plotly.v1+json";

/** The plotly JSON of the bundle, checked for the invariants every animated figure must keep. */
function animated(fig: Figure): FigureSpec {
  const b = fig.bundle();
  const spec = b[PLOTLY] as FigureSpec;
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  expect(JSON.stringify(spec)).not.toMatch(/NaN|Infinity/);
  const frames = spec.frames!;
  expect(frames.length).toBeGreaterThan(1);
  const slider = spec.layout.sliders![0]!;
  // One slider step per frame, each jumping to its frame by name, names unique.
  expect(slider.steps.map((s) => s.args[0])).toEqual(frames.map((f) => [f.name]));
  expect(new Set(frames.map((f) => f.name)).size).toBe(frames.length);
  for (const f of frames) {
    expect(f.data.length).toBe(f.traces.length);
    f.traces.forEach((k, j) => expect(f.data[j]!.type).toBe(spec.data[k]!.type));
  }
  // The figure's own data is the frame the slider starts at: what the static image shows is where the slider is.
  const start = frames[slider.active]!;
  start.traces.forEach((k, j) => expect(spec.data[k]).toEqual(start.data[j]));
  expect(parseXml(b["image/svg+xml"] as string).name).toBe("svg");
  // The HTML fallback hands the frames to plotly with the figure.
  expect(b["text/html"]).toContain("frames:fig.frames");
  expect(b["text/html"]).toContain('"frames":[');
  return spec;
}

describe("plot.animatePath", () => {
  beforeEach(() => resetSeriesColors());

  it("grows each path one step per frame, ends every frame's marker at the current step, and plays", () => {
    const paths = { "gradient descent": descent(0.19, 30), momentum: descent(0.1, 30, 0.8) };
    const fig = plot.animatePath(quad, { x: [-4.5, 4.5], y: [-1.5, 1.5] }, paths, { title: "paths", zLabel: "q" });
    const spec = animated(fig);
    const frames = spec.frames!;
    expect(frames.map((f) => f.name)).toEqual(Array.from({ length: 31 }, (_, i) => String(i)));
    // contour, then line + end marker per path
    expect(frames[0]!.traces).toEqual([1, 2, 3, 4]);
    const gd = frames.map((f) => f.data[0] as ScatterTrace);
    gd.forEach((t, step) => {
      expect(t.x.length).toBe(step + 1);
      expect(t.name).toBe("gradient descent");
      expect([t.x[step], t.y[step]]).toEqual(paths["gradient descent"][step]!.map((v) => Number(v.toPrecision(6))));
      const end = frames[step]!.data[1] as ScatterTrace;
      expect([end.x[0], end.y[0]]).toEqual([t.x[step], t.y[step]]);
    });
    // Same style in every frame as in the still figure (colour per series name, markers on short paths).
    expect(new Set(gd.map((t) => t.line?.color))).toEqual(new Set([(spec.data[1] as ScatterTrace).line?.color]));
    expect(new Set(gd.map((t) => t.mode))).toEqual(new Set(["lines+markers"]));
    const slider = spec.layout.sliders![0]!;
    expect(slider.active).toBe(30);
    expect(slider.currentvalue.prefix).toBe("step ");
    const buttons = spec.layout.updatemenus![0]!.buttons;
    expect(buttons.map((b) => b.label)).toEqual(["Play", "Pause"]);
    expect(buttons[0]!.args[0]).toBeNull();
    expect(buttons[0]!.args[1].frame.duration).toBe(100);
    expect(buttons[0]!.args[1].frame.redraw).toBe(true); // without a redraw, plotly drops the contour while animating
    // Room for the controls under the plot; equal axis scale kept from plot.contour.
    expect(spec.layout.height).toBe(520);
    expect(spec.layout.margin!.b).toBeGreaterThanOrEqual(180);
    expect(spec.layout.yaxis?.scaleanchor).toBe("x");
    expect(fig.summary).toMatch(/animated: 31 frames over steps 0 to 30/);
  });

  it("shows long paths every few steps within a size budget, shorter paths staying at their end", () => {
    const fig = plot.animatePath(quad, { x: [-4.5, 4.5], y: [-1.5, 1.5] }, { long: descent(0.05, 2999), short: descent(0.1, 9, 0.5) }, { frames: 40 });
    const spec = animated(fig);
    expect(spec.frames!.length).toBe(40);
    expect(spec.frames![39]!.name).toBe("2999");
    const shortEnds = spec.frames!.map((f) => (f.data[3] as ScatterTrace).x[0]);
    expect(new Set(shortEnds.slice(2)).size).toBe(1); // from step 9 on, the short path's marker stays put
    expect(JSON.stringify(spec).length).toBeLessThan(700_000);
  });

  it("rejects an empty path", () => {
    expect(() => plot.animatePath(quad, { x: [-1, 1], y: [-1, 1] }, { none: [] })).toThrow(/no points/);
  });
});

describe("plot.sweep", () => {
  beforeEach(() => resetSeriesColors());
  const losses = (lr: number) => descent(lr, 40).map(([x, y]) => quad(x, y));
  const rates = [0.02, 0.1, 0.19, 0.21];

  it("puts one precomputed curve per value behind a slider, with axes that cover every value", () => {
    const fig = plot.sweep(rates, (lr) => plot.lossCurve({ "gradient descent": losses(lr) }, { logY: true, title: "loss" }), { label: "learning rate" });
    const spec = animated(fig);
    expect(spec.frames!.map((f) => f.name)).toEqual(["0.02", "0.1", "0.19", "0.21"]);
    spec.frames!.forEach((f, i) => {
      expect(f.traces).toEqual([0]);
      expect((f.data[0] as ScatterTrace).y).toEqual(losses(rates[i]!).map((v) => Number(v.toPrecision(6))));
    });
    const slider = spec.layout.sliders![0]!;
    expect(slider.active).toBe(1);
    expect(slider.currentvalue.prefix).toBe("learning rate = ");
    expect(slider.steps[0]!.args[1].frame.redraw).toBe(false);
    expect(spec.layout.updatemenus).toBeUndefined();
    // log10 range over all curves, the diverging one included
    const all = rates.flatMap(losses);
    const [lo, hi] = spec.layout.yaxis!.range!;
    expect(lo).toBeLessThan(Math.log10(Math.min(...all)));
    expect(hi).toBeGreaterThan(Math.log10(Math.max(...all)));
    expect(spec.layout.yaxis!.exponentformat).toBe("power");
    expect(spec.layout.meta?.note).toBe("static view: learning rate = 0.1");
    expect(fig.summary).toMatch(/^Sweep over learning rate: 4 values \(0\.02, 0\.1, 0\.19, 0\.21\)/);
  });

  it("leaves unchanged traces out of the frames (a contour grid is sent once)", () => {
    const fig = plot.sweep([0.05, 0.1], (lr) => plot.contour(quad, { x: [-4.5, 4.5], y: [-1.5, 1.5] }, { trajectories: { gd: descent(lr, 20) }, zLabel: "q" }), { label: "lr", play: true, active: 0 });
    const spec = animated(fig);
    expect(spec.frames![0]!.traces).toEqual([1, 2]);
    expect(spec.layout.sliders![0]!.steps[0]!.args[1].frame.redraw).toBe(true);
    expect(spec.layout.updatemenus![0]!.buttons[0]!.label).toBe("Play");
  });

  it("says which value gives different traces", () => {
    expect(() => plot.sweep([1, 2], (k) => plot.line(k === 1 ? { a: [1, 2] } : { a: [1, 2], b: [2, 3] }), { label: "k" }))
      .toThrow(/k = 2 gives traces \[scatter, scatter\] but k = 1 gives \[scatter\]/);
    expect(() => plot.sweep([], () => plot.line([1]))).toThrow(/non-empty/);
    expect(() => plot.sweep([1], () => 3 as unknown as Figure)).toThrow(/must return a figure/);
  });
});
