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
  /** The node that input j of node i is, or -1 for an input nobody differentiates. */
  inputNode(i: number, j: number): number;
  /** Node i's inputs as plain values (what the op's rules receive). */
  primals(i: number): readonly Tensor[];
  /** Node i's plain value. */
  output(i: number): Tensor;
  params(i: number): unknown;
}

/**
 * The `wants` argument of vjp rules of up to three inputs, indexed by arity then by the bit mask of wanted inputs:
 * shared arrays, since the sweep needs one per node and rules only read them (typed readonly). Not frozen: V8's
 * optimizing compiler does not inline element loads from frozen arrays, and every rule reads `wants[j]`.
 */
const WANTS: readonly (readonly (readonly boolean[])[])[] = [0, 1, 2, 3].map((arity) =>
  Array.from({ length: 1 << arity }, (_, mask) => Array.from({ length: arity }, (_, j) => (mask & (1 << j)) !== 0)));

/** Which of node i's `arity` inputs anyone differentiates. */
function wantsOf(graph: RecordedGraph, i: number, arity: number): readonly boolean[] {
  if (arity < WANTS.length) {
    let mask = 0;
    for (let j = 0; j < arity; j++) if (graph.inputNode(i, j) >= 0) mask |= 1 << j;
    return WANTS[arity]![mask]!;
  }
  const wants = new Array<boolean>(arity);
  for (let j = 0; j < arity; j++) wants[j] = graph.inputNode(i, j) >= 0;
  return wants;
}

/**
 * Propagates the seed cotangents back to the leaves and returns the cotangent reaching every leaf (null where none
 * did; intermediate nodes' entries are released as the sweep passes them). `caller` names the entry point in errors.
 */
export function reverseSweep(graph: RecordedGraph, seedNodes: readonly number[], seeds: readonly Tensor[],
  caller: string): (Tensor | null)[] {
  // A loop, not fill(): Array.prototype.fill is a runtime call that costs more than a short gradient's whole loop.
  const n = graph.length;
  const cts = new Array<Tensor | null>(n);
  for (let i = 0; i < n; i++) cts[i] = null;
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
    const primals = graph.primals(i);
    const wants = wantsOf(graph, i, primals.length);
    const grads = def.vjp(ct, primals, graph.output(i), graph.params(i), wants);
    for (let j = 0; j < wants.length; j++) {
      const g = grads[j];
      if (!wants[j] || g === null || g === undefined) continue;
      const p = primals[j]!;
      if (!shapesEqual(g.shape, p.shape)) {
        throw new GradError(`${caller}: the vjp rule of '${def.name}' returned shape ${formatShape(g.shape)} ` +
          `for input ${j} of shape ${formatShape(p.shape)}`);
      }
      const node = graph.inputNode(i, j);
      const prev = cts[node] ?? null;
      cts[node] = prev === null ? g : add(prev, g);
    }
  }
  return cts;
}
