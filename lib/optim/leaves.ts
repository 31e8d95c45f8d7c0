// Raw access to parameter trees for the optimizers' fused loops: flatten/rebuild, a leaf's values, in-place assignment.
// This is the only file in optim/ that touches tensor internals.
import { Tensor, imperativeLeaf, treeFlatten, isPlainObject } from "./engine.js";
import type { Params } from "./transform.js";

export type FloatArray = Float64Array | Float32Array;

/** The leaves of a tree in order, and a function that builds a tree of the same structure from new leaves. */
export interface Flat { leaves: Tensor[]; rebuild(leaves: Tensor[]): Params }

/**
 * Flattens a tree of tensors (arrays and plain objects). Optimizers flatten several trees per step, so this walk skips
 * the per-node path strings of tree.ts's treeFlatten; on a bad leaf it defers to treeFlatten for the error with the path.
 */
export function flatten(tree: Params): Flat {
  if (isTensor(tree)) return { leaves: [tree], rebuild: (newLeaves) => newLeaves[0]! };
  const leaves: Tensor[] = [];
  if (!collectLeaves(tree, leaves)) {
    const [found] = treeFlatten(tree, "optimizer", "parameter tree");
    const i = found.findIndex((leaf) => !isTensor(leaf));
    throw new TypeError(`expected a tree of tensors, found the number ${String(found[i])} at leaf ${i}`);
  }
  return { leaves, rebuild: (newLeaves) => rebuildLike(tree, newLeaves) };
}

/** Appends the tensors of `node` depth first; false when a leaf is not a tensor. */
function collectLeaves(node: unknown, out: Tensor[]): boolean {
  if (isTensor(node)) {
    out.push(node);
    return true;
  }
  if (Array.isArray(node)) return node.every((child) => collectLeaves(child, out));
  if (isPlainObject(node)) {
    for (const key in node) if (!collectLeaves(node[key], out)) return false;
    return true;
  }
  return false;
}

/** A tree shaped like `like` whose leaves are `leaves`, in collectLeaves order. */
function rebuildLike(like: Params, leaves: readonly Tensor[]): Params {
  let next = 0;
  const build = (node: unknown): unknown => {
    if (isTensor(node)) return leaves[next++];
    if (Array.isArray(node)) return node.map(build);
    const out: Record<string, unknown> = {};
    for (const key in node as Record<string, unknown>) out[key] = build((node as Record<string, unknown>)[key]);
    return out;
  };
  const built = build(like) as Params;
  if (next !== leaves.length) throw new Error(`rebuild: the tree has ${next} tensors, got ${leaves.length}`);
  return built;
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

/** A tensor with `like`'s shape and dtype from float64 values (converted by the builtin for float32). */
export function fromF64(like: Tensor, values: Float64Array): Tensor {
  return new Tensor(like.dtype === "float32" ? new Float32Array(values) : values, like.shape, like.dtype);
}

/** A float64 tensor of `like`'s shape: optimizer state is kept in float64 whatever the parameters' dtype. */
export function stateOf(like: Tensor, values: Float64Array): Tensor {
  return new Tensor(values, like.shape, "float64");
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
