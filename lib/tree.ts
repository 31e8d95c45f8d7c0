// Trees of tensors (nested arrays and plain objects with Tensor or number leaves): flatten, rebuild, map.
import { describeValue } from "./core/convert.js";
import { Tensor } from "./core/tensor.js";
import { ValueError } from "./tensor/errors.js";

/** A tree: a Tensor or number leaf, or arrays / plain objects of trees. */
export type Tree = Tensor | number | readonly Tree[] | { readonly [key: string]: Tree };

/** A tree whose leaves are all tensors (what transforms return for gradients). */
export type TensorTree = Tensor | readonly TensorTree[] | { readonly [key: string]: TensorTree };

type Spec = null | { readonly keys: readonly string[] | null; readonly children: readonly Spec[] };

/** The structure of a tree without its leaves; `unflatten` rebuilds a tree of the same structure. */
export interface TreeDef {
  /** Number of leaves. */
  readonly size: number;
  /** Builds a tree of this structure from leaves in `flatten` order. */
  unflatten<T>(leaves: readonly T[]): unknown;
}

/**
 * True for plain objects from any realm (object literals, `Object.create(null)`): their prototype is either null or a
 * realm's Object.prototype, whose own prototype is null. Class instances, Maps and typed arrays are not plain.
 */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Splits a tree into its leaves (depth first, object keys in insertion order) and its structure.
 * A leaf that is neither a Tensor nor a number throws, naming `op`, `what` and the leaf's path (e.g. `.layers[1].w`).
 */
export function treeFlatten(tree: unknown, op = "treeFlatten", what = "tree"): [leaves: (Tensor | number)[], def: TreeDef] {
  const leaves: (Tensor | number)[] = [];
  const walk = (node: unknown, path: string): Spec => {
    if (node instanceof Tensor || typeof node === "number") {
      leaves.push(node);
      return null;
    }
    if (Array.isArray(node)) return { keys: null, children: node.map((c, i) => walk(c, `${path}[${i}]`)) };
    if (isPlainObject(node)) {
      const keys = Object.keys(node);
      return { keys, children: keys.map((k) => walk(node[k], `${path}.${k}`)) };
    }
    const where = path === "" ? what : `${what} at path ${path}`;
    throw new ValueError(`${op}: ${where} is ${describeValue(node)}, expected a Tensor or a number ` +
      "(trees may nest arrays and plain objects)");
  };
  const spec = walk(tree, "");
  const size = leaves.length;
  return [leaves, { size, unflatten: (values) => rebuild(spec, values) }];
}

function rebuild<T>(spec: Spec, values: readonly T[]): unknown {
  let k = 0;
  const build = (s: Spec): unknown => {
    if (s === null) return values[k++];
    const children = s.children.map(build);
    if (s.keys === null) return children;
    const obj: Record<string, unknown> = {};
    s.keys.forEach((key, i) => (obj[key] = children[i]));
    return obj;
  };
  if (values.length !== countLeaves(spec)) {
    throw new ValueError(`treeUnflatten: expected ${countLeaves(spec)} leaves, got ${values.length}`);
  }
  return build(spec);
}

function countLeaves(spec: Spec): number {
  return spec === null ? 1 : spec.children.reduce((n, c) => n + countLeaves(c), 0);
}

/** The leaves of a tree in flatten order. */
export function treeLeaves(tree: unknown): (Tensor | number)[] {
  return treeFlatten(tree, "treeLeaves")[0];
}

/**
 * Applies `f` leaf-wise over one or more trees of the same structure: `treeMap((p, g) => p.sub(g.mul(lr)), params, grads)`.
 */
export function treeMap<R>(f: (...leaves: any[]) => R, tree: unknown, ...rest: unknown[]): any {
  const [leaves, def] = treeFlatten(tree, "treeMap");
  const others = rest.map((r, i) => {
    const [l] = treeFlatten(r, "treeMap", `tree ${i + 2}`);
    if (l.length !== leaves.length) {
      throw new ValueError(`treeMap: tree ${i + 2} has ${l.length} leaves, the first tree has ${leaves.length}`);
    }
    return l;
  });
  return def.unflatten(leaves.map((leaf, i) => f(leaf, ...others.map((o) => o[i]))));
}
