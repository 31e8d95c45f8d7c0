// The interface of optimizers that evaluate the function themselves (line searches, Newton): LBFGS and Newton.
/** f and its derivatives on a flat float64 vector; minimize() builds it from a tensor function with the autodiff core. */
export interface Objective {
  readonly n: number;
  valueAndGrad(x: Float64Array): { value: number; grad: Float64Array };
  /** Row-major n x n Hessian; present when the optimizer asks for it (`needsHessian`). */
  hessian?(x: Float64Array): Float64Array;
}

/** One iterate: the point, f there and the gradient there. */
export interface Iterate { x: Float64Array; value: number; grad: Float64Array }

/** An optimizer that drives the objective itself (it may evaluate f several times per iteration). */
export interface ObjectiveOptimizer<S = unknown> {
  readonly name: string;
  readonly needsHessian: boolean;
  start(objective: Objective, at: Iterate): S;
  iterate(objective: Objective, at: Iterate, state: S): { next: Iterate; state: S };
}

export function isObjectiveOptimizer(x: unknown): x is ObjectiveOptimizer {
  return typeof x === "object" && x !== null && typeof (x as ObjectiveOptimizer).iterate === "function"
    && typeof (x as ObjectiveOptimizer).start === "function";
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** x + alpha * d, as a new vector. */
export function axpy(x: Float64Array, alpha: number, d: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + alpha * d[i]!;
  return out;
}
