// Forward mode: a trace whose tracers carry (primal, tangent); null tangents are symbolic zeros that cost nothing.
import type { OpDef } from "../core/op.js";
import { bind, type Trace } from "../core/trace.js";
import { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { keepHiddenClass } from "../tensor/hidden_classes.js";

/** One level of forward-mode (JVP) tracing. */
export class JvpTrace implements Trace {
  active = true;

  constructor(readonly level: number) {}

  /** A tracer for `primal` moving in direction `tangent`. */
  wrap(primal: Tensor, tangent: Tensor | null): Tensor {
    const t = Tensor._tracer(this, primal);
    t._tangent = tangent;
    return t;
  }

  process<P>(def: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor {
    const n = inputs.length;
    const primals = new Array<Tensor>(n);
    const tangents = new Array<Tensor | null>(n);
    let anyTangent = false;
    for (let i = 0; i < n; i++) {
      const x = inputs[i]!;
      const ours = x._trace === this;
      primals[i] = ours ? x._primal! : x;
      tangents[i] = ours ? x._tangent : null;
      if (tangents[i] !== null) anyTangent = true;
    }
    const out = bind(def, primals, params);
    if (def.differentiable === false || !anyTangent) return out;
    if (def.jvp === undefined) throw new GradError(`jvp: op '${def.name}' has no forward-mode (jvp) rule`);
    const tangent = def.jvp(tangents, primals, out, params);
    if (tangent === null) return out;
    if (!shapesEqual(tangent.shape, out.shape)) {
      throw new GradError(`jvp: the jvp rule of '${def.name}' returned shape ${formatShape(tangent.shape)} ` +
        `for an output of shape ${formatShape(out.shape)}`);
    }
    return this.wrap(out, tangent);
  }
}

// Every jvp makes one trace and drops it: see hidden_classes.ts.
keepHiddenClass(new JvpTrace(0));
