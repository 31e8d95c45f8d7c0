// Differential test: generated forward cases evaluated by gradlab and by numpy must agree (seed printed; see README).
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { requireTool } from "../helpers/require.js";
import { caseExpr, evaluateGradlab, FORWARD_OPS, forwardCaseArbitrary, sampleCases, type Case } from "./cases.js";
import { compare } from "./compare.js";
import { hasNumpy, NumpyReference } from "./numpy.js";
import { forwardCases, only, replayHint, seed } from "./settings.js";

const available = requireTool("numpy (/usr/bin/python3 with python3-numpy)", hasNumpy());
const BATCH = 400;

describe.skipIf(!available)("gradlab agrees with numpy on generated forward cases", () => {
  it(`${only === undefined ? forwardCases : 1} forward cases (seed ${seed})`, async () => {
    const all = sampleCases(forwardCaseArbitrary, seed, only === undefined ? forwardCases : only + 1);
    const first = only ?? 0;
    const cases = all.slice(first);
    console.log(`fuzz forward: seed ${seed}, ${cases.length} cases` + (only !== undefined ? ` (case ${only} only)` : ""));
    const ref = new NumpyReference();
    const failures: string[] = [];
    const perOp = new Map<string, number>();
    try {
      for (let start = 0; start < cases.length; start += BATCH) {
        const batch = cases.slice(start, start + BATCH);
        const pending = ref.forward(batch); // numpy works while gradlab evaluates the same batch
        const got = batch.map(evaluateGradlab);
        const want = await pending;
        batch.forEach((c: Case, j) => {
          perOp.set(c.op, (perOp.get(c.op) ?? 0) + 1);
          const diff = compare(got[j]!, want[j]!);
          if (diff !== null) failures.push(`#${first + start + j} ${c.op} ${c.dtype}: ${diff}\n    repro: ${caseExpr(c)}\n    replay: ${replayHint("forward", first + start + j)}`);
        });
      }
    } finally {
      ref.close();
    }
    if (process.env.GRADLAB_FUZZ_REPORT) writeFileSync(process.env.GRADLAB_FUZZ_REPORT, failures.join("\n") + "\n");
    if (failures.length > 0) {
      console.error(`fuzz forward: ${failures.length} of ${cases.length} cases disagree with numpy (seed ${seed}):\n` + failures.slice(0, 60).join("\n"));
    }
    if (only === undefined && cases.length >= 5000) {
      const missing = FORWARD_OPS.filter((op) => !perOp.has(op));
      expect(missing, "ops the generator never drew").toEqual([]);
    }
    expect(failures.length, `forward mismatches (seed ${seed}); first: ${failures[0] ?? ""}`).toBe(0);
  }, 600_000);
});
