// plot.animatePath: optimizer paths drawn step by step over the contours of f, with Play/Pause and a step slider.
import { Figure } from "./figure.js";
import type { Frame, ScatterTrace } from "./figure_spec.js";
import { withControls } from "./frame_controls.js";
import { describe } from "./inputs.js";
import { downsampleIndices, round6 } from "./numbers.js";
import { contour, trajectoryList, type ContourOptions, type Fn2, type FnVec, type Ranges } from "./plot_grid.js";

export interface AnimatePathOptions extends Omit<ContourOptions, "trajectories"> {
  /** Most frames (default 60); a longer path is shown every few steps. */
  frames?: number;
  /** Milliseconds per frame while playing (default 100). */
  frameMs?: number;
}

/** Points kept over all frames together: each frame repeats the path so far, so the JSON grows with frames x points. */
const ANIMATION_POINT_BUDGET = 20000;

/**
 * `plot.animatePath(f, ranges, {adam: path, sgd: path2})`: the contour plot of `plot.contour` with the paths growing
 * one step per frame. Play runs through the steps, the slider jumps to any step; both work without a kernel. The
 * figure's own data (and so its static image) shows the finished paths.
 */
export function animatePath(f: Fn2, ranges: Ranges, trajectories: unknown, opts?: AnimatePathOptions): Figure;
export function animatePath(f: FnVec, ranges: Ranges, trajectories: unknown, opts?: AnimatePathOptions): Figure;
export function animatePath(f: Fn2 | FnVec, ranges: Ranges, trajectories: unknown, opts: AnimatePathOptions = {}): Figure {
  const paths = trajectoryList(trajectories);
  if (paths.length === 0) throw new TypeError(`plot.animatePath: expected at least one path, got ${describe(trajectories)}`);
  for (const p of paths) if (p.points.length === 0) throw new RangeError(`plot.animatePath: path "${p.name}" has no points`);
  const still = contour(f as Fn2, ranges, { ...opts, trajectories: paths });
  // contour() puts each path's line and end marker last, in path order.
  const base = still.data.length - 2 * paths.length;
  const styleOf = (i: number) => [still.data[base + 2 * i] as ScatterTrace, still.data[base + 2 * i + 1] as ScatterTrace] as const;

  const longest = Math.max(...paths.map((p) => p.points.length));
  const count = Math.max(1, Math.min(Math.round(opts.frames ?? 60), longest));
  const steps = Array.from({ length: count }, (_, k) => (count === 1 ? longest - 1 : Math.round((k * (longest - 1)) / (count - 1))));
  const perPath = Math.max(60, Math.floor((2 * ANIMATION_POINT_BUDGET) / (count * paths.length)));
  // One choice of points per path for every frame, so a path does not change shape as it grows.
  const kept = paths.map((p) => downsampleIndices(p.points.map((q) => q[1]), perPath));
  const tracesAt = (step: number): ScatterTrace[] =>
    paths.flatMap((p, i) => {
      const [line, end] = styleOf(i);
      const last = Math.min(step, p.points.length - 1);
      const idx = (kept[i] as number[]).filter((j) => j < last).concat(last);
      const at = (j: number) => p.points[j] as [number, number];
      return [
        { ...line, x: idx.map((j) => round6(at(j)[0])), y: idx.map((j) => round6(at(j)[1])) },
        { ...end, x: [round6(at(last)[0])], y: [round6(at(last)[1])] },
      ];
    });
  const traces = paths.flatMap((_, i) => [base + 2 * i, base + 2 * i + 1]);
  const frames: Frame[] = steps.map((s) => ({ name: String(s), data: tracesAt(s), traces }));
  const data = [...still.data.slice(0, base), ...(frames[frames.length - 1] as Frame).data];
  const layout = withControls(still.layout, frames, steps.map(String), {
    prefix: "step ", active: count - 1, play: true, frameMs: opts.frameMs ?? 100, redraw: true,
  });
  const summary = `${still.summary}\n  animated: ${count} frames over steps 0 to ${longest - 1} (Play/Pause, step slider)`;
  return new Figure({ data, layout, frames }, summary.replace(/^Contour plot/, "Animated contour plot"));
}
