// One op = one block: its forward math on concrete tensors and its vjp/jvp rules written with public ops.
import type { Tensor } from "./tensor.js";

/**
 * The definition of a primitive op. `forward` only ever sees concrete tensors (the trace machinery unwraps tracers);
 * the rules receive primal tensors and use public ops, so derivatives of any order come for free.
 * `null` is the symbolic zero for tangents and cotangents: rules skip it and return it for inputs without gradient.
 */
export interface OpDef<P = undefined> {
  /** numpy spelling of the op, used in every error message. */
  readonly name: string;
  /** False for ops whose output carries no derivative (comparisons, argmax): traces pass their result through. */
  readonly differentiable?: boolean;
  /** Concrete math. Must not mutate its inputs. */
  forward(inputs: readonly Tensor[], params: P): Tensor;
  /**
   * Reverse rule: cotangent of the output -> cotangent of each input (or null), each of its input's shape.
   * `wants[i]` is false for inputs nobody differentiates, so the rule may skip their work.
   */
  vjp?(ct: Tensor, inputs: readonly Tensor[], out: Tensor, params: P, wants: readonly boolean[]): readonly (Tensor | null)[];
  /** Forward rule: tangents of the inputs (null = zero) -> tangent of the output (null = zero). */
  jvp?(tangents: readonly (Tensor | null)[], inputs: readonly Tensor[], out: Tensor, params: P): Tensor | null;
}

/** Freezes an op definition; ops are plain values listed in `PRIMITIVES`, never registered anywhere. */
export function defineOp<P = undefined>(def: OpDef<P>): OpDef<P> {
  return Object.freeze(def);
}
