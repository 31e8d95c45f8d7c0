// The op families re-exported, plus PRIMITIVES: the explicit list of ops that carry their own rules.
import type { OpDef } from "../core/op.js";
import { ADD, DIV, MAXIMUM, MINIMUM, MUL, POW, SUB } from "./binary.js";
import { ARGMAX, ARGMIN, BROADCAST_TO, MAX, MIN, PROD, SUM } from "./reduce.js";
import { EQUAL, GREATER, LESS, STOP_GRADIENT, WHERE } from "./select.js";
import { ASTYPE, RESHAPE, TRANSPOSE } from "./shape.js";
import { CONCAT, SCATTER_ADD, SLICE, SLICE_SCATTER, TAKE } from "./indexing.js";
import { MATMUL } from "./linalg.js";
import {
  ABS, COS, EXP, LOG, LOG1P, NEG, RELU, SIGMOID, SIGN, SIN, SOFTPLUS, SQRT, SQUARE, TAN, TANH,
} from "./unary.js";

export * from "./create.js";
export * from "./unary.js";
export * from "./binary.js";
export * from "./select.js";
export * from "./reduce.js";
export * from "./shape.js";
export * from "./indexing.js";
export * from "./linalg.js";
export * from "./composite.js";
export { asTensor } from "../core/convert.js";

/** Every primitive op (the ones with forward/vjp/jvp rules); the generic rule tests sweep this list. */
export const PRIMITIVES: readonly OpDef<any>[] = [
  NEG, EXP, LOG, LOG1P, SQRT, SQUARE, SIN, COS, TAN, TANH, SIGMOID, RELU, ABS, SOFTPLUS, SIGN,
  ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM,
  GREATER, LESS, EQUAL, WHERE, STOP_GRADIENT,
  SUM, PROD, MAX, MIN, ARGMAX, ARGMIN, BROADCAST_TO,
  RESHAPE, TRANSPOSE, ASTYPE,
  SLICE, SLICE_SCATTER, TAKE, SCATTER_ADD, CONCAT,
  MATMUL,
];
