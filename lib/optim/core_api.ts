// The slice of the autodiff core that optim/, nn/ and train/ build on: the one file to adapt when the core's layout moves.
export { Tensor } from "../core/tensor.js";
export { backend, type AdamCoefficients } from "../backend/index.js";
export { imperativeLeaf } from "../core/imperative.js";
export type { DType } from "../tensor/dtype.js";
export { formatShape, shapesEqual } from "../tensor/shape.js";
export { ShapeError, ValueError } from "../tensor/errors.js";
export { RELEASED_STORAGE, releasedError } from "../tensor/scope.js";
export { keepHiddenClass } from "../tensor/hidden_classes.js";
export * from "../ops/index.js";
export { valueAndGrad } from "../autodiff/transforms.js";
export { tidy } from "../core/tidy.js";
export { hessian } from "../autodiff/jacobians.js";
export { treeFlatten, treePaths, isPlainObject } from "../tree.js";
export type { TreeDef } from "../tree.js";
