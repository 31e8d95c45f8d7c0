// Activation functions by name and as parameter-free layers (ReLU, Tanh, Sigmoid, GELU, Softplus, LeakyReLU, Identity).
import { relu, tanh, sigmoid, gelu, softplus, leakyRelu, type Tensor } from "../optim/core_api.js";
import { Module } from "./module.js";

/** The activation functions layers can be built with, by name (MLP's `activation` option). */
export const activations = {
  relu: (x: Tensor) => relu(x),
  tanh: (x: Tensor) => tanh(x),
  sigmoid: (x: Tensor) => sigmoid(x),
  gelu: (x: Tensor) => gelu(x),
  softplus: (x: Tensor) => softplus(x),
  leakyRelu: (x: Tensor) => leakyRelu(x),
  identity: (x: Tensor) => x,
} as const;

export type ActivationName = keyof typeof activations;

/** The function for an activation name; the error lists the valid names. */
export function activationFn(name: ActivationName): (x: Tensor) => Tensor {
  const fn = activations[name];
  if (fn === undefined) {
    throw new Error(`unknown activation "${String(name)}" (expected one of ${Object.keys(activations).join(", ")})`);
  }
  return fn;
}

type NoParams = Record<string, never>;

/** A parameter-free layer applying an activation elementwise. */
export class Activation extends Module<NoParams> {
  private readonly fn: (x: Tensor) => Tensor;
  constructor(readonly activation: ActivationName) {
    super({});
    this.fn = activationFn(activation);
  }
  apply(_params: NoParams, x: Tensor): Tensor {
    return this.fn(x);
  }
}

/** max(x, 0) as a layer. */
export class ReLU extends Activation { constructor() { super("relu"); } }
/** tanh as a layer. */
export class Tanh extends Activation { constructor() { super("tanh"); } }
/** 1 / (1 + e^-x) as a layer. */
export class Sigmoid extends Activation { constructor() { super("sigmoid"); } }
/** GELU as a layer. */
export class GELU extends Activation { constructor() { super("gelu"); } }
/** log(1 + e^x) as a layer. */
export class Softplus extends Activation { constructor() { super("softplus"); } }
/** Leaky ReLU (slope 0.01 for x < 0) as a layer. */
export class LeakyReLU extends Activation { constructor() { super("leakyRelu"); } }
/** The identity as a layer. */
export class Identity extends Activation { constructor() { super("identity"); } }
