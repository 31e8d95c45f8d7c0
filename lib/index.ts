// gradlab's only public entry point: tensors, ops, autodiff transforms, trees (other areas add their export lines below).
export { Tensor } from "./core/tensor.js";
export type { TensorLike, NestedArray, AxisArg, SliceSpec } from "./core/tensor.js";
export type { DType, FloatArray } from "./tensor/dtype.js";
export type { Shape } from "./tensor/shape.js";
export { formatShape } from "./tensor/shape.js";
export { ShapeError, DTypeError, GradError, ValueError, OutOfMemoryError } from "./tensor/errors.js";
export { defineOp } from "./core/op.js";
export type { OpDef } from "./core/op.js";
export { noGrad, traceDepth } from "./core/trace.js";
export { tidy, keep } from "./core/tidy.js";
export { backendInfo } from "./backend/index.js";
export type { BackendInfo } from "./backend/index.js";

export {
  // creation and randomness
  tensor, scalar, zeros, ones, full, arange, linspace, eye, zerosLike, onesLike, rng, Rng, asTensor,
  // elementwise
  add, sub, mul, div, pow, neg, abs, sign, exp, log, log1p, sqrt, square, sin, cos, tan, tanh, sigmoid, relu,
  leakyRelu, softplus, gelu, maximum, minimum, clip,
  // reductions
  sum, mean, prod, max, min, variance, std, argmax, argmin, logsumexp, softmax, logSoftmax, norm,
  // linear algebra
  matmul, dot, outer,
  // shape and indexing
  reshape, transpose, broadcastTo, expandDims, squeeze, flatten, slice, take, concat, stack, astype,
  // comparisons and selection
  where, greater, less, equal, stopGradient,
  PRIMITIVES,
} from "./ops/index.js";
export type { CreateOptions, TensorOptions, RandomOptions, NormOptions, VarArg } from "./ops/index.js";
// numpy's name for the variance; `var` is a keyword, so it works as `gl.var(x)` (the method is `x.var()`).
export { variance as var } from "./ops/index.js";

export { grad, valueAndGrad, vjp, jvp } from "./autodiff/transforms.js";
export type { GradOptions, Argnums, GradientOf } from "./autodiff/transforms.js";
export { jacrev, jacfwd, jacobian, hessian, hvp } from "./autodiff/jacobians.js";
export type { JacobianOptions } from "./autodiff/jacobians.js";
export { customVjp } from "./autodiff/custom.js";
export type { CustomVjpOptions } from "./autodiff/custom.js";
export { checkGrad, numericalGrad, CheckGradReport } from "./autodiff/check_grad.js";
export type { CheckGradOptions, CheckRow, NumericalGradOptions } from "./autodiff/check_grad.js";

export { treeFlatten, treeLeaves, treeMap, isPlainObject } from "./tree.js";
export type { Tree, TensorTree, TreeDef } from "./tree.js";

// optimization, neural networks, training loop
export * from "./optim/index.js";
export * from "./nn/index.js";
export * from "./train/index.js";

// display builders: plot.*, live plots and progress, computation graphs, tensor and checkGrad tables
export * from "./display/index.js";

// comms to the frontend (the Jupyter comm protocol), for widgets and other live frontends
export { comm, commHook } from "./comm/comm.js";
export type { Comm, CommHook, CommMessage } from "./comm/comm.js";

// Jupyter widgets: sliders and other controls, Output, link, interact
export * as widgets from "./widgets/index.js";
export { interact, floatSlider, logSlider, intSlider, dropdown, checkbox, link } from "./widgets/index.js";

// checked exercises: a green or red verdict on a learner's answer, never showing the reference
export { check, Check, CHECK_MIME } from "./exercises/check.js";
export type { CheckOptions, CheckStatus } from "./exercises/check.js";
