// The `plot` namespace of the public API: every builder returns a Figure (plotly JSON + HTML + static SVG + text);
// animatePath and sweep add precomputed frames with a slider, explorable without a kernel.
import { animatePath } from "./plot_animate.js";
import { contour, surface } from "./plot_grid.js";
import { histogram } from "./plot_histogram.js";
import { gradNorms, line, lossCurve } from "./plot_lines.js";
import { sweep } from "./plot_sweep.js";

export const plot = { line, lossCurve, contour, surface, histogram, gradNorms, animatePath, sweep } as const;

export type { ContourOptions, GradientFieldOptions, GridOptions, Ranges, Fn2, FnVec } from "./plot_grid.js";
export type { AnimatePathOptions } from "./plot_animate.js";
export type { HistogramOptions } from "./plot_histogram.js";
export type { SweepOptions } from "./plot_sweep.js";
export type { LineOptions, LossCurveOptions, SeriesInput } from "./plot_lines.js";
