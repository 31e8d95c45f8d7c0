// Reductions (sum, prod, max, min, argmax, argmin) over axes with keepdims, and broadcastTo, sum's transpose.
import { asTensor } from "../core/convert.js";
import { defineOp, type OpDef } from "../core/op.js";
import { bind } from "../core/trace.js";
import type { AxisArg, Tensor, TensorLike } from "../core/tensor.js";
import { ShapeError } from "../tensor/errors.js";
import { broadcastShapes } from "../tensor/broadcast.js";
import { backend, type ReduceFn } from "../backend/index.js";
import { checkShape, formatShape, normalizeAxes, normalizeAxis, SCALAR_SHAPE, shapesEqual, type Shape } from "../tensor/shape.js";
import { axisOptions, unbroadcast } from "./helpers.js";
import { div, mul } from "./binary.js";
import { equal, where } from "./select.js";
import { reshape } from "./shape.js";

/** Parameters of a reduction: sorted axes and whether they stay as length-1 axes. */
export interface ReduceParams {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

/** `shape` with the reduced axes set to 1. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function resultShape(shape: Shape, { axes, keepdims }: ReduceParams): Shape {
  if (keepdims) return keptShape(shape, axes);
  const out = shape.filter((_, i) => !axes.includes(i));
  return out.length === 0 ? SCALAR_SHAPE : out;
}

function reduceForward(x: Tensor, params: ReduceParams, fn: ReduceFn): Tensor {
  return backend().reduce(fn, x, params.axes, resultShape(x.shape, params));
}

/** A cotangent of the reduced result, reshaped to keepdims form and broadcast back over x. */
function expandBack(ct: Tensor, x: Tensor, params: ReduceParams): Tensor {
  const kept = params.keepdims ? ct : reshape(ct, keptShape(x.shape, params.axes));
  return broadcastTo(kept, x.shape);
}

export const SUM: OpDef<ReduceParams> = defineOp<ReduceParams>({
  name: "sum",
  forward: ([x], p) => reduceForward(x!, p, "sum"),
  vjp: (ct, [x], _out, p) => [expandBack(ct, x!, p)],
  jvp: ([dx], _in, _out, p) => bind(SUM, [dx!], p),
});

/**
 * d prod / dx_i = product of the other entries, without 0/0: prod / x_i for a nonzero entry (written that way it
 * stays differentiable), and for a zero entry the product of the nonzero others if it is the only zero, else 0.
 */
function prodPartials(x: Tensor, out: Tensor, p: ReduceParams): Tensor {
  const zero = equal(x, 0);
  const keep = { axes: p.axes, keepdims: true };
  const safe = where(zero, 1, x);
  const onlyZero = equal(bind(SUM, [zero], keep), 1);
  const atZero = where(onlyZero, bind(PROD, [safe], keep), 0);
  return where(zero, atZero, div(expandBack(out, x, p), safe));
}

export const PROD: OpDef<ReduceParams> = defineOp<ReduceParams>({
  name: "prod",
  forward: ([x], p) => reduceForward(x!, p, "prod"),
  vjp: (ct, [x], out, p) => [mul(expandBack(ct, x!, p), prodPartials(x!, out, p))],
  jvp: ([dx], [x], out, p) => bind(SUM, [mul(dx!, prodPartials(x!, out, p))], p),
});

/** Convention for max/min: tied extrema share the gradient equally (mask / count). */
function extremumShare(x: Tensor, out: Tensor, p: ReduceParams): Tensor {
  const mask = equal(x, expandBack(out, x, p));
  return div(mask, bind(SUM, [mask], { axes: p.axes, keepdims: true }));
}

function extremum(name: "max" | "min"): OpDef<ReduceParams> {
  return defineOp<ReduceParams>({
    name,
    forward: ([x], p) => {
      // As numpy: only a reduction over no elements has no answer (an empty result of a non-empty reduction is fine).
      if (p.axes.some((a) => x!.shape[a] === 0)) {
        throw new ShapeError(`${name}: zero-size reduction over axes ${JSON.stringify(p.axes)} of shape ` +
          `${formatShape(x!.shape)} has no ${name === "max" ? "maximum" : "minimum"}`);
      }
      return reduceForward(x!, p, name);
    },
    vjp: (ct, [x], out, p) => [mul(expandBack(ct, x!, p), extremumShare(x!, out, p))],
    jvp: ([dx], [x], out, p) => bind(SUM, [mul(dx!, extremumShare(x!, out, p))], p),
  });
}

export const MAX = extremum("max");
export const MIN = extremum("min");

/** argmax/argmin params: one axis, or null for the flat index. */
export interface ArgParams {
  readonly axis: number | null;
}

function argExtremum(name: "argmax" | "argmin", kind: "max" | "min"): OpDef<ArgParams> {
  return defineOp<ArgParams>({
    name,
    differentiable: false,
    forward: ([x], { axis }) => {
      if (axis === null ? x!.size === 0 : x!.shape[axis] === 0) {
        throw new ShapeError(`${name}: attempt to get ${name} of an empty sequence (shape ${formatShape(x!.shape)}, ` +
          `axis ${axis === null ? "all" : axis})`);
      }
      return backend().argReduce(kind, x!, axis);
    },
  });
}

export const ARGMAX = argExtremum("argmax", "max");
export const ARGMIN = argExtremum("argmin", "min");

/** Parameters of broadcastTo: the target shape. */
export interface BroadcastParams {
  readonly shape: Shape;
}

export const BROADCAST_TO: OpDef<BroadcastParams> = defineOp<BroadcastParams>({
  name: "broadcastTo",
  forward: ([x], { shape }) => backend().broadcastTo(x!, shape),
  vjp: (ct, [x]) => [unbroadcast(ct, x!.shape)],
  jvp: ([dx], _in, _out, p) => bind(BROADCAST_TO, [dx!], p),
});

function reduction(def: OpDef<ReduceParams>, x: TensorLike, axis: AxisArg | undefined, keepdims: boolean | undefined): Tensor {
  const t = asTensor(x, undefined, def.name);
  const o = axisOptions(axis, keepdims);
  return bind(def, [t], { axes: normalizeAxes(o.axis, t.ndim, def.name, t.shape), keepdims: o.keepdims });
}

/** Sum over `axis` (all axes when omitted): `sum(x)`, `sum(x, 0)`, `sum(x, [0, 1], true)`, `sum(x, {axis, keepdims})`. */
export function sum(x: TensorLike, axis?: AxisArg, keepdims?: boolean): Tensor {
  return reduction(SUM, x, axis, keepdims);
}
/** Product over `axis` (all axes when omitted). */
export function prod(x: TensorLike, axis?: AxisArg, keepdims?: boolean): Tensor {
  return reduction(PROD, x, axis, keepdims);
}
/** Maximum over `axis` (all when omitted). Convention: tied maxima split the gradient equally. */
export function max(x: TensorLike, axis?: AxisArg, keepdims?: boolean): Tensor {
  return reduction(MAX, x, axis, keepdims);
}
/** Minimum over `axis` (all when omitted). Convention: tied minima split the gradient equally. */
export function min(x: TensorLike, axis?: AxisArg, keepdims?: boolean): Tensor {
  return reduction(MIN, x, axis, keepdims);
}
/** Index of the first maximum along `axis` (the flat index when omitted), as a float64 tensor. */
export function argmax(x: TensorLike, axis?: number): Tensor {
  const t = asTensor(x, undefined, "argmax");
  return bind(ARGMAX, [t], { axis: axis === undefined ? null : normalizeAxis(axis, t.ndim, "argmax", t.shape) });
}
/** Index of the first minimum along `axis` (the flat index when omitted), as a float64 tensor. */
export function argmin(x: TensorLike, axis?: number): Tensor {
  const t = asTensor(x, undefined, "argmin");
  return bind(ARGMIN, [t], { axis: axis === undefined ? null : normalizeAxis(axis, t.ndim, "argmin", t.shape) });
}

/** Repeats `x` along broadcast dimensions to reach `shape` (numpy rules). */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x, undefined, "broadcastTo");
  const target = checkShape(shape, "broadcastTo");
  if (shapesEqual(t.shape, target)) return t;
  let ok = target.length >= t.ndim;
  try {
    ok = ok && shapesEqual(broadcastShapes(t.shape, target, "broadcastTo"), target);
  } catch {
    ok = false;
  }
  if (!ok) throw new ShapeError(`broadcastTo: cannot broadcast shape ${formatShape(t.shape)} to ${formatShape(target)}`);
  return bind(BROADCAST_TO, [t], { shape: target });
}
