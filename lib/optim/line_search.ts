// Line searches along a descent direction: strong Wolfe (Nocedal & Wright, Alg. 3.5 + 3.6 zoom) and Armijo backtracking.
import { axpy, dot, type Iterate, type Objective } from "./objective.js";

export interface LineSearchResult { alpha: number; at: Iterate; evaluations: number }

function evaluate(objective: Objective, x: Float64Array, alpha: number, d: Float64Array): Iterate & { slope: number } {
  const xn = axpy(x, alpha, d);
  const { value, grad } = objective.valueAndGrad(xn);
  return { x: xn, value, grad, slope: dot(grad, d) };
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db) (N&W eq. 3.59); NaN when it has none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/**
 * Finds alpha with f(x + alpha d) <= f(x) + c1 alpha g.d (sufficient decrease) and |g(x + alpha d).d| <= c2 |g.d|
 * (strong curvature). `d` must be a descent direction.
 */
export function strongWolfe(
  objective: Objective, from: Iterate, d: Float64Array,
  opts: { alpha0?: number; c1?: number; c2?: number; maxEvaluations?: number } = {},
): LineSearchResult {
  const c1 = opts.c1 ?? 1e-4, c2 = opts.c2 ?? 0.9, maxEval = opts.maxEvaluations ?? 25;
  const f0 = from.value, slope0 = dot(from.grad, d);
  if (!(slope0 < 0)) throw new Error(`strongWolfe: not a descent direction (g.d = ${slope0})`);
  let evaluations = 0;
  const at = (alpha: number) => { evaluations++; return evaluate(objective, from.x, alpha, d); };

  let prevAlpha = 0, prev = { ...from, slope: slope0 };
  let alpha = opts.alpha0 ?? 1;
  const zoom = (lo: number, flo: typeof prev, hi: number, fhi: typeof prev): LineSearchResult => {
    while (evaluations < maxEval) {
      const width = hi - lo;
      let a = cubicMin(lo, flo.value, flo.slope, hi, fhi.value, fhi.slope);
      const left = Math.min(lo, hi), right = Math.max(lo, hi), margin = 0.1 * Math.abs(width);
      if (!Number.isFinite(a) || a < left + margin || a > right - margin) a = lo + width / 2;
      const cur = at(a);
      if (cur.value > f0 + c1 * a * slope0 || cur.value >= flo.value) {
        hi = a; fhi = cur;
      } else {
        if (Math.abs(cur.slope) <= -c2 * slope0) return { alpha: a, at: cur, evaluations };
        if (cur.slope * (hi - lo) >= 0) { hi = lo; fhi = flo; }
        lo = a; flo = cur;
      }
      if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    return { alpha: lo, at: flo, evaluations };
  };

  for (;;) {
    const cur = at(alpha);
    if (cur.value > f0 + c1 * alpha * slope0 || (prevAlpha > 0 && cur.value >= prev.value) || !Number.isFinite(cur.value)) {
      return zoom(prevAlpha, prev, alpha, Number.isFinite(cur.value) ? cur : { ...cur, value: Infinity, slope: 0 });
    }
    if (Math.abs(cur.slope) <= -c2 * slope0) return { alpha, at: cur, evaluations };
    if (cur.slope >= 0) return zoom(alpha, cur, prevAlpha, prev);
    if (evaluations >= maxEval) return { alpha, at: cur, evaluations };
    prevAlpha = alpha; prev = cur;
    alpha *= 2;
  }
}

/** Halves alpha (by `shrink`) until f(x + alpha d) <= f(x) + c1 alpha g.d (Armijo). */
export function backtracking(
  objective: Objective, from: Iterate, d: Float64Array,
  opts: { alpha0?: number; c1?: number; shrink?: number; maxEvaluations?: number } = {},
): LineSearchResult {
  const c1 = opts.c1 ?? 1e-4, shrink = opts.shrink ?? 0.5, maxEval = opts.maxEvaluations ?? 50;
  const slope0 = dot(from.grad, d);
  if (!(slope0 < 0)) throw new Error(`backtracking: not a descent direction (g.d = ${slope0})`);
  let alpha = opts.alpha0 ?? 1;
  for (let evaluations = 1; ; evaluations++) {
    const cur = evaluate(objective, from.x, alpha, d);
    if (cur.value <= from.value + c1 * alpha * slope0 || evaluations >= maxEval) return { alpha, at: cur, evaluations };
    alpha *= shrink;
  }
}
