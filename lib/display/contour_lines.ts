// Marching squares: iso-lines of a grid z[row][col] over coordinates x[col], y[row], as line segments per level.
import type { Num } from "./figure_spec.js";

/** Segments [x1, y1, x2, y2] (data coordinates) of the iso-line z = level. */
export type Segment = [number, number, number, number];

// Edges of a cell, corners numbered 0:(i,j) 1:(i+1,j) 2:(i+1,j+1) 3:(i,j+1) with i along x and j along y.
// For each 4-bit case (bit k set when corner k is above the level) the list of edge pairs that the line crosses.
// Edge e joins corner e and corner (e+1)%4. Saddles (5, 10) are resolved with the cell centre value below.
const CASES: readonly (readonly [number, number][])[] = [
  [], [[3, 0]], [[0, 1]], [[3, 1]], [[1, 2]], [[3, 0], [1, 2]], [[0, 2]], [[3, 2]],
  [[2, 3]], [[0, 2]], [[0, 1], [2, 3]], [[1, 2]], [[1, 3]], [[0, 1]], [[3, 0]], [],
];

function crossing(
  edge: number, level: number, xs: readonly number[], ys: readonly number[], zs: readonly number[],
): [number, number] {
  const a = edge;
  const b = (edge + 1) % 4;
  const za = zs[a] as number;
  const zb = zs[b] as number;
  const t = zb === za ? 0.5 : (level - za) / (zb - za);
  return [
    (xs[a] as number) + t * ((xs[b] as number) - (xs[a] as number)),
    (ys[a] as number) + t * ((ys[b] as number) - (ys[a] as number)),
  ];
}

/** Iso-line segments of z at `level`; cells with a non-finite corner are skipped. */
export function contourSegments(x: readonly Num[], y: readonly Num[], z: readonly (readonly Num[])[], level: number): Segment[] {
  const segments: Segment[] = [];
  for (let j = 0; j + 1 < y.length; j++) {
    const row0 = z[j] as readonly Num[];
    const row1 = z[j + 1] as readonly Num[];
    for (let i = 0; i + 1 < x.length; i++) {
      const zs = [row0[i], row0[i + 1], row1[i + 1], row1[i]];
      if (zs.some((v) => v === null || v === undefined || !Number.isFinite(v))) continue;
      const zv = zs as number[];
      let code = 0;
      zv.forEach((v, k) => {
        if (v > level) code |= 1 << k;
      });
      if (code === 0 || code === 15) continue;
      let pairs = CASES[code] as readonly [number, number][];
      const centreAbove = (zv[0]! + zv[1]! + zv[2]! + zv[3]!) / 4 > level;
      if (code === 5 && centreAbove) pairs = [[0, 1], [2, 3]];
      if (code === 10 && centreAbove) pairs = [[3, 0], [1, 2]];
      const xs = [x[i], x[i + 1], x[i + 1], x[i]] as number[];
      const ys = [y[j], y[j], y[j + 1], y[j + 1]] as number[];
      for (const [e1, e2] of pairs) {
        const p = crossing(e1, level, xs, ys, zv);
        const q = crossing(e2, level, xs, ys, zv);
        segments.push([p[0], p[1], q[0], q[1]]);
      }
    }
  }
  return segments;
}

/** Evenly spaced levels strictly inside [lo, hi] (plotly's {start, end, size} form). */
export function contourLevels(lo: number, hi: number, count = 12): { start: number; end: number; size: number } {
  const size = hi > lo ? (hi - lo) / (count + 1) : 1;
  const r = (v: number): number => Number(v.toPrecision(6));
  return { start: r(lo + size), end: r(hi - size), size: r(size) };
}

/**
 * Chains segments that share endpoints (compared by `key`, e.g. rounded pixel text) into polylines, which roughly
 * halves the SVG path size of a contour plot. Returns point lists.
 */
export function joinSegments<P>(segments: readonly [P, P][], key: (p: P) => string): P[][] {
  const byEnd = new Map<string, number[]>();
  segments.forEach(([a, b], i) => {
    for (const p of [a, b]) {
      const k = key(p);
      const list = byEnd.get(k);
      if (list) list.push(i);
      else byEnd.set(k, [i]);
    }
  });
  const used = new Uint8Array(segments.length);
  const next = (p: P): P | undefined => {
    for (const i of byEnd.get(key(p)) ?? []) {
      if (used[i]) continue;
      used[i] = 1;
      const [a, b] = segments[i]!;
      return key(a) === key(p) ? b : a;
    }
    return undefined;
  };
  const lines: P[][] = [];
  segments.forEach(([a, b], i) => {
    if (used[i]) return;
    used[i] = 1;
    const forward: P[] = [a, b];
    for (let p = next(b); p !== undefined; p = next(p)) forward.push(p);
    const backward: P[] = [];
    for (let p = next(a); p !== undefined; p = next(p)) backward.push(p);
    lines.push([...backward.reverse(), ...forward]);
  });
  return lines;
}
