// Each optimizer against its published update rule, computed by hand on f(x) = 0.5 * sum(a * x^2), and against its chain.
import { describe, expect, it } from "vitest";
import { grad, mul, square, sum, tensor, treeLeaves, type Tensor } from "../../../lib/index.js";
import {
  Adagrad, Adam, AdamW, Optimizer, RMSProp, SGD, applyUpdates, chain, scaleByAdagrad, scaleByAdam, scaleByLearningRate,
  scaleByRms, traceMomentum, addDecayedWeights, sgd, adam, adamw, rmsprop, adagrad, type GradientTransformation,
} from "../../../lib/index.js";

const A = [1, 10];
const X0 = [1, -2];
const f = (x: Tensor) => mul(0.5, sum(mul(tensor(A), square(x))));
const gradF = grad(f) as (x: Tensor) => Tensor;
const gradOfArray = (x: number[]) => x.map((v, i) => A[i]! * v);

/** Runs a transformation functionally for `steps` updates; returns x after each update. */
function run(opt: GradientTransformation<any>, steps: number): number[][] {
  let x = tensor(X0);
  let state = opt.init(x);
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    const [u, s] = opt.update(gradF(x), state, x);
    state = s;
    x = applyUpdates(x, u) as Tensor;
    out.push(x.toArray() as number[]);
  }
  return out;
}

const treeValues = (tree: unknown) => treeLeaves(tree).map((t) => (t as Tensor).toArray());

function expectTrajectory(actual: number[][], expected: number[][], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, k) => row.forEach((v, i) => expect(v).toBeCloseTo(expected[k]![i]!, digits)));
}

describe("SGD", () => {
  it("plain: x <- x - lr g", () => {
    const lr = 0.1;
    // by hand: g0 = (1, -20) -> x1 = (0.9, 0); g1 = (0.9, 0) -> x2 = (0.81, 0)
    expectTrajectory(run(new SGD({ lr }), 2), [[0.9, 0], [0.81, 0]]);
  });

  it("momentum and Nesterov follow PyTorch's rule (buf = mu buf + g; nesterov step g + mu buf)", () => {
    for (const nesterov of [false, true]) {
      const lr = 0.01, mu = 0.9, wd = 0.1;
      let x = [...X0], buf = [0, 0];
      const expected: number[][] = [];
      for (let k = 0; k < 4; k++) {
        const g = gradOfArray(x).map((gi, i) => gi + wd * x[i]!);
        buf = buf.map((b, i) => mu * b + g[i]!);
        const step = nesterov ? g.map((gi, i) => gi + mu * buf[i]!) : buf;
        x = x.map((v, i) => v - lr * step[i]!);
        expected.push(x);
      }
      expectTrajectory(run(new SGD({ lr, momentum: mu, nesterov, weightDecay: wd }), 4), expected);
    }
  });
});

describe("Adam family", () => {
  it("Adam's first step moves each coordinate by lr against the sign of its gradient", () => {
    const [x1] = run(new Adam({ lr: 0.1 }), 1);
    expect(x1![0]).toBeCloseTo(0.9, 6);
    expect(x1![1]).toBeCloseTo(-1.9, 6);
  });

  it("Adam and AdamW follow Kingma & Ba / Loshchilov & Hutter step by step", () => {
    for (const decoupled of [false, true]) {
      const lr = 0.05, b1 = 0.8, b2 = 0.95, eps = 1e-6, wd = 0.2;
      let x = [...X0], m = [0, 0], v = [0, 0];
      const expected: number[][] = [];
      for (let t = 1; t <= 5; t++) {
        const g = gradOfArray(x).map((gi, i) => (decoupled ? gi : gi + wd * x[i]!));
        m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
        v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! ** 2);
        x = x.map((xi, i) => {
          const adam = m[i]! / (1 - b1 ** t) / (Math.sqrt(v[i]! / (1 - b2 ** t)) + eps);
          return xi - lr * (adam + (decoupled ? wd * xi : 0));
        });
        expected.push(x);
      }
      const Opt = decoupled ? AdamW : Adam;
      expectTrajectory(run(new Opt({ lr, betas: [b1, b2], eps, weightDecay: wd }), 5), expected);
    }
  });

  it("RMSProp: v = alpha v + (1 - alpha) g^2; x -= lr g / (sqrt(v) + eps)", () => {
    const lr = 0.01, alpha = 0.9, eps = 1e-8;
    let x = [...X0], v = [0, 0];
    const expected: number[][] = [];
    for (let k = 0; k < 4; k++) {
      const g = gradOfArray(x);
      v = v.map((vi, i) => alpha * vi + (1 - alpha) * g[i]! ** 2);
      x = x.map((xi, i) => xi - (lr * g[i]!) / (Math.sqrt(v[i]!) + eps));
      expected.push(x);
    }
    expectTrajectory(run(new RMSProp({ lr, alpha, eps }), 4), expected);
  });

  it("Adagrad: s += g^2; x -= lr g / (sqrt(s) + eps)", () => {
    const lr = 0.5, eps = 1e-10;
    let x = [...X0], s = [0.1, 0.1];
    const expected: number[][] = [];
    for (let k = 0; k < 4; k++) {
      const g = gradOfArray(x);
      s = s.map((si, i) => si + g[i]! ** 2);
      x = x.map((xi, i) => xi - (lr * g[i]!) / (Math.sqrt(s[i]!) + eps));
      expected.push(x);
    }
    expectTrajectory(run(new Adagrad({ lr, eps, initialAccumulator: 0.1 }), 4), expected);
  });
});

describe("each class equals its chain of transforms", () => {
  const cases: [string, GradientTransformation<any>, GradientTransformation<any>][] = [
    ["SGD momentum", new SGD({ lr: 0.02, momentum: 0.5 }), chain(traceMomentum(0.5), scaleByLearningRate(0.02))],
    ["Adam", new Adam({ lr: 0.1 }), chain(scaleByAdam(), scaleByLearningRate(0.1))],
    ["AdamW", new AdamW({ lr: 0.1, weightDecay: 0.3 }), chain(scaleByAdam(), addDecayedWeights(0.3), scaleByLearningRate(0.1))],
    ["RMSProp", new RMSProp({ lr: 0.01 }), chain(scaleByRms({ decay: 0.99 }), scaleByLearningRate(0.01))],
    ["Adagrad", new Adagrad({ lr: 0.1 }), chain(scaleByAdagrad(), scaleByLearningRate(0.1))],
  ];
  for (const [name, cls, chained] of cases) {
    it(name, () => expect(run(cls, 6)).toEqual(run(chained, 6)));
  }
});

describe("option validation names the bad value", () => {
  it.each([
    [() => new Adam({ lr: -0.1 }), "Adam: invalid learning rate -0.1 (must be >= 0)"],
    [() => new Adam({ betas: [1, 0.999] }), "Adam: invalid beta1 1 (must be in [0, 1))"],
    [() => new AdamW({ eps: -1 }), "AdamW: invalid epsilon -1 (must be >= 0)"],
    [() => new SGD({ lr: 0.1, momentum: -0.5 }), "SGD: invalid momentum -0.5 (must be >= 0)"],
    [() => new SGD({ lr: 0.1, nesterov: true }), "SGD: nesterov momentum requires momentum > 0"],
    [() => new SGD({ lr: NaN }), "SGD: invalid learning rate NaN (must be >= 0)"],
    [() => new RMSProp({ alpha: 1.5 }), "RMSProp: invalid alpha 1.5 (must be in [0, 1))"],
    [() => new Adagrad({ weightDecay: -1 }), "Adagrad: invalid weight decay -1 (must be >= 0)"],
    // The functional aliases check what the classes check.
    [() => sgd(-0.5), "sgd: invalid learning rate -0.5 (must be >= 0)"],
    [() => adam(-0.5), "adam: invalid learning rate -0.5 (must be >= 0)"],
    [() => adamw(Infinity), "adamw: invalid learning rate Infinity (must be >= 0)"],
    [() => rmsprop(NaN), "rmsprop: invalid learning rate NaN (must be >= 0)"],
    [() => adagrad(0.1, { eps: -1 }), "adagrad: invalid epsilon -1 (must be >= 0)"],
    [() => sgd(0.1, { momentum: -1 }), "sgd: invalid momentum -1 (must be >= 0)"],
    [() => adam(0.1, { b2: 1 }), "adam: invalid beta2 1 (must be in [0, 1))"],
  ])("%#", (make, message) => expect(make).toThrow(message));
});

describe("PyTorch-style step on a scalar parameter", () => {
  it("updates the value that later ops see", () => {
    const w = tensor(3, { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    for (let k = 0; k < 2; k++) {
      opt.zeroGrad();
      w.square().backward();
      opt.step();
    }
    // 3 -> 3 - 0.1 * 6 = 2.4 -> 2.4 - 0.1 * 4.8 = 1.92
    expect(w.item()).toBeCloseTo(1.92, 14);
    expect(w.mul(1).item()).toBeCloseTo(1.92, 14);
  });
});

describe("scalar parameters step exactly as the same coordinates of one vector", () => {
  // Scalar leaves take the optimizers' allocation-free path (uniform tensors, shared one-element slots); a tree mixing
  // them with vectors must give bit-for-bit the numbers the array path gives for the same coordinates.
  const makers: [string, () => Adam | SGD | AdamW | RMSProp | Adagrad][] = [
    ["SGD momentum nesterov wd", () => new SGD({ lr: 0.02, momentum: 0.5, nesterov: true, weightDecay: 0.1 })],
    ["Adam wd", () => new Adam({ lr: 0.1, weightDecay: 0.05 })],
    ["AdamW", () => new AdamW({ lr: 0.1, weightDecay: 0.3 })],
    ["RMSProp momentum", () => new RMSProp({ lr: 0.01, momentum: 0.9 })],
    ["Adagrad", () => new Adagrad({ lr: 0.1 })],
  ];
  const start = [1, -2, 0.5, 3];
  const scale = [1, 10, 3, 0.2];
  const gradOfValues = (x: number[], step: number) => x.map((v, i) => scale[i]! * v + Math.sin(step + i));
  for (const dtype of ["float64", "float32"] as const) {
    for (const [name, make] of makers) {
      it(`${name}, ${dtype}`, () => {
        const vecOpt = make(), treeOpt = make();
        let vec = tensor(start, { dtype });
        let tree = { x: tensor(start[0]!, { dtype }), rest: [tensor(start.slice(1, 3), { dtype }), tensor(start[3]!, { dtype })] };
        const flat = (t: typeof tree) => [t.x.item(), ...(t.rest[0]!.toArray() as number[]), t.rest[1]!.item()];
        for (let step = 0; step < 5; step++) {
          const g = gradOfValues(vec.toArray() as number[], step);
          vec = vecOpt.step(vec, tensor(g, { dtype }));
          const gt = gradOfValues(flat(tree), step);
          tree = treeOpt.step(tree, { x: tensor(gt[0]!, { dtype }), rest: [tensor(gt.slice(1, 3), { dtype }), tensor(gt[3]!, { dtype })] });
          expect(flat(tree)).toEqual(vec.toArray());
          expect([tree.x.dtype, tree.rest[1]!.dtype, tree.x.shape, tree.rest[1]!.shape]).toEqual([dtype, dtype, [], []]);
        }
        // The scalars the optimizer returns behave as any tensor: their storage, and ops on them.
        expect(Array.from(tree.x.data)).toEqual([vec.toArray()[0]]);
        expect(tree.rest[1]!.mul(2).item()).toBe(2 * (vec.toArray() as number[])[3]!);
      });
    }
  }
});

describe("parameter trees the optimizers refuse", () => {
  it("a number leaf, a leaf of another kind and mismatched gradients are named", () => {
    expect(() => new Adam().step({ x: 1 } as never, { x: 1 } as never)).toThrow("expected a tree of tensors, found the number 1 at leaf 0");
    expect(() => new Adam().step({ w: [tensor(1), "b"] } as never, {} as never)).toThrow(
      'optimizer: parameter tree at path .w[1] is the string "b"');
    expect(() => new SGD({ lr: 0.1 }).step({ a: tensor(1), b: tensor(2) }, { a: tensor(1) })).toThrow(
      "SGD.step: params have 2 tensors but grads have 1");
  });

  it("a gradient of the wrong shape is named by its path and leaves the optimizer's state as it was", () => {
    const params = { layers: [{ w: tensor([1, 2]) }, { w: tensor([3, 4]) }] };
    const good = { layers: [{ w: tensor([0.5, -1]) }, { w: tensor([2, 0]) }] };
    const bad = { layers: [{ w: tensor([0.5, -1]) }, { w: tensor([2, 0, 1]) }] };
    const reference = new Adam({ lr: 0.1 }), tried = new Adam({ lr: 0.1 });
    const expected = reference.step(reference.step(params, good), good);
    const first = tried.step(params, good);
    expect(() => tried.step(first, bad)).toThrow("Adam.step: the gradient at .layers[1].w has shape (3,), its parameter (2,)");
    expect(treeValues(tried.step(first, good))).toEqual(treeValues(expected));
  });
});

describe("Optimizer.step over trees", () => {
  const params0 = { enc: [tensor([1, -2]), tensor(0.5)], dec: { w: tensor([[1, 2], [3, 4]]) } };
  const gradsAt = (k: number) => ({ enc: [tensor([k, -1]), tensor(0.25 * k)], dec: { w: tensor([[k, 0], [-k, 1]]) } });

  it("a leafwise chain stepped on flat leaves equals the chain run on the trees", () => {
    const opt = new Adam({ lr: 0.1, weightDecay: 0.01 });
    const chained = chain(addDecayedWeights(0.01), scaleByAdam(), scaleByLearningRate(0.1));
    expect(opt.transform.leafwise).toBe(true);
    let p = params0, q = params0 as unknown as typeof params0;
    let state = chained.init(q);
    for (let k = 1; k <= 4; k++) {
      p = opt.step(p, gradsAt(k));
      const [u, s] = chained.update(gradsAt(k), state, q);
      state = s;
      q = applyUpdates(q, u);
      expect(treeValues(p)).toEqual(treeValues(q));
      expect(Object.keys(p.dec)).toEqual(["w"]);
    }
  });

  it("a transform that is not leafwise is given the trees themselves", () => {
    const seen: unknown[] = [];
    const byKey: GradientTransformation<null> = {
      init: () => null,
      update: (u, state) => {
        seen.push(u);
        const g = u as ReturnType<typeof gradsAt>;
        return [{ enc: [g.enc[0]!.mul(-1), g.enc[1]!.mul(0)], dec: { w: g.dec.w.mul(-0.5) } }, state];
      },
    };
    const opt = new Optimizer("byKey", byKey);
    const p = opt.step(params0, gradsAt(2));
    expect(Object.keys(seen[0] as object)).toEqual(["enc", "dec"]);
    expect(p.dec.w.toArray()).toEqual([[0, 2], [4, 3.5]]);
    expect(p.enc[1]!.item()).toBe(0.5);
    expect(chain(byKey, scaleByLearningRate(1)).leafwise).toBe(false);
  });
});
