// When other processes take the cores, kernels stop splitting work across threads; this process's own work (its
// worker threads, the native BLAS's spinning threads) must never count as such a process, nor one that has ended.
import { describe, expect, it } from "vitest";
import { BusyJudge } from "../../../lib/backend/pool.js";

interface Machine { ms: number; cpu: number; load: number; hostBusy: number }

/**
 * Samples every 200 ms over `seconds`, with this process using `own` cores and other processes `others`: the load
 * average as Linux computes it (updated every 5 s, one-minute decay) and the host's CPU counters (busy time summed over
 * its CPUs, in 10 ms ticks). `share` scales the others' time to the CPUs this process may use. Returns every verdict.
 */
function simulate(judge: BusyJudge, m: Machine, seconds: number, own: number, others: number): boolean[] {
  const verdicts: boolean[] = [];
  for (let t = 0; t < seconds * 5; t++) {
    m.ms += 200;
    m.cpu += own * 200 * 1000;
    m.hostBusy += (own + others) * 200;
    if (m.ms % 5000 === 0) {
      const keep = Math.exp(-5 / 60);
      m.load = m.load * keep + (own + others) * (1 - keep);
    }
    verdicts.push(judge.busy(m.ms, m.cpu, m.load, Math.floor(m.hostBusy / 10) * 10));
  }
  return verdicts;
}

const last = (v: boolean[]): boolean => v[v.length - 1]!;

describe("BusyJudge (2 cores)", () => {
  /** A process starting on a machine whose load average is `load` (what earlier work left). */
  const start = (load = 0, share = 1) => {
    const m: Machine = { ms: 0, cpu: 0, load, hostBusy: 0 };
    return { judge: new BusyJudge(2, share, 0, 0, 0), m };
  };

  it("this process alone, all threads busy and more (spinning BLAS threads): not busy", () => {
    const { judge, m } = start();
    expect(simulate(judge, m, 300, 2, 0)).not.toContain(true);
    expect(simulate(judge, m, 300, 3.5, 0)).not.toContain(true);
  });

  it("other processes on both cores: busy, whether this process works or idles", () => {
    const { judge, m } = start();
    expect(last(simulate(judge, m, 300, 0, 2))).toBe(true);
    expect(simulate(judge, m, 300, 2, 2).slice(5)).not.toContain(false);
  });

  it("one other process on one core beside this one's two threads: not busy; then it goes away and returns", () => {
    const { judge, m } = start();
    expect(last(simulate(judge, m, 300, 2, 0.8))).toBe(false);
    expect(last(simulate(judge, m, 300, 1, 2.5))).toBe(true);
    expect(last(simulate(judge, m, 300, 1, 0))).toBe(false);
  });

  it("work that ended before this process started (the load average still high) does not count after the first sample", () => {
    const { judge, m } = start(2.8);
    const verdicts = simulate(judge, m, 60, 1, 0);
    // The load average alone would keep the answer "busy" for about a minute here: 2.8 decays below 1 + our share late.
    expect(m.load - 1).toBeGreaterThan(0.5);
    expect(verdicts.slice(1)).not.toContain(true);
  });

  it("work that ended in the middle of this process's run stops counting at the next sample", () => {
    const { judge, m } = start();
    expect(last(simulate(judge, m, 120, 1, 2))).toBe(true);
    const after = simulate(judge, m, 10, 1, 0);
    expect(after.slice(1)).not.toContain(true);
  });

  it("on a host with four times our CPUs, the others' time counts for our share of them", () => {
    const { judge, m } = start(0, 0.25);
    // Six busy host CPUs are 1.5 of ours; two are 0.5, half the one core we would split onto: not busy.
    expect(last(simulate(judge, m, 300, 1, 6))).toBe(true);
    expect(last(simulate(judge, m, 300, 1, 2))).toBe(false);
  });
});
