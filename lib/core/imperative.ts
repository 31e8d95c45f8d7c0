// The PyTorch-style imperative mode (`requiresGrad`, `backward()`, `.grad`) as trace level 0 on the same engine.
// Unlike the functional traces it records a graph on the tensors themselves (each result keeps its op and inputs),
// so memory is reclaimed by the garbage collector together with the tensors; `backward()` lives in autodiff/.
import type { OpDef } from "./op.js";
import { bind, type Trace } from "./trace.js";
import { Tensor } from "./tensor.js";

/** How an imperative tensor was computed: enough to run the op's vjp rule during `backward()`. */
export interface ImperativeRecord {
  readonly def: OpDef<unknown>;
  /** The op's inputs as passed (some are imperative tracers, some plain tensors). */
  readonly inputs: readonly Tensor[];
  /** The inputs' plain values, which the vjp rule receives. */
  readonly primals: readonly Tensor[];
  readonly params: unknown;
}

/** Level-0 trace; stateless, so a shared constant (not global mutable state). */
export const IMPERATIVE: Trace = Object.freeze({
  level: 0,
  active: true,
  process<P>(def: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor {
    const primals = new Array<Tensor>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i]!;
      primals[i] = x._trace === IMPERATIVE ? x._primal! : x;
    }
    const out = bind(def, primals, params);
    if (def.differentiable === false) return out;
    const t = Tensor._tracer(IMPERATIVE, out);
    t._rec = { def: def as OpDef<unknown>, inputs, primals, params };
    return t;
  },
});

/** Wraps a plain tensor as an imperative leaf: ops on it are recorded and `backward()` fills its `.grad`. */
export function imperativeLeaf(x: Tensor): Tensor {
  return Tensor._tracer(IMPERATIVE, x);
}
