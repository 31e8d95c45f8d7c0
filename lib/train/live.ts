// The one seam between fit and the display layer: the live loss curve + progress bar of lib/display.
import { liveTraining as displayLiveTraining } from "../display/live.js";

export interface LiveTraining {
  /** One training step's loss. */
  push(step: number, loss: number): void;
  /** Extra curves at a step (e.g. {val: 0.31} after an epoch), drawn on the same chart. */
  pushSeries(step: number, values: Record<string, number>): void;
  done(): void;
}

/** fit numbers steps from 1; the display counts from 0 (it shows step + 1 in the progress bar). */
export function liveTraining(options: { title: string; totalSteps: number }): LiveTraining {
  const live = displayLiveTraining(options);
  return {
    push: (step, loss) => live.push(step - 1, loss),
    pushSeries: (step, values) => {
      for (const [name, v] of Object.entries(values)) live.plot.push(step - 1, v, name);
    },
    done: () => live.done(),
  };
}
