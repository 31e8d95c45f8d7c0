// The fast backend's uniform (scalar) path, which picks each function by a switch on its name, against the reference
// backend's table-driven loops for every unary and binary function, both dtypes and special values, and by hand.
import { describe, expect, it } from "vitest";
import { fastBackend, referenceBackend, type BinaryFn, type UnaryFn } from "../../../lib/backend/index.js";
import { BINARY, UNARY } from "../../../lib/backend/scalar.js";
import { lazyScalar } from "../../../lib/core/convert.js";
import { Tensor } from "../../../lib/core/tensor.js";
import { SCALAR_SHAPE } from "../../../lib/tensor/shape.js";
import type { DType } from "../../../lib/tensor/dtype.js";

const VALUES = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-300, 700, -800, Infinity, -Infinity, NaN];
const DTYPES: DType[] = ["float64", "float32"];

const uniform = (v: number, dtype: DType) => lazyScalar(v, SCALAR_SHAPE, dtype);
/** A one-element tensor with storage: the reference backend's input, so it never sees a uniform tensor. */
const stored = (v: number, dtype: DType) => new Tensor(dtype === "float32" ? Float32Array.of(v) : Float64Array.of(v), SCALAR_SHAPE, dtype);

describe("fast backend uniform scalars", () => {
  it("every unary function gives the reference backend's value", () => {
    for (const fn of Object.keys(UNARY) as UnaryFn[]) {
      for (const dtype of DTYPES) {
        for (const v of VALUES) {
          const got = fastBackend.unary(fn, uniform(v, dtype));
          expect(got._data, `${fn} stays uniform`).toBe(null);
          expect(Object.is(got.item(), referenceBackend.unary(fn, stored(v, dtype)).item()), `${fn}(${v}) ${dtype}`).toBe(true);
        }
      }
    }
  });

  it("every binary function gives the reference backend's value", () => {
    for (const fn of Object.keys(BINARY) as BinaryFn[]) {
      for (const dtype of DTYPES) {
        for (const x of VALUES) {
          for (const y of VALUES) {
            const got = fastBackend.binary(fn, uniform(x, dtype), uniform(y, dtype), SCALAR_SHAPE);
            const want = referenceBackend.binary(fn, stored(x, dtype), stored(y, dtype), SCALAR_SHAPE);
            expect(Object.is(got.item(), want.item()), `${fn}(${x}, ${y}) ${dtype}`).toBe(true);
          }
        }
      }
    }
  });

  it("by hand", () => {
    const u = (fn: UnaryFn, v: number) => fastBackend.unary(fn, uniform(v, "float64")).item();
    const b = (fn: BinaryFn, x: number, y: number) =>
      fastBackend.binary(fn, uniform(x, "float64"), uniform(y, "float64"), SCALAR_SHAPE).item();
    expect([u("neg", 3), u("square", -3), u("sqrt", 16), u("abs", -2), u("relu", -1), u("sign", -4)]).toEqual([-3, 9, 4, 2, 0, -1]);
    expect([b("add", 2, 3), b("sub", 5, 3), b("mul", 4, 2.5), b("div", 1, 4), b("pow", 2, 10)]).toEqual([5, 2, 10, 0.25, 1024]);
    expect([b("maximum", 1, 2), b("minimum", 1, 2), b("greater", 2, 1), b("less", 2, 1), b("equal", 2, 2)]).toEqual([2, 1, 1, 0, 1]);
    expect([b("pow", 1, NaN), b("pow", -1, Infinity), b("maximum", NaN, 1)]).toEqual([1, 1, NaN]);
  });
});
