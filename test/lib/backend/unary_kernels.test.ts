// The wasm unary kernels against scalar.ts (Math.*): ulp error on wide random and edge inputs in f64 and f32 (sin, cos,
// tan also next to multiples of π/2 and beyond the kernels' reduction range), special values exactly, and the JS
// fallback (short arrays) giving the same special values.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededUniform } from "../../../bench/seeded.js";
import type { UnaryFn } from "../../../lib/backend/backend.js";
import { UNARY_OPS, unaryInto } from "../../../lib/backend/elementwise.js";
import { DEFAULT_LIMITS, type KernelLimits } from "../../../lib/backend/limits.js";
import { chunksRunByWorkers, setThreads, threadsWanted } from "../../../lib/backend/pool.js";
import { UNARY } from "../../../lib/backend/scalar.js";
import { wasmPath } from "../../../lib/backend/wasm.js";
import { requireTool } from "../../helpers/require.js";
import { onTwoThreads } from "./two_threads.js";
import { ulpError } from "./ulp.js";

const limits: KernelLimits = { ...DEFAULT_LIMITS };

/**
 * The f64 error bound each kernel is held to, in ulp of Math's (scalar.ts's) value. V8's Math.tanh is itself up to
 * 2 ulp off below |x| = 0.55 (against mpmath; the kernel 0.7 there); tan is a quotient of two results. f32 kernels:
 * 1 ulp of the rounded f64 value (exp: 2, its f32 kernel computes in f32), the exact ones 0.
 */
const F64_ULP: Readonly<Record<UnaryFn, number>> = {
  exp: 1, neg: 0, abs: 0, square: 0, sqrt: 0, relu: 0, sign: 0, log: 2, log1p: 2, tanh: 2, sigmoid: 2, softplus: 2,
  sin: 2, cos: 2, tan: 3,
};
const F32_ULP = (fn: UnaryFn): number => (fn === "exp" ? 2 : Math.min(F64_ULP[fn], 1));

const FNS = Object.keys(UNARY_OPS) as UnaryFn[];

const EDGES = [0, -0, 1, -1, 2, -2, 0.5, -0.5, Infinity, -Infinity, NaN, -NaN, 5e-324, -5e-324, 2.2250738585072014e-308,
  -2.2250738585072014e-308, 2.225073858507201e-308, 1e-300, -1e-300, 1e-20, -1e-20, 1e-9, -1e-9, 1.7976931348623157e308,
  -1.7976931348623157e308, Math.SQRT1_2, Math.SQRT2, 1 + 2 ** -52, 1 - 2 ** -53, -1 + 2 ** -53, -1 - 2 ** -52,
  0.54, -0.54, 0.55, 0.625, 1.1, 18, 19.1, 22, 36, 37.5, -36, -37.5, 40, -40, 709, -709, 710, -710, 745.2, -745.2,
  746, -746, 800, -800, 1e10, -1e10, 1e300, -1e300, 2 ** -26, 2 ** -28, -(2 ** -28), 1.401298464324817e-45,
  1.1754943508222875e-38, 3.4028234663852886e38, -3.4028234663852886e38, 88.7, -103, 15.9, -87.3];

/**
 * Edges first, then sign * 2^e over the whole exponent range, uniform [-40, 40], values just around 1 and -1, small
 * magnitudes, and doubles next to k·π/2 within the trig kernels' range.
 */
function inputs(n: number, f32: boolean): Float64Array | Float32Array {
  const rand = seededUniform(19);
  const x = f32 ? new Float32Array(n) : new Float64Array(n);
  x.set(EDGES.slice(0, n));
  const [lo, hi] = f32 ? [-149, 128] : [-1074, 1024];
  for (let i = EDGES.length; i < n; i++) {
    const sign = rand() < 0.5 ? -1 : 1;
    switch (i % 5) {
      case 0: x[i] = sign * 2 ** (lo + (hi - lo) * rand()); break;
      case 1: x[i] = 80 * rand() - 40; break;
      case 2: x[i] = sign + sign * 2 ** (-60 * rand()) * (rand() - 0.5); break;
      case 3: x[i] = sign * 2 ** (-40 * rand()) * (1 + rand()); break;
      default: {
        const near = Math.round(10430 * rand()) * (Math.PI / 2);
        x[i] = sign * (near + Math.round(4 * rand() - 2) * 2 ** (Math.floor(Math.log2(near || 1)) - 52));
      }
    }
  }
  return x;
}

/** Largest ulp error of out against scalar.ts over x, and the first input where it happens. */
function worst(fn: UnaryFn, x: Float64Array | Float32Array, out: Float64Array | Float32Array): [number, number] {
  const f32 = x instanceof Float32Array;
  let err = 0, at = NaN;
  for (let i = 0; i < x.length; i++) {
    const ref = f32 ? Math.fround(UNARY[fn](x[i]!)) : UNARY[fn](x[i]!);
    const e = ulpError(ref, out[i]!, f32);
    if (e > err) [err, at] = [e, x[i]!];
  }
  return [err, at];
}

/** Bit-identical contents (toEqual is far too slow on arrays this long). */
const sameBits = (a: Float64Array | Float32Array, b: Float64Array | Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const built = requireTool(`built wasm kernels at ${wasmPath} (npm run build)`, existsSync(wasmPath));

describe.skipIf(!built)("unaryInto: wasm SIMD kernels against scalar.ts", () => {
  const savedThreads = threadsWanted();
  beforeAll(() => {
    setThreads(1);
    limits.wasmElementwise = 0;
  });
  afterAll(() => {
    Object.assign(limits, DEFAULT_LIMITS);
    setThreads(savedThreads);
  });
  for (const fn of FNS) {
    for (const f32 of [false, true]) {
      const bound = f32 ? F32_ULP(fn) : F64_ULP[fn]!;
      it(`${fn} ${f32 ? "f32" : "f64"} within ${bound} ulp, special values exact`, () => {
        // Odd lengths leave a scalar tail after the SIMD loop.
        for (const n of [1, 3, 200_001]) {
          const x = inputs(n, f32);
          const out = f32 ? new Float32Array(n) : new Float64Array(n);
          unaryInto(fn, x, out, limits);
          const [err, at] = worst(fn, x, out);
          expect(err, `length ${n}, worst at x = ${at}`).toBeLessThanOrEqual(bound);
        }
        // Each edge value alone, through the scalar tail (clang compiles it apart from the SIMD loop).
        for (const v of EDGES) {
          const x = f32 ? Float32Array.of(v) : Float64Array.of(v);
          const out = f32 ? new Float32Array(1) : new Float64Array(1);
          unaryInto(fn, x, out, limits);
          expect(worst(fn, x, out)[0], `${fn}(${v}) = ${out[0]}`).toBeLessThanOrEqual(bound);
        }
      });
    }
  }
  it("in place (out = x) gives the same numbers, sin/cos/tan beyond their kernels' range included", () => {
    for (const fn of FNS) {
      const x = inputs(10_001, false), out = new Float64Array(x.length);
      unaryInto(fn, x, out, limits);
      unaryInto(fn, x, x, limits);
      expect(sameBits(x, out), fn).toBe(true);
    }
  });
});

describe.skipIf(!built)("unaryInto: split across two threads", () => {
  onTwoThreads();
  afterAll(() => void Object.assign(limits, DEFAULT_LIMITS));
  it("gives the single thread's numbers for every op, chunks run by the worker", () => {
    const before = chunksRunByWorkers();
    for (const fn of FNS) {
      for (const f32 of [false, true]) {
        const x = inputs(300_001, f32);
        const one = f32 ? new Float32Array(x.length) : new Float64Array(x.length), two = one.slice();
        Object.assign(limits, { wasmElementwise: 0, parallelElementwise: Infinity });
        unaryInto(fn, x, one, limits);
        Object.assign(limits, { parallelElementwise: 0 });
        unaryInto(fn, x, two, limits);
        expect(sameBits(two, one), `${fn} ${f32 ? "f32" : "f64"}`).toBe(true);
      }
    }
    expect(chunksRunByWorkers()).toBeGreaterThan(before);
  });
});

describe("unaryInto: JS fallback on short arrays gives the same special values", () => {
  beforeAll(() => void (limits.wasmElementwise = Infinity));
  afterAll(() => void Object.assign(limits, DEFAULT_LIMITS));
  for (const fn of Object.keys(UNARY) as UnaryFn[]) {
    it(`${fn}`, () => {
      for (const f32 of [false, true]) {
        const x = f32 ? Float32Array.from(EDGES) : Float64Array.from(EDGES);
        const out = f32 ? new Float32Array(x.length) : new Float64Array(x.length);
        unaryInto(fn, x, out, limits);
        x.forEach((v, i) => {
          const ref = f32 ? Math.fround(UNARY[fn](v)) : UNARY[fn](v);
          if (Number.isNaN(ref) || !Number.isFinite(ref) || ref === 0) expect(out[i], `${fn}(${v})`).toBe(ref);
        });
      }
    });
  }
});
