// 2-D function figures: plot.contour (level sets, gradient arrows, optimizer paths) and plot.surface.
// The one core import of lib/display: a (2,) Tensor to call f(v) the way `minimize` calls it (no ops, no transforms).
import { Tensor } from "../core/tensor.js";
import { colorsForNames } from "./colors.js";
import { contourLevels } from "./contour_lines.js";
import { Figure } from "./figure.js";
import type { GridTrace, Num, ScatterTrace, Trace } from "./figure_spec.js";
import { describe, toNumbers, toPoints, toScalar } from "./inputs.js";
import { finiteExtent, formatNumber, round4, round6 } from "./numbers.js";
import { baseLayout, headline, scatterTrace, type CommonOptions } from "./series.js";

/** f(x, y) -> number | scalar tensor. */
export type Fn2 = (x: number, y: number) => unknown;
/** f(v) with v a (2,) tensor, as `minimize` calls it (a function taking a plain [x, y] pair works too). */
export type FnVec = (v: Tensor) => unknown;

export interface Ranges {
  x: [number, number];
  y: [number, number];
}

export interface GridOptions extends CommonOptions {
  /** Grid points per axis (default 50, at most 150). */
  resolution?: number;
  /** Show log10(f - min f) instead of f: spreads the levels of steep valleys (default: automatic). */
  logZ?: boolean;
  /** Number of contour levels (default 12). */
  levels?: number;
  /** Name of the plotted quantity, the colour bar's title (default "f", or "log10(f - min f)" with logZ). */
  zLabel?: string;
}

export interface GradientFieldOptions {
  /** Arrows per axis (default 12). */
  n?: number;
  /** "direction" (default): equal-length arrows; "magnitude": length proportional to |grad f|. */
  scale?: "direction" | "magnitude";
  /** Exact gradient (e.g. from `grad`); default: central differences of f. */
  gradient?: (x: number, y: number) => unknown;
  /** Legend entry of the arrows (default "descent direction"); name the function, e.g. "-∇g", when it is not f. */
  name?: string;
}

export interface ContourOptions extends GridOptions {
  /** Optimizer paths: a list of point lists / {name, points} / minimize results ({trajectory}), or a record name -> points. */
  trajectories?: unknown;
  /** Draw -grad f as arrows (the descent direction). */
  gradientField?: boolean | GradientFieldOptions;
  /**
   * One unit of y as long on screen as one unit of x, so gradients look perpendicular to level sets and circles look
   * round. Default: on, unless the two ranges differ more than tenfold in span (then the axes presumably measure
   * different quantities and an equal scale would squash the plot to a sliver); pass false for axes in different units.
   */
  equalScale?: boolean;
}

type PointEval = (x: number, y: number) => number;

// One-parameter functions are the ones `minimize` takes: f(v) with v a (2,) tensor (v.at(0), v.at(1)). Some are
// written for a plain [x, y] pair instead (destructuring); the first point decides which form f accepts.
function pointEvaluator(f: Fn2 | FnVec): PointEval {
  const read = (v: unknown, x: number, y: number): number => toScalar(v, `f(${formatNumber(x)}, ${formatNumber(y)})`);
  if (f.length >= 2) return (x, y) => read((f as (x: number, y: number) => unknown)(x, y), x, y);
  const g = f as (p: unknown) => unknown;
  const asTensor: PointEval = (x, y) => read(g(new Tensor(Float64Array.of(x, y), [2], "float64")), x, y);
  const asPair: PointEval = (x, y) => read(g([x, y]), x, y);
  let chosen: PointEval | undefined;
  const attempt = (e: PointEval, x: number, y: number): { v: number } | { error: unknown } => {
    try {
      return { v: e(x, y) };
    } catch (error) {
      return { error };
    }
  };
  return (x, y) => {
    if (chosen) return chosen(x, y);
    const t = attempt(asTensor, x, y);
    const p = "v" in t && !Number.isNaN(t.v) ? undefined : attempt(asPair, x, y);
    if (p && "v" in p && !Number.isNaN(p.v)) {
      chosen = asPair;
      return p.v;
    }
    if ("error" in t) throw t.error;
    chosen = asTensor;
    return t.v;
  };
}

function checkRanges(r: Ranges, who: string): void {
  for (const k of ["x", "y"] as const) {
    const v = r?.[k];
    if (!Array.isArray(v) || v.length !== 2 || !(v[1] > v[0])) {
      throw new RangeError(`${who}: range ${k} must be [min, max] with min < max, got ${JSON.stringify(v)}`);
    }
  }
}

function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

interface Grid {
  x: number[];
  y: number[];
  z: number[][];
  logZ: boolean;
}

// A steep valley (Rosenbrock) puts most of the plane in a few levels; log10(f - min) spreads them. Auto-on when the
// median sits in the bottom 10% of the range.
function wantsLog(values: number[]): boolean {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length < 4) return false;
  const lo = finite[0] as number;
  const hi = finite[finite.length - 1] as number;
  const median = finite[finite.length >> 1] as number;
  return hi > lo && (median - lo) / (hi - lo) < 0.1;
}

function evalGrid(f: PointEval, r: Ranges, o: GridOptions): Grid {
  const n = Math.min(150, Math.max(5, Math.round(o.resolution ?? 50)));
  const x = linspace(r.x[0], r.x[1], n);
  const y = linspace(r.y[0], r.y[1], n);
  let z = y.map((yv) => x.map((xv) => f(xv, yv)));
  const logZ = o.logZ ?? wantsLog(z.flat());
  if (logZ) {
    const [lo, hi] = finiteExtent(z.flat()) ?? [0, 1];
    const tiny = (hi - lo) * 1e-6 || 1e-12;
    z = z.map((row) => row.map((v) => Math.log10(v - lo + tiny)));
  }
  return { x, y, z, logZ };
}

function gridTrace(type: GridTrace["type"], g: Grid, levels: number, zLabel: string | undefined): GridTrace {
  const [lo, hi] = finiteExtent(g.z.flat()) ?? [0, 1];
  const z = zLabel ?? "f";
  const quantity = g.logZ ? `log10(${z} - min ${z})` : z;
  return {
    type,
    x: g.x.map(round6),
    y: g.y.map(round6),
    z: g.z.map((row) => row.map(round4)),
    colorscale: "Viridis",
    contours: type === "surface"
      ? { z: { show: true, usecolormap: true, project: { z: true } } }
      : { ...contourLevels(lo, hi, levels), coloring: "heatmap" },
    name: quantity,
    colorbar: { title: { text: quantity } },
    showlegend: false,
  };
}

function gradientAt(f: PointEval, go: GradientFieldOptions, x: number, y: number, h: [number, number]): [number, number] {
  if (go.gradient) {
    const g = toNumbers(go.gradient(x, y), "gradient");
    return [g[0] ?? NaN, g[1] ?? NaN];
  }
  return [
    (f(x + h[0], y) - f(x - h[0], y)) / (2 * h[0]),
    (f(x, y + h[1]) - f(x, y - h[1])) / (2 * h[1]),
  ];
}

/** Arrows of -grad f as one line trace: shaft and two head strokes per arrow, separated by null gaps. */
function arrowTrace(f: PointEval, r: Ranges, go: GradientFieldOptions): ScatterTrace {
  const n = Math.min(40, Math.max(3, Math.round(go.n ?? 12)));
  const span: [number, number] = [r.x[1] - r.x[0], r.y[1] - r.y[0]];
  const cell: [number, number] = [span[0] / n, span[1] / n];
  const xs = linspace(r.x[0] + cell[0] / 2, r.x[1] - cell[0] / 2, n);
  const ys = linspace(r.y[0] + cell[1] / 2, r.y[1] - cell[1] / 2, n);
  const h: [number, number] = [span[0] * 1e-6, span[1] * 1e-6];
  const grads = ys.flatMap((y) => xs.map((x) => ({ x, y, g: gradientAt(f, go, x, y, h) })));
  // Work in units of one cell so arrows look right whatever the aspect ratio of the ranges.
  const mags = grads.map(({ g }) => Math.hypot(g[0] / span[0], g[1] / span[1]));
  const maxMag = Math.max(...mags.filter(Number.isFinite), 0) || 1;
  const X: Num[] = [];
  const Y: Num[] = [];
  grads.forEach(({ x, y, g }, i) => {
    const m = mags[i] as number;
    if (!Number.isFinite(m) || m === 0) return;
    const len = 0.8 * (go.scale === "magnitude" ? m / maxMag : 1);
    const u0 = -g[0] / span[0] / m; // unit descent direction, in cell units
    const u1 = -g[1] / span[1] / m;
    const half = [(u0 * len * cell[0]) / 2, (u1 * len * cell[1]) / 2] as const;
    const tail = [x - half[0], y - half[1]] as const;
    const tip = [x + half[0], y + half[1]] as const;
    // Head strokes: the reversed direction turned by +-0.5 rad, 35% of the arrow length.
    const head = (turn: number): [number, number] => {
      const c = Math.cos(turn);
      const s = Math.sin(turn);
      const k = 0.35 * len;
      return [tip[0] + (-u0 * c + u1 * s) * k * cell[0], tip[1] + (-u0 * s - u1 * c) * k * cell[1]];
    };
    const left = head(0.5);
    const right = head(-0.5);
    X.push(tail[0], tip[0], null, left[0], tip[0], right[0], null);
    Y.push(tail[1], tip[1], null, left[1], tip[1], right[1], null);
  });
  return {
    type: "scatter",
    name: go.name ?? "descent direction",
    x: X.map((v) => (v === null ? null : round4(v))),
    y: Y.map((v) => (v === null ? null : round4(v))),
    mode: "lines",
    line: { color: "#ffffff", width: 1.2 },
    opacity: 0.9,
  };
}

/** A named optimizer path. */
export interface NamedPath {
  name: string;
  points: [number, number][];
}

/** Normalises the accepted trajectory forms into named point lists. */
export function trajectoryList(input: unknown): NamedPath[] {
  const one = (name: string, v: unknown): NamedPath => {
    const o = v as { name?: string; points?: unknown; trajectory?: unknown; path?: unknown };
    const isWrapped = typeof v === "object" && v !== null && !Array.isArray(v) && (o.points ?? o.trajectory ?? o.path) !== undefined;
    return isWrapped
      ? { name: o.name ?? name, points: toPoints(o.points ?? o.trajectory ?? o.path, `trajectory "${name}"`) }
      : { name, points: toPoints(v, `trajectory "${name}"`) };
  };
  if (Array.isArray(input)) {
    // A single path given directly: [[x, y], ...]
    if (input.length > 0 && Array.isArray(input[0]) && typeof input[0][0] === "number") return [one("path", input)];
    return input.map((v, i) => one(`path ${i}`, v));
  }
  if (typeof input === "object" && input !== null) {
    const o = input as { points?: unknown; trajectory?: unknown };
    if (o.points !== undefined || o.trajectory !== undefined) return [one("path", input)];
    return Object.entries(input).map(([k, v]) => one(k, v));
  }
  throw new TypeError(`plot.contour: trajectories must be a list or a record of point lists, got ${describe(input)}`);
}

function trajectoryTraces(input: unknown): ScatterTrace[] {
  const paths = trajectoryList(input);
  const budget = Math.max(200, Math.floor(1500 / Math.max(1, paths.length)));
  const colors = colorsForNames(paths.map((p) => p.name));
  return paths.flatMap(({ name, points }, i) => {
    const color = colors[i] as string;
    const xy = { name, x: points.map((p) => p[0]), y: points.map((p) => p[1]) };
    // Markers show the step sizes; on long paths they would only hide the line.
    const mode = points.length <= 80 ? "lines+markers" : "lines";
    const path = scatterTrace(xy, mode, { line: { color, width: 2 }, marker: { color, size: 5 } }, budget);
    const last = points[points.length - 1];
    if (!last) return [path];
    const end: ScatterTrace = {
      type: "scatter", name: `${name} end`, x: [round6(last[0])], y: [round6(last[1])], mode: "markers",
      marker: { color, size: 12, symbol: "x" }, showlegend: false,
    };
    return [path, end];
  });
}

/**
 * Contour plot of f over a 2-D range, e.g. `plot.contour((x, y) => x*x + 3*y*y, {x: [-2, 2], y: [-2, 2]},
 * {gradientField: true, trajectories: {adam: path}})`. Arrows show -grad f (central differences unless
 * `gradientField.gradient` is given); trajectories are drawn on top, ending in a cross.
 */
export function contour(f: Fn2, ranges: Ranges, opts?: ContourOptions): Figure;
export function contour(f: FnVec, ranges: Ranges, opts?: ContourOptions): Figure;
export function contour(f: Fn2 | FnVec, ranges: Ranges, opts: ContourOptions = {}): Figure {
  if (typeof f !== "function") throw new TypeError(`plot.contour: f must be a function (x, y) => number, got ${describe(f)}`);
  checkRanges(ranges, "plot.contour");
  const at = pointEvaluator(f);
  const grid = evalGrid(at, ranges, opts);
  const data: Trace[] = [gridTrace("contour", grid, opts.levels ?? 12, opts.zLabel)];
  const field = opts.gradientField === true ? {} : opts.gradientField || undefined;
  if (field) data.push(arrowTrace(at, ranges, field));
  if (opts.trajectories !== undefined) data.push(...trajectoryTraces(opts.trajectories));
  const layout = baseLayout(opts, { xLabel: "x", yLabel: "y" });
  layout.xaxis = { ...layout.xaxis, range: ranges.x };
  layout.yaxis = { ...layout.yaxis, range: ranges.y };
  const spans = [ranges.x[1] - ranges.x[0], ranges.y[1] - ranges.y[0]];
  if (opts.equalScale ?? Math.max(...spans) / Math.min(...spans) <= 10) {
    layout.xaxis.constrain = "domain";
    layout.yaxis = { ...layout.yaxis, scaleanchor: "x", scaleratio: 1, constrain: "domain" };
  }
  layout.showlegend = data.some((t) => t.type === "scatter" && t.showlegend !== false);
  if (layout.showlegend) layout.legend = { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" };
  const quantity = (data[0] as GridTrace).colorbar?.title.text ?? "f";
  if (grid.logZ) layout.meta = { note: `colour: ${quantity}` };
  const [lo, hi] = finiteExtent(grid.z.flat()) ?? [NaN, NaN];
  const paths = data.slice(field ? 2 : 1).filter((t) => t.type === "scatter" && t.showlegend !== false).map((t) => t.name).join(", ");
  const summary = `${headline("Contour plot", opts.title)} of f over x in [${ranges.x.join(", ")}], y in [${ranges.y.join(", ")}]` +
    `\n  ${quantity} in [${formatNumber(lo)}, ${formatNumber(hi)}]` +
    (field ? "\n  arrows: -grad f" : "") + (paths ? `\n  trajectories: ${paths}` : "");
  return new Figure({ data, layout }, summary);
}

/** 3-D surface of f (interactive with plotly; the static SVG shows the top view with contour lines). */
export function surface(f: Fn2, ranges: Ranges, opts?: GridOptions): Figure;
export function surface(f: FnVec, ranges: Ranges, opts?: GridOptions): Figure;
export function surface(f: Fn2 | FnVec, ranges: Ranges, opts: GridOptions = {}): Figure {
  if (typeof f !== "function") throw new TypeError(`plot.surface: f must be a function (x, y) => number, got ${describe(f)}`);
  checkRanges(ranges, "plot.surface");
  const grid = evalGrid(pointEvaluator(f), ranges, { ...opts, resolution: opts.resolution ?? 40 });
  const trace = gridTrace("surface", grid, opts.levels ?? 10, opts.zLabel);
  const layout = baseLayout({ ...opts, height: opts.height ?? 520 }, { xLabel: "x", yLabel: "y" });
  const zTitle = trace.colorbar?.title.text ?? "f";
  layout.scene = { xaxis: { title: { text: opts.xLabel ?? "x" } }, yaxis: { title: { text: opts.yLabel ?? "y" } }, zaxis: { title: { text: zTitle } } };
  layout.xaxis = { ...layout.xaxis, range: ranges.x };
  layout.yaxis = { ...layout.yaxis, range: ranges.y };
  layout.meta = { note: `static view: from above${grid.logZ ? `, colour ${zTitle}` : ""}` };
  const [lo, hi] = finiteExtent(grid.z.flat()) ?? [NaN, NaN];
  const summary = `${headline("Surface", opts.title)} of f over x in [${ranges.x.join(", ")}], y in [${ranges.y.join(", ")}]` +
    `\n  ${zTitle} in [${formatNumber(lo)}, ${formatNumber(hi)}]`;
  return new Figure({ data: [trace], layout }, summary);
}
