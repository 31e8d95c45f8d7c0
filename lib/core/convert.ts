// Turning user values (numbers, nested arrays, typed arrays, tensors) into tensors; numbers adopt a partner's dtype.
import { allocate, dtypeOfArray, type DType } from "../tensor/dtype.js";
import { ValueError } from "../tensor/errors.js";
import { SCALAR_SHAPE, type Shape } from "../tensor/shape.js";
import { Tensor, type TensorLike } from "./tensor.js";

/** A plain scalar tensor (no validation; the hot path of every op that receives a number). */
export function scalarOf(value: number, dtype: DType): Tensor {
  return new Tensor(null, SCALAR_SHAPE, dtype, null, null, dtype === "float32" ? Math.fround(value) : value);
}

/** A uniform tensor: every element of `shape` equals `value` (rounded for float32); no storage is allocated. */
export function lazyScalar(value: number, shape: Shape, dtype: DType): Tensor {
  return new Tensor(null, shape, dtype, null, null, dtype === "float32" ? Math.fround(value) : value);
}

/**
 * Converts `x` to a tensor. A number becomes a scalar of `dtype` (so `mul(2, x)` keeps x's float32); arrays and typed
 * arrays are copied. `op` names the caller in error messages.
 */
export function asTensor(x: TensorLike, dtype?: DType, op = "tensor"): Tensor {
  // Small enough for the optimizing compiler to inline into every op: the common cases are a Tensor or a number.
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return scalarOf(x, dtype ?? "float64");
  return fromValue(x, dtype, op);
}

/** asTensor for arrays and typed arrays (copied). */
function fromValue(x: TensorLike, dtype: DType | undefined, op: string): Tensor {
  if (ArrayBuffer.isView(x)) {
    const dt = dtype ?? dtypeOfArray(x);
    const data = allocate(dt, (x as Float64Array).length);
    data.set(x as Float64Array);
    return new Tensor(data, [data.length], dt);
  }
  if (Array.isArray(x)) return fromNested(x, dtype ?? "float64", op);
  throw new ValueError(`${op}: expected a Tensor, a number or an array of numbers, got ${describeValue(x)}`);
}

/** Short description of an unexpected value for error messages. */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "object") return `an object (${Object.prototype.toString.call(x).slice(8, -1)})`;
  if (typeof x === "string") return `the string ${JSON.stringify(x.length > 20 ? x.slice(0, 20) + "..." : x)}`;
  return `${typeof x} ${String(x)}`;
}

function fromNested(x: readonly unknown[], dtype: DType, op: string): Tensor {
  const shape: number[] = [];
  let probe: unknown = x;
  while (Array.isArray(probe) || ArrayBuffer.isView(probe)) {
    const arr = probe as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    probe = arr[0];
  }
  let n = 1;
  for (const d of shape) n *= d;
  const data = allocate(dtype, n);
  let k = 0;
  const fill = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v === "number") data[k++] = v;
      else if (v instanceof Tensor && v.size === 1) data[k++] = v.data[0]!;
      else throw new ValueError(`${op}: element ${path} is ${describeValue(v)}, expected a number`);
      return;
    }
    const isList = Array.isArray(v) || ArrayBuffer.isView(v);
    const arr = v as ArrayLike<unknown>;
    if (!isList || arr.length !== shape[depth]) {
      throw new ValueError(`${op}: ragged nested array: ${path || "the value"} should have length ${shape[depth]} ` +
        `like its siblings, but ${isList ? `has length ${arr.length}` : `is ${describeValue(v)}`}`);
    }
    for (let i = 0; i < arr.length; i++) fill(arr[i], depth + 1, `${path}[${i}]`);
  };
  fill(x, 0, "");
  return new Tensor(data, shape.length === 0 ? SCALAR_SHAPE : (shape as Shape), dtype);
}
