// Plotly animation controls for a figure with frames: a slider with one step per frame and, optionally, Play/Pause
// buttons. Everything is precomputed JSON, so the figure stays interactive without a kernel (HTML report, nbconvert).
import type { AnimateArgs, Frame, Layout, Slider, UpdateMenu } from "./figure_spec.js";

/** Pixels added under the plot for the slider (and buttons), so they do not cover the x axis title. */
export const CONTROLS_HEIGHT = 100;

/** Jump to one frame at once: a slider drag must follow the pointer, not queue transitions. */
function jumpTo(name: string, redraw: boolean): AnimateArgs {
  return [[name], { mode: "immediate", frame: { duration: 0, redraw }, transition: { duration: 0 } }];
}

export interface ControlOptions {
  /** Prefix of the slider's current-value label, e.g. "step " or "learning rate = ". */
  prefix: string;
  /** Index of the frame the figure's own data shows (where the slider starts). */
  active: number;
  /** Add Play/Pause buttons that run through the frames. */
  play: boolean;
  /** Milliseconds per frame while playing. */
  frameMs: number;
  /**
   * A figure with a grid trace (contour, heatmap) needs a full redraw per frame, even when only its scatter traces
   * change: plotly's redraw-free transition drops the grid. Scatter-only figures animate without one, more smoothly.
   */
  redraw: boolean;
}

/** The layout of `base` with the slider (and buttons) for `frames`, and room below the plot for them. */
export function withControls(base: Layout, frames: readonly Frame[], labels: readonly string[], o: ControlOptions): Layout {
  const slider: Slider = {
    active: o.active,
    steps: frames.map((f, i) => ({ label: labels[i] ?? f.name, method: "animate", args: jumpTo(f.name, o.redraw) })),
    currentvalue: { prefix: o.prefix, visible: true, xanchor: "left" },
    pad: o.play ? { t: 55, l: 130 } : { t: 55 },
  };
  const layout: Layout = { ...base, sliders: [slider] };
  if (o.play) {
    const menu: UpdateMenu = {
      type: "buttons", direction: "left", showactive: false, x: 0, y: 0, xanchor: "left", yanchor: "top",
      pad: { t: 87, r: 10 },
      buttons: [
        // null = all frames; fromcurrent resumes after a Pause (and restarts once the last frame was reached).
        { label: "Play", method: "animate", args: [null, { fromcurrent: true, frame: { duration: o.frameMs, redraw: o.redraw }, transition: { duration: 0 } }] },
        // [null] = no frames, immediately: plotly's idiom for stopping an animation where it is.
        { label: "Pause", method: "animate", args: [[null], { mode: "immediate", frame: { duration: 0, redraw: o.redraw }, transition: { duration: 0 } }] },
      ],
    };
    layout.updatemenus = [menu];
  }
  const m = base.margin ?? { l: 80, r: 80, t: 100, b: 80 };
  layout.margin = { ...m, b: m.b + CONTROLS_HEIGHT };
  layout.height = (base.height ?? 420) + CONTROLS_HEIGHT;
  return layout;
}
