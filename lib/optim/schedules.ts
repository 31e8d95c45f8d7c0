// Learning-rate schedules: functions from the update count t (0 for the first update) to a learning rate.

/** A learning-rate schedule: t = number of updates already applied -> learning rate. */
export type Schedule = (t: number) => number;

/** A number becomes the constant schedule; a schedule is returned as is. */
export function asSchedule(lr: number | Schedule): Schedule {
  return typeof lr === "number" ? constantSchedule(lr) : lr;
}

/** Always `value`. */
export function constantSchedule(value: number): Schedule {
  return () => value;
}

/** init * gamma^floor(t / stepSize): drops by `gamma` every `stepSize` updates (PyTorch's StepLR). */
export function stepDecay(init: number, opts: { stepSize: number; gamma?: number }): Schedule {
  const gamma = opts.gamma ?? 0.1;
  if (!(opts.stepSize >= 1)) throw new Error(`stepDecay: invalid stepSize ${opts.stepSize} (must be >= 1)`);
  return (t) => init * gamma ** Math.floor(t / opts.stepSize);
}

/** init * rate^(t / transitionSteps), continuous, floored at `end` when given. */
export function exponentialDecay(init: number, opts: { rate: number; transitionSteps?: number; end?: number }): Schedule {
  const every = opts.transitionSteps ?? 1;
  if (!(opts.rate > 0)) throw new Error(`exponentialDecay: invalid rate ${opts.rate} (must be > 0)`);
  return (t) => {
    const v = init * opts.rate ** (t / every);
    return opts.end === undefined ? v : Math.max(v, opts.end);
  };
}

/** Cosine from `init` at t = 0 to `init * alpha` at t = decaySteps, constant after (Loshchilov & Hutter, no restarts). */
export function cosineDecay(init: number, opts: { decaySteps: number; alpha?: number }): Schedule {
  const alpha = opts.alpha ?? 0;
  if (!(opts.decaySteps >= 1)) throw new Error(`cosineDecay: invalid decaySteps ${opts.decaySteps} (must be >= 1)`);
  return (t) => {
    const progress = Math.min(t, opts.decaySteps) / opts.decaySteps;
    return init * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * progress)) + alpha);
  };
}

/**
 * Linear warm-up from `start` to `then(0)` over `warmupSteps` updates, then `then(t - warmupSteps)`: compose it with any
 * decay, e.g. `linearWarmup(100, cosineDecay(1e-3, {decaySteps: 900}))`.
 */
export function linearWarmup(warmupSteps: number, then: number | Schedule, opts: { start?: number } = {}): Schedule {
  const after = asSchedule(then);
  const start = opts.start ?? 0;
  if (!(warmupSteps >= 0)) throw new Error(`linearWarmup: invalid warmupSteps ${warmupSteps} (must be >= 0)`);
  return (t) => (t < warmupSteps ? start + ((after(0) - start) * t) / warmupSteps : after(t - warmupSteps));
}
