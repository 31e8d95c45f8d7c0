// minimize(f, x0, {optimizer, steps, tol, onStep}): runs any optimizer on a tensor function and records its path.
import { valueAndGrad, hessian, type Tensor } from "./core_api.js";
import { applyUpdates, type GradientTransformation, type Params } from "./transform.js";
import { globalNorm } from "./transforms.js";
import { isObjectiveOptimizer, type Objective, type ObjectiveOptimizer, type Iterate } from "./objective.js";
import { LBFGS } from "./lbfgs.js";
import { flatten, fromF64, toTensor, valuesOf } from "./leaves.js";

export interface MinimizeStep { step: number; x: Params; loss: number; gradNorm: number }

export interface MinimizeOptions {
  /** A gradient transformation (Adam, SGD, chain(...)) or a function-driven optimizer (LBFGS, Newton). Default LBFGS. */
  optimizer?: GradientTransformation<any> | ObjectiveOptimizer<any>;
  /** Maximum number of updates (default 1000). */
  steps?: number;
  /** Stop (converged) when the gradient's global 2-norm is <= tol (default 1e-8). */
  tol?: number;
  /** Called after every update; return `false` to stop early. */
  onStep?: (info: MinimizeStep) => void | boolean;
}

export interface MinimizeResult<P> {
  /** The final point, shaped like x0. */
  x: P;
  /** Every iterate, flattened to numbers, x0 first (ready for plot.contour trajectories). */
  trajectory: number[][];
  /** f at every iterate, x0 first. */
  history: number[];
  /** Number of updates performed. */
  steps: number;
  converged: boolean;
  gradNorm: number;
}

/**
 * Minimises a scalar function of a tensor (or a tree of tensors) from x0. Gradient transformations take one step per
 * gradient; LBFGS and Newton evaluate f themselves (line search) and Newton also uses the Hessian (single-tensor x0).
 */
export function minimize<P extends Params>(
  f: (x: P) => Tensor, x0: P | number[], options: MinimizeOptions = {},
): MinimizeResult<P> {
  const start = (Array.isArray(x0) && x0.every((v) => typeof v === "number") ? toTensor(x0 as number[]) : x0) as P;
  const optimizer = options.optimizer ?? new LBFGS();
  const steps = options.steps ?? 1000, tol = options.tol ?? 1e-8;
  if (!(steps >= 0)) throw new Error(`minimize: invalid steps ${steps} (must be >= 0)`);
  if (isObjectiveOptimizer(optimizer)) return minimizeObjective(f, start, optimizer, steps, tol, options.onStep);
  return minimizeGradient(f, start, optimizer as GradientTransformation<any>, steps, tol, options.onStep);
}

function flatValues(tree: Params): number[] {
  const out: number[] = [];
  for (const leaf of flatten(tree).leaves) for (const v of valuesOf(leaf)) out.push(v);
  return out;
}

function scalarOf(t: Tensor, who: string): number {
  const v = valuesOf(t);
  if (v.length !== 1) throw new Error(`minimize: ${who} must return a scalar, got ${v.length} values`);
  return v[0]!;
}

function minimizeGradient<P extends Params>(
  f: (x: P) => Tensor, x0: P, opt: GradientTransformation<any>, steps: number, tol: number,
  onStep: MinimizeOptions["onStep"],
): MinimizeResult<P> {
  const vg = valueAndGrad(f as (x: any) => Tensor) as unknown as (x: Params) => [Tensor, Params];
  let x = x0;
  let state = opt.init(x);
  const trajectory = [flatValues(x)], history: number[] = [];
  let [value, g] = vg(x);
  history.push(scalarOf(value, "f"));
  let gradNorm = globalNorm(g), converged = gradNorm <= tol, done = 0;
  while (!converged && done < steps) {
    const [u, s] = opt.update(g, state, x);
    state = s;
    x = applyUpdates(x, u);
    done++;
    [value, g] = vg(x);
    const loss = scalarOf(value, "f");
    history.push(loss);
    trajectory.push(flatValues(x));
    gradNorm = globalNorm(g);
    converged = gradNorm <= tol;
    if (onStep?.({ step: done, x, loss, gradNorm }) === false) break;
    if (!Number.isFinite(loss)) break;
  }
  return { x, trajectory, history, steps: done, converged, gradNorm };
}

function minimizeObjective<P extends Params>(
  f: (x: P) => Tensor, x0: P, opt: ObjectiveOptimizer<any>, steps: number, tol: number,
  onStep: MinimizeOptions["onStep"],
): MinimizeResult<P> {
  const shape = flatten(x0);
  const sizes = shape.leaves.map((leaf) => valuesOf(leaf).length);
  const n = sizes.reduce((a, b) => a + b, 0);
  const unflat = (v: Float64Array): P => {
    let offset = 0;
    return shape.rebuild(shape.leaves.map((leaf, i) => {
      const part = v.slice(offset, offset + sizes[i]!);
      offset += sizes[i]!;
      return fromF64(leaf, part);
    })) as P;
  };
  const vg = valueAndGrad(f as (x: any) => Tensor) as unknown as (x: Params) => [Tensor, Params];
  const objective: Objective = {
    n,
    valueAndGrad(v) {
      const [value, g] = vg(unflat(v));
      return { value: scalarOf(value, "f"), grad: Float64Array.from(flatValues(g)) };
    },
  };
  if (opt.needsHessian) {
    if (shape.leaves.length !== 1) throw new Error(`minimize: ${opt.name} needs x0 to be a single tensor`);
    const h = hessian(f as (x: Tensor) => Tensor) as (x: Tensor) => Tensor;
    objective.hessian = (v) => Float64Array.from(valuesOf(h(unflat(v) as Tensor)));
  }
  let at: Iterate = { x: Float64Array.from(flatValues(x0)), ...objective.valueAndGrad(Float64Array.from(flatValues(x0))) };
  let state = opt.start(objective, at);
  const trajectory = [Array.from(at.x)], history = [at.value];
  const norm = (g: Float64Array) => Math.sqrt(g.reduce((s, v) => s + v * v, 0));
  let gradNorm = norm(at.grad), converged = gradNorm <= tol, done = 0;
  while (!converged && done < steps) {
    const r = opt.iterate(objective, at, state);
    state = r.state;
    const stalled = r.next.value >= at.value && r.next.x.every((v, i) => v === at.x[i]);
    at = r.next;
    done++;
    history.push(at.value);
    trajectory.push(Array.from(at.x));
    gradNorm = norm(at.grad);
    converged = gradNorm <= tol;
    if (onStep?.({ step: done, x: unflat(at.x), loss: at.value, gradNorm }) === false) break;
    if (stalled || !Number.isFinite(at.value)) break;
  }
  return { x: unflat(at.x), trajectory, history, steps: done, converged, gradNorm };
}
