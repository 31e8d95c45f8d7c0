// Live plots for training loops. In the gradlab kernel one output is shown and updated in place (throttled); outside
// the kernel pushes are only recorded. Helper API for loops such as nn's `fit`:
//
//   const live = liveTraining({ title: "MLP", totalSteps: 1000 });   // progress bar + live loss curve
//   for (...) live.push(step, loss, { val: valLoss });                // cheap: records, renders at most 5x per second
//   live.done();                                                      // final update: full figure incl. static SVG
import { Figure } from "./figure.js";
import { DISPLAY, type MimeBundle } from "./mime.js";
import { lossCurve } from "./plot_lines.js";
import { Progress } from "./progress.js";
import type { CommonOptions } from "./series.js";
import { LiveOutput, type LiveOutputOptions } from "./throttle.js";

/** A growable (x, y) series in typed arrays, so 100,000 pushes allocate a few buffers only. */
class SeriesBuffer {
  x: Float64Array = new Float64Array(256);
  y: Float64Array = new Float64Array(256);
  length = 0;

  push(x: number, y: number): void {
    if (this.length === this.x.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.x = grow(this.x);
      this.y = grow(this.y);
    }
    this.x[this.length] = x;
    this.y[this.length] = y;
    this.length++;
  }
}

export interface LivePlotOptions extends CommonOptions, LiveOutputOptions {}

/** A live line chart: `push(x, y, series?)` records a point; the output updates at most every 200 ms. */
export class LivePlot {
  private readonly series = new Map<string, SeriesBuffer>();
  private readonly output: LiveOutput;

  constructor(private readonly opts: LivePlotOptions = {}) {
    this.output = new LiveOutput(() => this.figure().bundle(), opts);
  }

  /** The display id of the live output (for tests and for the kernel's update_display_data). */
  get id(): string {
    return this.output.id;
  }

  push(x: number, y: number, series = "loss"): void {
    let buf = this.series.get(series);
    if (!buf) this.series.set(series, (buf = new SeriesBuffer()));
    buf.push(x, y);
    this.output.touch();
  }

  /** Number of points recorded in a series. */
  count(series = "loss"): number {
    return this.series.get(series)?.length ?? 0;
  }

  /** The figure as it stands (all points recorded so far, downsampled for display). */
  figure(): Figure {
    const runs = [...this.series].map(([name, b]) => ({
      name,
      step: b.x.subarray(0, b.length),
      loss: b.y.subarray(0, b.length),
    }));
    const { now: _n, intervalMs: _i, ...plotOpts } = this.opts;
    return lossCurve(runs, { title: "Training", yLabel: this.opts.logY ? "value (log scale)" : "value", ...plotOpts });
  }

  /** Final update with the complete figure (what a saved notebook keeps). */
  done(): void {
    this.output.close();
  }

  [DISPLAY](): MimeBundle {
    return this.figure().bundle();
  }
}

export function livePlot(opts: LivePlotOptions = {}): LivePlot {
  return new LivePlot(opts);
}

export interface LiveTrainingOptions extends LivePlotOptions {
  /** Total number of steps, for the progress bar's percentage and ETA. */
  totalSteps?: number;
}

/** Progress bar plus live loss curve, as two outputs updated in place. See the file header for usage. */
export class LiveTraining {
  readonly plot: LivePlot;
  readonly progress: Progress;

  constructor(opts: LiveTrainingOptions = {}) {
    const { totalSteps, ...plotOpts } = opts;
    const progressOpts: ConstructorParameters<typeof Progress>[0] = {};
    if (totalSteps !== undefined) progressOpts.total = totalSteps;
    if (opts.title !== undefined) progressOpts.title = opts.title;
    if (opts.now !== undefined) progressOpts.now = opts.now;
    if (opts.intervalMs !== undefined) progressOpts.intervalMs = opts.intervalMs;
    this.progress = new Progress(progressOpts);
    this.plot = new LivePlot({ title: "Loss", ...plotOpts, yLabel: opts.yLabel ?? (opts.logY ? "loss (log scale)" : "loss") });
  }

  /** Records step/loss (and extra series such as {val: 0.3}); step counts from 0, so progress shows step + 1. */
  push(step: number, loss: number, extra?: Record<string, number>): void {
    this.progress.update(step + 1, extra ? { loss, ...extra } : { loss });
    this.plot.push(step, loss, "loss");
    if (extra) for (const [k, v] of Object.entries(extra)) this.plot.push(step, v, k);
  }

  done(): void {
    this.progress.done();
    this.plot.done();
  }
}

export function liveTraining(opts: LiveTrainingOptions = {}): LiveTraining {
  return new LiveTraining(opts);
}
