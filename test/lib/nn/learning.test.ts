// Learning with fixed seeds: linear regression = closed form, XOR, two moons, vanishing gradients, NaN detection.
import { describe, expect, it } from "vitest";
import { log, mean, mul, rng, sqrt, square, sub, type Tensor } from "../../../lib/index.js";
import {
  Linear, MLP, SGD, Adam, fit, datasets, accuracy, mse, binaryCrossEntropy, glorotNormal, heNormal, NonFiniteError,
} from "../../../lib/index.js";

/** Solves the normal equations [X 1]^T [X 1] beta = [X 1]^T y by Gaussian elimination (the closed form). */
function leastSquares(x: number[][], y: number[]): number[] {
  const rows = x.map((r) => [...r, 1]);
  const d = rows[0]!.length;
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d + 1 }, (_, j) =>
    rows.reduce((s, r, k) => s + r[i]! * (j < d ? r[j]! : y[k]!), 0)));
  for (let c = 0; c < d; c++) {
    const p = a.slice(c).reduce((best, r, i) => (Math.abs(r[c]!) > Math.abs(a[best]![c]!) ? i + c : best), c);
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let j = c; j <= d; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((r, i) => r[d]! / r[i]!);
}


describe("learning", () => {
  it("linear regression recovers the least-squares weights to 1e-6", () => {
    const data = datasets.linearData(200, { weights: [2, -3, 0.5], bias: 1, noise: 0.1, rng: rng(0) });
    const model = new Linear(3, 1, { rng: rng(1) });
    const history = fit(model, data, { optimizer: new SGD({ lr: 0.2 }), epochs: 400, lossFn: mse });
    const beta = leastSquares(data.x.toArray() as number[][], Array.from(data.y.data));
    const learned = [...Array.from(model.params.weight.data), ...Array.from(model.params.bias!.data)];
    learned.forEach((w, i) => expect(Math.abs(w - beta[i]!)).toBeLessThan(1e-6));
    expect(Math.abs(beta[0]! - 2)).toBeLessThan(0.05);
    expect(history.loss.length).toBe(400);
    expect(history.loss[399]!).toBeLessThan(history.loss[0]!);
  });

  it("an MLP learns XOR to 100%", () => {
    const data = datasets.xor();
    const model = new MLP([2, 8, 1], { activation: "tanh", rng: rng(2) });
    fit(model, { x: data.x, y: data.y.reshape([4, 1]) }, {
      optimizer: new Adam({ lr: 0.05 }), epochs: 300,
      lossFn: (p, t) => binaryCrossEntropy(p, t, { fromLogits: true }),
    });
    expect(accuracy(model.forward(data.x), data.y)).toBe(1);
  });

  it("an MLP learns two moons to at least 97%", () => {
    const data = datasets.twoMoons(200, { noise: 0.1, rng: rng(3) });
    const model = new MLP([2, 16, 16, 1], { activation: "tanh", rng: rng(4) });
    const history = fit(model, { x: data.x, y: data.y.reshape([200, 1]) }, {
      optimizer: new Adam({ lr: 0.02 }), epochs: 60, batchSize: 20, rng: rng(5),
      lossFn: (p, t) => binaryCrossEntropy(p, t, { fromLogits: true }),
    });
    expect(history.steps).toBe(600);
    expect(accuracy(model.forward(data.x), data.y)).toBeGreaterThanOrEqual(0.97);
  });

  it("deep sigmoid networks show vanishing per-layer gradient norms that He-initialised ReLU does not", () => {
    const x = rng(6).normal([64, 16]), y = rng(7).normal([64, 1]);
    const sizes = [16, ...Array<number>(10).fill(32), 1];
    const ratio = (model: MLP) => {
      const h = fit(model, { x, y }, { optimizer: new SGD({ lr: 0 }), epochs: 1, recordGradNorms: true, display: false });
      const layers = Object.keys(h.gradNorms);
      expect(layers).toEqual(model.namedParameters().filter(([n]) => n.endsWith("weight")).map(([n]) => n.slice(0, -".weight".length)));
      return h.gradNorms[layers[0]!]![0]! / h.gradNorms[layers[layers.length - 1]!]![0]!;
    };
    const sigmoid = ratio(new MLP(sizes, { activation: "sigmoid", init: glorotNormal, rng: rng(8) }));
    const reluHe = ratio(new MLP(sizes, { activation: "relu", init: heNormal, rng: rng(8) }));
    expect(sigmoid).toBeLessThan(1e-3);
    expect(reluHe).toBeGreaterThan(0.1);
  });

  it("stops at the first non-finite loss, naming the step and the op", () => {
    const data = { x: rng(9).normal([8, 2]), y: rng(10).normal([8, 1]) };
    const model = new Linear(2, 1, { rng: rng(11) });
    let error: unknown;
    try {
      fit(model, data, { optimizer: new SGD({ lr: 0.01 }), epochs: 3, display: false, lossFn: (p, t) => mean(log(sub(p, t))) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as Error).message).toBe('fit: the loss became NaN at step 1 (epoch 1); first non-finite value produced by op "log" in the forward pass');
    expect((error as NonFiniteError).step).toBe(1);
  });

  it("stops when only a gradient is non-finite, naming the parameters, the step and a backward-pass op", () => {
    const data = { x: rng(12).normal([8, 2]), y: rng(13).normal([8, 1]) };
    const model = new Linear(2, 1, { rng: rng(14) });
    // sqrt is not differentiable at 0: the loss stays finite once p - t hits 0 exactly, its gradient does not.
    const lossFn = (p: Tensor, t: Tensor) => mean(sqrt(square(mul(sub(p, t), stepsSeen++ < 2 ? 1 : 0))));
    let stepsSeen = 0;
    let error: unknown;
    try {
      fit(model, data, { optimizer: new SGD({ lr: 0.01 }), epochs: 5, display: false, lossFn });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as NonFiniteError).step).toBe(3);
    expect((error as Error).message).toMatch(
      /^fit: a gradient became non-finite \(weight, bias\) at step 3 \(epoch 3\); first non-finite value produced by op "\w+" in the backward pass$/,
    );
  });
});
