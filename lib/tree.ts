// Trees of tensors (nested arrays and plain objects with Tensor or number leaves): flatten, rebuild, map.
import { describeValue } from "./core/convert.js";
import { Tensor } from "./core/tensor.js";
import { ValueError } from "./tensor/errors.js";
import { keepHiddenClass } from "./tensor/hidden_classes.js";

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
  // This realm's literals first: asking Object.prototype for its own prototype is a runtime call in V8.
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Splits a tree into its leaves (depth first, object keys in insertion order) and its structure.
 * A leaf that is neither a Tensor nor a number throws, naming `op`, `what` and the leaf's path (e.g. `.layers[1].w`).
 */
export function treeFlatten(tree: unknown, op = "treeFlatten", what = "tree"): [leaves: (Tensor | number)[], def: TreeDef] {
  const leaves: (Tensor | number)[] = [];
  const spec = specOf(tree, leaves);
  if (spec === undefined) throw badLeaf(tree, op, what);
  return [leaves, new Structure(spec, leaves.length)];
}

/**
 * Appends the leaves of `node` and returns its structure, or undefined at a leaf of another kind. Optimizers and
 * transforms flatten several trees per step, so this walk allocates only what the structure keeps and builds no path
 * strings (badLeaf walks again for the path).
 */
function specOf(node: unknown, leaves: (Tensor | number)[]): Spec | undefined {
  if (node instanceof Tensor || typeof node === "number") {
    leaves.push(node);
    return null;
  }
  const keys = Array.isArray(node) ? null : isPlainObject(node) ? Object.keys(node) : undefined;
  if (keys === undefined) return undefined;
  const n = keys === null ? (node as unknown[]).length : keys.length;
  const children: Spec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const child = keys === null ? (node as unknown[])[i] : (node as Record<string, unknown>)[keys[i]!];
    const s = specOf(child, leaves);
    if (s === undefined) return undefined;
    children[i] = s;
  }
  return { keys, children };
}

class Structure implements TreeDef {
  constructor(private readonly spec: Spec, readonly size: number) {}

  unflatten<T>(values: readonly T[]): unknown {
    if (values.length !== this.size) throw new ValueError(`treeUnflatten: expected ${this.size} leaves, got ${values.length}`);
    const next = { i: 0 };
    return build(this.spec, values, next);
  }
}

function build<T>(s: Spec, values: readonly T[], next: { i: number }): unknown {
  if (s === null) return values[next.i++];
  const n = s.children.length;
  if (s.keys === null) {
    const arr: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) arr[i] = build(s.children[i]!, values, next);
    return arr;
  }
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) obj[s.keys[i]!] = build(s.children[i]!, values, next);
  return obj;
}

/** The error for the first leaf of `tree` that is neither a Tensor nor a number, with its path. */
function badLeaf(tree: unknown, op: string, what: string): ValueError {
  let found: [unknown, string] = [tree, ""];
  visitLeaves(tree, "", (node, path) => {
    if (node instanceof Tensor || typeof node === "number") return false;
    found = [node, path];
    return true;
  });
  const [node, path] = found;
  const where = path === "" ? what : `${what} at path ${path}`;
  return new ValueError(`${op}: ${where} is ${describeValue(node)}, expected a Tensor or a number ` +
    "(trees may nest arrays and plain objects)");
}

/** The path of each leaf in flatten order (`.layers[1].w`; "" for a tree that is one leaf), for error messages. */
export function treePaths(tree: unknown): string[] {
  const paths: string[] = [];
  visitLeaves(tree, "", (_node, path) => {
    paths.push(path);
    return false;
  });
  return paths;
}

/** Calls `visit` on everything below `node` that is not an array or a plain object, depth first; stops when it returns true. */
function visitLeaves(node: unknown, path: string, visit: (node: unknown, path: string) => boolean): boolean {
  if (Array.isArray(node)) return node.some((child, i) => visitLeaves(child, `${path}[${i}]`, visit));
  if (isPlainObject(node)) return Object.keys(node).some((k) => visitLeaves(node[k], `${path}.${k}`, visit));
  return visit(node, path);
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

// Transforms and optimizers flatten trees on every call and drop the structures: see hidden_classes.ts.
keepHiddenClass(new Structure(null, 1));
