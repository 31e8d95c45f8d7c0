// The wasm binary-op and reduction kernels against the JS loops: bit-identical binary ops (arithmetic, maximum/minimum,
// comparisons), axis and row reductions (sum, prod, max, min) and maxima/minima of all elements, accurate sums of all
// elements, every broadcast layout the ops send, and through the ops as users call them.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { seededArray, seededUniform } from "../../../bench/seeded.js";
import { add, div, greater, leakyRelu, max, min, mul, reshape, sub, sum, tensor, where, type Tensor } from "../../../lib/index.js";
import { reduceAllInKernels, reduceAxisInto, selectInto, zipInto, ZIP_OPS, type ZipOp } from "../../../lib/backend/elementwise.js";
import { fastBackend, referenceBackend, withBackend } from "../../../lib/backend/index.js";
import { DEFAULT_LIMITS } from "../../../lib/backend/limits.js";
import { wasmPath } from "../../../lib/backend/wasm.js";
import { addRow, asRows, divRow, mulRow, rowKernelOf, subRow, zipBroadcast } from "../../../lib/tensor/elementwise.js";
import { BINARY } from "../../../lib/backend/scalar.js";
import { broadcastShapes } from "../../../lib/tensor/broadcast.js";
import { reduceAll, reduceAxis } from "../../../lib/tensor/reduce.js";
import { requireTool } from "../../helpers/require.js";

const built = requireTool(`built wasm kernels at ${wasmPath} (npm run build)`, existsSync(wasmPath));
/** Limits that send every array, however short, to the wasm kernels. */
const wasmAlways = { ...DEFAULT_LIMITS, wasmElementwise: 0 };
const ROW_KERNELS = {
  add: addRow, sub: subRow, mul: mulRow, div: divRow, maximum: rowKernelOf(BINARY.maximum), minimum: rowKernelOf(BINARY.minimum),
  greater: rowKernelOf(BINARY.greater), less: rowKernelOf(BINARY.less), equal: rowKernelOf(BINARY.equal),
};
const OPS = { add, sub, mul, div };

/** Seeded values with the awkward ones mixed in: signed zeros, infinities, NaN, subnormals, huge and tiny numbers. */
function values(ctor: Float64ArrayConstructor | Float32ArrayConstructor, n: number, seed: number) {
  const x = ctor.from(seededArray(seededUniform(seed), n, -3, 3));
  const odd = [0, -0, Infinity, -Infinity, NaN, 5e-324, -1e308, 1e-300, 3.4e38, 1.2e-38];
  for (let i = 0; i < n; i += 97) x[i] = odd[(i / 97) % odd.length]!;
  return x;
}

const x64 = (n: number): Float64Array => Float64Array.from(seededArray(seededUniform(n), n, -1, 1));

const sameBits = (got: ArrayLike<number>, want: ArrayLike<number>): boolean =>
  got.length === want.length && Array.from(got).every((v, i) => Object.is(v, want[i]));

/** Shapes of (a, b) for the broadcast layouts: the ops hand the wasm kernel all but the last two (not rows). */
const LAYOUTS: [string, number[], number[], boolean][] = [
  ["equal shapes", [37, 129], [37, 129], true],
  ["scalar b", [4099], [], true],
  ["scalar a", [], [61, 67], true],
  ["bias row", [123, 77], [77], true],
  ["column", [123, 1], [123, 77], true],
  ["row of a 3-D batch", [5, 7, 33], [33], true],
  ["leading batch axis", [3, 1, 40], [3, 50, 40], false],
  ["matrix batch plus one matrix", [4, 6, 30], [6, 30], true],
  ["two broadcast axes", [3, 1, 40], [1, 50, 40], false],
  ["outer product", [50, 1], [1, 60], true],
  // Longer than one piece the kernels copy at a time: whole rows in blocks, long rows in parts.
  ["equal shapes, many pieces", [100_003], [100_003], true],
  ["bias over long rows", [3, 40_000], [40_000], true],
  ["bias over many short rows", [500, 77], [77], true],
  ["column over many rows", [3000, 1], [3000, 9], true],
  ["scalar over many pieces", [], [70_001], true],
];

function kernelSuite(): void {
  for (const f32 of [false, true]) {
    const ctor = f32 ? Float32Array : Float64Array;
    const dt = f32 ? "float32" : "float64";
    it(`${dt}: every op and layout gives the JS loop's bits`, () => {
      LAYOUTS.forEach(([name, aShape, bShape, viaRows], k) => {
        const fullShape = broadcastShapes(aShape, bShape, "test");
        const n = fullShape.reduce((p, d) => p * d, 1);
        const a = values(ctor, aShape.reduce((p, d) => p * d, 1), 10 + k), b = values(ctor, bShape.reduce((p, d) => p * d, 1), 50 + k);
        const rows = asRows(aShape, bShape, fullShape);
        expect(rows !== null, name).toBe(viaRows);
        if (rows === null) return;
        for (const op of Object.keys(ZIP_OPS) as ZipOp[]) {
          const want = new ctor(n), got = new ctor(n);
          zipBroadcast(a, aShape, b, bShape, want, fullShape, ROW_KERNELS[op]);
          expect(zipInto(op, a, b, got, rows, wasmAlways), `${name} ${op} took the wasm path`).toBe(true);
          expect(sameBits(got, want), `${name} ${op}`).toBe(true);
        }
      });
    });

    it(`${dt}: axis reductions give the JS loop's bits, row reductions (inner 1) too`, () => {
      for (const fn of ["sum", "prod", "max", "min"] as const) {
        for (const [outer, len, inner] of [[1, 1000, 1000], [7, 13, 130], [300, 2, 9], [1, 5, 4], [2, 0, 8], [1000, 1000, 1],
          [7, 13, 1], [5, 3, 1], [3, 0, 1], [9, 1, 1]] as const) {
          // Sums and products of finite values (an infinity makes most sums NaN); maxima and minima of every kind.
          const raw = values(ctor, outer * len * inner, outer + len + inner);
          const x = fn === "max" || fn === "min" ? raw : raw.map((v) => (Number.isFinite(v) ? (fn === "prod" ? 1 + v / 64 : v) : 1.5));
          const want = new ctor(outer * inner), got = new ctor(outer * inner).fill(NaN);
          reduceAxis(x, [outer, len, inner], 1, want, fn);
          expect(reduceAxisInto(fn, x, outer, len, inner, got, wasmAlways)).toBe(true);
          expect(sameBits(got, want), `${fn} (${outer}, ${len}, ${inner})`).toBe(true);
        }
      }
      expect(reduceAxisInto("sum", new ctor(3000), 1000, 1, 3, new ctor(3000), wasmAlways), "inner 2 or 3 stays in JS").toBe(false);
    });

    it(`${dt}: maxima and minima of all elements give the JS loop's bits: NaN anywhere, zeros of both signs`, () => {
      for (const n of [1, 7, 2048, 2049, 40_001, 1_000_003]) {
        const x = ctor.from(seededArray(seededUniform(n), n, -1, 1));
        for (const fn of ["max", "min"] as const) {
          expect(reduceAllInKernels(fn, x, wasmAlways), `${fn} of ${n}`).toBe(reduceAll(x, fn));
          const withNaN = x.slice();
          withNaN[(n * 7) >> 3] = NaN;
          expect(reduceAllInKernels(fn, withNaN, wasmAlways), `${fn} of ${n} with a NaN`).toBeNaN();
        }
      }
      // IEEE 754-2019's maximum and minimum: +0 above -0, in whichever order and lane the zeros come.
      for (const zeros of [[-0, 0], [0, -0], [-0, -0, -0, 0, -0, -0, -0, -0, -0, -1], [-1, -0, -0, -0, -0, -0, -0, -0, 0, -0, -0]]) {
        const x = ctor.from(zeros);
        expect(Object.is(reduceAllInKernels("max", x, wasmAlways), 0), `max of ${zeros}`).toBe(true);
        expect(Object.is(reduceAll(x, "max"), 0), `JS max of ${zeros}`).toBe(true);
        const negated = x.map((v) => -v);
        expect(Object.is(reduceAllInKernels("min", negated, wasmAlways), -0), `min of ${Array.from(negated)}`).toBe(true);
        expect(Object.is(reduceAll(negated, "min"), -0), `JS min of ${Array.from(negated)}`).toBe(true);
      }
      expect(reduceAllInKernels("prod", x64(4096), wasmAlways), "products of all elements stay a JS chain").toBeNull();
    });

    it(`${dt}: where gives the JS loop's bits: NaN conditions count as true, -0 as false, one-value operands`, () => {
      for (const n of [1, 3, 17, 16_384, 40_001]) {
        const c = values(ctor, n, n).map((v, i) => (i % 3 === 0 ? 0 : i % 5 === 0 ? -0 : v));
        const a = values(ctor, n, n + 1), b = values(ctor, n, n + 2);
        for (const [x, y] of [[a, b], [a, b.subarray(0, 1)], [a.subarray(0, 1), b], [a.subarray(0, 1), b.subarray(0, 1)]] as const) {
          const want = new ctor(n).map((_, i) => (c[i] !== 0 ? x[x.length === n ? i : 0]! : y[y.length === n ? i : 0]!));
          const got = new ctor(n).fill(7);
          expect(selectInto(c, x, y, got, wasmAlways), `${n}: ${x.length}, ${y.length}`).toBe(true);
          expect(sameBits(got, want), `${n}: ${x.length}, ${y.length}`).toBe(true);
        }
      }
      const other = f32 ? Float64Array : Float32Array;
      expect(selectInto(new other(8), new ctor(8), new ctor(8), new ctor(8), wasmAlways), "a condition of another type stays in JS").toBe(false);
    });

    it(`${dt}: sums of all elements match the JS loop`, () => {
      for (const n of [2048, 2049, 40_001, 1_000_003]) {
        const x = ctor.from(seededArray(seededUniform(n), n, -1, 1));
        const got = reduceAllInKernels("sum", x, wasmAlways)!;
        const want = reduceAll(x, "sum");
        const scale = Array.from(x).reduce((s, v) => s + Math.abs(v), 0);
        expect(Math.abs(got - want), `length ${n}`).toBeLessThanOrEqual(scale * n * 2 ** -53);
      }
      expect(Number.isNaN(reduceAllInKernels("sum", values(ctor, 5000, 3), wasmAlways)), "NaN propagates").toBe(true);
      if (f32) expect(reduceAllInKernels("sum", ctor.from([3e38, 3e38, -3e38, -3e38, 0.5, ...new Array(2043).fill(0)]), wasmAlways), "accumulates in double").toBe(0.5);
    });
  }
}

describe.skipIf(!built)("wasm binary ops and sums", () => {
  kernelSuite();
});

describe.skipIf(!built)("the ops take the wasm kernels for large operands and agree with their JS loops", () => {
  const withThreshold = <T>(wasm: number, f: () => T): T => {
    fastBackend.limits.wasmElementwise = wasm;
    try {
      return f();
    } finally {
      fastBackend.limits.wasmElementwise = DEFAULT_LIMITS.wasmElementwise;
    }
  };
  for (const dtype of ["float64", "float32"] as const) {
    it(`${dtype}: add, sub, mul, div and sum over axes, in every layout`, () => {
      LAYOUTS.forEach(([, aShape, bShape], k) => {
        const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
        const a = reshape(tensor(values(Float64Array, size(aShape), k), { dtype }), aShape);
        const b = reshape(tensor(values(Float64Array, size(bShape), 30 + k), { dtype }), bShape);
        for (const [name, op] of Object.entries(OPS)) {
          const viaJs = withThreshold(Infinity, () => op(a, b));
          const viaWasm = withThreshold(0, () => op(a, b));
          expect(viaWasm.shape).toEqual(viaJs.shape);
          expect(viaWasm.dtype).toBe(dtype);
          expect(sameBits(viaWasm.data, viaJs.data), `${name} ${aShape} ${bShape}`).toBe(true);
        }
      });
      const x = reshape(tensor(seededArray(seededUniform(9), 6 * 50 * 40, -1, 1), { dtype }), [6, 50, 40]);
      for (const axis of [0, 1, [0, 1]] as const) {
        const js = withThreshold(Infinity, () => sum(x, { axis: axis as number | number[] }));
        const wasm = withThreshold(0, () => sum(x, { axis: axis as number | number[] }));
        expect(sameBits(wasm.data, js.data), `axis ${axis}`).toBe(true);
      }
      const total = (t: Tensor) => t.item();
      expect(withThreshold(0, () => total(sum(x)))).toBeCloseTo(withThreshold(Infinity, () => total(sum(x))), dtype === "float64" ? 12 : 4);
      // Maxima and minima of values with NaN, infinities and zeros of both signs: the same bits either way.
      const odd = reshape(tensor(values(Float64Array, 6 * 50 * 40, 4), { dtype }), [6, 50, 40]);
      for (const [name, op] of [["max", max], ["min", min]] as const) {
        for (const axis of [0, 1, 2, [0, 1], [0, 1, 2]] as const) {
          const js = withThreshold(Infinity, () => op(odd, { axis: axis as number | number[] }));
          const wasm = withThreshold(0, () => op(odd, { axis: axis as number | number[] }));
          expect(sameBits(wasm.data, js.data), `${name} over axis ${axis}`).toBe(true);
        }
      }
    });
  }

  for (const dtype of ["float64", "float32"] as const) {
    it(`${dtype}: where and leakyRelu take the kernel with the JS loop's bits, broadcast and one-value operands too`, () => {
      const x = reshape(tensor(values(Float64Array, 60 * 70, 8), { dtype }), [60, 70]);
      const y = reshape(tensor(values(Float64Array, 60 * 70, 9), { dtype }), [60, 70]);
      const column = reshape(tensor(values(Float64Array, 60, 10), { dtype }), [60, 1]);
      const cases: [string, () => Tensor][] = [
        ["full", () => where(greater(x, 0), x, y)],
        ["scalar b", () => where(greater(x, 0), x, 0)],
        ["scalar a", () => where(greater(x, 0), 1.5, y)],
        ["condition with NaN", () => where(x, x, y)],
        ["broadcast column", () => where(greater(column, 0), x, column)],
        ["leakyRelu", () => leakyRelu(x, 0.2)],
      ];
      for (const [name, run] of cases) {
        const viaJs = withThreshold(Infinity, run), viaWasm = withThreshold(0, run);
        expect(sameBits(viaWasm.data, viaJs.data), name).toBe(true);
        expect(viaWasm.dtype, name).toBe(dtype);
      }
    });
  }

  it("max and min of zeros of both signs are +0 and -0 on both backends, whatever the order (IEEE 754-2019)", () => {
    for (const b of [fastBackend, referenceBackend]) {
      for (const zeros of [[-0, 0], [0, -0]]) {
        const z = tensor(zeros);
        expect(Object.is(withBackend(b, () => max(z).item()), 0), `${b.name} max of ${zeros}`).toBe(true);
        expect(Object.is(withBackend(b, () => min(z).item()), -0), `${b.name} min of ${zeros}`).toBe(true);
        expect(Object.is(withBackend(b, () => max(reshape(z, [2, 1]), 0).item()), 0), `${b.name} max over an axis of ${zeros}`).toBe(true);
      }
    }
  });

  it("a dtype mix is named", () => {
    expect(() => zipInto("add", new Float64Array(4), new Float32Array(4), new Float64Array(4), { rows: 1, n: 4, ars: 0, as: 1, brs: 0, bs: 1 }, wasmAlways))
      .toThrow("zipInto: dtype mix: Float64Array add Float32Array -> Float64Array");
  });
});
