// PyTorch-style backward(): reverse sweep over the graph that the imperative trace recorded on the tensors themselves.
import { IMPERATIVE } from "../core/imperative.js";
import type { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { add } from "../ops/binary.js";
import { onesLike } from "../ops/create.js";

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
  const cts = new Map<Tensor, Tensor>([[y, seed ?? onesLike(y._primal!)]]);
  const order = topoOrder(y);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const ct = cts.get(node);
    if (ct === undefined) continue;
    cts.delete(node);
    const rec = node._rec;
    if (rec === null) {
      node.grad = node.grad === null ? ct : add(node.grad, ct);
      continue;
    }
    const def = rec.def;
    if (def.vjp === undefined) throw new GradError(`backward: op '${def.name}' has no reverse-mode (vjp) rule`);
    const wants = rec.inputs.map((x) => x._trace === IMPERATIVE);
    const grads = def.vjp(ct, rec.primals, node._primal!, rec.params, wants);
    rec.inputs.forEach((x, j) => {
      const g = grads[j];
      if (!wants[j] || g === null || g === undefined) return;
      if (!shapesEqual(g.shape, x.shape)) {
        throw new GradError(`backward: the vjp rule of '${def.name}' returned shape ${formatShape(g.shape)} ` +
          `for input ${j} of shape ${formatShape(x.shape)}`);
      }
      const prev = cts.get(x);
      cts.set(x, prev === undefined ? g : add(prev, g));
    });
  }
}
