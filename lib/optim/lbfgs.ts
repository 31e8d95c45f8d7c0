// L-BFGS (Nocedal & Wright, Alg. 7.4 two-loop recursion + 7.5) with a strong-Wolfe or backtracking line search.
import { backtracking, strongWolfe } from "./line_search.js";
import { dot, axpy, type Iterate, type Objective, type ObjectiveOptimizer } from "./objective.js";
import { checkOption } from "./validate.js";
import type { Tensor } from "./core_api.js";
import type { Params } from "./transform.js";
import { assignValues, clearGrad, flatten, gradOf, hasTensorLeaf, valuesOf } from "./leaves.js";

export interface LBFGSOptions {
  /** Initial step tried by the line search (1 is the natural quasi-Newton step). */
  lr?: number;
  /** Number of (s, y) pairs kept. */
  historySize?: number;
  lineSearch?: "strongWolfe" | "backtracking" | "none";
  /** PyTorch-style step(closure): iterations per call (default 20). */
  maxIter?: number;
  /** PyTorch-style step(closure): stop when the largest |gradient| component is below this (default 1e-7). */
  tolGrad?: number;
}

interface LBFGSState { s: Float64Array[]; y: Float64Array[]; iteration: number }

/**
 * Limited-memory BFGS: the direction from the last `historySize` steps, the step from a line search.
 * Use it with `minimize(f, x0, {optimizer: new LBFGS()})`, or PyTorch-style on requiresGrad parameters:
 * `const opt = new LBFGS(model.params); opt.step(() => { opt.zeroGrad(); const l = loss(); l.backward(); return l; })`.
 */
export class LBFGS implements ObjectiveOptimizer<LBFGSState> {
  readonly name = "LBFGS";
  readonly needsHessian = false;
  readonly lr: number;
  readonly historySize: number;
  readonly lineSearch: "strongWolfe" | "backtracking" | "none";
  readonly params: Params | undefined;
  private readonly maxIter: number;
  private readonly tolGrad: number;
  private closureState: LBFGSState | undefined;

  constructor(options?: LBFGSOptions);
  constructor(params: Params, options?: LBFGSOptions);
  constructor(a?: Params | LBFGSOptions, b?: LBFGSOptions) {
    const bound = a !== undefined && hasTensorLeaf(a);
    this.params = bound ? (a as Params) : undefined;
    const options: LBFGSOptions = (bound ? b : (a as LBFGSOptions | undefined)) ?? {};
    checkOption("LBFGS", "max iterations", options.maxIter, (v) => Number.isInteger(v) && v >= 1, "an integer >= 1");
    checkOption("LBFGS", "gradient tolerance", options.tolGrad, (v) => v >= 0, ">= 0");
    this.maxIter = options.maxIter ?? 20;
    this.tolGrad = options.tolGrad ?? 1e-7;
    checkOption("LBFGS", "learning rate", options.lr, (v) => v > 0 && Number.isFinite(v), "> 0");
    checkOption("LBFGS", "history size", options.historySize, (v) => Number.isInteger(v) && v >= 1, "an integer >= 1");
    const ls = options.lineSearch ?? "strongWolfe";
    if (!["strongWolfe", "backtracking", "none"].includes(ls)) {
      throw new Error(`LBFGS: invalid line search "${String(ls)}" (must be "strongWolfe", "backtracking" or "none")`);
    }
    this.lr = options.lr ?? 1;
    this.historySize = options.historySize ?? 10;
    this.lineSearch = ls;
  }

  start(): LBFGSState {
    return { s: [], y: [], iteration: 0 };
  }

  /** The quasi-Newton direction -H g, with H the inverse-Hessian approximation from the stored pairs. */
  direction(grad: Float64Array, state: LBFGSState): Float64Array {
    const q = Float64Array.from(grad);
    const k = state.s.length;
    const alphas = new Float64Array(k), rhos = new Float64Array(k);
    for (let i = k - 1; i >= 0; i--) {
      rhos[i] = 1 / dot(state.y[i]!, state.s[i]!);
      alphas[i] = rhos[i]! * dot(state.s[i]!, q);
      for (let j = 0; j < q.length; j++) q[j]! -= alphas[i]! * state.y[i]![j]!;
    }
    if (k > 0) {
      const gamma = dot(state.s[k - 1]!, state.y[k - 1]!) / dot(state.y[k - 1]!, state.y[k - 1]!);
      for (let j = 0; j < q.length; j++) q[j]! *= gamma;
    }
    for (let i = 0; i < k; i++) {
      const beta = rhos[i]! * dot(state.y[i]!, q);
      for (let j = 0; j < q.length; j++) q[j]! += state.s[i]![j]! * (alphas[i]! - beta);
    }
    for (let j = 0; j < q.length; j++) q[j] = -q[j]!;
    return q;
  }

  iterate(objective: Objective, at: Iterate, state: LBFGSState): { next: Iterate; state: LBFGSState } {
    const d = this.direction(at.grad, state);
    // First step: no curvature known yet, so keep it short (as PyTorch: lr * min(1, 1/|g|_1)).
    let l1 = 0;
    for (const g of at.grad) l1 += Math.abs(g);
    const alpha0 = state.iteration === 0 ? this.lr * Math.min(1, 1 / l1) : this.lr;
    let next: Iterate;
    if (this.lineSearch === "none") {
      const x = axpy(at.x, alpha0, d);
      next = { x, ...objective.valueAndGrad(x) };
    } else {
      const search = this.lineSearch === "strongWolfe" ? strongWolfe : backtracking;
      next = search(objective, at, d, { alpha0 }).at;
    }
    const s = new Float64Array(at.x.length), y = new Float64Array(at.x.length);
    for (let j = 0; j < s.length; j++) { s[j] = next.x[j]! - at.x[j]!; y[j] = next.grad[j]! - at.grad[j]!; }
    const pairs = { s: [...state.s], y: [...state.y] };
    // Keep the pair only when it carries positive curvature, so the approximation stays positive definite.
    if (dot(s, y) > 1e-10 * Math.sqrt(dot(y, y) * dot(s, s))) {
      pairs.s.push(s); pairs.y.push(y);
      if (pairs.s.length > this.historySize) { pairs.s.shift(); pairs.y.shift(); }
    }
    return { next, state: { ...pairs, iteration: state.iteration + 1 } };
  }

  /** Clears `.grad` on the parameters given to the constructor. */
  zeroGrad(): void {
    if (this.params !== undefined) for (const p of flatten(this.params).leaves) clearGrad(p);
  }

  /**
   * PyTorch style: runs up to `maxIter` iterations on the parameters given to the constructor, updating them in place.
   * `closure` re-evaluates the loss and calls `backward()` (it is called several times per iteration by the line
   * search). Returns the loss at the first evaluation, as PyTorch does.
   */
  step(closure: () => Tensor): number {
    if (this.params === undefined) {
      throw new Error("LBFGS.step(closure): no parameters; construct it as new LBFGS(params, options) or use minimize()");
    }
    const leaves = flatten(this.params).leaves;
    const sizes = leaves.map((p) => p.size);
    const n = sizes.reduce((x, y) => x + y, 0);
    const evaluate = (v: Float64Array): { value: number; grad: Float64Array } => {
      let offset = 0;
      leaves.forEach((p, i) => {
        assignValues(p, v.subarray(offset, offset + sizes[i]!));
        offset += sizes[i]!;
        clearGrad(p);
      });
      const loss = closure();
      if (leaves.every((p) => gradOf(p) === null)) loss.backward();
      const grad = new Float64Array(n);
      offset = 0;
      leaves.forEach((p, i) => {
        const g = gradOf(p);
        if (g !== null) grad.set(valuesOf(g), offset);
        offset += sizes[i]!;
      });
      return { value: valuesOf(loss)[0]!, grad };
    };
    const objective: Objective = { n, valueAndGrad: evaluate };
    const x0 = new Float64Array(n);
    let offset = 0;
    for (const p of leaves) { x0.set(valuesOf(p), offset); offset += p.size; }
    let at: Iterate = { x: x0, ...evaluate(x0) };
    const first = at.value;
    this.closureState ??= this.start();
    for (let k = 0; k < this.maxIter; k++) {
      if (at.grad.every((g) => Math.abs(g) <= this.tolGrad)) break;
      const r = this.iterate(objective, at, this.closureState);
      this.closureState = r.state;
      const moved = r.next.x.some((v, i) => v !== at.x[i]);
      at = r.next;
      if (!moved) break;
    }
    evaluate(at.x);
    return first;
  }
}
