// The usual optimizers as chains of transforms (optax's alias.py), the single definition the classes also use.
import { chain, type GradientTransformation } from "./transform.js";
import {
  addDecayedWeights, scaleByAdagrad, scaleByAdam, scaleByLearningRate, scaleByRms, traceMomentum,
} from "./transforms.js";
import type { Schedule } from "./schedules.js";
import { withFusedAdam } from "./fused_adam.js";
import { checkLearningRate, checkOption, inUnitInterval, nonNegative } from "./validate.js";

type LR = number | Schedule;

/** How each numeric option is named in errors and which values it accepts. */
const OPTION_RULES: Record<string, [label: string, ok: (v: number) => boolean, must: string]> = {
  momentum: ["momentum", nonNegative, ">= 0"],
  weightDecay: ["weight decay", nonNegative, ">= 0"],
  b1: ["beta1", inUnitInterval, "in [0, 1)"],
  b2: ["beta2", inUnitInterval, "in [0, 1)"],
  alpha: ["alpha", inUnitInterval, "in [0, 1)"],
  eps: ["epsilon", nonNegative, ">= 0"],
  initialAccumulator: ["initial accumulator", nonNegative, ">= 0"],
};

/** The alias's learning rate and options checked as the optimizer classes check theirs (errors name the alias). */
function checkAlias(name: string, lr: LR, opts: object): void {
  checkLearningRate(name, lr);
  for (const [key, value] of Object.entries(opts)) {
    const rule = OPTION_RULES[key];
    if (rule !== undefined) checkOption(name, rule[0], value as number | undefined, rule[1], rule[2]);
  }
}

/** SGD as PyTorch defines it: g += wd * p; momentum trace (optionally Nesterov); p -= lr * u. */
export function sgd(lr: LR, opts: { momentum?: number; nesterov?: boolean; weightDecay?: number } = {}): GradientTransformation<unknown[]> {
  checkAlias("sgd", lr, opts);
  const parts: GradientTransformation<any>[] = [];
  if (opts.weightDecay) parts.push(addDecayedWeights(opts.weightDecay));
  if (opts.momentum) parts.push(traceMomentum(opts.momentum, { nesterov: opts.nesterov ?? false }));
  parts.push(scaleByLearningRate(lr));
  return chain(...parts);
}

/** Adam; `weightDecay` here is the coupled L2 form (added to the gradient first), as in PyTorch's Adam. */
export function adam(lr: LR, opts: { b1?: number; b2?: number; eps?: number; weightDecay?: number } = {}): GradientTransformation<unknown[]> {
  checkAlias("adam", lr, opts);
  const parts: GradientTransformation<any>[] = [];
  if (opts.weightDecay) parts.push(addDecayedWeights(opts.weightDecay));
  parts.push(scaleByAdam(opts), scaleByLearningRate(lr));
  const at = { adam: parts.length - 2, lr: parts.length - 1 };
  return withFusedAdam(chain(...parts), at, { lr, ...opts, coupledDecay: opts.weightDecay ?? 0, decoupledDecay: 0 });
}

/** AdamW (Loshchilov & Hutter): decay decoupled from the adaptive step: p -= lr * (adam(g) + wd * p). */
export function adamw(lr: LR, opts: { b1?: number; b2?: number; eps?: number; weightDecay?: number } = {}): GradientTransformation<unknown[]> {
  checkAlias("adamw", lr, opts);
  const weightDecay = opts.weightDecay ?? 0.01;
  return withFusedAdam(chain(scaleByAdam(opts), addDecayedWeights(weightDecay), scaleByLearningRate(lr)), { adam: 0, lr: 2 },
    { lr, ...opts, coupledDecay: 0, decoupledDecay: weightDecay });
}

/** RMSProp as PyTorch defines it (alpha = decay of the squared-gradient average, optional momentum on the scaled step). */
export function rmsprop(lr: LR, opts: { alpha?: number; eps?: number; momentum?: number; weightDecay?: number } = {}): GradientTransformation<unknown[]> {
  checkAlias("rmsprop", lr, opts);
  const parts: GradientTransformation<any>[] = [];
  if (opts.weightDecay) parts.push(addDecayedWeights(opts.weightDecay));
  parts.push(scaleByRms({ decay: opts.alpha ?? 0.99, eps: opts.eps ?? 1e-8 }));
  if (opts.momentum) parts.push(traceMomentum(opts.momentum));
  parts.push(scaleByLearningRate(lr));
  return chain(...parts);
}

/** Adagrad as PyTorch defines it (no lr decay). */
export function adagrad(lr: LR, opts: { eps?: number; initialAccumulator?: number; weightDecay?: number } = {}): GradientTransformation<unknown[]> {
  checkAlias("adagrad", lr, opts);
  const parts: GradientTransformation<any>[] = [];
  if (opts.weightDecay) parts.push(addDecayedWeights(opts.weightDecay));
  parts.push(scaleByAdagrad(opts), scaleByLearningRate(lr));
  return chain(...parts);
}
