// Differential test: generated forward cases evaluated by gradlab and by numpy must agree (seed printed; see README).
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { requireTool } from "../helpers/require.js";
import { caseExpr, evaluateGradlab, FORWARD_OPS, forwardCaseArbitrary, generateCases } from "./cases.js";
import { compare } from "./compare.js";
import { hasNumpy, NumpyReference } from "./numpy.js";
import { forwardCases, only, replayHint, seed } from "./settings.js";

const available = requireTool("numpy (/usr/bin/python3 with python3-numpy)", hasNumpy());
const BATCH = 400;

describe.skipIf(!available)("gradlab agrees with numpy on generated forward cases", () => {
  const total = only === undefined ? forwardCases : 1;
  it(`${total} forward cases (seed ${seed})`, async () => {
    console.log(`fuzz forward: seed ${seed}, ${total} cases` + (only !== undefined ? ` (case ${only} only)` : ""));
    const started = Date.now();
    const ref = new NumpyReference();
    const failures: string[] = []; // the first 2,000 are kept; `mismatches` counts them all
    let mismatches = 0;
    const perOp = new Map<string, number>();
    const slow: [number, string][] = [];
    let ownTime = 0, waitTime = 0;
    try {
      for (const chunk of generateCases(forwardCaseArbitrary, seed, only ?? 0, total)) {
        for (let start = 0; start < chunk.length; start += BATCH) {
          const batch = chunk.slice(start, start + BATCH);
          const pending = ref.forward(batch.map((b) => b.c)); // numpy works while gradlab evaluates the same batch
          const t0 = performance.now();
          const got = batch.map((b) => {
            const t = performance.now();
            const r = evaluateGradlab(b.c);
            const dt = performance.now() - t;
            if (dt > 50) slow.push([dt, `#${b.index} ${b.c.op} ${b.c.dtype} ${b.c.inputs.map((o) => o.kind + "(" + o.shape.join(",") + ")").join(" ")}`]);
            return r;
          });
          const t1 = performance.now();
          const want = await pending;
          ownTime += t1 - t0;
          waitTime += performance.now() - t1;
          batch.forEach(({ index, c }, j) => {
            perOp.set(c.op, (perOp.get(c.op) ?? 0) + 1);
            const diff = compare(got[j]!, want[j]!);
            if (diff !== null && ++mismatches <= 2000) failures.push(`#${index} ${c.op} ${c.dtype}: ${diff}\n    repro: ${caseExpr(c)}\n    replay: ${replayHint("forward", index)}`);
          });
        }
      }
    } finally {
      ref.close();
    }
    console.log(`fuzz forward: ${total} cases in ${((Date.now() - started) / 1000).toFixed(1)} s (gradlab ${(ownTime / 1000).toFixed(1)} s, ` +
      `then waiting for numpy ${(waitTime / 1000).toFixed(1)} s), ${mismatches} disagree`);
    if (process.env.GRADLAB_FUZZ_PROFILE) console.log(slow.sort((a, b) => b[0] - a[0]).slice(0, 30).map(([t, w]) => `${t.toFixed(0)} ms ${w}`).join("\n"));
    if (process.env.GRADLAB_FUZZ_REPORT) writeFileSync(process.env.GRADLAB_FUZZ_REPORT, failures.join("\n") + "\n");
    if (mismatches > 0) {
      console.error(`fuzz forward: ${mismatches} of ${total} cases disagree with numpy (seed ${seed}):\n` + failures.slice(0, 60).join("\n"));
    }
    if (only === undefined && total >= 5000) {
      const missing = FORWARD_OPS.filter((op) => !perOp.has(op));
      expect(missing, "ops the generator never drew").toEqual([]);
    }
    expect(mismatches, `forward mismatches (seed ${seed}); first: ${failures[0] ?? ""}`).toBe(0);
  }, 3_600_000);
});
