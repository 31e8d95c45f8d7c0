// customVjp: a user function with a hand-written reverse rule, turned into an op of its own.
import { asTensor } from "../core/convert.js";
import { defineOp } from "../core/op.js";
import { bind } from "../core/trace.js";
import { Tensor, type TensorLike } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";

/** Options of `customVjp`. */
export interface CustomVjpOptions {
  /** Name used in error messages and graphs (default `customVjp(<f.name>)`). */
  name?: string;
  /** Optional forward-mode rule: tangents of the inputs (null = zero) -> tangent of the output. */
  jvp?: (tangents: readonly (Tensor | null)[], inputs: readonly Tensor[], out: Tensor) => Tensor | null;
}

/**
 * Wraps `f(...xs) -> Tensor` so that reverse mode uses `bwd(ct, inputs, out)` (one cotangent per input, or null)
 * instead of differentiating f's internals, e.g. for numerical stability or straight-through estimators. f runs on
 * plain values; write `bwd` with gradlab ops and it can be differentiated again. Forward mode needs `options.jvp`.
 */
export function customVjp(
  f: (...xs: Tensor[]) => Tensor,
  bwd: (ct: Tensor, inputs: readonly Tensor[], out: Tensor) => readonly (Tensor | number | null)[],
  options: CustomVjpOptions = {},
): (...xs: TensorLike[]) => Tensor {
  const name = options.name ?? `customVjp(${f.name || "f"})`;
  const def = defineOp({
    name,
    forward: (xs) => {
      const out = f(...xs);
      if (!(out instanceof Tensor)) throw new GradError(`${name}: f must return a Tensor`);
      return out;
    },
    vjp: (ct, xs, out) => {
      const grads = bwd(ct, xs, out);
      if (!Array.isArray(grads) || grads.length !== xs.length) {
        throw new GradError(`${name}: bwd must return an array with one cotangent per input (${xs.length})`);
      }
      return grads.map((g, i) => (g === null ? null : asTensor(g, xs[i]!.dtype, name)));
    },
    ...(options.jvp ? { jvp: options.jvp } : {}),
  });
  return (...xs) => bind(def, xs.map((x) => asTensor(x, undefined, name)), undefined);
}
