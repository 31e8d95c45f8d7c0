// Optimizers as pure gradient transformations (optax's {init, update}), `chain` to compose them, `applyUpdates`.
import type { Tensor } from "./core_api.js";
import type { StepBuffers } from "./step_buffers.js";
import { flatten, fromF64, outputF64, plusUpdate, readF64 } from "./leaves.js";

/** A tree of tensors: a tensor, an array of trees, or a plain object of trees (model parameters, gradients, updates). */
export type Params = Tensor | readonly Params[] | { readonly [key: string]: Params };

/**
 * A pair of pure functions. `init(params)` builds the state; `update(updates, state, params?)` turns incoming updates
 * (gradients, for the first transform of a chain) into outgoing updates and returns the new state. Nothing is mutated:
 * the caller threads the state, so a run can be replayed or forked.
 */
export interface GradientTransformation<S = unknown> {
  init(params: Params): S;
  update(updates: Params, state: S, params?: Params): [Params, S];
  /**
   * True when the transformation treats every leaf alike and never looks at the tree's structure, so it may be given
   * the leaves as one flat array: Optimizer.step then flattens each tree once per step. Every transform here sets it;
   * leave it unset for one that looks at keys or paths.
   */
  readonly leafwise?: boolean;
  /**
   * update followed by applyUpdates in one pass per leaf, for an owner of the state that lets nobody else see it
   * (Optimizer.step, fit): the new parameters and state from flat leaves, or null when it cannot take these leaves (the
   * owner then runs the two steps). It may overwrite state arrays `buffers` owns, and must give the same numbers as the
   * two steps it stands for.
   */
  readonly ownedStep?: (params: readonly Tensor[], grads: readonly Tensor[], state: S, buffers: StepBuffers) => [Tensor[], S] | null;
}

/** Composes transformations left to right: the updates of one feed the next. The state is the tuple of the parts' states. */
export function chain(...transforms: GradientTransformation<any>[]): GradientTransformation<unknown[]> {
  return {
    leafwise: transforms.every((t) => t.leafwise === true),
    init: (params) => transforms.map((t) => t.init(params)),
    update(updates, state, params) {
      const next: unknown[] = new Array(transforms.length);
      let u = updates;
      for (let i = 0; i < transforms.length; i++) [u, next[i]] = transforms[i]!.update(u, state[i], params);
      return [u, next];
    },
  };
}

/**
 * params + updates, leaf by leaf (updates already carry the sign and the learning rate). Returns a new tree whose
 * leaves keep the parameters' dtypes (updates are float64).
 */
export function applyUpdates<P extends Params>(params: P, updates: Params): P {
  const p = flatten(params);
  const u = flatten(updates).leaves;
  if (u.length !== p.leaves.length) {
    throw new Error(`applyUpdates: params have ${p.leaves.length} tensors but updates have ${u.length}`);
  }
  return p.rebuild(p.leaves.map((leaf, i) => {
    const b = readF64(u[i]!, 1);
    if (leaf.size !== b.length) {
      throw new Error(`applyUpdates: leaf ${i} has ${leaf.size} values but its update has ${b.length}`);
    }
    if (leaf.size !== 1) return plusUpdate(leaf, b);
    const out = outputF64(1, 2);
    out[0] = readF64(leaf, 0)[0]! + b[0]!;
    return fromF64(leaf, out);
  })) as P;
}
