// L-BFGS (Nocedal & Wright, Alg. 7.4 two-loop recursion + 7.5) with a strong-Wolfe or backtracking line search.
import { backtracking, strongWolfe } from "./line_search.js";
import { dot, axpy, type Iterate, type Objective, type ObjectiveOptimizer } from "./objective.js";
import { checkOption } from "./validate.js";

export interface LBFGSOptions {
  /** Initial step tried by the line search (1 is the natural quasi-Newton step). */
  lr?: number;
  /** Number of (s, y) pairs kept. */
  historySize?: number;
  lineSearch?: "strongWolfe" | "backtracking" | "none";
}

interface LBFGSState { s: Float64Array[]; y: Float64Array[]; iteration: number }

/** Limited-memory BFGS for minimize(): the direction from the last `historySize` steps, the step from a line search. */
export class LBFGS implements ObjectiveOptimizer<LBFGSState> {
  readonly name = "LBFGS";
  readonly needsHessian = false;
  readonly lr: number;
  readonly historySize: number;
  readonly lineSearch: "strongWolfe" | "backtracking" | "none";

  constructor(options: LBFGSOptions = {}) {
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
}
