// Matmul kernels against a naive loop: odd and non-square shapes, transposes, f32/f64, native BLAS (one and all threads),
// wasm single/multi-thread and JS.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededArray, seededUniform } from "../../../bench/seeded.js";
import { matmulTransInto, setNativeThreads } from "../../../lib/backend/matmul.js";
import { DEFAULT_LIMITS, type KernelLimits } from "../../../lib/backend/limits.js";
import type { FloatArray } from "../../../lib/tensor/dtype.js";
import { chunksRunByWorkers, setAdaptive, setCallerWorks, setThreads, threadsWanted, waitForHelpers } from
  "../../../lib/backend/pool.js";
import { kernels, kernelsLoadError, wasmPath } from "../../../lib/backend/wasm.js";
import { nativeBlas, nativeBlasReason } from "../../../lib/backend/blas.js";
import { requireTool } from "../../helpers/require.js";

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** The size limits these kernel calls run under; each describe block moves them to force one path (the native BLAS
 * only where it says so). */
const BASE: KernelLimits = { ...DEFAULT_LIMITS, nativeMatmul: Infinity };
const limits: KernelLimits = { ...BASE };
const rand = seededUniform(1234);
const data = (ctor: Ctor, n: number): FloatArray => ctor.from(seededArray(rand, n));

/** op(a)·op(b) by the textbook triple loop in float64, plus sum |a||b| per entry for a rounding-error bound. */
function naive(a: FloatArray, b: FloatArray, m: number, k: number, n: number, ta: boolean, tb: boolean) {
  const value = new Float64Array(m * n), scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, abs = 0;
      for (let p = 0; p < k; p++) {
        const x = a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
        s += x;
        abs += Math.abs(x);
      }
      value[i * n + j] = s;
      scale[i * n + j] = abs;
    }
  }
  return { value, scale };
}

function check(ctor: Ctor, m: number, k: number, n: number, ta = false, tb = false): void {
  const a = data(ctor, m * k), b = data(ctor, k * n);
  const out = new ctor(m * n).fill(Number.NaN);
  matmulTransInto(a, b, out, m, k, n, ta, tb, limits);
  const { value, scale } = naive(a, b, m, k, n, ta, tb);
  const eps = ctor === Float32Array ? 2 ** -23 : 2 ** -52;
  let worst = 0;
  for (let i = 0; i < m * n; i++) {
    const err = Math.abs(out[i]! - value[i]!) - 2 * (k + 2) * eps * scale[i]!;
    if (!(err <= 0)) worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
  }
  expect(worst, `${ctor.name} (${m}, ${k}) @ (${k}, ${n}) transA=${ta} transB=${tb}`).toBe(0);
}

const shapes: [number, number, number][] = [
  [1, 1, 1], [7, 7, 7], [33, 33, 33], [257, 257, 257], [1, 257, 7], [33, 7, 257], [257, 33, 1], [7, 1, 33],
  [64, 600, 5], [3, 300, 2100], [9, 5, 1030], [130, 2, 130],
];
const dtypes: Ctor[] = [Float64Array, Float32Array];

function suite(label: string): void {
  for (const ctor of dtypes) {
    it(`${label}: ${ctor.name} odd and non-square shapes`, () => {
      for (const [m, k, n] of shapes) check(ctor, m, k, n);
    });
    it(`${label}: ${ctor.name} transposed operands`, () => {
      for (const [m, k, n] of [[7, 33, 257], [257, 7, 33], [33, 257, 7], [1, 9, 1]] as const) {
        check(ctor, m, k, n, true, false);
        check(ctor, m, k, n, false, true);
        check(ctor, m, k, n, true, true);
      }
    });
  }
}

describe("matmul: plain JS path", () => {
  beforeAll(() => void (limits.smallMatmul = Infinity));
  afterAll(() => void Object.assign(limits, BASE));
  suite("js");
});

const built = requireTool(`built wasm kernels at ${wasmPath} (npm run build)`, existsSync(wasmPath));

describe.skipIf(!built)("matmul: wasm SIMD kernels", () => {
  const savedThreads = threadsWanted();
  afterAll(() => {
    Object.assign(limits, BASE);
    setThreads(savedThreads);
  });

  it("loads", () => {
    expect(kernels(), kernelsLoadError()).not.toBeNull();
  });

  describe("single thread", () => {
    beforeAll(() => {
      setThreads(1);
      limits.smallMatmul = 0;
    });
    suite("wasm 1 thread");
  });

  describe("split across threads", () => {
    beforeAll(() => {
      setThreads(3);
      Object.assign(limits, { smallMatmul: 0, parallelMatmul: 0 });
      setAdaptive(false); // split even on a busy machine, so this path is always tested
    });
    afterAll(() => setAdaptive(true));
    it("starts its worker threads", () => {
      expect(waitForHelpers(kernels()!)).toBe(2);
    });
    suite("wasm 3 threads");
  });

  describe("all chunks in worker threads", () => {
    beforeAll(() => {
      setThreads(2);
      Object.assign(limits, { smallMatmul: 0, parallelMatmul: 0 });
      setCallerWorks(false);
      setAdaptive(false);
    });
    afterAll(() => {
      setCallerWorks(true);
      setAdaptive(true);
    });
    it("starts its worker thread", () => {
      expect(waitForHelpers(kernels()!)).toBe(1);
    });
    suite("wasm worker only");
    it("ran the chunks in the worker", () => {
      expect(chunksRunByWorkers()).toBeGreaterThan(20);
    });
  });

  it("propagates NaN and Infinity (no skipped zero terms)", () => {
    setThreads(1);
    limits.smallMatmul = 0;
    for (const ctor of dtypes) {
      const a = new ctor([0, 1, 2, 3]);
      const b = new ctor([Infinity, 1, 1, Number.NaN]);
      const out = new ctor(4);
      matmulTransInto(a, b, out, 2, 2, 2, false, false, limits);
      expect(Array.from(out)).toEqual([NaN, NaN, Infinity, NaN]);
    }
  });

  it("overwrites out instead of accumulating into it, also with k = 0", () => {
    const out = new Float64Array(6).fill(5);
    matmulTransInto(new Float64Array(0), new Float64Array(0), out, 2, 0, 3, false, false, limits);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

// scripts/setup.sh installs OpenBLAS; without it (or with GRADLAB_BLAS=off) these skip loudly, or fail in CI.
const blasOff = process.env.GRADLAB_BLAS === "off";
const blas = blasOff ? null : nativeBlas();
const haveBlas = !blasOff && requireTool(`a native CBLAS (${blas === null ? nativeBlasReason() : "found"})`, blas !== null);

describe.skipIf(!haveBlas)("matmul: native BLAS", () => {
  const savedThreads = threadsWanted();
  afterAll(() => {
    Object.assign(limits, BASE);
    setThreads(savedThreads);
  });

  describe("one thread", () => {
    beforeAll(() => {
      setThreads(1);
      Object.assign(limits, { nativeMatmul: 1, parallelMatmul: Infinity });
    });
    suite("blas 1 thread");
  });

  describe("the library's own threads", () => {
    beforeAll(() => {
      setNativeThreads(2); // even on a busy machine, where measuring would choose one
      Object.assign(limits, { nativeMatmul: 1, parallelMatmul: 0 });
    });
    afterAll(() => setNativeThreads(null));
    suite("blas 2 threads");
  });

  it("propagates NaN and Infinity, overwrites out, reads and writes subarrays at their offsets, shared memory too", () => {
    Object.assign(limits, { nativeMatmul: 1 });
    for (const ctor of dtypes) {
      const a = new ctor([0, 1, 2, 3]);
      const b = new ctor([Infinity, 1, 1, Number.NaN]);
      const out = new ctor(4).fill(7);
      matmulTransInto(a, b, out, 2, 2, 2, false, false, limits);
      expect(Array.from(out)).toEqual([NaN, NaN, Infinity, NaN]);
      const buf = new ctor([9, 9, 1, 2, 3, 4, 5, 6, 7, 8]);
      const outBuf = new ctor(6).fill(-1);
      matmulTransInto(buf.subarray(2, 6), buf.subarray(6), outBuf.subarray(1, 5), 2, 2, 2, false, false, limits);
      expect(Array.from(outBuf)).toEqual([-1, 19, 22, 43, 50, -1]);
      // Views of shared memory (a SharedArrayBuffer, as the wasm kernels' memory is) pass the same way.
      const shared = new ctor(new SharedArrayBuffer(14 * ctor.BYTES_PER_ELEMENT));
      shared.set([1, 2, 3, 4, 5, 6, 7, 8], 2);
      matmulTransInto(shared.subarray(2, 6), shared.subarray(6, 10), shared.subarray(10, 14), 2, 2, 2, false, false, limits);
      expect(Array.from(shared.subarray(10))).toEqual([19, 22, 43, 50]);
    }
  });

  it("leaves empty products to the other paths (k = 0 gives zeros, no BLAS argument error)", () => {
    Object.assign(limits, { nativeMatmul: 0 });
    const out = new Float32Array(6).fill(5);
    matmulTransInto(new Float32Array(0), new Float32Array(0), out, 2, 0, 3, false, false, limits);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("agrees with the wasm kernel on the MLP benchmark's products, transposed ones included", () => {
    const wasmLimits: KernelLimits = { ...BASE, smallMatmul: 0 };
    for (const ctor of dtypes) {
      for (const [m, k, n, ta, tb] of [[128, 784, 64, false, false], [784, 128, 64, true, false], [128, 64, 784, false, true]] as const) {
        const a = data(ctor, m * k), b = data(ctor, k * n);
        const viaBlas = new ctor(m * n), viaWasm = new ctor(m * n);
        matmulTransInto(a, b, viaBlas, m, k, n, ta, tb, { ...BASE, nativeMatmul: 1 });
        matmulTransInto(a, b, viaWasm, m, k, n, ta, tb, wasmLimits);
        const { scale } = naive(a, b, m, k, n, ta, tb);
        const eps = ctor === Float32Array ? 2 ** -23 : 2 ** -52;
        let worst = 0;
        for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(viaBlas[i]! - viaWasm[i]!) / (2 * (k + 2) * eps * scale[i]!));
        expect(worst, `${ctor.name} ${m}x${k}x${n} tA=${ta} tB=${tb}`).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe("matmul: argument errors", () => {
  it("names dtype mixes and short buffers", () => {
    expect(() => matmulTransInto(new Float32Array(4), new Float64Array(4), new Float64Array(4), 2, 2, 2, false, false, limits)).toThrow(
      "matmul: dtype mix: Float32Array, Float64Array -> Float64Array");
    expect(() => matmulTransInto(new Float64Array(5), new Float64Array(6), new Float64Array(4), 2, 3, 2, false, false, limits)).toThrow(
      "matmul: a has 5 elements, (2, 3) needs 6");
    expect(() => matmulTransInto(new Float64Array(6), new Float64Array(6), new Float64Array(4), 2, 3, 2.5, false, false, limits)).toThrow(
      "matmul: n must be a non-negative integer, got 2.5");
  });
});
