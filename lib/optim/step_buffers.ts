// The state of an optimizer that one owner (Optimizer.step, fit) holds and steps, and the storage it lends the update
// loops, so a training step allocates only the new parameters: state arrays it owns are overwritten in place and
// updates pass between transforms in scratch.
//
// The pure API (init/update) never sees these buffers: a state handed to the user is never written. Inside an owned
// step every loop reads element j of its inputs before it writes element j of its outputs, which is what makes the
// in-place reuse give the same numbers as fresh arrays.

import { backend, type Tensor } from "./core_api.js";
import { applyUpdates, type GradientTransformation, type Params } from "./transform.js";
import { checkGradsMatch, flatten } from "./leaves.js";

/** Buffers of one state owner: the float64 arrays its state lives in, and one scratch array per parameter leaf. */
export class StepBuffers {
  private readonly owned = new WeakSet<Float64Array>();
  private readonly scratch: Float64Array[] = [];

  /** True when `a` is state storage of this owner (or its scratch), which an owned step may overwrite. */
  owns(a: Float64Array): boolean {
    return this.owned.has(a);
  }

  /** A new float64 array of `size` zeros that this owner's later steps may overwrite (where the kernels read it). */
  fresh(size: number): Float64Array {
    const a = backend().stateStorage(size);
    this.owned.add(a);
    return a;
  }

  /** The scratch array of leaf `i` (kept across steps; replaced when the leaf's size changes). */
  scratchFor(i: number, size: number): Float64Array {
    const have = this.scratch[i];
    if (have !== undefined && have.length === size) return have;
    const a = this.fresh(size);
    this.scratch[i] = a;
    return a;
  }
}

let lent: StepBuffers | null = null;

/** The buffers of the owned step running now, or null inside a plain `update()` call. */
export function lentBuffers(): StepBuffers | null {
  return lent;
}

/** Runs `fn` (one update of a state that `buffers`' owner holds and nobody else sees) with the buffers lent. */
export function withStepBuffers<T>(buffers: StepBuffers, fn: () => T): T {
  const outer = lent;
  lent = buffers;
  try {
    return fn();
  } finally {
    lent = outer;
  }
}

/**
 * A transformation's state held by one owner, which nobody else sees: each step updates it in place, through the
 * transformation's ownedStep when it has one (one pass per parameter), else update and applyUpdates with lent buffers.
 */
export class HeldOptimizer {
  private state: unknown = undefined;
  private started = false;
  private readonly buffers = new StepBuffers();

  /** `op` names the caller in errors. */
  constructor(private readonly transform: GradientTransformation<any>, private readonly op: string) {}

  /** New parameters from `params` and `grads` (trees of one structure), the held state advanced by one step. */
  step<P extends Params>(params: P, grads: Params): P {
    const p = flatten(params), g = flatten(grads);
    checkGradsMatch(this.op, p, g, params);
    const t = this.transform;
    // A leafwise chain gets the leaves as flat arrays: each tree is flattened once here and rebuilt once at the end.
    const leafwise = t.leafwise === true;
    const paramsIn = leafwise ? p.leaves : params;
    if (!this.started) {
      this.state = t.init(paramsIn);
      this.started = true;
    }
    const owned = leafwise && t.ownedStep !== undefined ? t.ownedStep(p.leaves, g.leaves, this.state, this.buffers) : null;
    if (owned !== null) {
      this.state = owned[1];
      return p.rebuild(owned[0]) as P;
    }
    const [u, s] = withStepBuffers(this.buffers, () => t.update(leafwise ? g.leaves : grads, this.state, paramsIn));
    this.state = s;
    const next = applyUpdates(paramsIn, u);
    return (leafwise ? p.rebuild(next as Tensor[]) : next) as P;
  }
}
