// Losses: mse, crossEntropy (from logits, integer or one-hot labels), binaryCrossEntropy (probabilities or logits), huber.
import {
  abs, add, exp, log, log1p, logSoftmax, mean, minimum, mul, neg, relu, square, sub, sum, clip, tensor, Tensor, ShapeError,
  ValueError, shapesEqual, formatShape,
} from "../optim/core_api.js";
import { valuesOf } from "../optim/leaves.js";

export type Reduction = "mean" | "sum" | "none";
export interface LossOptions { reduction?: Reduction }

function reduce(perElement: Tensor, reduction: Reduction = "mean"): Tensor {
  if (reduction === "none") return perElement;
  if (reduction === "sum") return sum(perElement);
  if (reduction === "mean") return mean(perElement);
  throw new ValueError(`invalid reduction "${String(reduction)}" (must be "mean", "sum" or "none")`);
}

function sameShape(loss: string, a: Tensor, b: Tensor): void {
  if (shapesEqual(a.shape, b.shape)) return;
  const message = `${loss}: prediction shape ${formatShape(a.shape)} differs from target shape ${formatShape(b.shape)}`;
  // Predictions (N, C) against one value per row (N,): say what most likely fits. The losses do not broadcast them,
  // as (N, 1) - (N,) would silently give an (N, N) difference.
  if (a.ndim === 2 && b.ndim === 1 && a.shape[0] === b.shape[0] && loss !== "crossEntropy") {
    const hint = a.shape[1] === 1
      ? `reshape the targets to ${formatShape([b.shape[0]!, 1])}, or the predictions to ${formatShape(b.shape)}`
      : "the targets look like class labels: for classification use crossEntropy (in fit: {lossFn: crossEntropy})";
    throw new ShapeError(`${message}; ${hint}`);
  }
  throw new ShapeError(message);
}

const asTensor = (t: Tensor | number[] | number[][], like: Tensor): Tensor =>
  Array.isArray(t) ? tensor(t, { dtype: like.dtype }) : t;

/** Mean squared error: mean((pred - target)^2). */
export function mse(pred: Tensor, target: Tensor | number[] | number[][], options: LossOptions = {}): Tensor {
  const t = asTensor(target, pred);
  sameShape("mse", pred, t);
  return reduce(square(sub(pred, t)), options.reduction);
}

/**
 * Softmax cross-entropy from logits (N, C), computed as -log_softmax (stable for any logits). `labels` are class
 * indices (N,) or one-hot / probability rows (N, C).
 */
export function crossEntropy(logits: Tensor, labels: Tensor | number[] | number[][], options: LossOptions = {}): Tensor {
  if (logits.ndim !== 2) throw new ShapeError(`crossEntropy: logits must be (batch, classes), got shape ${formatShape(logits.shape)}`);
  const [n, c] = logits.shape as [number, number];
  const y = asTensor(labels, logits);
  let targets: Tensor;
  if (y.ndim === 2) {
    sameShape("crossEntropy", logits, y);
    targets = y;
  } else if (y.ndim === 1 && y.shape[0] === n) {
    const oneHot = logits.dtype === "float32" ? new Float32Array(n * c) : new Float64Array(n * c);
    const ids = valuesOf(y);
    for (let i = 0; i < n; i++) {
      const k = ids[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= c) {
        throw new ValueError(`crossEntropy: label ${k} at row ${i} is not a class index in [0, ${c})`);
      }
      oneHot[i * c + k] = 1;
    }
    targets = new Tensor(oneHot, [n, c], logits.dtype);
  } else {
    throw new ShapeError(`crossEntropy: labels must be ${formatShape([n])} class indices or ${formatShape([n, c])} one-hot, got shape ${formatShape(y.shape)}`);
  }
  const perSample = neg(sum(mul(targets, logSoftmax(logits, -1)), { axis: -1 }));
  return reduce(perSample, options.reduction);
}

/**
 * Binary cross-entropy. With `fromLogits: true` the input is z and the loss max(z, 0) - z y + log(1 + e^-|z|)
 * (stable for any z); otherwise the input is a probability p, clipped to [eps, 1 - eps] before the logs (eps 1e-12 in
 * float64, 1e-7 in float32, where 1 - 1e-12 rounds to 1).
 */
export function binaryCrossEntropy(
  pred: Tensor, target: Tensor | number[] | number[][], options: LossOptions & { fromLogits?: boolean } = {},
): Tensor {
  const y = asTensor(target, pred);
  sameShape("binaryCrossEntropy", pred, y);
  if (options.fromLogits) {
    const perElement = add(sub(relu(pred), mul(pred, y)), log1p(exp(neg(abs(pred)))));
    return reduce(perElement, options.reduction);
  }
  const eps = pred.dtype === "float32" ? 1e-7 : 1e-12;
  const p = clip(pred, eps, 1 - eps);
  const perElement = neg(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p)))));
  return reduce(perElement, options.reduction);
}

/** Huber loss: 0.5 r^2 for |r| <= delta, delta (|r| - 0.5 delta) beyond (quadratic near 0, linear in the tails). */
export function huber(pred: Tensor, target: Tensor | number[] | number[][], options: LossOptions & { delta?: number } = {}): Tensor {
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`huber: invalid delta ${delta} (must be > 0)`);
  const t = asTensor(target, pred);
  sameShape("huber", pred, t);
  const a = abs(sub(pred, t));
  const quadratic = minimum(a, delta);
  const linear = sub(a, quadratic);
  return reduce(add(mul(0.5, square(quadratic)), mul(delta, linear)), options.reduction);
}
