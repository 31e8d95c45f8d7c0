// Classification accuracy from model outputs (logits), for notebooks and tests.
import type { Tensor } from "../optim/core_api.js";
import { f64Of } from "../optim/leaves.js";

/**
 * Fraction of rows classified correctly. `outputs` are logits: (N, C) -> argmax per row; (N,) or (N, 1) -> class 1
 * when the logit is > 0 (pass `{threshold: 0.5}` for probabilities). `labels` are class indices (N,).
 */
export function accuracy(outputs: Tensor, labels: Tensor | readonly number[], options: { threshold?: number } = {}): number {
  const out = f64Of(outputs);
  const y = Array.isArray(labels) ? (labels as readonly number[]) : Array.from(f64Of(labels as Tensor));
  const n = outputs.shape[0] ?? 1;
  if (y.length !== n) throw new Error(`accuracy: ${n} output rows but ${y.length} labels`);
  const classes = outputs.ndim === 2 ? outputs.shape[1]! : 1;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let predicted: number;
    if (classes === 1) {
      predicted = out[i]! > (options.threshold ?? 0) ? 1 : 0;
    } else {
      predicted = 0;
      for (let c = 1; c < classes; c++) if (out[i * classes + c]! > out[i * classes + predicted]!) predicted = c;
    }
    if (predicted === y[i]) correct++;
  }
  return correct / n;
}
