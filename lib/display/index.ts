// lib/display public surface: figures (plot.*), live plots and progress, computation graphs, tensor/checkGrad tables.
export { plot } from "./plot.js";
export type { AnimatePathOptions, ContourOptions, GradientFieldOptions, GridOptions, Ranges, Fn2, FnVec, HistogramOptions, LineOptions, LossCurveOptions, SeriesInput, SweepOptions } from "./plot.js";
export { Figure, figureBundle } from "./figure.js";
export type { FigureSpec, Frame, Trace, Layout } from "./figure_spec.js";
export { livePlot, LivePlot, liveTraining, LiveTraining } from "./live.js";
export type { LivePlotOptions, LiveTrainingOptions } from "./live.js";
export { progress, Progress, progressBundle } from "./progress.js";
export type { ProgressOptions, ProgressState } from "./progress.js";
export { graph, toDot, graphBundle, GraphFigure } from "./graph.js";
export type { Graph, GraphNode, GraphEdge, GraphValue, DotOptions } from "./graph.js";
export { loadGraphviz } from "./graphviz.js";
export { tensorBundle } from "./tensor.js";
export { checkGradBundle } from "./check_grad.js";
export { DISPLAY, PLOTLY_MIME } from "./mime.js";
export type { MimeBundle, Displayable, DisplayHook } from "./mime.js";
