// Storage an owner of optimizer state (Optimizer.step, fit) lends the update loops, so a training step allocates only
// the new parameters: state arrays it owns are overwritten in place and updates pass between transforms in scratch.
//
// The pure API (init/update) never sees these buffers: a state handed to the user is never written. Inside an owned
// step every loop reads element j of its inputs before it writes element j of its outputs, which is what makes the
// in-place reuse give the same numbers as fresh arrays.

/** Buffers of one state owner: the float64 arrays its state lives in, and one scratch array per parameter leaf. */
export class StepBuffers {
  private readonly owned = new WeakSet<Float64Array>();
  private readonly scratch: Float64Array[] = [];

  /** True when `a` is state storage of this owner (or its scratch), which an owned step may overwrite. */
  owns(a: Float64Array): boolean {
    return this.owned.has(a);
  }

  /** A new float64 array of `size` elements that this owner's later steps may overwrite. */
  fresh(size: number): Float64Array {
    const a = new Float64Array(size);
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
