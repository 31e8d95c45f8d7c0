// Raw access to parameter trees for the optimizers' fused loops: flatten/rebuild, a leaf's values, in-place assignment.
// This is the only file in optim/ that touches tensor internals.
import {
  Tensor, ValueError, backend, type AdamCoefficients, formatShape, shapesEqual, imperativeLeaf, full, treeFlatten, treePaths, isPlainObject, type DType, type TreeDef,
  RELEASED_STORAGE, releasedError, keepHiddenClass,
} from "./core_api.js";
import type { Params } from "./transform.js";
import type { StepBuffers } from "./step_buffers.js";

export type FloatArray = Float64Array | Float32Array;

/** The leaves of a tree in order, and how to build a tree of the same structure from new leaves. */
export class Flat {
  /** `def`: the tree's structure, or "tensor" for a single tensor, "array" for a flat array of tensors. */
  constructor(readonly leaves: readonly Tensor[], private readonly def: TreeDef | "tensor" | "array") {}

  rebuild(newLeaves: readonly Tensor[]): Params {
    if (newLeaves.length !== this.leaves.length) {
      throw new Error(`rebuild: the tree has ${this.leaves.length} tensors, got ${newLeaves.length}`);
    }
    return this.def === "tensor" ? newLeaves[0]! : this.def === "array" ? newLeaves : (this.def.unflatten(newLeaves) as Params);
  }
}

// Every optimizer step flattens its trees and drops them: see hidden_classes.ts.
keepHiddenClass(new Flat([], "array"));

/**
 * Flattens a tree of tensors (arrays and plain objects); a number leaf throws, a leaf of another kind too (with its
 * path). A flat array of tensors, the form Optimizer.step hands leafwise transforms, is its own list of leaves.
 */
export function flatten(tree: Params): Flat {
  if (isTensor(tree)) return new Flat([tree], "tensor");
  if (Array.isArray(tree) && tree.every(isTensor)) return new Flat(tree, "array");
  const [found, def] = treeFlatten(tree, "optimizer", "parameter tree");
  for (let i = 0; i < found.length; i++) {
    if (!isTensor(found[i])) throw new TypeError(`expected a tree of tensors, found the number ${String(found[i])} at leaf ${i}`);
  }
  return new Flat(found as Tensor[], def);
}

/**
 * Throws unless `g` has a tensor of each parameter's shape, leaf for leaf, naming the first leaf that differs by its
 * path in `params`, or when a parameter or gradient was released by a scope. Checked before a step touches the
 * optimizer's state, so a bad call leaves the next one unharmed.
 */
export function checkGradsMatch(op: string, p: Flat, g: Flat, params: Params): void {
  if (g.leaves.length !== p.leaves.length) {
    throw new ValueError(`${op}: params have ${p.leaves.length} tensors but grads have ${g.leaves.length}`);
  }
  for (let i = 0; i < p.leaves.length; i++) {
    const ps = p.leaves[i]!.shape, gs = g.leaves[i]!.shape;
    if (!shapesEqual(ps, gs)) {
      const path = treePaths(params)[i];
      throw new ValueError(`${op}: the gradient${path ? ` at ${path}` : ""} has shape ${formatShape(gs)}, its parameter ${formatShape(ps)}`);
    }
    // A tensor whose scope released its memory fails when read: here, before the leaves ahead of it are stepped.
    if (p.leaves[i]!._data === RELEASED_STORAGE) throw releasedError(p.leaves[i]!, op);
    if (g.leaves[i]!._data === RELEASED_STORAGE) throw releasedError(g.leaves[i]!, op);
  }
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

/** The contiguous values of a concrete tensor (read-only by convention). */
export function valuesOf(t: Tensor): FloatArray {
  return t.data;
}

/**
 * The values as float64, copied by the typed-array builtin when the tensor is float32. The optimizers' loops only ever
 * see Float64Array, so they stay monomorphic (one loop handling both array kinds runs several times slower in V8).
 */
export function f64Of(t: Tensor): Float64Array {
  const d = t.data;
  return d instanceof Float64Array ? d : new Float64Array(d);
}

/**
 * A tensor with `like`'s shape and dtype from float64 values (converted by the builtin for float32). A one-element
 * result is made by `full`, as scalars are: the backend may keep it without storage (the scalar path of the next
 * step's ops), and `values` may be a scratch slot.
 */
export function fromF64(like: Tensor, values: Float64Array, dtype: DType = like.dtype): Tensor {
  if (values.length === 1) return full(like.shape, values[0]!, { dtype });
  return new Tensor(dtype === "float32" ? new Float32Array(values) : values, like.shape, dtype);
}

/** A float64 tensor of `like`'s shape: optimizer state is kept in float64 whatever the parameters' dtype. */
export function stateOf(like: Tensor, values: Float64Array): Tensor {
  return fromF64(like, values, "float64");
}

// One-element arrays shared by the update loops, so that scalar parameters (a 2-D objective's x and y) cost no array
// allocations per step: the loops are synchronous and fromF64 copies a one-element result out at once.
const slots: Float64Array[] = [];

/** `t`'s values as float64 to read within one update loop; a one-element tensor is copied into scratch slot `k`. */
export function readF64(t: Tensor, k: number): Float64Array {
  if (t.size !== 1) return f64Of(t);
  const s = (slots[k] ??= new Float64Array(1));
  s[0] = t.item();
  return s;
}

/** A zeroed float64 output for a leaf of `size` elements; for one element, scratch slot `k` (pass it to fromF64). */
export function outputF64(size: number, k: number): Float64Array {
  if (size !== 1) return new Float64Array(size);
  const s = (slots[k] ??= new Float64Array(1));
  s[0] = 0;
  return s;
}

/** `leaf + update` in the leaf's dtype (float32 rounds the float64 sum once), as a new tensor of the leaf's shape. */
export function plusUpdate(leaf: Tensor, update: Float64Array): Tensor {
  const p = leaf.data;
  const out = p instanceof Float32Array ? plus32(p, update) : plus64(p, update);
  return new Tensor(out, leaf.shape, leaf.dtype);
}

// One loop per array kind, to stay monomorphic.
function plus32(p: Float32Array, u: Float64Array): Float32Array {
  const out = new Float32Array(p.length);
  for (let j = 0; j < p.length; j++) out[j] = p[j]! + u[j]!;
  return out;
}

function plus64(p: Float64Array, u: Float64Array): Float64Array {
  const out = new Float64Array(p.length);
  for (let j = 0; j < p.length; j++) out[j] = p[j]! + u[j]!;
  return out;
}

/** `t` when its values are float64 state that `buffers` owns (so a step may overwrite them), else an owned copy. */
export function ownedState(buffers: StepBuffers, t: Tensor): Tensor {
  const d = t._data;
  if (d instanceof Float64Array && buffers.owns(d)) return t;
  const own = buffers.fresh(t.size);
  own.set(t.data);
  return new Tensor(own, t.shape, "float64");
}

/** One whole Adam step of parameter `p` (the backend's adamStep), overwriting the owned moments `m` and `v`. */
export function adamLeafStep(p: Tensor, g: Tensor, m: Tensor, v: Tensor, c: AdamCoefficients): Tensor {
  return backend().adamStep(p, g, m._data as Float64Array, v._data as Float64Array, c);
}

export function zerosLikeLeaf(t: Tensor): Tensor {
  return new Tensor(t.dtype === "float32" ? new Float32Array(t.size) : new Float64Array(t.size), t.shape, t.dtype);
}

/** Sum of squared values (separate loops per array kind, to stay monomorphic). */
export function sumOfSquares(t: Tensor): number {
  const d = t.data;
  return d instanceof Float64Array ? sumSquares64(d) : sumSquares32(d);
}

function sumSquares64(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

function sumSquares32(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

/**
 * Overwrites a parameter's values in place (PyTorch-style step()): the one deliberate write into tensor storage, on
 * parameters whose storage the module or the user owns.
 */
export function assignValues(t: Tensor, values: FloatArray): void {
  // A tracer and the value below it may hold separate storage (a one-element tensor materialises it lazily): write both.
  for (let cur: Tensor | null = t; cur !== null; cur = cur._primal) (cur.data as Float64Array).set(values);
}

/** A parameter that records operations (PyTorch's requires_grad=True), on its own copy of the values. */
export function trainableCopy(t: Tensor): Tensor {
  return imperativeLeaf(new Tensor(t.data.slice(), t.shape, t.dtype));
}

export function gradOf(t: Tensor): Tensor | null {
  return t.grad ?? null;
}

export function clearGrad(t: Tensor): void {
  t.grad = null;
}

/** True when `x` is a tensor or an array/object holding at least one tensor (tells params from an options object). */
export function hasTensorLeaf(x: unknown): boolean {
  if (isTensor(x)) return true;
  if (Array.isArray(x)) return x.some(hasTensorLeaf);
  return isPlainObject(x) && Object.values(x).some(hasTensorLeaf);
}

export function toTensor(values: number[]): Tensor {
  return new Tensor(Float64Array.from(values), [values.length], "float64");
}
