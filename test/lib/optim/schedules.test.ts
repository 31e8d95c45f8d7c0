// Learning-rate schedules and gradient clipping, checked against their formulas.
import { describe, expect, it } from "vitest";
import { tensor, type Tensor } from "../../../lib/index.js";
import {
  constantSchedule, stepDecay, exponentialDecay, cosineDecay, linearWarmup, clipByValue, clipByGlobalNorm, globalNorm,
  chain, scaleByLearningRate, applyUpdates, SGD,
} from "../../../lib/index.js";

describe("schedules", () => {
  it("constant, step, exponential", () => {
    expect([0, 5, 1000].map(constantSchedule(0.3))).toEqual([0.3, 0.3, 0.3]);
    const s = stepDecay(1, { stepSize: 10, gamma: 0.5 });
    expect([0, 9, 10, 25].map(s)).toEqual([1, 1, 0.5, 0.25]);
    const e = exponentialDecay(2, { rate: 0.5, transitionSteps: 4 });
    expect(e(0)).toBe(2);
    expect(e(4)).toBeCloseTo(1, 15);
    expect(e(2)).toBeCloseTo(2 * Math.SQRT1_2, 15);
    expect(exponentialDecay(1, { rate: 0.1, end: 0.05 })(10)).toBe(0.05);
  });

  it("cosine goes from init to alpha * init over decaySteps, then stays", () => {
    const c = cosineDecay(1, { decaySteps: 100, alpha: 0.1 });
    expect(c(0)).toBeCloseTo(1, 15);
    expect(c(50)).toBeCloseTo(0.55, 15);
    expect(c(100)).toBeCloseTo(0.1, 15);
    expect(c(500)).toBeCloseTo(0.1, 15);
  });

  it("linear warm-up composes with a decay", () => {
    const w = linearWarmup(10, cosineDecay(1, { decaySteps: 20 }));
    expect(w(0)).toBe(0);
    expect(w(5)).toBeCloseTo(0.5, 15);
    expect(w(10)).toBeCloseTo(1, 15);
    expect(w(20)).toBeCloseTo(0.5, 15);
    expect(w(30)).toBeCloseTo(0, 15);
  });

  it("scaleByLearningRate reads the schedule at the update count", () => {
    const opt = chain(scaleByLearningRate(stepDecay(1, { stepSize: 1, gamma: 0.5 })));
    let x = tensor([0]);
    let state = opt.init(x);
    const g = tensor([1]);
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      const [u, s] = opt.update(g, state, x);
      state = s;
      seen.push((u as Tensor).item());
      x = applyUpdates(x, u) as Tensor;
    }
    expect(seen).toEqual([-1, -0.5, -0.25]);
  });

  it("rejects bad arguments by name", () => {
    expect(() => stepDecay(1, { stepSize: 0 })).toThrow("stepDecay: invalid stepSize 0 (must be >= 1)");
    expect(() => cosineDecay(1, { decaySteps: -3 })).toThrow("cosineDecay: invalid decaySteps -3");
  });
});

describe("clipping", () => {
  const tree = { a: tensor([3, -4]), b: [tensor([[12]])] };

  it("by value clamps each component", () => {
    const t = clipByValue(2);
    const [u] = t.update(tree, t.init(tree));
    expect(((u as typeof tree).a).toArray()).toEqual([2, -2]);
    expect(((u as typeof tree).b[0]!).toArray()).toEqual([[2]]);
    expect(() => clipByValue(-1, 1)).toThrow("clipByValue: invalid range [1, -1]");
  });

  it("by global norm rescales all leaves together, keeping the direction", () => {
    expect(globalNorm(tree)).toBe(13);
    const t = clipByGlobalNorm(6.5);
    const [u] = t.update(tree, t.init(tree));
    const c = u as typeof tree;
    expect(c.a.toArray()).toEqual([1.5, -2]);
    expect(c.b[0]!.toArray()).toEqual([[6]]);
    expect(globalNorm(u)).toBeCloseTo(6.5, 14);
    const [same] = clipByGlobalNorm(100).update(tree, null);
    expect(globalNorm(same)).toBe(13);
  });

  it("chains in front of an optimizer class: SGD's step is lr * the clipped gradient", () => {
    const opt = chain(clipByGlobalNorm(1), new SGD({ lr: 0.5 }));
    const x = tensor([0, 0]);
    const [u] = opt.update(tensor([30, 40]), opt.init(x), x);
    expect((u as Tensor).toArray()).toEqual([-0.3, -0.4]);
  });
});
