// PyTorch-style backward(): the shared reverse sweep over the graph that the imperative trace recorded on the tensors.
import { IMPERATIVE } from "../core/imperative.js";
import type { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { add } from "../ops/binary.js";
import { onesLike } from "../ops/create.js";
import { reverseSweep, type RecordedGraph } from "./sweep.js";

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
  const index = new Map<Tensor, number>();
  order.forEach((t, i) => index.set(t, i));
  // Resolved once per input: the sweep asks for each input's node twice, and each answer is a Map lookup.
  const inputNodes = order.map((t) => t._rec?.inputs.map((x) => (x._trace === IMPERATIVE ? index.get(x)! : -1)) ?? []);
  const graph: RecordedGraph = {
    length: order.length,
    op: (i) => order[i]!._rec?.def ?? null,
    inputNode: (i, j) => inputNodes[i]![j]!,
    primals: (i) => order[i]!._rec!.primals,
    output: (i) => order[i]!._primal!,
    params: (i) => order[i]!._rec!.params,
  };
  // topoOrder puts the root last.
  const cts = reverseSweep(graph, [order.length - 1], [seed ?? onesLike(y._primal!)], "backward");
  order.forEach((leaf, i) => {
    const ct = cts[i];
    if (ct !== null && ct !== undefined && leaf._rec === null) leaf.grad = leaf.grad === null ? ct : add(leaf.grad, ct);
  });
}
