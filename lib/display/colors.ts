// Colours for figures: the categorical palette for series and the viridis colour scale for heatmaps and contours.

/** Categorical colours (the D3 "category10" set, also plotly's default), cycled by series index. */
export const SERIES_COLORS: readonly string[] = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] as string;
}

// One colour per series name for the whole session: "Adam" keeps its colour from the path plot to the loss curve, so a
// reader can match series across figures. A new name takes the least used palette colour.
const byName = new Map<string, string>();

function registered(name: string): string {
  let color = byName.get(name);
  if (color === undefined) {
    const uses = SERIES_COLORS.map((c) => [...byName.values()].filter((v) => v === c).length);
    color = SERIES_COLORS[uses.indexOf(Math.min(...uses))] as string;
    byName.set(name, color);
  }
  return color;
}

/**
 * Colours for the named series of one figure: each name keeps its session colour, except that two series of the same
 * figure never share one (past ten names the palette repeats; the later series then borrows a free colour here only).
 * Unnamed series (undefined) take palette colours by position.
 */
export function colorsForNames(names: readonly (string | undefined)[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    let color = name === undefined ? seriesColor(i) : registered(name);
    if (used.has(color)) color = SERIES_COLORS.find((c) => !used.has(c)) ?? color;
    used.add(color);
    return color;
  });
}

/** Forgets the name -> colour assignments (tests that compare figures start from a clean palette). */
export function resetSeriesColors(): void {
  byName.clear();
}

// Viridis sampled at 9 evenly spaced stops; values in between are interpolated linearly in RGB.
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [71, 45, 123], [59, 82, 139], [44, 114, 142], [33, 145, 140],
  [40, 174, 128], [94, 201, 98], [173, 220, 48], [253, 231, 37],
];

/** Viridis colour for t in [0, 1] as [r, g, b] bytes (t is clamped; NaN maps to 0). */
export function viridis(t: number): [number, number, number] {
  const c = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = c * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = VIRIDIS[i] as readonly number[];
  const b = VIRIDIS[i + 1] as readonly number[];
  return [0, 1, 2].map((k) => Math.round((a[k] as number) + ((b[k] as number) - (a[k] as number)) * f)) as [
    number,
    number,
    number,
  ];
}

export function rgbHex([r, g, b]: readonly number[]): string {
  return "#" + [r, g, b].map((v) => (v as number).toString(16).padStart(2, "0")).join("");
}

/** Black or white, whichever reads better on the given background. */
export function textColorOn([r, g, b]: readonly number[]): string {
  return 0.299 * (r as number) + 0.587 * (g as number) + 0.114 * (b as number) > 140 ? "#000" : "#fff";
}
