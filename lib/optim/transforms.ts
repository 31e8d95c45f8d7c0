// The building blocks optimizers are chained from; each update rule is written out element by element, as in its paper.
import type { GradientTransformation, Params } from "./transform.js";
import type { Tensor } from "./core_api.js";
import { flatten, outputF64, readF64, stateOf, sumOfSquares } from "./leaves.js";
import { lentBuffers } from "./step_buffers.js";
import { asSchedule, type Schedule } from "./schedules.js";

/** A float64 tree of `value` shaped like `params`: the starting value of every accumulator. */
export function zerosTree(params: Params, value = 0): Params {
  const p = flatten(params);
  return p.rebuild(p.leaves.map((leaf) => stateOf(leaf, new Float64Array(leaf.size).fill(value))));
}

/**
 * Flattens the trees, checks they agree leaf by leaf, and gives `body` each leaf's values as float64: the incoming
 * updates `u`, the matching leaves of `others` (state, then params) and the arrays to fill: `out` (the new updates)
 * and `next`, one array for each of the first `stateCount` entries of `others` (the new state replacing it). Both
 * become float64 tensors (updates only meet the parameters' dtype in applyUpdates, so a chain of float32 parameters
 * converts once in and once out).
 *
 * Inside an owned step (step_buffers.ts) `next[k]` is the old state's own array and `out` may be `u`'s: bodies read
 * element j of every input before writing element j of an output.
 */
function eachLeaf(
  opName: string,
  updates: Params,
  others: Params[],
  stateCount: number,
  body: (u: Float64Array, others: Float64Array[], out: Float64Array, next: Float64Array[]) => void,
): { updates: Params; extra: Params[] } {
  const u = flatten(updates);
  const o = others.map((t) => flatten(t).leaves);
  for (const leaves of o) {
    if (leaves.length !== u.leaves.length) {
      throw new Error(`${opName}: state has ${leaves.length} tensors but updates have ${u.leaves.length}`);
    }
  }
  const buffers = lentBuffers();
  const count = u.leaves.length;
  const outs: Tensor[] = new Array(count);
  const extras: Tensor[][] = Array.from({ length: stateCount }, () => new Array<Tensor>(count));
  const inputs: Float64Array[] = new Array(o.length);
  const next: Float64Array[] = new Array(stateCount);
  for (let i = 0; i < count; i++) {
    const leaf = u.leaves[i]!;
    for (let k = 0; k < o.length; k++) inputs[k] = readF64(o[k]![i]!, 2 + k);
    if (buffers !== null && leaf.size > 1) {
      const scratch = buffers.scratchFor(i, leaf.size);
      const values = leaf.data;
      if (values instanceof Float32Array) scratch.set(values);
      const uIn = values instanceof Float32Array ? scratch : values;
      for (let k = 0; k < stateCount; k++) next[k] = buffers.owns(inputs[k]!) ? inputs[k]! : buffers.fresh(leaf.size);
      body(uIn, inputs, scratch, next);
      outs[i] = stateOf(leaf, scratch);
      for (let k = 0; k < stateCount; k++) extras[k]![i] = next[k] === inputs[k] ? o[k]![i]! : stateOf(leaf, next[k]!);
      continue;
    }
    const out = outputF64(leaf.size, 0);
    for (let k = 0; k < stateCount; k++) next[k] = outputF64(leaf.size, 2 + o.length + k);
    body(readF64(leaf, 1), inputs, out, next);
    outs[i] = stateOf(leaf, out);
    for (let k = 0; k < stateCount; k++) extras[k]![i] = stateOf(leaf, next[k]!);
  }
  return { updates: u.rebuild(outs), extra: extras.map((leaves) => u.rebuild(leaves)) };
}

/** u <- factor * u. */
export function scale(factor: number): GradientTransformation<null> {
  return {
    leafwise: true,
    init: () => null,
    update(updates) {
      const r = eachLeaf("scale", updates, [], 0, (u, _o, out) => {
        for (let j = 0; j < u.length; j++) out[j] = factor * u[j]!;
      });
      return [r.updates, null];
    },
  };
}

export interface CountState { count: number }

/**
 * u <- -lr(t) * u, with t the number of updates done so far (0 for the first). `lr` is a number or a schedule.
 * The minus sign turns a gradient into a descent step; pass `{flipSign: false}` for ascent.
 */
export function scaleByLearningRate(lr: number | Schedule, opts: { flipSign?: boolean } = {}): GradientTransformation<CountState> {
  const schedule = asSchedule(lr);
  const sign = opts.flipSign === false ? 1 : -1;
  return {
    leafwise: true,
    init: () => ({ count: 0 }),
    update(updates, state) {
      const factor = sign * schedule(state.count);
      const r = eachLeaf("scaleByLearningRate", updates, [], 0, (u, _o, out) => {
        for (let j = 0; j < u.length; j++) out[j] = factor * u[j]!;
      });
      return [r.updates, { count: state.count + 1 }];
    },
  };
}

export interface TraceState { trace: Params }

/**
 * Heavy-ball momentum: trace <- g + decay * trace; u <- trace, or with Nesterov u <- g + decay * trace
 * (PyTorch's SGD with dampening 0: the first trace is the gradient itself).
 */
export function traceMomentum(decay: number, opts: { nesterov?: boolean } = {}): GradientTransformation<TraceState> {
  const nesterov = opts.nesterov ?? false;
  return {
    leafwise: true,
    init: (params) => ({ trace: zerosTree(params) }),
    update(updates, state) {
      const r = eachLeaf("traceMomentum", updates, [state.trace], 1, (g, [prev], out, [trace]) => {
        for (let j = 0; j < g.length; j++) {
          const gj = g[j]!;
          const tj = gj + decay * prev![j]!;
          trace![j] = tj;
          out[j] = nesterov ? gj + decay * tj : tj;
        }
      });
      return [r.updates, { trace: r.extra[0]! }];
    },
  };
}

export interface AdamState { count: number; mu: Params; nu: Params }

/**
 * Adam (Kingma & Ba 2015, Alg. 1): m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2; t <- t+1;
 * u <- m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t).
 * Computed as PyTorch does, m / (1 - b1^t) / (sqrt(v) / sqrt(1 - b2^t) + eps), with the scalar divisions turned into
 * products: one division and one square root per element.
 */
export function scaleByAdam(opts: { b1?: number; b2?: number; eps?: number } = {}): GradientTransformation<AdamState> {
  const b1 = opts.b1 ?? 0.9, b2 = opts.b2 ?? 0.999, eps = opts.eps ?? 1e-8;
  return {
    leafwise: true,
    init: (params) => ({ count: 0, mu: zerosTree(params), nu: zerosTree(params) }),
    update(updates, state) {
      const t = state.count + 1;
      const invBc1 = 1 / (1 - b1 ** t), invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** t);
      const r = eachLeaf("scaleByAdam", updates, [state.mu, state.nu], 2, (g, [m0, v0], out, [m, v]) => {
        for (let j = 0; j < g.length; j++) {
          const gj = g[j]!;
          const mj = b1 * m0![j]! + (1 - b1) * gj;
          const vj = b2 * v0![j]! + (1 - b2) * gj * gj;
          m![j] = mj;
          v![j] = vj;
          out[j] = (mj * invBc1) / (Math.sqrt(vj) * invSqrtBc2 + eps);
        }
      });
      return [r.updates, { count: t, mu: r.extra[0]!, nu: r.extra[1]! }];
    },
  };
}

export interface RmsState { nu: Params }

/** RMSProp (Hinton 2012; PyTorch's form): v <- decay v + (1-decay) g^2; u <- g / (sqrt(v) + eps). */
export function scaleByRms(opts: { decay?: number; eps?: number } = {}): GradientTransformation<RmsState> {
  const decay = opts.decay ?? 0.99, eps = opts.eps ?? 1e-8;
  return {
    leafwise: true,
    init: (params) => ({ nu: zerosTree(params) }),
    update(updates, state) {
      const r = eachLeaf("scaleByRms", updates, [state.nu], 1, (g, [v0], out, [v]) => {
        for (let j = 0; j < g.length; j++) {
          const gj = g[j]!;
          const vj = decay * v0![j]! + (1 - decay) * gj * gj;
          v![j] = vj;
          out[j] = gj / (Math.sqrt(vj) + eps);
        }
      });
      return [r.updates, { nu: r.extra[0]! }];
    },
  };
}

export interface AdagradState { sumOfSquares: Params }

/** Adagrad (Duchi et al. 2011): s <- s + g^2; u <- g / (sqrt(s) + eps). */
export function scaleByAdagrad(opts: { initialAccumulator?: number; eps?: number } = {}): GradientTransformation<AdagradState> {
  const init0 = opts.initialAccumulator ?? 0, eps = opts.eps ?? 1e-10;
  return {
    leafwise: true,
    init(params) {
      return { sumOfSquares: zerosTree(params, init0) };
    },
    update(updates, state) {
      const r = eachLeaf("scaleByAdagrad", updates, [state.sumOfSquares], 1, (g, [s0], out, [s]) => {
        for (let j = 0; j < g.length; j++) {
          const gj = g[j]!;
          const sj = s0![j]! + gj * gj;
          s![j] = sj;
          out[j] = gj / (Math.sqrt(sj) + eps);
        }
      });
      return [r.updates, { sumOfSquares: r.extra[0]! }];
    },
  };
}

/** u <- u + weightDecay * params (L2 penalty's gradient; after scaleByAdam it is AdamW's decoupled decay). */
export function addDecayedWeights(weightDecay: number): GradientTransformation<null> {
  return {
    leafwise: true,
    init: () => null,
    update(updates, state, params) {
      if (weightDecay === 0) return [updates, state];
      if (params === undefined) throw new Error("addDecayedWeights: update() needs params (the third argument)");
      const r = eachLeaf("addDecayedWeights", updates, [params], 0, (u, [p], out) => {
        for (let j = 0; j < u.length; j++) out[j] = u[j]! + weightDecay * p![j]!;
      });
      return [r.updates, null];
    },
  };
}

/** Clamps each update component into [min, max] (default [-max, max] when given one bound). */
export function clipByValue(max: number, min = -max): GradientTransformation<null> {
  if (!(min <= max)) throw new Error(`clipByValue: invalid range [${min}, ${max}] (min must be <= max)`);
  return {
    leafwise: true,
    init: () => null,
    update(updates) {
      const r = eachLeaf("clipByValue", updates, [], 0, (u, _o, out) => {
        for (let j = 0; j < u.length; j++) out[j] = Math.min(max, Math.max(min, u[j]!));
      });
      return [r.updates, null];
    },
  };
}

/** The 2-norm of all leaves taken together, as one vector. */
export function globalNorm(tree: Params): number {
  let s = 0;
  for (const leaf of flatten(tree).leaves) s += sumOfSquares(leaf);
  return Math.sqrt(s);
}

/** Rescales all updates together so their global norm is at most `maxNorm` (direction kept). */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<null> {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: invalid max norm ${maxNorm} (must be > 0)`);
  return {
    leafwise: true,
    init: () => null,
    update(updates) {
      const norm = globalNorm(updates);
      if (norm <= maxNorm) return [updates, null];
      const factor = maxNorm / norm;
      const r = eachLeaf("clipByGlobalNorm", updates, [], 0, (u, _o, out) => {
        for (let j = 0; j < u.length; j++) out[j] = factor * u[j]!;
      });
      return [r.updates, null];
    },
  };
}
