// numpy broadcasting rules: the result shape of two operands, and which axes a gradient must be summed over to undo it.
import { ShapeError } from "./errors.js";
import { formatShape, shapesEqual, type Shape } from "./shape.js";

/** The broadcast shape of `a` and `b`; throws `op: cannot broadcast shapes (3, 4) and (5,)`. */
export function broadcastShapes(a: Shape, b: Shape, op: string): Shape {
  if (shapesEqual(a, b)) return a;
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]!;
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]!;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * The axes of `from` that broadcasting created or stretched when it produced `from` out of `to`:
 * summing over them (then reshaping) maps a gradient of shape `from` back to shape `to`.
 */
export function reductionAxes(from: Shape, to: Shape): number[] {
  const lead = from.length - to.length;
  const axes: number[] = [];
  for (let i = 0; i < from.length; i++) {
    if (i < lead || (to[i - lead] === 1 && from[i] !== 1)) axes.push(i);
  }
  return axes;
}
