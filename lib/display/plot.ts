// The `plot` namespace of the public API: every builder returns a Figure (plotly JSON + HTML + static SVG + text).
import { contour, surface } from "./plot_grid.js";
import { histogram } from "./plot_histogram.js";
import { gradNorms, line, lossCurve } from "./plot_lines.js";

export const plot = { line, lossCurve, contour, surface, histogram, gradNorms } as const;

export type { ContourOptions, GradientFieldOptions, GridOptions, Ranges, Fn2, FnVec } from "./plot_grid.js";
export type { HistogramOptions } from "./plot_histogram.js";
export type { LineOptions, LossCurveOptions, SeriesInput } from "./plot_lines.js";
