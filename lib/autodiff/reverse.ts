// Reverse mode: a trace that records each op on its own flat tape, which the shared reverse sweep reads.
import type { OpDef } from "../core/op.js";
import { bind, type Trace } from "../core/trace.js";
import { Tensor } from "../core/tensor.js";
import { reverseSweep, type RecordedGraph } from "./sweep.js";

/** Tape slots per node; the first TAPE_NODES nodes fit without the tape growing (each growth reallocates it). */
const NODE_FIELDS = 5, TAPE_NODES = 12;

/**
 * One level of reverse-mode tracing. The tape is one flat pre-sized array of NODE_FIELDS slots per node id (one array
 * rather than one per field, which a short gradient would pay to grow field by field); leaves (the inputs being
 * differentiated) have a null op. Recording order is a topological order, so the sweep is one backward loop.
 */
export class ReverseTrace implements Trace, RecordedGraph {
  // Declared and set in the constructor (as Tensor's fields): one trace per gradient, no field initializer call.
  declare readonly level: number;
  declare active: boolean;
  /** Recorded nodes; the tape holds node i's op, inputs, primals, output and params from `NODE_FIELDS * i` on. */
  private declare count: number;
  private declare readonly tape: unknown[];

  constructor(level: number) {
    this.level = level;
    this.active = true;
    this.count = 0;
    this.tape = new Array(NODE_FIELDS * TAPE_NODES);
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
    const node = this.count++;
    t._node = node;
    const tape = this.tape, at = NODE_FIELDS * node;
    tape[at] = def;
    tape[at + 1] = inputs;
    tape[at + 2] = primals;
    tape[at + 3] = out;
    tape[at + 4] = params;
    return t;
  }

  /** Propagates cotangents from the seeded nodes back to the leaves (see reverseSweep). */
  sweep(seedNodes: readonly number[], seeds: readonly Tensor[]): (Tensor | null)[] {
    return reverseSweep(this, seedNodes, seeds, "grad");
  }

  get length(): number {
    return this.count;
  }

  op(i: number): OpDef<any> | null {
    return this.tape[NODE_FIELDS * i] as OpDef<any> | null;
  }

  inputNode(i: number, j: number): number {
    const x = (this.tape[NODE_FIELDS * i + 1] as readonly Tensor[])[j]!;
    return x._trace === this ? x._node : -1;
  }

  primals(i: number): readonly Tensor[] {
    return this.tape[NODE_FIELDS * i + 2] as readonly Tensor[];
  }

  output(i: number): Tensor {
    return this.tape[NODE_FIELDS * i + 3] as Tensor;
  }

  params(i: number): unknown {
    return this.tape[NODE_FIELDS * i + 4];
  }
}
