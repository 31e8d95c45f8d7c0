// Broadcasting binary ops: add, sub, mul, div, pow, maximum, minimum (forward, vjp and jvp side by side).
import { defineOp } from "../core/op.js";
import { bind } from "../core/trace.js";
import type { Tensor, TensorLike } from "../core/tensor.js";
import { broadcastShapes } from "../tensor/broadcast.js";
import { backend, type BinaryFn } from "../backend/index.js";
import { checkSameDType, expandTo, operand, unbroadcast } from "./helpers.js";
import { equal, greater, less, where } from "./select.js";
import { log, neg } from "./unary.js";

/** Forward of a broadcasting binary function: validates dtypes and shapes, the backend computes. */
export function broadcastForward(fn: BinaryFn, a: Tensor, b: Tensor): Tensor {
  checkSameDType(a, b, fn);
  return backend().binary(fn, a, b, a.shape === b.shape ? a.shape : broadcastShapes(a.shape, b.shape, fn));
}

export const ADD = defineOp({
  name: "add",
  forward: ([a, b]) => broadcastForward("add", a!, b!),
  vjp: (ct, [a, b], _out, _p, wants) => [
    wants[0] ? unbroadcast(ct, a!.shape) : null,
    wants[1] ? unbroadcast(ct, b!.shape) : null,
  ],
  jvp: ([da, db], _in, out) => (da && db ? add(da, db) : expandTo((da ?? db)!, out.shape)),
});

export const SUB = defineOp({
  name: "sub",
  forward: ([a, b]) => broadcastForward("sub", a!, b!),
  vjp: (ct, [a, b], _out, _p, wants) => [
    wants[0] ? unbroadcast(ct, a!.shape) : null,
    wants[1] ? unbroadcast(neg(ct), b!.shape) : null,
  ],
  jvp: ([da, db], _in, out) => (da && db ? sub(da, db) : da ? expandTo(da, out.shape) : expandTo(neg(db!), out.shape)),
});

export const MUL = defineOp({
  name: "mul",
  forward: ([a, b]) => broadcastForward("mul", a!, b!),
  // d(ab) = b da + a db
  vjp: (ct, [a, b], _out, _p, wants) => [
    wants[0] ? unbroadcast(mul(ct, b!), a!.shape) : null,
    wants[1] ? unbroadcast(mul(ct, a!), b!.shape) : null,
  ],
  jvp: ([da, db], [a, b], out) => sumTangents(da && mul(da, b!), db && mul(a!, db), out),
});

export const DIV = defineOp({
  name: "div",
  forward: ([a, b]) => broadcastForward("div", a!, b!),
  // d(a/b) = da/b - (a/b) db/b
  vjp: (ct, [a, b], out, _p, wants) => [
    wants[0] ? unbroadcast(div(ct, b!), a!.shape) : null,
    wants[1] ? unbroadcast(neg(div(mul(ct, out), b!)), b!.shape) : null,
  ],
  jvp: ([da, db], [, b], out) => sumTangents(da && div(da, b!), db && neg(div(mul(db, out), b!)), out),
});

/** log(a) where a > 0, else 0: the b-derivative convention of a^b where the real logarithm does not exist. */
function safeLog(a: Tensor): Tensor {
  const positive = greater(a, 0);
  return where(positive, log(where(positive, a, 1)), 0);
}

export const POW = defineOp({
  name: "pow",
  forward: ([a, b]) => broadcastForward("pow", a!, b!),
  // d(a^b) = b a^(b-1) da + a^b log(a) db
  vjp: (ct, [a, b], out, _p, wants) => [
    wants[0] ? unbroadcast(mul(ct, mul(b!, pow(a!, sub(b!, 1)))), a!.shape) : null,
    wants[1] ? unbroadcast(mul(ct, mul(out, safeLog(a!))), b!.shape) : null,
  ],
  jvp: ([da, db], [a, b], out) =>
    sumTangents(da && mul(da, mul(b!, pow(a!, sub(b!, 1)))), db && mul(db, mul(out, safeLog(a!))), out),
});

/** Share of the gradient that goes to `a` in maximum/minimum: 1 where a wins, 0.5 on ties, 0 where it loses. */
function winnerShare(a: Tensor, b: Tensor, wins: (a: Tensor, b: Tensor) => Tensor): Tensor {
  return add(wins(a, b), mul(equal(a, b), 0.5));
}

function extremumOp(name: "maximum" | "minimum", wins: (a: Tensor, b: Tensor) => Tensor) {
  return defineOp({
    name,
    forward: ([a, b]) => broadcastForward(name, a!, b!),
    vjp: (ct, [a, b], _out, _p, wants) => {
      const share = winnerShare(a!, b!, wins);
      return [
        wants[0] ? unbroadcast(mul(ct, share), a!.shape) : null,
        wants[1] ? unbroadcast(mul(ct, sub(1, share)), b!.shape) : null,
      ];
    },
    jvp: ([da, db], [a, b], out) => {
      const share = winnerShare(a!, b!, wins);
      return sumTangents(da && mul(da, share), db && mul(db, sub(1, share)), out);
    },
  });
}

export const MAXIMUM = extremumOp("maximum", greater);
export const MINIMUM = extremumOp("minimum", less);

/** Adds tangent contributions, either of which may be a symbolic zero, at the output's shape. */
function sumTangents(p: Tensor | null | undefined, q: Tensor | null | undefined, out: Tensor): Tensor | null {
  if (p && q) return expandTo(add(p, q), out.shape);
  if (p) return expandTo(p, out.shape);
  return q ? expandTo(q, out.shape) : null;
}

/** Elementwise `a + b` with numpy broadcasting; numbers are accepted for either operand. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return bind(ADD, [operand(a, b, "add"), operand(b, a, "add")], undefined);
}
/** Elementwise `a - b` with numpy broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return bind(SUB, [operand(a, b, "sub"), operand(b, a, "sub")], undefined);
}
/** Elementwise `a * b` with numpy broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return bind(MUL, [operand(a, b, "mul"), operand(b, a, "mul")], undefined);
}
/** Elementwise `a / b` with numpy broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return bind(DIV, [operand(a, b, "div"), operand(b, a, "div")], undefined);
}
/**
 * Elementwise `a ** b`. The derivative in b uses log(a), taken as 0 where a <= 0 (where a^b has no real logarithm),
 * so `pow(x, 2)` with x <= 0 still has the usual gradient 2x.
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return bind(POW, [operand(a, b, "pow"), operand(b, a, "pow")], undefined);
}
/** Elementwise maximum. Convention: where a == b the gradient is split 0.5 / 0.5. NaN propagates. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return bind(MAXIMUM, [operand(a, b, "maximum"), operand(b, a, "maximum")], undefined);
}
/** Elementwise minimum. Convention: where a == b the gradient is split 0.5 / 0.5. NaN propagates. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return bind(MINIMUM, [operand(a, b, "minimum"), operand(b, a, "minimum")], undefined);
}
