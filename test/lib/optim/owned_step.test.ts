// Optimizer.step and fit update the state they own in place: same numbers as the pure init/update path, and nothing
// the caller can see (gradients, earlier parameters, a state from init/update) is ever written.
import { describe, expect, it } from "vitest";
import {
  Adagrad, Adam, AdamW, Optimizer, RMSProp, SGD, applyUpdates, chain, clipByGlobalNorm, mul, rng, scaleByAdam, scaleByLearningRate,
  tensor, tidy, Tensor, treeLeaves,
} from "../../../lib/index.js";

type Tree = { w: Tensor; b: Tensor; s: Tensor };
const STEPS = 6;

function problem(dtype: "float32" | "float64") {
  const r = rng(7);
  const params: Tree = { w: r.normal([5, 3], { dtype }), b: r.normal([3], { dtype }), s: tensor(0.5, { dtype }) };
  // A different gradient every step, so state carried from one step to the next matters.
  const grads = Array.from({ length: STEPS }, (_, k) =>
    ({ w: r.normal([5, 3], { dtype }), b: r.normal([3], { dtype }), s: tensor(0.1 * (k - 2), { dtype }) }) as Tree);
  return { params, grads };
}

const values = (t: Tree) => treeLeaves(t).map((x) => Array.from((x as Tensor).data));

/** The values of every tensor in an optimizer state (which also holds step counts). */
function stateValues(state: unknown): number[][] {
  if (state instanceof Tensor) return [Array.from(state.data)];
  if (Array.isArray(state)) return state.flatMap(stateValues);
  if (state !== null && typeof state === "object") return Object.values(state).flatMap(stateValues);
  return [];
}

const optimizers: [string, () => Optimizer][] = [
  ["SGD", () => new SGD({ lr: 0.1 })],
  ["SGD momentum", () => new SGD({ lr: 0.1, momentum: 0.9 })],
  ["SGD nesterov + weight decay", () => new SGD({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ["Adam", () => new Adam({ lr: 0.01 })],
  ["AdamW", () => new AdamW({ lr: 0.01, weightDecay: 0.1 })],
  ["RMSProp momentum", () => new RMSProp({ lr: 0.01, momentum: 0.5 })],
  ["Adagrad", () => new Adagrad({ lr: 0.1 })],
];

describe("owned optimizer steps", () => {
  for (const dtype of ["float64", "float32"] as const) {
    for (const [name, make] of optimizers) {
      it(`${name} (${dtype}): step(params, grads) equals init/update/applyUpdates and writes nothing it was given`, () => {
        const { params, grads } = problem(dtype);
        const gradsBefore = grads.map(values);
        const pure = make();
        let state = pure.init(params);
        const initialState = state;
        const initialValues = stateValues(state);
        let p1: Tree = params, p2: Tree = params;
        const stepper = make();
        const history: [Tree, number[][]][] = [];
        for (let k = 0; k < STEPS; k++) {
          const [u, s] = pure.update(grads[k]!, state, p1);
          state = s;
          p1 = applyUpdates(p1, u);
          p2 = stepper.step(p2, grads[k]!);
          history.push([p2, values(p2)]);
          expect(values(p2)).toEqual(values(p1));
          expect(p2.w.dtype).toBe(dtype);
        }
        grads.forEach((g, k) => expect(values(g)).toEqual(gradsBefore[k]));
        for (const [p, seen] of history) expect(values(p)).toEqual(seen);
        // The pure path's first state is untouched by everything after it.
        expect(stateValues(initialState)).toEqual(initialValues);
        expect(initialValues.length > 0).toBe(name !== "SGD");
      });
    }
  }

  it("Adam's owned steps follow the paper's rule, computed here in plain numbers", () => {
    const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const x0 = [1, -2, 0.5, 3];
    const gradient = (x: number[]) => x.map((v, i) => (i + 1) * v);
    let x = tensor(x0);
    const opt = new Adam({ lr });
    const m = [0, 0, 0, 0], v = [0, 0, 0, 0];
    let ref = x0.slice();
    for (let t = 1; t <= 20; t++) {
      const g = gradient(ref);
      ref = ref.map((xi, i) => {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
        return xi - (lr * (m[i]! / (1 - b1 ** t))) / (Math.sqrt(v[i]! / (1 - b2 ** t)) + eps);
      });
      x = opt.step(x, tensor(gradient(Array.from(x.data))));
    }
    Array.from(x.data).forEach((xi, i) => expect(xi).toBeCloseTo(ref[i]!, 12));
  });

  it("a chain with a global-norm clip gives the pure path's numbers when stepped in place", () => {
    const make = () => new Optimizer("clipped Adam", chain(clipByGlobalNorm(0.5), scaleByAdam(), scaleByLearningRate(0.1)));
    const { params, grads } = problem("float32");
    const pure = make();
    let state = pure.init(params);
    let p1: Tree = params, p2: Tree = params;
    const stepper = make();
    for (const g of grads) {
      const [u, s] = pure.update(g, state, p1);
      state = s;
      p1 = applyUpdates(p1, u);
      p2 = stepper.step(p2, g);
    }
    expect(values(p2)).toEqual(values(p1));
    expect(values(p2)).not.toEqual(values(params));
  });
});

describe("a step that fails leaves the optimizer as it was", () => {
  for (const [name, make] of optimizers) {
    it(`${name}: a gradient released by its scope, in a later leaf, is refused before any state moves`, () => {
      const r = rng(11);
      // The big leaf comes second, so a failure while stepping it would come after the first leaf had been stepped.
      type Two = { a: Tensor; w: Tensor };
      const params: Two = { a: r.normal([3]), w: r.normal([64, 64]) };
      const g1: Two = { a: r.normal([3]), w: r.normal([64, 64]) }, g2: Two = { a: r.normal([3]), w: r.normal([64, 64]) };
      let leaked: Tensor | undefined;
      tidy(() => {
        leaked = mul(g2.w, 2);
        return 0;
      });
      const failing = make(), fresh = make();
      const p1 = failing.step(params, g1);
      expect(values(fresh.step(params, g1) as never)).toEqual(values(p1 as never));
      expect(() => failing.step(p1, { a: g2.a, w: leaked! })).toThrow(/computed inside tidy and not returned/);
      // The same good step on both: the refused call moved no moment and no step count.
      expect(values(failing.step(p1, g2) as never)).toEqual(values(fresh.step(p1, g2) as never));
    });
  }
});
