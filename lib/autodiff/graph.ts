// Computation graphs as plain data for display (micrograd's trace()): the ops a function performed, each node's value
// and its gradient d(output)/d(node), and on each edge the local derivative of the consumer w.r.t. that input.
import { asTensor } from "../core/convert.js";
import { IMPERATIVE, imperativeLeaf } from "../core/imperative.js";
import { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { treeFlatten } from "../tree.js";
import { add } from "../ops/binary.js";
import { onesLike } from "../ops/create.js";
import { topoOrder } from "./backward.js";

/** A value on the graph: shape and row-major data. */
export interface GraphValue {
  shape: readonly number[];
  data: ArrayLike<number>;
  dtype?: string;
}

export interface GraphNode {
  /** Unique within the graph. */
  id: number;
  /** "input", "const", or the op name ("mul", "exp", "matmul", ...). */
  op: string;
  /** Label for inputs ("x", "w[0]"), or a name the tracer knows. */
  name?: string;
  value: GraphValue;
  /** d(output)/d(node) after the backward sweep. */
  grad?: GraphValue;
  /** Op parameters worth showing (axis, keepdims, ...), JSON-able. */
  params?: Record<string, unknown>;
}

export interface GraphEdge {
  /** Producer node id (an input of `to`). */
  from: number;
  /** Consumer node id. */
  to: number;
  /** Which input slot of `to`. */
  argIndex: number;
  /** Local derivative d(to)/d(from) (the op's vjp with a cotangent of ones; exact for scalar and elementwise ops). */
  local?: GraphValue;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Id of the output node. */
  output: number;
}

function valueOf(t: Tensor): GraphValue {
  return { shape: t.shape.slice(), data: t.toFlatArray(), dtype: t.dtype };
}

/** The value a graph node shows: an imperative tracer's primal, or a constant as is. */
const primalOf = (t: Tensor): Tensor => (t._trace === IMPERATIVE ? t._primal! : t);

/** Op parameters worth printing (axis, keepdims, ...): plain JSON-able records only. */
function shownParams(params: unknown): Record<string, unknown> | undefined {
  if (typeof params !== "object" || params === null || Array.isArray(params)) return undefined;
  const shown: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || typeof v === "function" || (typeof v === "object" && v !== null && !Array.isArray(v))) continue;
    shown[k] = v;
  }
  return Object.keys(shown).length > 0 ? shown : undefined;
}

/**
 * The graph recorded on an imperative tensor, with gradients from a reverse sweep seeded with ones at `root`
 * (for a scalar root: d(root)/d(node)). `names` labels leaves.
 */
function buildGraph(root: Tensor, names: ReadonlyMap<Tensor, string>): Graph {
  const order = topoOrder(root);
  const ids = new Map<Tensor, number>();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const constId = (t: Tensor): number => {
    let id = ids.get(t);
    if (id === undefined) {
      id = nodes.length;
      ids.set(t, id);
      nodes.push({ id, op: "const", value: valueOf(t) });
    }
    return id;
  };
  for (const t of order) {
    const rec = t._rec;
    const inputIds = rec ? rec.inputs.map((x) => (x._trace === IMPERATIVE ? ids.get(x)! : constId(x))) : [];
    const id = nodes.length;
    ids.set(t, id);
    const name = names.get(t);
    nodes.push({
      id,
      op: rec ? rec.def.name : "input",
      ...(name !== undefined ? { name } : {}),
      value: valueOf(primalOf(t)),
      ...(rec && shownParams(rec.params) ? { params: shownParams(rec.params)! } : {}),
    });
    if (!rec) continue;
    // Local derivatives: the op's vjp with a cotangent of ones (exact for scalar and elementwise ops).
    const out = t._primal!;
    const wants = rec.inputs.map(() => true);
    const locals = rec.def.vjp ? rec.def.vjp(onesLike(out), rec.primals, out, rec.params, wants) : [];
    inputIds.forEach((from, argIndex) => {
      const local = locals[argIndex];
      edges.push({ from, to: id, argIndex, ...(local ? { local: valueOf(local) } : {}) });
    });
  }
  // Reverse sweep over the same records, keeping every node's cotangent (backward() keeps only the leaves').
  const cts = new Map<Tensor, Tensor>([[root, onesLike(root._primal!)]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i]!;
    const ct = cts.get(t);
    if (ct === undefined) continue;
    nodes[ids.get(t)!]!.grad = valueOf(ct);
    const rec = t._rec;
    if (!rec?.def.vjp) continue;
    const wants = rec.inputs.map((x) => x._trace === IMPERATIVE);
    const grads = rec.def.vjp(ct, rec.primals, t._primal!, rec.params, wants);
    rec.inputs.forEach((x, j) => {
      const g = grads[j];
      if (!wants[j] || !g) return;
      const prev = cts.get(x);
      cts.set(x, prev === undefined ? g : add(prev, g));
    });
  }
  return { nodes, edges, output: ids.get(root)! };
}

/** Parameter names of a plain function or arrow function (`(x, y) => ...`), for labelling the graph's inputs. */
function parameterNames(f: Function): string[] {
  const source = Function.prototype.toString.call(f);
  const single = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (single) return [single[1]!];
  const list = /^[^(]*\(([^)]*)\)/.exec(source);
  if (!list) return [];
  return list[1]!.split(",").map((p) => p.trim().replace(/\s*=.*$/, "")).map((p) => (/^[A-Za-z_$][\w$]*$/.test(p) ? p : ""));
}

/**
 * Runs `f(...args)` recording every op, then backpropagates from its output (a scalar, or the sum of a non-scalar
 * output). Arguments may be tensors, numbers or trees of them; each leaf becomes a named input node.
 */
export function traceGraph(f: (...args: any[]) => unknown, ...args: unknown[]): Graph {
  if (typeof f !== "function") throw new GradError(`graph: expected a function to trace, got ${typeof f}`);
  const declared = parameterNames(f);
  const names = new Map<Tensor, string>();
  const callArgs = args.map((arg, k) => {
    const base = declared[k] || `arg${k}`;
    const [leaves, def] = treeFlatten(arg, "graph", `argument ${k}`);
    const wrapped = leaves.map((leaf, i) => {
      const t = imperativeLeaf(asTensor(leaf));
      names.set(t, leaves.length === 1 && (arg instanceof Tensor || typeof arg === "number") ? base : `${base}[${i}]`);
      return t;
    });
    return arg instanceof Tensor || typeof arg === "number" ? wrapped[0] : def.unflatten(wrapped);
  });
  const out = f(...callArgs);
  if (!(out instanceof Tensor) || out._trace !== IMPERATIVE) {
    throw new GradError("graph: f must return a tensor computed from its arguments");
  }
  return buildGraph(out, names);
}

/** The recorded history of a tensor computed from `{requiresGrad: true}` tensors (PyTorch style). */
export function historyGraph(t: unknown): Graph {
  if (!(t instanceof Tensor) || t._trace !== IMPERATIVE || t._rec === null) {
    throw new GradError("graph: this tensor has no recorded history (compute it from tensors created with {requiresGrad: true})");
  }
  const names = new Map<Tensor, string>();
  let leaf = 0;
  for (const node of topoOrder(t)) if (node._rec === null) names.set(node, `leaf${leaf++}`);
  return buildGraph(t, names);
}
