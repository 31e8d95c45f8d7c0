// Shape arithmetic shared by kernels, ops and error messages: sizes, strides, axis normalisation, numpy-style printing.
import { ShapeError } from "./errors.js";

/** A tensor shape; shapes are never mutated after construction, so they may be shared between tensors. */
export type Shape = readonly number[];

/** The shape of a 0-d tensor, shared to avoid allocating one per scalar. */
export const SCALAR_SHAPE: Shape = Object.freeze([]) as Shape;

/** Number of elements of a shape (1 for a scalar). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** True when both shapes have the same dimensions. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** numpy spelling of a shape: `()`, `(5,)`, `(3, 4)`. */
export function formatShape(shape: Shape): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

/** Row-major strides (in elements). */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Resolves a possibly negative axis against a rank, naming the op and the operand's shape when it is out of range. */
export function normalizeAxis(axis: number, ndim: number, op: string, shape?: Shape): number {
  if (!Number.isInteger(axis)) throw new ShapeError(`${op}: axis must be an integer, got ${axis}`);
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) {
    const of = shape === undefined ? "" : ` (operand shape ${formatShape(shape)})`;
    throw new ShapeError(`${op}: axis ${axis} is out of bounds for a tensor of rank ${ndim}${of}`);
  }
  return a;
}

/** Resolves `axis` (one, several, or undefined = all) to sorted unique non-negative axes. */
export function normalizeAxes(axis: number | readonly number[] | undefined | null, ndim: number, op: string,
  shape?: Shape): number[] {
  if (axis === undefined || axis === null) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(a, ndim, op, shape)).sort((p, q) => p - q);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new ShapeError(`${op}: repeated axis ${out[i]}`);
  }
  return out;
}

/** Checks that a user-supplied shape is a list of non-negative integers. */
export function checkShape(shape: unknown, op: string): Shape {
  if (typeof shape === "number") shape = [shape];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${op}: a shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape.length === 0 ? SCALAR_SHAPE : (shape.slice() as Shape);
}
