// unaryInto("exp") against Math.exp: ulp error over the whole range, special values, odd lengths, in place, threaded or not.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededArray, seededUniform } from "../../../bench/seeded.js";
import { unaryInto } from "../../../lib/backend/elementwise.js";
import { DEFAULT_LIMITS, type KernelLimits } from "../../../lib/backend/limits.js";
import { chunksRunByWorkers, setAdaptive, setCallerWorks, setThreads, threadsWanted, waitForHelpers } from
  "../../../lib/backend/pool.js";
import { kernels, wasmPath } from "../../../lib/backend/wasm.js";
import { requireTool } from "../../helpers/require.js";
import { ulpError } from "./ulp.js";

/** The size limits these kernel calls run under; each describe block moves them to force one path. */
const limits: KernelLimits = { ...DEFAULT_LIMITS };

const specials = [0, -0, 1, -1, 1e-300, -1e-300, 709.7, 709.78, 709.79, 710, 1000, -708.3, -740, -745.1, -745.2,
  -746, -1000, Infinity, -Infinity, NaN, 88.7, 88.73, 89, -87.3, -103, -104, 0.5 * Math.LN2, -0.5 * Math.LN2];

/** Largest error of got vs Math.exp in units in the last place of the reference (Infinity on a special mismatch). */
function maxUlp(x: Float64Array | Float32Array, got: Float64Array | Float32Array): number {
  const f32 = x instanceof Float32Array;
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const ref = f32 ? Math.fround(Math.exp(x[i]!)) : Math.exp(x[i]!);
    worst = Math.max(worst, ulpError(ref, got[i]!, f32));
  }
  return worst;
}

/** Seeded inputs over exp's whole finite range for the type, with the special values first. */
function inputs(ctor: Float64ArrayConstructor | Float32ArrayConstructor, n: number) {
  const [lo, hi] = ctor === Float64Array ? [-745.2, 709.78] : [-103.9, 88.7];
  const x = ctor.from(seededArray(seededUniform(n), n, lo, hi));
  x.set(specials.slice(0, Math.min(n, specials.length)));
  return x;
}

function suite(label: string): void {
  it(`${label}: f64 within 1 ulp of Math.exp`, () => {
    for (const n of [0, 1, 3, 4097, 300_001]) {
      const x = inputs(Float64Array, n), out = new Float64Array(n);
      unaryInto("exp", x, out, limits);
      expect(maxUlp(x, out), `length ${n}`).toBeLessThanOrEqual(1);
    }
  });
  it(`${label}: f32 within 2 ulp of the rounded Math.exp`, () => {
    for (const n of [0, 1, 5, 4099, 300_003]) {
      const x = inputs(Float32Array, n), out = new Float32Array(n);
      unaryInto("exp", x, out, limits);
      expect(maxUlp(x, out), `length ${n}`).toBeLessThanOrEqual(2);
    }
  });
  it(`${label}: in place`, () => {
    const x = inputs(Float64Array, 5000), y = x.slice();
    unaryInto("exp", x, x, limits);
    expect(maxUlp(y, x)).toBeLessThanOrEqual(1);
  });
}

describe("unaryInto exp: Math.exp fallback", () => {
  beforeAll(() => void (limits.wasmElementwise = Infinity));
  afterAll(() => void Object.assign(limits, DEFAULT_LIMITS));
  suite("js");
});

const built = requireTool(`built wasm kernels at ${wasmPath} (npm run build)`, existsSync(wasmPath));

describe.skipIf(!built)("unaryInto exp: wasm SIMD", () => {
  const savedThreads = threadsWanted();
  afterAll(() => {
    Object.assign(limits, DEFAULT_LIMITS);
    setThreads(savedThreads);
  });
  describe("single thread", () => {
    beforeAll(() => {
      setThreads(1);
      limits.wasmElementwise = 0;
    });
    suite("wasm 1 thread");
  });
  describe("two threads", () => {
    beforeAll(() => {
      setThreads(2);
      Object.assign(limits, { wasmElementwise: 0, parallelElementwise: 0 });
      setAdaptive(false);
      expect(waitForHelpers(kernels()!)).toBe(1);
    });
    afterAll(() => setAdaptive(true));
    suite("wasm 2 threads");
  });
  describe("all chunks in a worker thread", () => {
    beforeAll(() => {
      setThreads(2);
      Object.assign(limits, { wasmElementwise: 0, parallelElementwise: 0 });
      expect(waitForHelpers(kernels()!)).toBe(1);
      setCallerWorks(false);
      setAdaptive(false);
    });
    afterAll(() => {
      setCallerWorks(true);
      setAdaptive(true);
    });
    suite("wasm worker only");
    it("ran the chunks in the worker", () => {
      expect(chunksRunByWorkers()).toBeGreaterThan(5);
    });
  });
});

describe("unaryInto exp: argument errors", () => {
  it("names dtype mixes and short outputs", () => {
    expect(() => unaryInto("exp", new Float64Array(3), new Float32Array(3), limits)).toThrow("unaryInto: dtype mix: Float64Array -> Float32Array");
    expect(() => unaryInto("exp", new Float64Array(3), new Float64Array(2), limits)).toThrow("unaryInto: out has 2 elements, x has 3");
  });
});
