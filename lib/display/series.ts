// Shared pieces of the builders: scatter traces from raw series (downsampled, rounded), common options, summaries.
import type { Axis, Layout, Num, ScatterTrace } from "./figure_spec.js";
import { downsampleIndices, finiteExtent, formatNumber, round6 } from "./numbers.js";

/** Points kept per figure (split over its series); longer series are downsampled (min/max per bucket) so a figure
 * stays well under ~200 KB in a notebook. */
export const FIGURE_POINT_BUDGET = 3000;

/** Points each of `count` series may keep. */
export function pointsPerSeries(count: number): number {
  return Math.max(300, Math.floor(FIGURE_POINT_BUDGET / Math.max(1, count)));
}

export interface CommonOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

/** Values of a series: plain numbers, or a Float64Array handed over without copying. */
export type SeriesValues = readonly number[] | Float64Array;

export interface Series {
  name?: string;
  x: SeriesValues;
  y: SeriesValues;
}

export function scatterTrace(
  s: Series, mode: ScatterTrace["mode"], extra: Partial<ScatterTrace> = {}, maxPoints = FIGURE_POINT_BUDGET / 2,
): ScatterTrace {
  const keep = downsampleIndices(s.y, maxPoints);
  const trace: ScatterTrace = {
    type: "scatter",
    x: keep.map((i) => round6(s.x[i] as number)),
    y: keep.map((i) => round6(s.y[i] as number)),
    mode,
    ...extra,
  };
  if (s.name !== undefined) trace.name = s.name;
  return trace;
}

function axis(label: string | undefined, log: boolean | undefined): Axis {
  const a: Axis = {};
  if (label) a.title = { text: label };
  if (log) {
    a.type = "log";
    a.exponentformat = "power";
  }
  return a;
}

export function baseLayout(o: CommonOptions, defaults: { title?: string; xLabel?: string; yLabel?: string } = {}): Layout {
  const layout: Layout = {
    xaxis: axis(o.xLabel ?? defaults.xLabel, o.logX),
    yaxis: axis(o.yLabel ?? defaults.yLabel, o.logY),
    width: o.width ?? 640,
    height: o.height ?? 420,
  };
  const title = o.title ?? defaults.title;
  if (title) layout.title = { text: title };
  return layout;
}

/** One line of text/plain per series: name, point count, range, last value. */
export function seriesSummary(series: readonly Series[]): string {
  return series
    .map((s, i) => {
      const ext = finiteExtent(s.y);
      const last = s.y[s.y.length - 1];
      const range = ext ? `y in [${formatNumber(ext[0])}, ${formatNumber(ext[1])}]` : "no finite values";
      const lastText = last === undefined ? "" : `, last ${formatNumber(last)}`;
      return `  ${s.name ?? `series ${i}`}: ${s.y.length} points, ${range}${lastText}`;
    })
    .join("\n");
}

export function headline(kind: string, title: string | undefined): string {
  return title ? `${kind} "${title}"` : kind;
}

export type { Num };
