// fit(model, data, options): the minibatch training loop. Its parts live beside it: options.ts (checks and defaults),
// diagnosis.ts (gradient norms, NaN/Inf located to the step and op), live.ts (the live loss curve and progress bar).
import { tidy, valueAndGrad, type Tensor } from "../optim/core_api.js";
import type { Params } from "../optim/transform.js";
import { valuesOf } from "../optim/leaves.js";
import { HeldOptimizer } from "../optim/step_buffers.js";
import { batches } from "../nn/data.js";
import { namedLeaves, type Module } from "../nn/module.js";
import type { Dataset } from "../nn/datasets.js";
import { checkFinite, gradientSquares } from "./diagnosis.js";
import { liveTraining } from "./live.js";
import { resolveFitOptions, type FitOptions } from "./options.js";

export { NonFiniteError } from "./diagnosis.js";
export type { FitOptions, FitStep } from "./options.js";

export interface FitHistory {
  /** Loss of every step (on its minibatch, before the update). */
  loss: number[];
  /** Mean step loss of each epoch. */
  epochLoss: number[];
  /** Loss on `validation` after each epoch (empty without validation data). */
  valLoss: number[];
  /** Global gradient norm of every step. */
  gradNorm: number[];
  /** Per-layer gradient norms (when recordGradNorms), layer path -> one value per step. */
  gradNorms: Record<string, number[]>;
  steps: number;
}

/**
 * Trains `model` on `data` ({x, y}) and returns the history. The model's parameters are replaced after every step
 * (functional updates), so `model.forward(x)` afterwards uses the trained weights.
 */
export function fit(model: Module<any>, dataset: Dataset, options: FitOptions = {}): FitHistory {
  const { data, optimizer, epochs, batchSize, stepsPerEpoch, lossFn, shuffle, rng } = resolveFitOptions(dataset, options);
  const history: FitHistory = { loss: [], epochLoss: [], valLoss: [], gradNorm: [], gradNorms: {}, steps: 0 };
  const live = options.display === false ? null : liveTraining({ title: options.title ?? "training loss", totalSteps: epochs * stepsPerEpoch });

  let params: Params = model.params;
  // The state never leaves this loop, so its steps update it in place.
  const held = new HeldOptimizer(optimizer, "fit");
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      let epochSum = 0, epochSteps = 0;
      for (const batch of batches(data, { batchSize, shuffle, rng })) {
        const objective = (p: Params) => lossFn(model.apply(p, batch.x), batch.y);
        const step = history.steps + 1;
        // One step in a scope: the gradients and everything else but the new parameters are reused right after.
        const done = tidy(() => {
          const [lossT, grads] = (valueAndGrad(objective as (p: any) => Tensor) as unknown as (p: Params) => [Tensor, Params])(params);
          const loss = valuesOf(lossT)[0]!;
          const named = namedLeaves(grads);
          const squares = gradientSquares(named, options.recordGradNorms ?? false);
          checkFinite(loss, squares, named, objective, params, step, epoch);
          return { loss, squares, params: held.step(params, grads) };
        }, "fit");
        const { loss, squares } = done;
        params = done.params;
        model.params = params;

        const gradNorm = Math.sqrt(squares.total);
        history.steps = step;
        history.loss.push(loss);
        history.gradNorm.push(gradNorm);
        for (const [layer, s] of squares.perLayer) (history.gradNorms[layer] ??= []).push(Math.sqrt(s));
        epochSum += loss;
        epochSteps++;
        live?.push(step, loss);
        if (options.onStep?.({ step, epoch, loss, gradNorm }) === false) {
          history.epochLoss.push(epochSum / epochSteps);
          return history;
        }
      }
      history.epochLoss.push(epochSum / Math.max(1, epochSteps));
      if (options.validation !== undefined) {
        const val = valuesOf(lossFn(model.apply(params, options.validation.x), options.validation.y))[0]!;
        history.valLoss.push(val);
        live?.pushSeries(history.steps, { val });
      }
    }
    return history;
  } finally {
    live?.done();
  }
}
