// Linear algebra: matmul (numpy rules, batched, forward through the backend seam), and the composites dot and outer.
import { asTensor } from "../core/convert.js";
import { defineOp, type OpDef } from "../core/op.js";
import { bind } from "../core/trace.js";
import { Tensor, type TensorLike } from "../core/tensor.js";
import { backend } from "../backend/index.js";
import { ShapeError } from "../tensor/errors.js";
import { broadcastShapes } from "../tensor/broadcast.js";
import { formatShape, type Shape } from "../tensor/shape.js";
import { add, mul } from "./binary.js";
import { checkSameDType, unbroadcast } from "./helpers.js";
import { reshape } from "./shape.js";

/** Parameters of the matmul primitive: whether each operand's last two axes are used transposed (BLAS-style). */
export interface MatmulParams {
  readonly ta: boolean;
  readonly tb: boolean;
}

/** The (rows, cols) an operand contributes after its optional transpose. */
function matrixDims(x: Tensor, t: boolean): [number, number] {
  const r = x.shape[x.ndim - 2]!;
  const c = x.shape[x.ndim - 1]!;
  return t ? [c, r] : [r, c];
}

/** Forward of op(A) @ op(B) for operands of rank >= 2 with broadcast batch axes. */
function matmulForward(a: Tensor, b: Tensor, { ta, tb }: MatmulParams): Tensor {
  checkSameDType(a, b, "matmul");
  const [m, k] = matrixDims(a, ta);
  const [k2, n] = matrixDims(b, tb);
  if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  return backend().matmul(a, b, ta, tb, [...batchShape(a.shape, b.shape), m, n]);
}

/** The broadcast of two operands' batch axes (all but the last two), named by both full shapes when they clash. */
function batchShape(a: Shape, b: Shape): Shape {
  try {
    return broadcastShapes(a.slice(0, -2), b.slice(0, -2), "matmul");
  } catch {
    throw new ShapeError(`matmul: batch axes do not broadcast: ${formatShape(a)} @ ${formatShape(b)} ` +
      `(batch shapes ${formatShape(a.slice(0, -2))} and ${formatShape(b.slice(0, -2))})`);
  }
}

function mm(a: Tensor, b: Tensor, ta: boolean, tb: boolean): Tensor {
  return bind(MATMUL, [a, b], { ta, tb });
}

export const MATMUL: OpDef<MatmulParams> = defineOp<MatmulParams>({
  name: "matmul",
  forward: ([a, b], p) => matmulForward(a!, b!, p),
  // C = op(A) op(B). dop(A) = dC op(B)^T and dop(B) = op(A)^T dC; a transposed operand receives the transpose,
  // which the flags express without copying. Broadcast batch axes are summed by unbroadcast.
  vjp: (ct, [a, b], _out, { ta, tb }, wants) => [
    wants[0] ? unbroadcast(ta ? mm(b!, ct, tb, true) : mm(ct, b!, false, !tb), a!.shape) : null,
    wants[1] ? unbroadcast(tb ? mm(ct, a!, true, ta) : mm(a!, ct, !ta, false), b!.shape) : null,
  ],
  jvp: ([da, db], [a, b], _out, { ta, tb }) => {
    const p = da && mm(da, b!, ta, tb);
    const q = db && mm(a!, db, ta, tb);
    return p && q ? add(p, q) : (p ?? q ?? null);
  },
});

/**
 * Matrix product with numpy's matmul rules: 2-D @ 2-D, a 1-D operand is treated as a row (left) or column (right)
 * vector and that axis is dropped from the result, and leading batch axes broadcast.
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  const ta = asTensor(a, b instanceof Tensor ? b.dtype : undefined, "matmul");
  const tb = asTensor(b, ta.dtype, "matmul");
  if (ta.ndim === 0 || tb.ndim === 0) {
    throw new ShapeError(`matmul: operands must be at least 1-D, got shapes ${formatShape(ta.shape)} @ ${formatShape(tb.shape)}`);
  }
  const ka = ta.shape[ta.ndim - 1]!;
  const kb = tb.ndim === 1 ? tb.shape[0]! : tb.shape[tb.ndim - 2]!;
  if (ka !== kb) {
    throw new ShapeError(`matmul: inner dimensions differ: ${formatShape(ta.shape)} @ ${formatShape(tb.shape)}`);
  }
  batchShape(ta.ndim === 1 ? [1, ka] : ta.shape, tb.ndim === 1 ? [kb, 1] : tb.shape);
  const a2 = ta.ndim === 1 ? reshape(ta, [1, ka]) : ta;
  const b2 = tb.ndim === 1 ? reshape(tb, [kb, 1]) : tb;
  const c = mm(a2, b2, false, false);
  if (ta.ndim > 1 && tb.ndim > 1) return c;
  const shape = c.shape.slice();
  if (tb.ndim === 1) shape.splice(shape.length - 1, 1);
  if (ta.ndim === 1) shape.splice(shape.length - (tb.ndim === 1 ? 1 : 2), 1);
  return reshape(c, shape);
}

/** Inner product of two vectors; for other ranks the same as `matmul`. */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  return matmul(a, b);
}

/** Outer product of two vectors (inputs are flattened): `outer(a, b)[i, j] = a[i] * b[j]`. */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const ta = asTensor(a, b instanceof Tensor ? b.dtype : undefined, "outer");
  const tb = asTensor(b, ta.dtype, "outer");
  return mul(reshape(ta, [ta.size, 1]), reshape(tb, [1, tb.size]));
}
