// fit's loop contract: reproducible from its seed, onStep can stop it, history shapes, option checks.
import { describe, expect, it } from "vitest";
import { rng } from "../../../lib/index.js";
import { Linear, MLP, SGD, Adam, LBFGS, fit, datasets } from "../../../lib/index.js";

const data = datasets.linearData(50, { weights: [1, 2], bias: -1, noise: 0.3, rng: rng(0) });

describe("fit", () => {
  it("is reproducible: the same seeds give the same history", () => {
    const run = () => fit(new MLP([2, 4, 1], { rng: rng(1) }), data, {
      optimizer: new Adam({ lr: 0.01 }), epochs: 3, batchSize: 8, rng: rng(2), display: false,
    });
    const a = run(), b = run();
    expect(a.loss).toEqual(b.loss);
    expect(a.steps).toBe(3 * Math.ceil(50 / 8));
    expect(a.epochLoss.length).toBe(3);
    const c = fit(new MLP([2, 4, 1], { rng: rng(1) }), data, {
      optimizer: new Adam({ lr: 0.01 }), epochs: 3, batchSize: 8, rng: rng(3), display: false,
    });
    expect(c.loss).not.toEqual(a.loss);
  });

  it("onStep sees every step and can stop training", () => {
    const seen: number[] = [];
    const h = fit(new Linear(2, 1), data, {
      optimizer: new SGD({ lr: 0.1 }), epochs: 10, display: false,
      onStep: ({ step, epoch, loss, gradNorm }) => {
        expect(Number.isFinite(loss) && gradNorm >= 0 && epoch === step).toBe(true);
        seen.push(step);
        return step < 4;
      },
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(h.steps).toBe(4);
    expect(h.loss.length).toBe(4);
    expect(h.gradNorm.length).toBe(4);
  });

  it("updates the model's parameters (full-batch SGD lowers the loss every step on a convex problem)", () => {
    const model = new Linear(2, 1, { rng: rng(4) });
    const before = model.params.weight;
    const h = fit(model, data, { optimizer: new SGD({ lr: 0.05 }), epochs: 20, display: false });
    expect(model.params.weight).not.toBe(before);
    h.loss.slice(1).forEach((l, i) => expect(l).toBeLessThan(h.loss[i]!));
  });

  it("rejects what it cannot use", () => {
    expect(() => fit(new Linear(2, 1), data, { epochs: -1 })).toThrow("fit: invalid epochs -1");
    expect(() => fit(new Linear(2, 1), { x: data.x, y: [1, 2] as never })).toThrow(
      "fit: data.y must be a Tensor, got an array (wrap it with tensor(...))",
    );
    expect(() => fit(new Linear(2, 1), data, { batchSize: 0 })).toThrow("fit: invalid batchSize 0 (must be an integer >= 1)");
    expect(() => fit(new Linear(2, 1), data, { optimizer: new LBFGS() as never })).toThrow(
      "fit: LBFGS is not a gradient transformation (init/update); use minimize() or its step(closure) instead",
    );
  });
});

describe("fit with validation data", () => {
  it("records the held-out loss after every epoch, computed with the epoch's final parameters", () => {
    const held = datasets.linearData(20, { weights: [1, 2], bias: -1, noise: 0.3, rng: rng(5) });
    const model = new Linear(2, 1, { rng: rng(6) });
    const h = fit(model, data, { optimizer: new SGD({ lr: 0.05 }), epochs: 4, validation: held, display: false });
    expect(h.valLoss.length).toBe(4);
    const pred = model.forward(held.x);
    const mseNow = Array.from(pred.data).reduce((s, p, i) => s + (p - held.y.data[i]!) ** 2, 0) / 20;
    expect(h.valLoss[3]).toBeCloseTo(mseNow, 12);
    expect(h.valLoss[3]!).toBeLessThan(h.valLoss[0]!);
  });
});
