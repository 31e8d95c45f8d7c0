// The thread choice for native BLAS products: both ways measured first, then the faster, with ever rarer probes.
import { describe, expect, it } from "vitest";
import { BlasThreadChoice } from "../../../lib/backend/blas_threads.js";

/** The threads of `calls` successive calls when one thread does `solo` and all threads `all` multiply-adds per ms. */
function run(choice: BlasThreadChoice, calls: number, solo: number, all: number, key = "f32"): number[] {
  const picked: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = choice.choose(key, 2);
    picked.push(t);
    choice.record(key, t, 1e6, 1e6 / (t > 1 ? all : solo));
  }
  return picked;
}

const count = (xs: number[], v: number) => xs.filter((x) => x === v).length;

describe("BlasThreadChoice", () => {
  it("one thread wanted: always one", () => {
    expect(new BlasThreadChoice().choose("f64", 1)).toBe(1);
  });

  it("measures both ways (a first call each uncounted), then uses all threads while faster, probing one ever more rarely", () => {
    const picked = run(new BlasThreadChoice(8), 60, 100, 190);
    expect(picked.slice(0, 5)).toEqual([2, 2, 1, 1, 2]);
    // the two measuring calls, then probes after 8 calls, 16 more and 32 more (each lost)
    expect(count(picked, 1)).toBe(5);
  });

  it("a slow first call (the library starting its threads) does not keep products on one thread", () => {
    const choice = new BlasThreadChoice(8);
    choice.record("f64", 2, 1e6, 1e6 / 5);
    const picked = run(choice, 40, 100, 150, "f64");
    expect(count(picked.slice(-30), 2)).toBeGreaterThanOrEqual(27);
  });

  it("falls back to one thread when splitting stops paying (a busy machine), and returns when it pays again", () => {
    const choice = new BlasThreadChoice(8);
    run(choice, 20, 100, 190);
    const busy = run(choice, 60, 100, 40);
    expect(count(busy.slice(-40), 2)).toBeLessThanOrEqual(3);
    const free = run(choice, 100, 100, 190);
    expect(count(free.slice(-20), 1)).toBeLessThanOrEqual(1);
  });

  it("keeps each dtype apart", () => {
    const choice = new BlasThreadChoice();
    for (let i = 0; i < 2; i++) {
      choice.record("f32", 2, 1e6, 1);
      choice.record("f32", 1, 1e6, 2);
    }
    expect(choice.choose("f32", 2)).toBe(2);
    expect(choice.choose("f64", 2)).toBe(2);
  });
});
