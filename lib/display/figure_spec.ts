// The figure model: the subset of plotly's {data, layout} JSON that gradlab builds and that our SVG renderer draws.

export type Num = number | null;

export interface LineStyle {
  color?: string;
  width?: number;
  dash?: "solid" | "dash" | "dot";
}

export interface MarkerStyle {
  color?: string;
  size?: number;
  symbol?: "circle" | "square" | "x";
}

/** Lines and/or markers; `null` entries break the line (plotly's gap convention). */
export interface ScatterTrace {
  type: "scatter";
  name?: string;
  x: Num[];
  y: Num[];
  mode: "lines" | "markers" | "lines+markers";
  line?: LineStyle;
  marker?: MarkerStyle;
  showlegend?: boolean;
  opacity?: number;
}

/** Bars centred at x with the given widths (histograms are pre-binned so output stays small and exact). */
export interface BarTrace {
  type: "bar";
  name?: string;
  x: Num[];
  y: Num[];
  width: Num[];
  marker?: { color?: string };
  opacity?: number;
  showlegend?: boolean;
}

export interface ContourLevels {
  start: number;
  end: number;
  size: number;
  coloring?: "heatmap" | "lines" | "fill";
}

export interface SurfaceContours {
  z: { show: boolean; usecolormap?: boolean; project?: { z: boolean } };
}

/** A grid z[row][col] over y[row], x[col]: heatmap, contour or 3-D surface in plotly. */
export interface GridTrace {
  type: "heatmap" | "contour" | "surface";
  name?: string;
  x: Num[];
  y: Num[];
  z: Num[][];
  colorscale: "Viridis";
  /** Contour levels of a "contour" trace (plotly's form); a "surface" uses plotly's {z: {show, project}} form instead. */
  contours?: ContourLevels | SurfaceContours;
  showscale?: boolean;
  showlegend?: boolean;
  /** What the colours mean (the z quantity), shown as the colour bar's title. */
  colorbar?: { title: { text: string } };
}

export type Trace = ScatterTrace | BarTrace | GridTrace;

export interface Axis {
  title?: { text: string };
  type?: "linear" | "log";
  /** Data range; on a log axis in log10 units, as plotly wants it (the static SVG then ignores it). */
  range?: [number, number];
  /** "x" on the y axis: one unit of y spans as many pixels as one unit of x (level sets keep their true angles). */
  scaleanchor?: "x";
  scaleratio?: number;
  /** With a scaleanchor, "domain" shrinks the plot area instead of widening the requested range. */
  constrain?: "domain" | "range";
  /** "power" labels log axes 10⁻³, 10⁰, 10³ (plotly's default shows SI prefixes such as 1µ and 10f). */
  exponentformat?: "power" | "e" | "none";
}

export interface Layout {
  title?: { text: string };
  xaxis?: Axis;
  yaxis?: Axis;
  width?: number;
  height?: number;
  showlegend?: boolean;
  barmode?: "overlay";
  /** Axis titles of a plotly 3-D scene (surface plots); the static SVG ignores it. */
  scene?: { xaxis: Axis; yaxis: Axis; zaxis: Axis };
  /** Plotly legend placement (a horizontal legend above the plot keeps clear of a colour bar). */
  legend?: { orientation: "h" | "v"; x: number; y: number; yanchor: "bottom" | "top" };
  margin?: { l: number; r: number; t: number; b: number };
  /** Plotly ignores unknown keys; gradlab keeps a note here that the static rendering shows under the title. */
  meta?: { note?: string };
  /** A slider over the figure's frames (plotly draws it; the static SVG shows only the figure's own data). */
  sliders?: Slider[];
  /** Play/Pause buttons that animate the frames. */
  updatemenus?: UpdateMenu[];
}

/** What a slider step or a button does: plotly's `Plotly.animate(gd, frameNames, options)` arguments. */
export type AnimateArgs = [string[] | null | [null], {
  mode?: "immediate" | "next" | "afterall";
  fromcurrent?: boolean;
  frame: { duration: number; redraw: boolean };
  transition: { duration: number };
}];

export interface SliderStep {
  label: string;
  method: "animate";
  args: AnimateArgs;
}

export interface Slider {
  active: number;
  steps: SliderStep[];
  currentvalue: { prefix: string; visible: boolean; xanchor: "left" | "right" };
  pad: { t: number; l?: number };
  x?: number;
  len?: number;
}

export interface UpdateMenu {
  type: "buttons";
  direction: "left";
  showactive: boolean;
  x: number;
  y: number;
  xanchor: "left";
  yanchor: "top";
  pad: { t: number; r: number };
  buttons: { label: string; method: "animate"; args: AnimateArgs }[];
}

/**
 * One state of an animated figure: new versions of the traces at the indices `traces` (the other traces stay as
 * drawn). Plotly's `frames` entry, applied by the slider steps and the Play button.
 */
export interface Frame {
  name: string;
  data: Trace[];
  traces: number[];
}

export interface FigureSpec {
  data: Trace[];
  layout: Layout;
  /** Animation frames: `data` is what the static SVG and a plain plotly render show; frames replace some traces. */
  frames?: Frame[];
}
