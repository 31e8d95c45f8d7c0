// The thread choice for native BLAS products: both ways measured first, then the faster, with periodic probes.
import { describe, expect, it } from "vitest";
import { BlasThreadChoice } from "../../../lib/backend/blas_threads.js";

/** The threads of `calls` successive calls when one thread does `solo` and all threads `all` multiply-adds per ms. */
function run(choice: BlasThreadChoice, calls: number, solo: number, all: number): number[] {
  const picked: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = choice.choose("f32", 2);
    picked.push(t);
    choice.record("f32", t, 1e6, 1e6 / (t > 1 ? all : solo));
  }
  return picked;
}

describe("BlasThreadChoice", () => {
  it("one thread wanted: always one", () => {
    expect(new BlasThreadChoice().choose("f64", 1)).toBe(1);
  });

  it("uses all threads while they are faster, probing one thread every 8th call", () => {
    const picked = run(new BlasThreadChoice(8), 50, 100, 190);
    expect(picked.slice(0, 2)).toEqual([2, 1]);
    expect(picked.filter((t) => t === 1).length).toBe(1 + Math.floor(48 / 8));
  });

  it("falls back to one thread when splitting stops paying (a busy machine), and returns when it pays again", () => {
    const choice = new BlasThreadChoice(8, 0.5);
    run(choice, 20, 100, 190);
    const busy = run(choice, 40, 100, 40);
    expect(busy.slice(-30).filter((t) => t === 2).length).toBeLessThanOrEqual(4);
    const free = run(choice, 40, 100, 190);
    expect(free.slice(-30).filter((t) => t === 2).length).toBeGreaterThanOrEqual(26);
  });

  it("keeps each dtype apart", () => {
    const choice = new BlasThreadChoice();
    choice.record("f32", 2, 1e6, 1);
    choice.record("f32", 1, 1e6, 2);
    expect(choice.choose("f32", 2)).toBe(2);
    expect(choice.choose("f64", 2)).toBe(2);
  });
});
