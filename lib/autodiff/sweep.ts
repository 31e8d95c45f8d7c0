// The one reverse sweep: cotangents flow from outputs to inputs through a tape, for grad/vjp (the functional trace's
// tape) and backward() (a tape built from the graph imperative tensors carry) alike.
import type { OpDef } from "../core/op.js";
import type { Trace } from "../core/trace.js";
import type { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { add } from "../ops/binary.js";

/** Slots per node in the tape's one flat array: op, inputs, primals, output, params. */
const NODE_FIELDS = 5;

/**
 * A computation recorded in topological order: node i is an op applied to earlier nodes, or a leaf (null op). One flat
 * pre-sized array rather than one per field, which a short gradient would pay to grow field by field. An input of node
 * i is differentiated when it is a tracer of the tape's `owner`; its node is then its `_node`.
 */
export class Tape {
  // Declared and set in the constructor (as Tensor's fields): one tape per gradient, no field initializer call.
  declare readonly owner: Trace;
  declare length: number;
  private declare readonly slots: unknown[];

  /** `nodes`: how many nodes fit before the array grows. */
  constructor(owner: Trace, nodes: number) {
    this.owner = owner;
    this.length = 0;
    this.slots = new Array(NODE_FIELDS * nodes);
  }

  /** Appends a node and returns its id; `def`, `inputs` and `primals` are null for a leaf. */
  push(def: OpDef<any> | null, inputs: readonly Tensor[] | null, primals: readonly Tensor[] | null, output: Tensor,
    params: unknown): number {
    const node = this.length++;
    const slots = this.slots, at = NODE_FIELDS * node;
    slots[at] = def;
    slots[at + 1] = inputs;
    slots[at + 2] = primals;
    slots[at + 3] = output;
    slots[at + 4] = params;
    return node;
  }

  op(i: number): OpDef<any> | null {
    return this.slots[NODE_FIELDS * i] as OpDef<any> | null;
  }

  inputs(i: number): readonly Tensor[] {
    return this.slots[NODE_FIELDS * i + 1] as readonly Tensor[];
  }

  /** Node i's inputs as plain values (what the op's rules receive). */
  primals(i: number): readonly Tensor[] {
    return this.slots[NODE_FIELDS * i + 2] as readonly Tensor[];
  }

  /** Node i's plain value. */
  output(i: number): Tensor {
    return this.slots[NODE_FIELDS * i + 3] as Tensor;
  }

  params(i: number): unknown {
    return this.slots[NODE_FIELDS * i + 4];
  }
}

/**
 * The `wants` argument of vjp rules of up to three inputs, indexed by arity then by the bit mask of wanted inputs:
 * shared arrays, since the sweep needs one per node and rules only read them (typed readonly). Not frozen: V8's
 * optimizing compiler does not inline element loads from frozen arrays, and every rule reads `wants[j]`.
 */
const WANTS: readonly (readonly (readonly boolean[])[])[] = [0, 1, 2, 3].map((arity) =>
  Array.from({ length: 1 << arity }, (_, mask) => Array.from({ length: arity }, (_, j) => (mask & (1 << j)) !== 0)));

/** Which of `inputs` anyone differentiates: the tracers of `owner`. */
function wantsOf(inputs: readonly Tensor[], owner: Trace): readonly boolean[] {
  const arity = inputs.length;
  if (arity < WANTS.length) {
    let mask = 0;
    for (let j = 0; j < arity; j++) if (inputs[j]!._trace === owner) mask |= 1 << j;
    return WANTS[arity]![mask]!;
  }
  const wants = new Array<boolean>(arity);
  for (let j = 0; j < arity; j++) wants[j] = inputs[j]!._trace === owner;
  return wants;
}

/**
 * Propagates the seed cotangents back to the leaves and returns the cotangent reaching every leaf (null where none
 * did; intermediate nodes' entries are released as the sweep passes them). `caller` names the entry point in errors.
 */
export function reverseSweep(tape: Tape, seedNodes: readonly number[], seeds: readonly Tensor[],
  caller: string): (Tensor | null)[] {
  // A loop, not fill(): Array.prototype.fill is a runtime call that costs more than a short gradient's whole loop.
  const n = tape.length, owner = tape.owner;
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
    const def = tape.op(i);
    if (ct === null || ct === undefined || def === null) continue;
    cts[i] = null;
    if (def.vjp === undefined) throw new GradError(`${caller}: op '${def.name}' has no reverse-mode (vjp) rule`);
    const inputs = tape.inputs(i), primals = tape.primals(i);
    const wants = wantsOf(inputs, owner);
    const grads = def.vjp(ct, primals, tape.output(i), tape.params(i), wants);
    for (let j = 0; j < wants.length; j++) {
      const g = grads[j];
      if (!wants[j] || g === null || g === undefined) continue;
      const p = primals[j]!;
      if (!shapesEqual(g.shape, p.shape)) {
        throw new GradError(`${caller}: the vjp rule of '${def.name}' returned shape ${formatShape(g.shape)} ` +
          `for input ${j} of shape ${formatShape(p.shape)}`);
      }
      const node = inputs[j]!._node;
      const prev = cts[node] ?? null;
      cts[node] = prev === null ? g : add(prev, g);
    }
  }
  return cts;
}
