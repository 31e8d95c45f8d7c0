// The one reverse sweep: cotangents flow from outputs to inputs through a recorded graph, for grad/vjp (the functional
// tape) and backward() (the graph imperative tensors carry) alike.
import type { OpDef } from "../core/op.js";
import type { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { add } from "../ops/binary.js";

/** A computation recorded in topological order: node i is an op applied to earlier nodes, or a leaf. */
export interface RecordedGraph {
  readonly length: number;
  /** The op that computed node i; null for a leaf. */
  op(i: number): OpDef<any> | null;
  /** For each input of node i, the node it is, or -1 for an input nobody differentiates. */
  inputNodes(i: number): readonly number[];
  /** Node i's inputs as plain values (what the op's rules receive). */
  primals(i: number): readonly Tensor[];
  /** Node i's plain value. */
  output(i: number): Tensor;
  params(i: number): unknown;
}

/**
 * Propagates the seed cotangents back to the leaves and returns the cotangent reaching every leaf (null where none
 * did; intermediate nodes' entries are released as the sweep passes them). `caller` names the entry point in errors.
 */
export function reverseSweep(graph: RecordedGraph, seedNodes: readonly number[], seeds: readonly Tensor[],
  caller: string): (Tensor | null)[] {
  const cts = new Array<Tensor | null>(graph.length).fill(null);
  let start = -1;
  for (let s = 0; s < seedNodes.length; s++) {
    const node = seedNodes[s]!;
    const prev = cts[node] ?? null;
    cts[node] = prev === null ? seeds[s]! : add(prev, seeds[s]!);
    if (node > start) start = node;
  }
  for (let i = start; i >= 0; i--) {
    const ct = cts[i];
    const def = graph.op(i);
    if (ct === null || ct === undefined || def === null) continue;
    cts[i] = null;
    if (def.vjp === undefined) throw new GradError(`${caller}: op '${def.name}' has no reverse-mode (vjp) rule`);
    const nodes = graph.inputNodes(i);
    const wants = nodes.map((n) => n >= 0);
    const primals = graph.primals(i);
    const grads = def.vjp(ct, primals, graph.output(i), graph.params(i), wants);
    for (let j = 0; j < nodes.length; j++) {
      const g = grads[j];
      if (!wants[j] || g === null || g === undefined) continue;
      const p = primals[j]!;
      if (!shapesEqual(g.shape, p.shape)) {
        throw new GradError(`${caller}: the vjp rule of '${def.name}' returned shape ${formatShape(g.shape)} ` +
          `for input ${j} of shape ${formatShape(p.shape)}`);
      }
      const node = nodes[j]!;
      const prev = cts[node] ?? null;
      cts[node] = prev === null ? g : add(prev, g);
    }
  }
  return cts;
}
