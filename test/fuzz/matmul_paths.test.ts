// Generated matmul and dot cases through each matmul path of the fast backend (native BLAS and wasm SIMD, each on one
// and on two threads, JS loop): every path agrees with numpy, with the reference backend, and with the others.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastBackend, referenceBackend, withBackend } from "../../lib/backend/index.js";
import { nativeBlas, nativeBlasReason } from "../../lib/backend/blas.js";
import { DEFAULT_LIMITS, type KernelLimits } from "../../lib/backend/limits.js";
import { setNativeThreads } from "../../lib/backend/matmul.js";
import { chunksRunByWorkers, setAdaptive, setThreads, threadsWanted } from "../../lib/backend/pool.js";
import { requireTool } from "../helpers/require.js";
import { allowance } from "./allowance.js";
import { caseExpr, evaluateGradlab, generateCases, matmulCaseArbitrary, type Case, type Outcome } from "./cases.js";
import { compare } from "./compare.js";
import { hasNumpy, NumpyReference } from "./numpy.js";
import { forwardCases, only, seed } from "./settings.js";

type Result = Outcome | { error: string };

const blasOff = process.env.GRADLAB_BLAS === "off";
const haveBlas = !blasOff && requireTool(`a native CBLAS (${nativeBlasReason() || "found"})`, nativeBlas() !== null);
const haveNumpy = requireTool("numpy (/usr/bin/python3 with python3-numpy)", hasNumpy());

/** Each path forced for every non-empty product, whatever its size, on one thread or split over two (even on a busy
 * machine, where the backend would not split). */
const PATHS: { name: string; limits: Partial<KernelLimits>; enabled: boolean; split?: boolean }[] = [
  { name: "native BLAS", limits: { nativeMatmul: 1, parallelMatmul: Infinity }, enabled: haveBlas },
  { name: "native BLAS 2 threads", limits: { nativeMatmul: 1, parallelMatmul: 0 }, enabled: haveBlas, split: true },
  { name: "wasm", limits: { nativeMatmul: Infinity, smallMatmul: 0, parallelMatmul: Infinity }, enabled: true },
  { name: "wasm 2 threads", limits: { nativeMatmul: Infinity, smallMatmul: 0, parallelMatmul: 0 }, enabled: true, split: true },
  { name: "js", limits: { nativeMatmul: Infinity, smallMatmul: Infinity }, enabled: true },
];

function on(path: (typeof PATHS)[number], c: Case): Result {
  Object.assign(fastBackend.limits, DEFAULT_LIMITS, path.limits);
  setNativeThreads(path.split ? 2 : null);
  setAdaptive(!path.split);
  try {
    return withBackend(fastBackend, () => evaluateGradlab(c));
  } finally {
    Object.assign(fastBackend.limits, DEFAULT_LIMITS);
    setNativeThreads(null);
    setAdaptive(true);
  }
}

/** null when `got` is within the fast backend's allowance of `want` (or both failed alike). */
function against(c: Case, want: Result, got: Result): string | null {
  return compare(got, "error" in want || "error" in got ? want : allowance(c, want, got));
}

describe("every matmul path agrees with numpy, the reference backend and the other paths", () => {
  const savedThreads = threadsWanted();
  beforeAll(() => setThreads(2));
  afterAll(() => {
    Object.assign(fastBackend.limits, DEFAULT_LIMITS);
    setThreads(savedThreads);
  });
  const total = only === undefined ? Math.min(Math.ceil(forwardCases / 20), 2000) : 1;
  const paths = PATHS.filter((p) => p.enabled);

  it(`${total} matmul/dot cases on ${paths.map((p) => p.name).join(", ")} (seed ${seed})`, async () => {
    console.log(`fuzz matmul paths: seed ${seed}, ${total} cases`);
    const failures: string[] = [];
    let mismatches = 0;
    const numpy = haveNumpy ? new NumpyReference() : null;
    try {
      for (const chunk of generateCases(matmulCaseArbitrary, seed, only ?? 0, total)) {
        const wants = numpy ? await numpy.forward(chunk.map((x) => x.c)) : null;
        chunk.forEach(({ index, c }, j) => {
          const ref = withBackend(referenceBackend, () => evaluateGradlab(c));
          const got = paths.map((p) => on(p, c));
          const diffs = paths.flatMap((p, i) => [
            [`${p.name} vs numpy`, wants ? compare(got[i]!, wants[j]!) : null],
            [`${p.name} vs reference`, against(c, ref, got[i]!)],
            [`${p.name} vs ${paths[0]!.name}`, i === 0 ? null : against(c, got[0]!, got[i]!)],
          ] as [string, string | null][]).filter(([, d]) => d !== null);
          if (diffs.length > 0 && ++mismatches <= 30) {
            failures.push(`#${index} ${c.op} ${c.dtype}: ${diffs.map(([w, d]) => `${w}: ${d}`).join("; ")}\n` +
              `    repro: ${caseExpr(c)}\n    replay: GRADLAB_FUZZ_SEED=${seed} GRADLAB_FUZZ_ONLY=${index} npx vitest run test/fuzz/matmul_paths.test.ts`);
          }
        });
      }
    } finally {
      numpy?.close();
    }
    console.log(`fuzz matmul paths: ${chunksRunByWorkers()} wasm chunks ran in a worker thread`);
    if (mismatches > 0) console.error(`fuzz matmul paths: ${mismatches} of ${total} disagree (seed ${seed}):\n${failures.join("\n")}`);
    expect(mismatches, `matmul path mismatches (seed ${seed}); first: ${failures[0] ?? ""}`).toBe(0);
  }, 600_000);
});
