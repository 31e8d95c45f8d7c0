// Iso-lines of a grid z[row][col] over coordinates x[col], y[row] for the static renderer, traced by d3-contour.
import { contours } from "d3-contour";
import type { Num } from "./figure_spec.js";

/** A polyline in data coordinates; closed when its last point equals its first. */
export type Line = [number, number][];

/**
 * Iso-lines of z at `level`, drawn as plotly draws a contour trace's lines: lines end where they meet the grid's edge,
 * and cells with a non-finite corner get no line.
 */
export function contourLines(x: readonly Num[], y: readonly Num[], z: readonly (readonly Num[])[], level: number): Line[] {
  const nx = x.length;
  const ny = y.length;
  if (nx < 2 || ny < 2) return [];
  // d3 counts a value equal to the level as above it, plotly as below; negating both makes the two agree.
  const values = new Array<number>(nx * ny);
  const finite = new Uint8Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = z[j]?.[i];
      const ok = v !== null && v !== undefined && Number.isFinite(v);
      finite[j * nx + i] = ok ? 1 : 0;
      values[j * nx + i] = ok ? -v : NaN;
    }
  }
  const rings = contours().size([nx, ny]).contour(values, -level).coordinates.flat();
  // d3 puts sample k at k + 0.5 and closes rings half a cell outside the grid, on the lines 0 and nx (or ny).
  const outside = ([cx, cy]: number[]): boolean => cx === 0 || cx === nx || cy === 0 || cy === ny;
  const cellOk = (p: number[], q: number[]): boolean => {
    const i = Math.min(Math.max(Math.floor((p[0]! + q[0]!) / 2 - 0.5), 0), nx - 2);
    const j = Math.min(Math.max(Math.floor((p[1]! + q[1]!) / 2 - 0.5), 0), ny - 2);
    return finite[j * nx + i]! + finite[j * nx + i + 1]! + finite[(j + 1) * nx + i]! + finite[(j + 1) * nx + i + 1]! === 4;
  };
  const toData = (c: number, coords: readonly Num[]): number => {
    const g = c - 0.5;
    const i = Math.min(Math.max(Math.floor(g), 0), coords.length - 2);
    const a = coords[i] as number;
    return a + (g - i) * ((coords[i + 1] as number) - a);
  };
  const lines: Line[] = [];
  for (const ring of rings) {
    const keep = ring.slice(1).map((q, k) => !outside(ring[k]!) && !outside(q) && cellOk(ring[k]!, q));
    // Start right after a dropped edge so no kept run wraps around the ring's seam.
    const cut = keep.indexOf(false);
    const edges = keep.length;
    let run: number[][] = [];
    const flush = (): void => {
      if (run.length > 1) lines.push(run.map(([cx, cy]) => [toData(cx!, x), toData(cy!, y)]));
      run = [];
    };
    for (let n = 0; n < edges; n++) {
      const k = (cut + 1 + n) % edges;
      if (!keep[k]) {
        flush();
        continue;
      }
      if (run.length === 0) run.push(ring[k]!);
      run.push(ring[k + 1]!);
    }
    flush();
  }
  return lines;
}

/** Evenly spaced levels strictly inside [lo, hi] (plotly's {start, end, size} form). */
export function contourLevels(lo: number, hi: number, count = 12): { start: number; end: number; size: number } {
  const size = hi > lo ? (hi - lo) / (count + 1) : 1;
  const r = (v: number): number => Number(v.toPrecision(6));
  return { start: r(lo + size), end: r(hi - size), size: r(size) };
}
