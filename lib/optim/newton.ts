// Newton's method for small problems: the Hessian from the autodiff core, a Cholesky solve, Armijo backtracking.
import { backtracking } from "./line_search.js";
import { dot, type Iterate, type Objective, type ObjectiveOptimizer } from "./objective.js";

/** Solves A x = b for symmetric positive definite A (row-major n x n) by Cholesky; null when A is not positive definite. */
export function choleskySolve(a: Float64Array, b: Float64Array): Float64Array | null {
  const n = b.length;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * z[k]!;
    z[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/**
 * Damped Newton: d solves (H + mu I) d = -g with the smallest mu >= 0 (from 0, then growing) that makes the matrix
 * positive definite, so d is always a descent direction; then a backtracking line search from the full step.
 */
export class Newton implements ObjectiveOptimizer<null> {
  readonly name = "Newton";
  readonly needsHessian = true;

  start(): null {
    return null;
  }

  iterate(objective: Objective, at: Iterate): { next: Iterate; state: null } {
    if (objective.hessian === undefined) throw new Error("Newton: the objective provides no Hessian");
    const n = objective.n;
    if (at.grad.every((g) => g === 0)) return { next: at, state: null };
    const h = objective.hessian(at.x);
    const negGrad = at.grad.map((g) => -g);
    let maxDiag = 0;
    for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(h[i * n + i]!));
    let d: Float64Array | null = null;
    for (let mu = 0; d === null; mu = mu === 0 ? 1e-8 * Math.max(1, maxDiag) : mu * 10) {
      const shifted = Float64Array.from(h);
      for (let i = 0; i < n; i++) shifted[i * n + i]! += mu;
      d = choleskySolve(shifted, negGrad);
      if (d !== null && !(dot(d, at.grad) < 0)) d = null;
      if (mu > 1e20) throw new Error("Newton: could not make the Hessian positive definite (non-finite values?)");
    }
    return { next: backtracking(objective, at, d).at, state: null };
  }
}
