// Reverse mode: a trace that records each op on its own tape, which the shared reverse sweep reads.
import type { OpDef } from "../core/op.js";
import { bind, type Trace } from "../core/trace.js";
import { Tensor } from "../core/tensor.js";
import { reverseSweep, Tape } from "./sweep.js";
import { keepHiddenClass } from "../tensor/hidden_classes.js";

/** Nodes that fit before the tape grows (each growth reallocates it). */
const TAPE_NODES = 12;

/**
 * One level of reverse-mode tracing. Leaves (the inputs being differentiated) have a null op. Recording order is a
 * topological order, so the sweep is one backward loop.
 */
export class ReverseTrace implements Trace {
  // Declared and set in the constructor (as Tensor's fields): one trace per gradient, no field initializer call.
  declare readonly level: number;
  declare active: boolean;
  private declare readonly tape: Tape;

  constructor(level: number) {
    this.level = level;
    this.active = true;
    this.tape = new Tape(this, TAPE_NODES);
  }

  /** Starts differentiating with respect to `x`: returns its tracer. */
  leaf(x: Tensor): Tensor {
    return this.record(null, null, null, x, undefined);
  }

  process<P>(def: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor {
    const primals = new Array<Tensor>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i]!;
      primals[i] = x._trace === this ? x._primal! : x;
    }
    const out = bind(def, primals, params);
    if (def.differentiable === false) return out;
    return this.record(def, inputs, primals, out, params);
  }

  private record(def: OpDef<any> | null, inputs: readonly Tensor[] | null, primals: readonly Tensor[] | null,
    out: Tensor, params: unknown): Tensor {
    const t = Tensor._tracer(this, out);
    t._node = this.tape.push(def, inputs, primals, out, params);
    return t;
  }

  /** Propagates cotangents from the seeded nodes back to the leaves (see reverseSweep). */
  sweep(seedNodes: readonly number[], seeds: readonly Tensor[]): (Tensor | null)[] {
    return reverseSweep(this.tape, seedNodes, seeds, "grad");
  }
}

// Every gradient makes one trace (and its tape) and drops it: see hidden_classes.ts.
keepHiddenClass(new ReverseTrace(0));
