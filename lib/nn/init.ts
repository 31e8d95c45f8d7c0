// Weight initializers (Glorot/Xavier and He, uniform and normal): each takes an explicit generator, never a global seed.
import { zeros, type Rng, type Tensor, type DType } from "../optim/core_api.js";

/** Builds a tensor of the given shape from a seeded generator. Shapes of weights are (fanIn, fanOut). */
export type Initializer = (rng: Rng, shape: readonly number[], dtype?: DType) => Tensor;

function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[0]! * receptive, shape[1]! * receptive];
}

function uniform(rng: Rng, shape: readonly number[], limit: number, dtype?: DType): Tensor {
  return rng.uniform(shape, { low: -limit, high: limit, dtype });
}

function normal(rng: Rng, shape: readonly number[], std: number, dtype?: DType): Tensor {
  return rng.normal(shape, { std, dtype });
}

/** Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)). */
export const glorotUniform: Initializer = (rng, shape, dtype) => {
  const [fi, fo] = fans(shape);
  return uniform(rng, shape, Math.sqrt(6 / (fi + fo)), dtype);
};

/** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
export const glorotNormal: Initializer = (rng, shape, dtype) => {
  const [fi, fo] = fans(shape);
  return normal(rng, shape, Math.sqrt(2 / (fi + fo)), dtype);
};

/** He/Kaiming uniform (for ReLU): U(-a, a) with a = sqrt(6 / fanIn). */
export const heUniform: Initializer = (rng, shape, dtype) => uniform(rng, shape, Math.sqrt(6 / fans(shape)[0]), dtype);

/** He/Kaiming normal (for ReLU): N(0, 2 / fanIn). */
export const heNormal: Initializer = (rng, shape, dtype) => normal(rng, shape, Math.sqrt(2 / fans(shape)[0]), dtype);

/** LeCun normal: N(0, 1 / fanIn). */
export const lecunNormal: Initializer = (rng, shape, dtype) => normal(rng, shape, Math.sqrt(1 / fans(shape)[0]), dtype);

/** N(0, std^2) whatever the shape (e.g. a deliberately bad init in a vanishing-gradient demo). */
export function normalInit(std: number): Initializer {
  return (rng, shape, dtype) => normal(rng, shape, std, dtype);
}

/** All zeros (biases). */
export const zerosInit: Initializer = (_rng, shape, dtype) => zeros(shape, { dtype });
