// fit(model, data, options): the minibatch training loop, with history, per-layer gradient norms, NaN/Inf detection
// that names the step and the op, and a live loss curve + progress bar in the kernel.
import { valueAndGrad, rng as makeRng, type Rng, type Tensor } from "../optim/core_api.js";
import { applyUpdates, type GradientTransformation, type Params } from "../optim/transform.js";
import { Adam } from "../optim/optimizers.js";
import { isTensor, sumOfSquares, valuesOf } from "../optim/leaves.js";
import { batches, datasetSize } from "../nn/data.js";
import { mse } from "../nn/losses.js";
import { namedLeaves, type Module } from "../nn/module.js";
import type { Dataset } from "../nn/datasets.js";
import { locateNonFinite } from "./nonfinite.js";
import { liveTraining } from "./live.js";

export interface FitStep { step: number; epoch: number; loss: number; gradNorm: number }

export interface FitOptions {
  /** Any gradient transformation: an optimizer class instance (new Adam({lr})) or a chain. Default Adam lr 1e-3. */
  optimizer?: GradientTransformation<any>;
  epochs?: number;
  /** Rows per step (default: the whole dataset, i.e. full-batch gradient descent). */
  batchSize?: number;
  /** loss(prediction, target) -> scalar; default mse. */
  lossFn?: (pred: Tensor, target: Tensor) => Tensor;
  /** Reshuffle rows every epoch (default true when batchSize < number of rows). */
  shuffle?: boolean;
  /** Generator for shuffling (default rng(0)). */
  rng?: Rng;
  /** Held-out data: its loss is computed after every epoch (history.valLoss, a "val" series in the live plot). */
  validation?: Dataset;
  /** Called after every step; return false to stop. */
  onStep?: (info: FitStep) => void | boolean;
  /** Record the gradient norm of each layer (parameters grouped by path prefix, e.g. "layers.0") at every step. */
  recordGradNorms?: boolean;
  /** Live loss curve and progress bar in the kernel (default true; a no-op outside the kernel). */
  display?: boolean;
  title?: string;
}

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

/** Raised when the loss or a gradient stops being finite; `step` and `op` say where. */
export class NonFiniteError extends Error {
  constructor(message: string, readonly step: number, readonly op: string | null) {
    super(message);
    this.name = "NonFiniteError";
  }
}

const layerOf = (path: string) => (path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : path);

/**
 * Trains `model` on `data` ({x, y}) and returns the history. The model's parameters are replaced after every step
 * (functional updates), so `model.forward(x)` afterwards uses the trained weights.
 */
export function fit(model: Module<any>, dataset: Dataset, options: FitOptions = {}): FitHistory {
  for (const key of ["x", "y"] as const) {
    if (!isTensor(dataset?.[key])) {
      throw new TypeError(`fit: data.${key} must be a Tensor, got ${Array.isArray(dataset?.[key]) ? "an array (wrap it with tensor(...))" : typeof dataset?.[key]}`);
    }
  }
  const data: Dataset = { x: dataset.x, y: dataset.y };
  const optimizer = options.optimizer ?? new Adam({ lr: 1e-3 });
  if (typeof optimizer.init !== "function" || typeof optimizer.update !== "function") {
    const name = (optimizer as { name?: string }).name ?? "this optimizer";
    throw new Error(`fit: ${name} is not a gradient transformation (init/update); use minimize() or its step(closure) instead`);
  }
  const epochs = options.epochs ?? 1;
  const n = datasetSize(data);
  const batchSize = options.batchSize ?? n;
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new Error(`fit: invalid epochs ${epochs} (must be an integer >= 0)`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`fit: invalid batchSize ${batchSize} (must be an integer >= 1)`);
  const lossFn = options.lossFn ?? mse;
  const shuffle = options.shuffle ?? batchSize < n;
  const generator = options.rng ?? makeRng(0);
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const history: FitHistory = { loss: [], epochLoss: [], valLoss: [], gradNorm: [], gradNorms: {}, steps: 0 };
  const live = options.display === false ? null : liveTraining({ title: options.title ?? "training loss", totalSteps: epochs * stepsPerEpoch });

  let params: Params = model.params;
  let state = optimizer.init(params);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      let epochSum = 0, epochSteps = 0;
      for (const batch of batches(data, { batchSize, shuffle, rng: generator })) {
        const objective = (p: Params) => lossFn(model.apply(p, batch.x), batch.y);
        const [lossT, grads] = (valueAndGrad(objective as (p: any) => Tensor) as unknown as (p: Params) => [Tensor, Params])(params);
        const loss = valuesOf(lossT)[0]!;
        const step = history.steps + 1;
        const named = namedLeaves(grads);
        let total = 0;
        const perLayer = new Map<string, number>();
        for (const [path, g] of named) {
          const s = sumOfSquares(g);
          total += s;
          if (options.recordGradNorms) perLayer.set(layerOf(path), (perLayer.get(layerOf(path)) ?? 0) + s);
        }
        if (!Number.isFinite(loss) || !Number.isFinite(total)) {
          const where = locateNonFinite(objective, params);
          const badGrads = named.filter(([, g]) => !Number.isFinite(sumOfSquares(g))).map(([path]) => path);
          const what = Number.isFinite(loss) ? `a gradient became non-finite (${badGrads.join(", ")})` : `the loss became ${loss}`;
          const site = where.op ? `; first non-finite value produced by op "${where.op}" in the ${where.pass} pass` : "";
          throw new NonFiniteError(`fit: ${what} at step ${step} (epoch ${epoch + 1})${site}`, step, where.op);
        }
        const [updates, nextState] = optimizer.update(grads, state, params);
        state = nextState;
        params = applyUpdates(params, updates);
        model.params = params;
        history.steps = step;
        history.loss.push(loss);
        history.gradNorm.push(Math.sqrt(total));
        for (const [layer, s] of perLayer) (history.gradNorms[layer] ??= []).push(Math.sqrt(s));
        epochSum += loss;
        epochSteps++;
        live?.push(step, loss);
        if (options.onStep?.({ step, epoch: epoch + 1, loss, gradNorm: Math.sqrt(total) }) === false) {
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
