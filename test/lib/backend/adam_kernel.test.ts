// The fused Adam step: the wasm kernel (staged or in place, one thread or two) gives the JS loop's numbers bit for bit,
// special values included, in both dtypes and every decay variant; and Adam/AdamW stepped by their owner (one pass per
// parameter) give the chain of transforms' numbers bit for bit on parameters long enough for the kernel.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { seededUniform } from "../../../bench/seeded.js";
import type { AdamCoefficients } from "../../../lib/backend/backend.js";
import { DEFAULT_LIMITS, type KernelLimits } from "../../../lib/backend/limits.js";
import { adamInto, adamLoop } from "../../../lib/backend/optim_step.js";
import { chunksRunByWorkers } from "../../../lib/backend/pool.js";
import { allocateState } from "../../../lib/backend/storage.js";
import { wasmPath } from "../../../lib/backend/wasm.js";
import { referenceBackend, withBackend } from "../../../lib/backend/index.js";
import { Adam, AdamW, applyUpdates, exponentialDecay, fit, MLP, rng, Tensor, treeLeaves, type Optimizer } from "../../../lib/index.js";
import { requireTool } from "../../helpers/require.js";
import { onTwoThreads } from "./two_threads.js";

const built = requireTool(`built wasm kernels at ${wasmPath} (npm run build)`, existsSync(wasmPath));

const SPECIAL = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-300, -1e-300, 1e300, -1e300, 5e-324, 3.4e38, -3.4e38, 1e-45];

function coefficients(t: number, coupledDecay: number, decoupledDecay: number): AdamCoefficients {
  const b1 = 0.9, b2 = 0.999;
  return {
    b1, c1: 1 - b1, b2, c2: 1 - b2, invBc1: 1 / (1 - b1 ** t), invSqrtBc2: 1 / Math.sqrt(1 - b2 ** t), eps: 1e-8,
    factor: -0.01, coupledDecay, decoupledDecay,
  };
}

/** Parameter, gradient and moments of n elements: special values first (in every role), then random magnitudes. */
function inputs(n: number, f32: boolean, seed: number) {
  const r = seededUniform(seed);
  const make = (scale: number, special: number) => {
    const a = f32 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = i < SPECIAL.length * 4 && i % 4 === special ? SPECIAL[i >> 2]! : (r() - 0.5) * scale * 10 ** Math.floor(r() * 6 - 3);
    return a;
  };
  const m = Float64Array.from(make(1, 2)), v = Float64Array.from(make(1, 3)).map(Math.abs);
  return { p: make(4, 0), g: make(2, 1), m, v };
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const DECAYS: [string, number, number][] = [["plain", 0, 0], ["coupled", 0.01, 0], ["decoupled", 0, 0.1], ["both", 0.02, 0.05]];

describe.skipIf(!built)("the wasm Adam kernel", () => {
  const limits: KernelLimits = { ...DEFAULT_LIMITS, wasmElementwise: 0, parallelElementwise: Infinity };
  onTwoThreads();

  for (const f32 of [false, true]) {
    for (const [name, coupled, decoupled] of DECAYS) {
      it(`${f32 ? "f32" : "f64"} ${name}: staged, in place and split across threads, equal to the JS loop`, () => {
        for (const n of [1, 3, 64, 5_001, 300_003]) {
          const c = coefficients(1 + (n % 7), coupled, decoupled);
          const { p, g, m, v } = inputs(n, f32, n);
          const want = { m: m.slice(), v: v.slice(), out: p.slice() };
          adamLoop(p, g, want.m, want.v, want.out, c);
          // m and v as plain arrays (copied in and out) and as state storage (from 1 MiB in the kernels' memory, read
          // and written in place).
          const pooledM = allocateState(n), pooledV = allocateState(n);
          pooledM.set(m);
          pooledV.set(v);
          for (const [label, mm, vv] of [["staged", m.slice(), v.slice()], ["state storage", pooledM, pooledV]] as const) {
            for (const parallel of [Infinity, 0]) {
              const m2 = mm.slice(), v2 = vv.slice();
              const [useM, useV] = label === "state storage" ? [mm, vv] : [m2, v2];
              if (label === "state storage") { useM.set(m); useV.set(v); }
              const out = p.slice().fill(7);
              adamInto(p, g, useM, useV, out, c, { ...limits, parallelElementwise: parallel });
              const where = `n=${n} ${label} ${parallel === 0 ? "two threads" : "one thread"}`;
              expect(sameBits(out, want.out), `${where}: parameter`).toBe(true);
              expect(sameBits(useM, want.m), `${where}: m`).toBe(true);
              expect(sameBits(useV, want.v), `${where}: v`).toBe(true);
            }
          }
        }
      });
    }
  }

  it("a split step is run partly by the worker thread (retried while the worker wakes late on a busy machine)", () => {
    const n = 400_000, c = coefficients(3, 0, 0);
    const { p, g, m, v } = inputs(n, true, 5);
    const want = { m: m.slice(), v: v.slice(), out: p.slice() };
    adamLoop(p, g, want.m, want.v, want.out, c);
    const before = chunksRunByWorkers();
    for (let attempt = 0; attempt < 50 && chunksRunByWorkers() === before; attempt++) {
      const m2 = m.slice(), v2 = v.slice(), out = p.slice();
      adamInto(p, g, m2, v2, out, c, { ...limits, parallelElementwise: 0 });
      expect(sameBits(out, want.out) && sameBits(m2, want.m) && sameBits(v2, want.v)).toBe(true);
    }
    expect(chunksRunByWorkers()).toBeGreaterThan(before);
  });
});

type Params = { layers: { W: Tensor; b: Tensor }[] };
const values = (t: unknown) => treeLeaves(t as Params).map((x) => Array.from((x as Tensor).data));

describe("Adam and AdamW stepped in one pass per parameter", () => {
  const cases: [string, () => Optimizer][] = [
    ["Adam", () => new Adam({ lr: 0.01 })],
    ["Adam + L2 weight decay", () => new Adam({ lr: 0.01, weightDecay: 0.05 })],
    ["AdamW", () => new AdamW({ lr: 0.01, weightDecay: 0.1 })],
    ["Adam, scheduled lr", () => new Adam({ lr: exponentialDecay(0.05, { rate: 0.5, transitionSteps: 2 }) })],
  ];
  for (const dtype of ["float32", "float64"] as const) {
    for (const [name, make] of cases) {
      it(`${name} (${dtype}): equal to init/update/applyUpdates, on both backends, over several steps`, () => {
        const r = rng(3);
        const params = new MLP([70, 60, 3], { dtype, rng: r }).params as Params;
        const grads = Array.from({ length: 5 }, () => new MLP([70, 60, 3], { dtype, rng: r }).params as Params);
        const pure = make();
        let state = pure.init(params);
        let expected: Params = params;
        for (const g of grads) {
          const [u, s] = pure.update(g, state, expected);
          state = s;
          expected = applyUpdates(expected, u);
        }
        for (const onReference of [false, true]) {
          const run = () => {
            const opt = make();
            let p = params;
            for (const g of grads) p = opt.step(p, g);
            return p;
          };
          const got = onReference ? withBackend(referenceBackend, run) : run();
          const label = `${onReference ? "reference" : "fast"} backend`;
          expect(values(got).every((leaf, i) => sameBits(leaf, values(expected)[i]!)), label).toBe(true);
          expect(values(got)).not.toEqual(values(params));
        }
      });
    }
  }

  it("float64 gradients of float32 parameters are read at full precision, as the chain reads them", () => {
    const r = rng(8);
    const params = r.normal([3000], { dtype: "float32" });
    const grads = Array.from({ length: 3 }, () => r.normal([3000]));
    const pure = new Adam({ lr: 0.01 });
    let state = pure.init(params);
    let expected = params;
    for (const g of grads) {
      const [u, s] = pure.update(g, state, expected);
      state = s;
      expected = applyUpdates(expected, u);
    }
    const opt = new Adam({ lr: 0.01 });
    let p = params;
    for (const g of grads) p = opt.step(p, g);
    expect(p.dtype).toBe("float32");
    expect(sameBits(p.data, expected.data)).toBe(true);
    // Rounding the gradients to float32 first gives other numbers: the check above can tell.
    const rounded = new Adam({ lr: 0.01 });
    let q = params;
    for (const g of grads) q = rounded.step(q, g.astype("float32"));
    expect(sameBits(q.data, expected.data)).toBe(false);
  });

  it("fit trains with the one-pass step and gives the chain's parameters", () => {
    const r = rng(11);
    const x = r.normal([64, 30]), y = r.normal([64, 2]);
    const train = (opt: Optimizer | ReturnType<Optimizer["init"]>) => {
      const model = new MLP([30, 100, 2], { rng: rng(5) });
      fit(model, { x, y }, { optimizer: opt as Optimizer, epochs: 2, batchSize: 32, shuffle: false, display: false });
      return model.params;
    };
    const fused = train(new Adam({ lr: 0.01 }));
    // The same transform without its one-pass step.
    const adam = new Adam({ lr: 0.01 });
    const chainOnly = { leafwise: true, init: adam.init.bind(adam), update: adam.update.bind(adam) };
    const chained = train(chainOnly as unknown as Optimizer);
    expect(values(fused).every((leaf, i) => sameBits(leaf, values(chained)[i]!))).toBe(true);
  });
});
