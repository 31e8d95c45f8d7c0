// nn layers, initializers, parameter trees and paths, losses, minibatches, and the two training styles on one engine.
import { describe, expect, it } from "vitest";
import { add, checkGrad, matmul, rng, ShapeError, tensor, ValueError, valueAndGrad, type Tensor } from "../../../lib/index.js";
import {
  Linear, MLP, Sequential, RNNCell, Tanh, Adam, applyUpdates, batches, accuracy, crossEntropy, binaryCrossEntropy, huber, mse,
  glorotUniform, glorotNormal, heUniform, heNormal,
} from "../../../lib/index.js";

const flat = (t: Tensor) => Array.from(t.data);
const std = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);

describe("layers", () => {
  it("Linear computes x @ W + b with W of shape (in, out)", () => {
    const layer = new Linear(3, 2, { rng: rng(1) });
    expect(layer.params.weight.shape).toEqual([3, 2]);
    expect(layer.params.bias!.shape).toEqual([2]);
    const x = rng(2).normal([4, 3]);
    const expected = add(matmul(x, layer.params.weight), layer.params.bias!);
    expect(flat(layer.forward(x))).toEqual(flat(expected));
    expect(() => new Linear(0, 2)).toThrow("Linear: invalid inFeatures 0 (must be an integer >= 1)");
  });

  it("MLP parameters form a tree with dotted paths", () => {
    const mlp = new MLP([2, 5, 3], { activation: "tanh", rng: rng(0) });
    expect(mlp.namedParameters().map(([name, p]) => `${name} (${p.shape.join(", ")})`)).toEqual([
      "layers.0.weight (2, 5)", "layers.0.bias (5)", "layers.2.weight (5, 3)", "layers.2.bias (3)",
    ]);
    expect(mlp.parameterCount()).toBe(2 * 5 + 5 + 5 * 3 + 3);
    expect(mlp.forward(tensor([[1, 2]])).shape).toEqual([1, 3]);
    expect(mlp.summary().split("\n")).toEqual([
      "MLP: 33 parameters",
      "parameter        shape   dtype    count",
      "layers.0.weight  (2, 5)  float64     10",
      "layers.0.bias    (5,)    float64      5",
      "layers.2.weight  (5, 3)  float64     15",
      "layers.2.bias    (3,)    float64      3",
    ]);
  });

  it("Sequential hands a new parameter tree to its layers", () => {
    const model = new Sequential([new Linear(2, 2, { rng: rng(3) }), new Tanh(), new Linear(2, 1, { rng: rng(4) })]);
    const [, grads] = (valueAndGrad((p: typeof model.params) => model.apply(p, tensor([[1, -1]])).sum()) as any)(model.params);
    expect(Object.keys(grads)).toEqual(["layers"]);
    const next = applyUpdates(model.params, grads);
    model.params = next;
    expect(model.layers[0]!.params).toBe(next.layers[0]);
  });

  it("RNNCell follows h' = tanh(x Wih + h Whh + b) and unrolls", () => {
    const cell = new RNNCell(3, 4, { rng: rng(5) });
    const r = rng(6);
    const x = r.normal([2, 3]), h = r.normal([2, 4]);
    const p = cell.params;
    const expected = add(add(matmul(x, p.weightIh), matmul(h, p.weightHh)), p.bias).tanh();
    expect(flat(cell.apply(p, x, h))).toEqual(flat(expected));
    const states = cell.unroll(p, [x, x, x]);
    expect(states.length).toBe(3);
    expect(states[2]!.shape).toEqual([2, 4]);
  });

  it("RNNCell gradients through an unrolled sequence match finite differences", () => {
    const cell = new RNNCell(2, 3, { rng: rng(15) });
    const xs = [0, 1, 2].map((k) => rng(16 + k).normal([1, 2]));
    const report = checkGrad((p: typeof cell.params) => cell.unroll(p, xs).reduce((acc, h) => acc.add(h.sum()), tensor(0)), [cell.params], { order: 1 });
    expect(report.ok).toBe(true);
  });
});

describe("initializers", () => {
  it("Glorot and He have their published scales", () => {
    const shape = [400, 200];
    const cases: [string, (t: Tensor) => number, number][] = [
      ["glorotUniform", (t) => Math.max(...flat(t).map(Math.abs)), Math.sqrt(6 / 600)],
      ["heUniform", (t) => Math.max(...flat(t).map(Math.abs)), Math.sqrt(6 / 400)],
    ];
    const gu = glorotUniform(rng(0), shape), hu = heUniform(rng(0), shape);
    expect(cases[0]![1](gu)).toBeLessThanOrEqual(cases[0]![2]);
    expect(cases[0]![1](gu)).toBeGreaterThan(0.99 * cases[0]![2]);
    expect(cases[1]![1](hu)).toBeLessThanOrEqual(cases[1]![2]);
    expect(std(flat(gu))).toBeCloseTo(Math.sqrt(2 / 600), 2);
    expect(std(flat(glorotNormal(rng(1), shape))) / Math.sqrt(2 / 600)).toBeCloseTo(1, 1);
    expect(std(flat(heNormal(rng(2), shape))) / Math.sqrt(2 / 400)).toBeCloseTo(1, 1);
    expect(flat(heNormal(rng(7), [3, 3]))).toEqual(flat(heNormal(rng(7), [3, 3])));
  });
});

describe("losses", () => {
  it("mse and huber", () => {
    const p = tensor([0, 1, 4]), t = tensor([0, 0, 0]);
    expect(mse(p, t).item()).toBeCloseTo(17 / 3, 14);
    // |r| <= 1: r^2/2; beyond: |r| - 1/2
    expect(huber(p, t).item()).toBeCloseTo((0 + 0.5 + 3.5) / 3, 14);
    expect(huber(p, t, { delta: 2, reduction: "sum" }).item()).toBeCloseTo(0 + 0.5 + 2 * (4 - 1), 14);
    expect(() => mse(p, tensor([1, 2]))).toThrow("mse: prediction shape (3,) differs from target shape (2,)");
    expect(() => mse(p, tensor([1, 2]))).toThrow(ShapeError);
    // Class scores against labels: the message says which loss fits.
    expect(() => mse(tensor([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]]), tensor([1, 0, 1]))).toThrow(
      "mse: prediction shape (3, 2) differs from target shape (3,); the targets look like class labels: for classification use crossEntropy (in fit: {lossFn: crossEntropy})");
    expect(() => mse(tensor([[0.1], [0.8], [0.5]]), tensor([1, 0, 1]))).toThrow(
      "mse: prediction shape (3, 1) differs from target shape (3,); reshape the targets to (3, 1), or the predictions to (3,)");
    // The same hint from every loss that compares shapes.
    expect(() => huber(tensor([[0.1], [0.8], [0.5]]), tensor([1, 0, 1]))).toThrow(
      "huber: prediction shape (3, 1) differs from target shape (3,); reshape the targets to (3, 1), or the predictions to (3,)");
  });

  it("crossEntropy from logits matches -log softmax, with integer or one-hot labels, and stays finite", () => {
    const logits = tensor([[1, 2, 3], [1, 1, 1]]);
    const lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const expected = ((lse0 - 1) + Math.log(3)) / 2;
    expect(crossEntropy(logits, [0, 2]).item()).toBeCloseTo(expected, 14);
    expect(crossEntropy(logits, [[1, 0, 0], [0, 0, 1]]).item()).toBeCloseTo(expected, 14);
    const huge = crossEntropy(tensor([[1000, 0, -1000]]), [2]).item();
    expect(huge).toBeCloseTo(2000, 8);
    expect(() => crossEntropy(logits, [0, 3])).toThrow("crossEntropy: label 3 at row 1 is not a class index in [0, 3)");
    expect(() => crossEntropy(logits, [0, 3])).toThrow(ValueError);
  });

  it("binaryCrossEntropy on probabilities and on logits agree, and logits stay finite at +-800", () => {
    const z = tensor([-2, 0.5, 3]), y = tensor([0, 1, 1]);
    const fromLogits = binaryCrossEntropy(z, y, { fromLogits: true }).item();
    const fromProbs = binaryCrossEntropy(z.sigmoid(), y).item();
    expect(fromLogits).toBeCloseTo(fromProbs, 12);
    expect(binaryCrossEntropy(tensor([800, -800]), tensor([0, 1]), { fromLogits: true }).item()).toBeCloseTo(800, 10);
    for (const dtype of ["float32", "float64"] as const) {
      expect(Number.isFinite(binaryCrossEntropy(tensor([1, 0], { dtype }), tensor([0, 1], { dtype })).item())).toBe(true);
    }
  });
});

describe("accuracy", () => {
  it("argmax for (N, C) logits, threshold for one logit per row", () => {
    expect(accuracy(tensor([[0, 2, 1], [3, 0, 0], [0, 0, 1]]), [1, 0, 0])).toBeCloseTo(2 / 3, 15);
    expect(accuracy(tensor([[0.3], [-2], [1]]), tensor([1, 0, 0]))).toBeCloseTo(2 / 3, 15);
    expect(accuracy(tensor([0.7, 0.2]), [1, 1], { threshold: 0.5 })).toBe(0.5);
    expect(() => accuracy(tensor([1, 2]), [1])).toThrow("accuracy: 2 output rows but 1 labels");
  });
});

describe("batches", () => {
  const data = { x: tensor([[0], [1], [2], [3], [4]]), y: tensor([0, 10, 20, 30, 40]) };

  it("covers every row once, in order without shuffle", () => {
    const seen = [...batches(data, { batchSize: 2 })].map((b) => flat(b.y));
    expect(seen).toEqual([[0, 10], [20, 30], [40]]);
    expect([...batches(data, { batchSize: 2, dropLast: true })].length).toBe(2);
  });

  it("shuffles reproducibly from the seed and keeps x and y aligned", () => {
    const a = [...batches(data, { batchSize: 2, shuffle: true, rng: rng(9) })];
    const b = [...batches(data, { batchSize: 2, shuffle: true, rng: rng(9) })];
    expect(a.map((t) => flat(t.y))).toEqual(b.map((t) => flat(t.y)));
    const ys = a.flatMap((t) => flat(t.y));
    expect([...ys].sort((p, q) => p - q)).toEqual([0, 10, 20, 30, 40]);
    a.forEach((t) => expect(flat(t.x).map((v) => v * 10)).toEqual(flat(t.y)));
    expect(() => [...batches(data, { batchSize: 2, shuffle: true })]).toThrow("batches: shuffle needs an explicit rng");
  });
});

describe("functional and PyTorch-style training run on the same engine", () => {
  it("give identical parameters after three Adam steps", () => {
    const x = rng(11).normal([8, 3]), y = rng(12).normal([8, 2]);
    const functional = new MLP([3, 4, 2], { rng: rng(13) });
    const opt = new Adam({ lr: 0.05 });
    let params = functional.params, state = opt.init(params);
    const lossOf = (p: typeof params) => mse(functional.apply(p, x), y);
    for (let k = 0; k < 3; k++) {
      const [, g] = (valueAndGrad(lossOf) as any)(params);
      const [u, s] = opt.update(g, state, params);
      state = s;
      params = applyUpdates(params, u);
    }

    const imperative = new MLP([3, 4, 2], { rng: rng(13) }).requiresGrad();
    const torchLike = new Adam(imperative.params, { lr: 0.05 });
    for (let k = 0; k < 3; k++) {
      torchLike.zeroGrad();
      const loss = mse(imperative.forward(x), y);
      loss.backward();
      torchLike.step();
    }
    expect(() => new Adam(new MLP([3, 2]).params, { lr: 0.1 }).step()).toThrow("Adam.step(): no parameter has a gradient");
    const fa = params.layers.flatMap((l: any) => Object.values(l).flatMap((t: any) => flat(t)));
    const fb = imperative.parameters().flatMap((t) => flat(t));
    expect(fb.length).toBe(fa.length);
    fb.forEach((v, i) => expect(v).toBeCloseTo(fa[i]!, 12));
  });
});

describe("float32", () => {
  it("MLP, crossEntropy and Adam train in float32, tracking the float64 run", () => {
    const run = (dtype: "float32" | "float64") => {
      const model = new MLP([4, 8, 3], { rng: rng(21), dtype });
      const x = rng(22).normal([16, 4], { dtype });
      const labels = Array.from({ length: 16 }, (_, i) => i % 3);
      const opt = new Adam({ lr: 0.01 });
      let params = model.params, state = opt.init(params);
      const losses: number[] = [];
      for (let k = 0; k < 20; k++) {
        const [loss, g] = (valueAndGrad((p: typeof params) => crossEntropy(model.apply(p, x), labels)) as any)(params);
        losses.push(loss.item());
        const [u, s] = opt.update(g, state, params);
        state = s;
        params = applyUpdates(params, u);
      }
      return { losses, params };
    };
    const f32 = run("float32"), f64 = run("float64");
    for (const leaf of f32.params.layers.flatMap((l: any) => Object.values(l) as Tensor[])) {
      expect(leaf.dtype).toBe("float32");
      expect(leaf.data).toBeInstanceOf(Float32Array);
    }
    expect(f32.losses[19]!).toBeLessThan(f32.losses[0]!);
    f32.losses.forEach((l, i) => expect(Math.abs(l - f64.losses[i]!)).toBeLessThan(1e-4));
  });
});
