// Adam and AdamW as one pass per parameter for an owner of the state (the backend's adamStep): the same numbers as
// their chains of transforms followed by applyUpdates, without the passes in between.
import type { AdamCoefficients, Tensor } from "./core_api.js";
import type { GradientTransformation } from "./transform.js";
import type { AdamState, CountState } from "./transforms.js";
import { adamLeafStep, flatten, ownedState } from "./leaves.js";
import { asSchedule, type Schedule } from "./schedules.js";

export interface FusedAdamOptions {
  lr: number | Schedule;
  b1?: number;
  b2?: number;
  eps?: number;
  /** Added to the gradient before Adam (Adam's L2 form); 0: none. */
  coupledDecay: number;
  /** Added to Adam's update before the learning rate (AdamW); 0: none. */
  decoupledDecay: number;
}

/**
 * `chained` (whose state holds scaleByAdam's at index `at.adam` and scaleByLearningRate's at `at.lr`) with an
 * ownedStep doing the whole chain and applyUpdates in one pass per parameter.
 */
export function withFusedAdam(chained: GradientTransformation<unknown[]>, at: { adam: number; lr: number },
  o: FusedAdamOptions): GradientTransformation<unknown[]> {
  const schedule = asSchedule(o.lr);
  const b1 = o.b1 ?? 0.9, b2 = o.b2 ?? 0.999, eps = o.eps ?? 1e-8;
  return {
    ...chained,
    ownedStep(params, grads, state, buffers) {
      // The chain reads a gradient's own values whatever the parameter's dtype; the kernels take one dtype.
      for (let i = 0; i < params.length; i++) if (grads[i]!.dtype !== params[i]!.dtype) return null;
      const adam = state[at.adam] as AdamState, lr = state[at.lr] as CountState;
      const t = adam.count + 1;
      const c: AdamCoefficients = {
        b1, c1: 1 - b1, b2, c2: 1 - b2, invBc1: 1 / (1 - b1 ** t), invSqrtBc2: 1 / Math.sqrt(1 - b2 ** t), eps,
        factor: -schedule(lr.count), coupledDecay: o.coupledDecay, decoupledDecay: o.decoupledDecay,
      };
      const mu = flatten(adam.mu).leaves, nu = flatten(adam.nu).leaves;
      if (mu.length !== params.length || nu.length !== params.length) {
        throw new Error(`adam: state has ${mu.length} tensors but params have ${params.length}`);
      }
      const next: Tensor[] = new Array(params.length), m: Tensor[] = new Array(params.length), v: Tensor[] = new Array(params.length);
      for (let i = 0; i < params.length; i++) {
        m[i] = ownedState(buffers, mu[i]!);
        v[i] = ownedState(buffers, nu[i]!);
        next[i] = adamLeafStep(params[i]!, grads[i]!, m[i]!, v[i]!, c);
      }
      const s = state.slice();
      s[at.adam] = { count: t, mu: m, nu: v } satisfies AdamState;
      s[at.lr] = { count: lr.count + 1 } satisfies CountState;
      return [next, s];
    },
  };
}
