// PyTorch-style backward(): the shared reverse sweep over the graph that the imperative trace recorded on the tensors.
import { IMPERATIVE } from "../core/imperative.js";
import type { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { add } from "../ops/binary.js";
import { onesLike } from "../ops/create.js";
import { reverseSweep, Tape } from "./sweep.js";

/** Imperative tensors reachable from `root`, in topological order (inputs before outputs); iterative, no recursion. */
export function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, next] = top;
    const inputs = node._rec?.inputs ?? [];
    if (next < inputs.length) {
      top[1] = next + 1;
      const child = inputs[next]!;
      if (child._trace === IMPERATIVE && !seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
      continue;
    }
    stack.pop();
    order.push(node);
  }
  return order;
}

/** Runs the reverse pass from `y` and accumulates into `.grad` of every requiresGrad leaf. */
export function backward(y: Tensor, seed?: Tensor): void {
  if (y._trace !== IMPERATIVE) {
    throw new GradError("backward: this tensor does not depend on any tensor created with {requiresGrad: true}");
  }
  if (seed === undefined && y.size !== 1) {
    throw new GradError(`backward: needs a scalar (or a seed gradient), got shape ${formatShape(y.shape)}`);
  }
  if (seed !== undefined && !shapesEqual(seed.shape, y.shape)) {
    throw new GradError(`backward: seed has shape ${formatShape(seed.shape)} but the tensor has shape ${formatShape(y.shape)}`);
  }
  const order = topoOrder(y);
  // The sweep finds each differentiated input's node in its _node, as for a functional trace's tracers; a tensor
  // reachable from two roots is numbered afresh by each backward() before its sweep.
  const tape = new Tape(IMPERATIVE, order.length);
  for (const t of order) {
    const rec = t._rec;
    t._node = rec === null ? tape.push(null, null, null, t._primal!, undefined)
      : tape.push(rec.def, rec.inputs, rec.primals, t._primal!, rec.params);
  }
  // topoOrder puts the root last.
  const cts = reverseSweep(tape, [order.length - 1], [seed ?? onesLike(y._primal!)], "backward");
  order.forEach((leaf, i) => {
    const ct = cts[i];
    if (ct !== null && ct !== undefined && leaf._rec === null) leaf.grad = leaf.grad === null ? ct : add(leaf.grad, ct);
  });
}
