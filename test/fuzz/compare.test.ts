// The comparison rules of the differential suite, on hand-made results (so a lax comparator cannot hide mismatches).
import { describe, expect, it } from "vitest";
import { compare } from "./compare.js";

const r = (data: number[], shape = [data.length], dtype = "float64") => ({ shape, dtype, data: Float64Array.from(data) });
const ref = (data: number[], allowed: number[]) => ({ ...r(data), allowed: Float64Array.from(allowed) });

describe("compare", () => {
  it("accepts equal values, signed zeros and differences within the allowed error", () => {
    expect(compare(r([1, -0, NaN, Infinity]), r([1, 0, NaN, Infinity]))).toBeNull();
    expect(compare(r([1.5, 2]), ref([1.4, 2], [0.2, 0]))).toBeNull();
  });
  it("rejects differences beyond the allowed error, NaN in the wrong place, infinities of the wrong sign", () => {
    expect(compare(r([1.5]), ref([1.4], [0.05]))).toMatch(/1 of 1 values differ/);
    expect(compare(r([0]), r([NaN]))).toMatch(/differ/);
    expect(compare(r([NaN]), r([0]))).toMatch(/differ/);
    expect(compare(r([-Infinity]), r([Infinity]))).toMatch(/differ/);
    expect(compare(r([1e308]), ref([Infinity], [1e300]))).toMatch(/differ/);
  });
  it("skips elements whose allowed error is NaN (order-dependent overflow)", () => {
    expect(compare(r([Infinity]), ref([3e38], [NaN]))).toBeNull();
  });
  it("rejects a wrong shape, a wrong dtype, and one side refusing the input", () => {
    expect(compare(r([1, 2], [2, 1]), r([1, 2], [1, 2]))).toMatch(/shape \(2, 1\), expected \(1, 2\)/);
    expect(compare(r([1], [1], "float32"), r([1]))).toMatch(/dtype float32, expected float64/);
    expect(compare({ error: "bad" }, r([1]))).toMatch(/gradlab threw "bad"/);
    expect(compare(r([1]), { error: "ValueError: no" })).toMatch(/refuses/);
    expect(compare({ error: "a" }, { error: "b" })).toBeNull();
  });
});
