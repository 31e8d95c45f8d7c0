// Public surface of the neural-network layer (re-exported by lib/index.ts).
export { Module, namedLeaves } from "./module.js";
export { Linear, Sequential, MLP, type LinearOptions, type LinearParams, type MLPOptions, type SequentialParams } from "./layers.js";
export {
  Activation, ReLU, Tanh, Sigmoid, GELU, Softplus, LeakyReLU, Identity, activations, type ActivationName,
} from "./activations.js";
export { RNNCell, type RNNCellParams } from "./rnn.js";
export {
  glorotUniform, glorotNormal, heUniform, heNormal, lecunNormal, normalInit, zerosInit, type Initializer,
} from "./init.js";
export { mse, crossEntropy, binaryCrossEntropy, huber, type Reduction, type LossOptions } from "./losses.js";
export { batches, type BatchOptions } from "./data.js";
export { accuracy } from "./metrics.js";
export * as datasets from "./datasets.js";
export type { Dataset } from "./datasets.js";
