// What fit learns from a step's gradients: the global and per-layer norms, and, when a value stops being finite,
// an error that names the step and the op where it first appeared.
import { sumOfSquares } from "../optim/leaves.js";
import type { Params } from "../optim/transform.js";
import type { Tensor } from "../optim/core_api.js";
import { locateNonFinite } from "./nonfinite.js";

/** Raised when the loss or a gradient stops being finite; `step` and `op` say where. */
export class NonFiniteError extends Error {
  constructor(message: string, readonly step: number, readonly op: string | null) {
    super(message);
    this.name = "NonFiniteError";
  }
}

/** Sums of squares of a step's gradients: over all parameters, and per layer (path prefix) when asked. */
export interface GradientSquares { total: number; perLayer: Map<string, number> }

const layerOf = (path: string) => (path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : path);

export function gradientSquares(named: readonly (readonly [string, Tensor])[], perLayer: boolean): GradientSquares {
  let total = 0;
  const layers = new Map<string, number>();
  for (const [path, g] of named) {
    const s = sumOfSquares(g);
    total += s;
    if (perLayer) layers.set(layerOf(path), (layers.get(layerOf(path)) ?? 0) + s);
  }
  return { total, perLayer: layers };
}

/**
 * Throws NonFiniteError when the loss or the gradients are not finite, after re-running the step to find the first op
 * that produced a NaN or an infinity.
 */
export function checkFinite(loss: number, squares: GradientSquares, named: readonly (readonly [string, Tensor])[],
  objective: (p: Params) => Tensor, params: Params, step: number, epoch: number): void {
  if (Number.isFinite(loss) && Number.isFinite(squares.total)) return;
  const where = locateNonFinite(objective, params);
  const badGrads = named.filter(([, g]) => !Number.isFinite(sumOfSquares(g))).map(([path]) => path);
  const what = Number.isFinite(loss) ? `a gradient became non-finite (${badGrads.join(", ")})` : `the loss became ${loss}`;
  const site = where.op ? `; first non-finite value produced by op "${where.op}" in the ${where.pass} pass` : "";
  throw new NonFiniteError(`fit: ${what} at step ${step} (epoch ${epoch})${site}`, step, where.op);
}
