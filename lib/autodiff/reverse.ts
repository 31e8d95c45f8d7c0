// Reverse mode: a trace that records each op on its own flat tape, which the shared reverse sweep reads.
import type { OpDef } from "../core/op.js";
import { bind, type Trace } from "../core/trace.js";
import { Tensor } from "../core/tensor.js";
import { reverseSweep, type RecordedGraph } from "./sweep.js";

/**
 * One level of reverse-mode tracing. The tape is a set of parallel arrays indexed by node id; leaves (the inputs being
 * differentiated) have a null op. Recording order is a topological order, so the sweep is one backward loop.
 */
export class ReverseTrace implements Trace, RecordedGraph {
  active = true;
  private readonly defs: (OpDef<any> | null)[] = [];
  private readonly inputs: (readonly Tensor[] | null)[] = [];
  private readonly primalsOf: (readonly Tensor[] | null)[] = [];
  private readonly outs: Tensor[] = [];
  private readonly paramsOf: unknown[] = [];

  constructor(readonly level: number) {}

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
    t._node = this.defs.length;
    this.defs.push(def);
    this.inputs.push(inputs);
    this.primalsOf.push(primals);
    this.outs.push(out);
    this.paramsOf.push(params);
    return t;
  }

  /** Propagates cotangents from the seeded nodes back to the leaves (see reverseSweep). */
  sweep(seedNodes: readonly number[], seeds: readonly Tensor[]): (Tensor | null)[] {
    return reverseSweep(this, seedNodes, seeds, "grad");
  }

  get length(): number {
    return this.defs.length;
  }

  op(i: number): OpDef<any> | null {
    return this.defs[i]!;
  }

  inputNodes(i: number): number[] {
    const inputs = this.inputs[i]!;
    const nodes = new Array<number>(inputs.length);
    for (let j = 0; j < inputs.length; j++) nodes[j] = inputs[j]!._trace === this ? inputs[j]!._node : -1;
    return nodes;
  }

  primals(i: number): readonly Tensor[] {
    return this.primalsOf[i]!;
  }

  output(i: number): Tensor {
    return this.outs[i]!;
  }

  params(i: number): unknown {
    return this.paramsOf[i];
  }
}
