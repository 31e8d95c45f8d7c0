// formatNumber: the labels text summaries print, and a property tying every label back to the value it names.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNumber } from "../../../lib/display/numbers.js";

describe("formatNumber", () => {
  it("prints significant digits without trailing zeros, exponent form below 1e-3 and from 1e5", () => {
    const cases: [number, number | undefined, string][] = [
      [0, undefined, "0"], [-0, undefined, "0"], [1, undefined, "1"], [-1, undefined, "-1"],
      [0.1 + 0.2, undefined, "0.3"], [1 / 3, undefined, "0.3333"], [2 / 3, 3, "0.667"], [123.456, undefined, "123.5"],
      [99999, undefined, "100000"], [99999.5, undefined, "100000"], [100000, undefined, "1e5"], [123456, undefined, "1.235e5"],
      [-123456, undefined, "-1.235e5"], [1e-3, undefined, "0.001"], [0.00099999, undefined, "1e-3"],
      [0.000123456, undefined, "1.235e-4"], [-0.000123456, undefined, "-1.235e-4"], [1e21, undefined, "1e21"],
      [1.5e-7, undefined, "1.5e-7"], [12345.678, 6, "12345.7"], [1 / 3, 8, "0.33333333"], [-2.5e-10, 6, "-2.5e-10"],
      [1e5, 1, "1e5"], [12345, 4, "12350"], [0.0012345, 2, "0.0012"], [5e-324, undefined, "4.941e-324"],
      [Number.MAX_VALUE, undefined, "1.798e308"], [NaN, undefined, "NaN"], [Infinity, undefined, "Infinity"],
      [-Infinity, undefined, "-Infinity"],
    ];
    for (const [x, digits, text] of cases) expect([x, digits, formatNumber(x, digits)]).toEqual([x, digits, text]);
  });

  it("every label reads back as the value to within half a unit in its last significant digit", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }), fc.integer({ min: 1, max: 10 }), (x, digits) => {
        const text = formatNumber(x, digits);
        expect(text).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
        const a = Math.abs(x);
        if (a === 0) return;
        expect(text.includes("e")).toBe(a >= 1e5 || a < 1e-3);
        const mantissaDigits = text.replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "");
        expect(mantissaDigits.replace(/0+$/, "").length).toBeLessThanOrEqual(digits);
        const ulp = 10 ** (Math.floor(Math.log10(a)) - digits + 1);
        expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(ulp / 2 + a * 1e-12);
      }),
      { seed: 18, numRuns: 2000 },
    );
  });
});
