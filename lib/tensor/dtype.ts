// Element types: float64 (default) and float32, with the typed-array storage each one uses.

/** The element type of a tensor. `"float64"` is the default everywhere. */
export type DType = "float64" | "float32";

/** Contiguous row-major storage of a tensor. */
export type FloatArray = Float64Array | Float32Array;

/** Allocates zeroed storage of `n` elements in a plain typed array (the backend's storage.ts holds tensor results). */
export function allocate(dtype: DType, n: number): FloatArray {
  return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
}

/** The dtype that matches a typed array (`Float32Array` -> float32, anything else -> float64). */
export function dtypeOfArray(a: ArrayBufferView): DType {
  return a instanceof Float32Array || Object.prototype.toString.call(a) === "[object Float32Array]" ? "float32" : "float64";
}

/** Checks a user-supplied dtype name. */
export function checkDType(dtype: unknown, op: string): DType {
  if (dtype === "float64" || dtype === "float32") return dtype;
  throw new TypeError(`${op}: unknown dtype ${JSON.stringify(dtype)} (use "float64" or "float32")`);
}
