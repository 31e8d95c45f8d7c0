// The thread pool's back-off: two lost split calls in a row turn splitting off for a time that doubles while losses
// go on and resets on a win; measured on a fake clock, so call durations cannot stretch it.
import { describe, expect, it } from "vitest";
import { SplitBackOff } from "../../../lib/backend/pool.js";

function clockedBackOff() {
  const clock = { t: 0 };
  return { clock, backOff: new SplitBackOff(() => clock.t) };
}
const lose = (b: SplitBackOff) => b.judge(10, 30, 20); // waited 20 ms for a helper; alone would have taken 20
const win = (b: SplitBackOff) => b.judge(10, 12, 20);

describe("SplitBackOff", () => {
  it("one loss is forgiven; two in a row turn splitting off for 16 ms", () => {
    const { clock, backOff } = clockedBackOff();
    lose(backOff);
    expect(backOff.active()).toBe(false);
    lose(backOff);
    expect(backOff.active()).toBe(true);
    clock.t = 15.9;
    expect(backOff.active()).toBe(true);
    clock.t = 16;
    expect(backOff.active()).toBe(false);
  });

  it("a time, not a number of calls: any number of calls during it stay unsplit, none after it", () => {
    const { clock, backOff } = clockedBackOff();
    lose(backOff);
    lose(backOff);
    for (let i = 0; i < 1000; i++) expect(backOff.active()).toBe(true);
    clock.t = 100; // one long call later
    expect(backOff.active()).toBe(false);
  });

  it("doubles while losses go on, up to about a second, and a win starts again from 16 ms", () => {
    const { clock, backOff } = clockedBackOff();
    const waits: number[] = [];
    for (let round = 0; round < 9; round++) {
      lose(backOff);
      lose(backOff);
      const from = clock.t;
      while (backOff.active()) clock.t += 1;
      waits.push(clock.t - from);
    }
    expect(waits).toEqual([16, 32, 64, 128, 256, 512, 1024, 1024, 1024]);
    win(backOff);
    lose(backOff);
    lose(backOff);
    const from = clock.t;
    while (backOff.active()) clock.t += 1;
    expect(clock.t - from).toBe(16);
  });

  it("a loss then a win is no streak", () => {
    const { backOff } = clockedBackOff();
    lose(backOff);
    win(backOff);
    lose(backOff);
    expect(backOff.active()).toBe(false);
  });
});
