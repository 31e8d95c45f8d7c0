// When other processes take the cores, kernels stop splitting work across threads; this process's own work (its
// worker threads, the native BLAS's spinning threads) must never count as such a process.
import { describe, expect, it } from "vitest";
import { BusyJudge } from "../../../lib/backend/pool.js";

/**
 * Samples every 200 ms over `seconds`, with this process using `own` cores and other processes `others`: the load
 * average as Linux computes it (updated every 5 s, one-minute decay), starting from `load0`. Returns the last verdict.
 */
function simulate(judge: BusyJudge, state: { ms: number; cpu: number; load: number }, seconds: number, own: number,
  others: number): boolean {
  let verdict = false;
  for (let t = 0; t < seconds * 5; t++) {
    state.ms += 200;
    state.cpu += own * 200 * 1000;
    if (state.ms % 5000 === 0) {
      const keep = Math.exp(-5 / 60);
      state.load = state.load * keep + (own + others) * (1 - keep);
    }
    verdict = judge.busy(state.ms, state.cpu, state.load);
  }
  return verdict;
}

describe("BusyJudge (2 cores)", () => {
  const start = () => ({ judge: new BusyJudge(2, 0, 0), state: { ms: 0, cpu: 0, load: 0 } });

  it("this process alone, all threads busy and more (spinning BLAS threads): not busy", () => {
    const { judge, state } = start();
    expect(simulate(judge, state, 300, 2, 0)).toBe(false);
    expect(simulate(judge, state, 300, 3.5, 0)).toBe(false);
  });

  it("other processes on both cores: busy, whether this process works or idles", () => {
    const { judge, state } = start();
    expect(simulate(judge, state, 300, 0, 2)).toBe(true);
    expect(simulate(judge, state, 300, 2, 2)).toBe(true);
  });

  it("one other process on one core beside this one's two threads: not busy; then it goes away and returns", () => {
    const { judge, state } = start();
    expect(simulate(judge, state, 300, 2, 0.8)).toBe(false);
    expect(simulate(judge, state, 300, 1, 2.5)).toBe(true);
    expect(simulate(judge, state, 300, 1, 0)).toBe(false);
  });
});
