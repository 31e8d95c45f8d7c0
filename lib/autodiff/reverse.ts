// Reverse mode: a trace that records each op on its own flat tape, and the iterative reverse sweep over that tape.
import type { OpDef } from "../core/op.js";
import { bind, type Trace } from "../core/trace.js";
import { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { add } from "../ops/binary.js";

/**
 * One level of reverse-mode tracing. The tape is a set of parallel arrays indexed by node id; leaves (the inputs being
 * differentiated) have a null op. Recording order is a topological order, so the sweep is one backward loop.
 */
export class ReverseTrace implements Trace {
  active = true;
  private readonly defs: (OpDef<any> | null)[] = [];
  private readonly inputs: (readonly Tensor[] | null)[] = [];
  private readonly primals: (readonly Tensor[] | null)[] = [];
  private readonly outs: Tensor[] = [];
  private readonly params: unknown[] = [];

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
    this.primals.push(primals);
    this.outs.push(out);
    this.params.push(params);
    return t;
  }

  /**
   * Propagates cotangents from the seeded nodes back to the leaves. Returns the cotangent of every node that is a
   * leaf (null where nothing flowed). Each cotangent's shape is checked against its input, naming the op.
   */
  sweep(seedNodes: readonly number[], seeds: readonly Tensor[]): (Tensor | null)[] {
    const n = this.defs.length;
    const cts = new Array<Tensor | null>(n);
    for (let i = 0; i < n; i++) cts[i] = null;
    let start = -1;
    for (let i = 0; i < seedNodes.length; i++) {
      const node = seedNodes[i]!;
      const prev = cts[node] ?? null;
      cts[node] = prev === null ? seeds[i]! : add(prev, seeds[i]!);
      if (node > start) start = node;
    }
    for (let i = start; i >= 0; i--) {
      const ct = cts[i];
      const def = this.defs[i];
      if (ct === null || ct === undefined || def === null || def === undefined) continue;
      cts[i] = null; // intermediate cotangents are no longer needed
      this.propagate(def, ct, this.inputs[i]!, this.primals[i]!, this.outs[i]!, this.params[i], cts);
    }
    return cts;
  }

  private propagate(def: OpDef<any>, ct: Tensor, inputs: readonly Tensor[], primals: readonly Tensor[], out: Tensor,
    params: unknown, cts: (Tensor | null)[]): void {
    if (def.vjp === undefined) throw new GradError(`grad: op '${def.name}' has no reverse-mode (vjp) rule`);
    const wants = new Array<boolean>(inputs.length);
    for (let j = 0; j < inputs.length; j++) wants[j] = inputs[j]!._trace === this;
    const grads = def.vjp(ct, primals, out, params, wants);
    for (let j = 0; j < inputs.length; j++) {
      const g = grads[j];
      if (!wants[j] || g === null || g === undefined) continue;
      const p = primals[j]!;
      if (!shapesEqual(g.shape, p.shape)) {
        throw new GradError(`grad: the vjp rule of '${def.name}' returned shape ${formatShape(g.shape)} ` +
          `for input ${j} of shape ${formatShape(p.shape)}`);
      }
      const node = inputs[j]!._node;
      const prev = cts[node] ?? null;
      cts[node] = prev === null ? g : add(prev, g);
    }
  }
}
