// Small seeded datasets for tests and notebooks: two moons, XOR, linear regression data.
import { tensor, type Rng, type Tensor } from "../optim/core_api.js";
import { valuesOf } from "../optim/leaves.js";

export type Dataset = { x: Tensor; y: Tensor };

/**
 * Two interleaving half circles (sklearn's make_moons): n points, x (n, 2), y (n,) labels 0 (upper) / 1 (lower),
 * Gaussian noise of std `noise` on both coordinates.
 */
export function twoMoons(n: number, options: { noise?: number; rng: Rng }): Dataset {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`twoMoons: invalid n ${n} (must be an integer >= 2)`);
  const noise = options.noise ?? 0.1;
  const nOuter = Math.ceil(n / 2), nInner = n - nOuter;
  const jitter = valuesOf(options.rng.normal([n, 2]));
  const xs: number[][] = [], ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const outer = i < nOuter;
    const t = outer ? (Math.PI * i) / Math.max(1, nOuter - 1) : (Math.PI * (i - nOuter)) / Math.max(1, nInner - 1);
    const [px, py] = outer ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    xs.push([px + noise * jitter[2 * i]!, py + noise * jitter[2 * i + 1]!]);
    ys.push(outer ? 0 : 1);
  }
  return { x: tensor(xs), y: tensor(ys) };
}

/** The four XOR points: x (4, 2) in {0, 1}^2, y (4,) = x0 xor x1. */
export function xor(): Dataset {
  return { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: tensor([0, 1, 1, 0]) };
}

/** y = x @ weights + bias + noise * N(0, 1), x ~ N(0, 1) of shape (n, weights.length); y has shape (n, 1). */
export function linearData(
  n: number, options: { weights: number[]; bias?: number; noise?: number; rng: Rng },
): Dataset & { weights: number[]; bias: number } {
  const d = options.weights.length, bias = options.bias ?? 0, noise = options.noise ?? 0;
  const x = options.rng.normal([n, d]);
  const xv = valuesOf(x), eps = valuesOf(options.rng.normal([n]));
  const ys: number[][] = [];
  for (let i = 0; i < n; i++) {
    let s = bias + noise * eps[i]!;
    for (let j = 0; j < d; j++) s += xv[i * d + j]! * options.weights[j]!;
    ys.push([s]);
  }
  return { x, y: tensor(ys), weights: [...options.weights], bias };
}
