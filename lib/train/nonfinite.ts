// Finds where a NaN/Inf first appeared in a training step: re-runs the step under a watching trace that checks every
// op's output, in the forward pass and in the backward pass (whose vjp rules run through the same ops).
import { Tensor, valueAndGrad } from "../optim/core_api.js";
import { bind, lowerFrom, popTrace, pushTrace, type Trace } from "../core/trace.js";
import type { OpDef } from "../core/op.js";
import { flatten } from "../optim/leaves.js";
import type { Params } from "../optim/transform.js";

export interface NonFiniteSite { op: string | null; pass: "forward" | "backward" | null }

function hasNonFinite(t: Tensor): boolean {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return true;
  return false;
}

/** A trace one level below the gradient's: passes every op through and remembers the first non-finite output. */
class WatchTrace implements Trace {
  active = true;
  found: NonFiniteSite = { op: null, pass: null };
  phase: "forward" | "backward" = "forward";
  constructor(readonly level: number) {}

  process<P>(def: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor {
    const out = bind(def, lowerFrom(inputs, this), params);
    if (this.found.op === null && hasNonFinite(out)) this.found = { op: def.name, pass: this.phase };
    return new Tensor(out.data, out.shape, out.dtype, this, out);
  }
}

/** Re-runs loss(params) and its gradient, returning the first op whose output holds NaN or Inf (null if none did). */
export function locateNonFinite(loss: (p: Params) => Tensor, params: Params): NonFiniteSite {
  const watch = pushTrace((level) => new WatchTrace(level));
  try {
    const flat = flatten(params);
    const watched = flat.rebuild(flat.leaves.map((t) => new Tensor(t.data, t.shape, t.dtype, watch, t)));
    const objective = (p: Params) => {
      const value = loss(p);
      watch.phase = "backward";
      return value;
    };
    (valueAndGrad(objective as (p: any) => Tensor) as unknown as (p: Params) => unknown)(watched);
  } catch {
    // The diagnosis is best effort: an error in the re-run keeps what was found so far.
  } finally {
    popTrace(watch);
  }
  return watch.found;
}
