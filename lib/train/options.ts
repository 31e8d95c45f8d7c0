// fit's options, checked and resolved once before training: every bad argument is refused before a step runs.
import { rng as makeRng, type Rng, type Tensor } from "../optim/core_api.js";
import type { GradientTransformation } from "../optim/transform.js";
import { Adam } from "../optim/optimizers.js";
import { isTensor } from "../optim/leaves.js";
import { datasetSize } from "../nn/data.js";
import { mse } from "../nn/losses.js";
import type { Dataset } from "../nn/datasets.js";

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

/** The options with every default filled in. */
export interface FitSettings {
  data: Dataset;
  optimizer: GradientTransformation<any>;
  epochs: number;
  batchSize: number;
  stepsPerEpoch: number;
  lossFn: (pred: Tensor, target: Tensor) => Tensor;
  shuffle: boolean;
  rng: Rng;
}

/** Checks the data and options of fit and fills in the defaults; errors name the bad argument. */
export function resolveFitOptions(dataset: Dataset, options: FitOptions): FitSettings {
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
  return {
    data, optimizer, epochs, batchSize, stepsPerEpoch: Math.ceil(n / batchSize),
    lossFn: options.lossFn ?? mse,
    shuffle: options.shuffle ?? batchSize < n,
    rng: options.rng ?? makeRng(0),
  };
}
