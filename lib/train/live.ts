// The one seam between fit and the display layer: a live loss curve + progress bar handle (no-op until wired).
export interface LiveTraining { push(step: number, loss: number): void; done(): void }

export function liveTraining(_options: { title: string; totalSteps: number }): LiveTraining {
  return { push() {}, done() {} };
}
