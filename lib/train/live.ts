// The one seam between fit and the display layer: the live loss curve + progress bar of lib/display.
import { liveTraining as displayLiveTraining } from "../display/live.js";

export interface LiveTraining { push(step: number, loss: number): void; done(): void }

/** fit numbers steps from 1; the display counts from 0 (it shows step + 1 in the progress bar). */
export function liveTraining(options: { title: string; totalSteps: number }): LiveTraining {
  const live = displayLiveTraining(options);
  return { push: (step, loss) => live.push(step - 1, loss), done: () => live.done() };
}
