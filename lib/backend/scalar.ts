// The value of every elementwise function on one number: the single definition both backends compute from.
import type { BinaryFn, UnaryFn } from "./backend.js";

/** Logistic sigmoid without overflow of exp for large |v|. */
export function sigmoidOf(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** log(1 + e^v) = max(v, 0) + log1p(e^-|v|), which never overflows. */
export function softplusOf(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/** x^y with C's (and numpy's) special cases where JavaScript's differs: 1^y = 1 for every y, (-1)^±Inf = 1. */
export function powOf(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

export const UNARY: Readonly<Record<UnaryFn, (v: number) => number>> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  square: (v) => v * v,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  sigmoid: sigmoidOf,
  // NaN stays NaN, as numpy's maximum(x, 0) gives.
  relu: (v) => (v > 0 ? v : v !== v ? v : 0),
  abs: Math.abs,
  softplus: softplusOf,
  // sign(-0) is 0 and sign(NaN) is NaN, as in numpy.
  sign: (v) => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN),
};

export const BINARY: Readonly<Record<BinaryFn, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: powOf,
  maximum: (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y),
  minimum: (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y),
  greater: (x, y) => (x > y ? 1 : 0),
  less: (x, y) => (x < y ? 1 : 0),
  equal: (x, y) => (x === y ? 1 : 0),
};

/**
 * `UNARY[fn](v)` through a switch on the name: the fast backend's uniform path serves every op at one call site, where a
 * table lookup by a varying name is a megamorphic keyed load plus an indirect call (the bulk of a scalar op's cost).
 */
export function unaryOf(fn: UnaryFn, v: number): number {
  switch (fn) {
    case "neg": return UNARY.neg(v);
    case "exp": return UNARY.exp(v);
    case "log": return UNARY.log(v);
    case "log1p": return UNARY.log1p(v);
    case "sqrt": return UNARY.sqrt(v);
    case "square": return UNARY.square(v);
    case "sin": return UNARY.sin(v);
    case "cos": return UNARY.cos(v);
    case "tan": return UNARY.tan(v);
    case "tanh": return UNARY.tanh(v);
    case "sigmoid": return UNARY.sigmoid(v);
    case "relu": return UNARY.relu(v);
    case "abs": return UNARY.abs(v);
    case "softplus": return UNARY.softplus(v);
    case "sign": return UNARY.sign(v);
  }
}

/** `BINARY[fn](x, y)` through a switch on the name (see unaryOf). */
export function binaryOf(fn: BinaryFn, x: number, y: number): number {
  switch (fn) {
    case "add": return BINARY.add(x, y);
    case "sub": return BINARY.sub(x, y);
    case "mul": return BINARY.mul(x, y);
    case "div": return BINARY.div(x, y);
    case "pow": return BINARY.pow(x, y);
    case "maximum": return BINARY.maximum(x, y);
    case "minimum": return BINARY.minimum(x, y);
    case "greater": return BINARY.greater(x, y);
    case "less": return BINARY.less(x, y);
    case "equal": return BINARY.equal(x, y);
  }
}
