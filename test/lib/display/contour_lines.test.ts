// Contour lines checked against the level sets they trace: circles, a plane, a saddle's hyperbolas, a NaN hole.
import { describe, expect, it } from "vitest";
import { contourLines, type Line } from "../../../lib/display/contour_lines.js";

const linspace = (a: number, b: number, n: number): number[] => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const grid = (xs: number[], ys: number[], f: (x: number, y: number) => number): number[][] => ys.map((y) => xs.map((x) => f(x, y)));
const bowl = (x: number, y: number): number => x * x + y * y;
const points = (lines: Line[]): [number, number][] => lines.flat();
const closed = (l: Line): boolean => l[0]![0] === l[l.length - 1]![0] && l[0]![1] === l[l.length - 1]![1];
const length = (l: Line): number => l.slice(1).reduce((s, [a, b], i) => s + Math.hypot(a - l[i]![0], b - l[i]![1]), 0);

describe("contourLines", () => {
  it("the level r² of x² + y² is one closed circle of radius r", () => {
    const xs = linspace(-2, 2, 41);
    const lines = contourLines(xs, xs, grid(xs, xs, bowl), 1);
    expect(lines).toHaveLength(1);
    expect(closed(lines[0]!)).toBe(true);
    for (const [x, y] of points(lines)) expect(Math.abs(Math.hypot(x, y) - 1)).toBeLessThan(0.01);
    expect(length(lines[0]!)).toBeCloseTo(2 * Math.PI, 1);
  });

  it("maps grid indices to the coordinates of a non-uniform grid", () => {
    const xs = linspace(-1, 1, 31).map((t) => 2 * t * t * t);
    const ys = linspace(-1.5, 1.5, 25);
    const lines = contourLines(xs, ys, grid(xs, ys, bowl), 1);
    expect(lines).toHaveLength(1);
    // Coarse cells near x = ±1 bound the error by the interpolation across the widest cell there.
    for (const [x, y] of points(lines)) expect(Math.abs(Math.hypot(x, y) - 1)).toBeLessThan(0.05);
    const angles = points(lines).map(([x, y]) => Math.atan2(y, x));
    expect(Math.min(...angles)).toBeLessThan(-3);
    expect(Math.max(...angles)).toBeGreaterThan(3);
  });

  it("lines end on the grid's edge, not along it: a plane gives one straight open line", () => {
    const xs = linspace(-1, 1, 11);
    const lines = contourLines(xs, xs, grid(xs, xs, (x) => x), 0.33);
    expect(lines).toHaveLength(1);
    for (const [x] of lines[0]!) expect(x).toBeCloseTo(0.33, 10);
    expect(lines[0]!.map(([, y]) => y).sort((a, b) => a - b)).toEqual(xs);
  });

  it("a circle wider than the grid leaves four arcs inside it", () => {
    const xs = linspace(-1, 1, 41);
    const lines = contourLines(xs, xs, grid(xs, xs, bowl), 1.2 * 1.2);
    expect(lines).toHaveLength(4);
    for (const [x, y] of points(lines)) {
      expect(Math.abs(Math.hypot(x, y) - 1.2)).toBeLessThan(0.01);
      expect(Math.max(Math.abs(x), Math.abs(y))).toBeLessThanOrEqual(1);
    }
    for (const l of lines) expect(closed(l)).toBe(false);
  });

  it("a saddle's levels are two hyperbola branches that do not meet", () => {
    const xs = linspace(-1, 1, 21);
    const z = grid(xs, xs, (x, y) => x * x - y * y);
    const right = contourLines(xs, xs, z, 0.25);
    expect(right).toHaveLength(2);
    expect(right.map((l) => l.every(([x]) => x > 0) || l.every(([x]) => x < 0))).toEqual([true, true]);
    for (const [x, y] of points(right)) expect(Math.abs(Math.sqrt(0.25 + y * y) - Math.abs(x))).toBeLessThan(0.02);
    const up = contourLines(xs, xs, z, -0.25);
    expect(up).toHaveLength(2);
    expect(up.map((l) => l.every(([, y]) => y > 0) || l.every(([, y]) => y < 0))).toEqual([true, true]);
  });

  it("cells with a NaN, infinite or missing corner get no line; the rest of the level is unchanged", () => {
    const xs = linspace(-1, 1, 21);
    const full = contourLines(xs, xs, grid(xs, xs, bowl), 0.25);
    for (const hole of [NaN, Infinity, null]) {
      const z: (number | null)[][] = grid(xs, xs, bowl);
      z[10]![15] = hole; // the sample at (0.5, 0), on the circle of radius 0.5
      const lines = contourLines(xs, xs, z, 0.25);
      expect(lines).toHaveLength(1);
      expect(closed(lines[0]!)).toBe(false);
      for (const [x, y] of points(lines)) {
        expect(Math.abs(Math.hypot(x, y) - 0.5)).toBeLessThan(0.02);
        expect(x > 0.4 && x < 0.6 && Math.abs(y) < 0.1 - 1e-9).toBe(false); // none inside the four cells around the hole
      }
      expect(length(lines[0]!)).toBeGreaterThan(length(full[0]!) - 0.45);
    }
  });

  it("a value equal to the level is not above it, as in plotly: a plateau at the level draws nothing, a valley two lines", () => {
    const xs = [0, 1, 2, 3];
    expect(contourLines(xs, xs, grid(xs, xs, (x) => (x === 1 || x === 2 ? 1 : 0)), 1)).toEqual([]);
    const valley = contourLines(xs, xs, grid(xs, xs, (x) => (x === 1 || x === 2 ? 1 : 2)), 1);
    expect(valley.map((l) => l.map(([x]) => x)).sort()).toEqual([[1, 1, 1, 1], [2, 2, 2, 2]]);
  });

  it("grids with fewer than two samples along an axis have no lines", () => {
    expect(contourLines([0], [0, 1], [[0], [1]], 0.5)).toEqual([]);
  });
});
