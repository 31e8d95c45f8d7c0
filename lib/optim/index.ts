// Public surface of the optimization layer (re-exported by lib/index.ts).
export { chain, applyUpdates, type GradientTransformation, type Params } from "./transform.js";
export {
  scale, scaleByLearningRate, traceMomentum, scaleByAdam, scaleByRms, scaleByAdagrad, addDecayedWeights,
  clipByValue, clipByGlobalNorm, globalNorm,
  type CountState, type TraceState, type AdamState, type RmsState, type AdagradState,
} from "./transforms.js";
export {
  constantSchedule, stepDecay, exponentialDecay, cosineDecay, linearWarmup, type Schedule,
} from "./schedules.js";
export { sgd, adam, adamw, rmsprop, adagrad } from "./aliases.js";
export {
  Optimizer, SGD, Adam, AdamW, RMSProp, Adagrad,
  type SGDOptions, type AdamOptions, type RMSPropOptions, type AdagradOptions,
} from "./optimizers.js";
export { LBFGS, type LBFGSOptions } from "./lbfgs.js";
export { Newton } from "./newton.js";
export { strongWolfe, backtracking, type LineSearchResult } from "./line_search.js";
export type { Objective, ObjectiveOptimizer, Iterate } from "./objective.js";
export { minimize, type MinimizeOptions, type MinimizeResult, type MinimizeStep } from "./minimize.js";
