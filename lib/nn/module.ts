// Module: a layer's parameters as a tree plus a pure apply(params, x); named parameter paths ("layers.0.weight").
import { formatShape, isPlainObject, type Tensor } from "../optim/core_api.js";
import type { Params } from "../optim/transform.js";
import { flatten, clearGrad, trainableCopy } from "../optim/leaves.js";

/**
 * A layer or model. `params` is a tree of tensors (what grad and the optimizers take); `apply(params, x)` is pure, so
 * the functional style is `valueAndGrad(p => loss(model.apply(p, x), y))(model.params)`; `forward(x)` uses the
 * model's own parameters (PyTorch style, with `requiresGrad()` and `loss.backward()`).
 */
export abstract class Module<P extends Params = Params> {
  private ownParams: P;

  constructor(params: P) {
    this.ownParams = params;
  }

  get params(): P {
    return this.ownParams;
  }

  set params(p: P) {
    this.ownParams = p;
  }

  /** The layer's function of its input with the given parameters (pure). */
  abstract apply(params: P, x: Tensor): Tensor;

  /** apply with the module's own parameters. */
  forward(x: Tensor): Tensor {
    return this.apply(this.params, x);
  }

  /** Every parameter with its dotted path, e.g. ["layers.0.weight", W]. */
  namedParameters(): [string, Tensor][] {
    return namedLeaves(this.params);
  }

  /** The parameter tensors in tree order. */
  parameters(): Tensor[] {
    return flatten(this.params).leaves.slice();
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * PyTorch style: replaces every parameter by a `requiresGrad` copy, so `loss.backward()` fills their `.grad` and an
   * optimizer built afterwards (`new Adam(model.params, {lr})`) updates them in place.
   */
  requiresGrad(): this {
    const flat = flatten(this.params);
    this.params = flat.rebuild(flat.leaves.map(trainableCopy)) as P;
    return this;
  }

  /** One line per parameter (path, shape, dtype, count) and the total: what the notebook shows for a model. */
  summary(): string {
    const rows = this.namedParameters().map(([name, p]) => [name, formatShape(p.shape), p.dtype, String(p.size)]);
    const header = ["parameter", "shape", "dtype", "count"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
    return [`${this.constructor.name}: ${this.parameterCount()} parameters`, line(header), ...rows.map(line)].join("\n");
  }

  /** Jupyter display: the parameter summary. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": this.summary() };
  }

  /** Clears `.grad` of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) clearGrad(p);
  }
}

/** The leaves of a tree with dotted paths: {layers: [{weight}]} -> "layers.0.weight". */
export function namedLeaves(tree: Params, prefix = ""): [string, Tensor][] {
  const join = (key: string | number) => (prefix === "" ? String(key) : `${prefix}.${key}`);
  if (Array.isArray(tree)) return tree.flatMap((sub: Params, i: number) => namedLeaves(sub, join(i)));
  if (isPlainObject(tree)) {
    return Object.entries(tree as Record<string, Params>).flatMap(([k, sub]) => namedLeaves(sub, join(k)));
  }
  return [[prefix, tree as Tensor]];
}
