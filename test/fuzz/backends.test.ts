// The fast backend against the reference backend on the generated forward cases: no numpy involved, so this second
// comparison catches a fast path that disagrees with the plain loops even where both are within numpy's tolerance.
import { describe, expect, it } from "vitest";
import { fastBackend, referenceBackend, withBackend } from "../../lib/backend/index.js";
import { allowance } from "./allowance.js";
import { caseExpr, evaluateGradlab, forwardCaseArbitrary, generateCases } from "./cases.js";
import { compare } from "./compare.js";
import { forwardCases, only, seed } from "./settings.js";

describe("the fast backend agrees with the reference backend on generated forward cases", () => {
  const total = only === undefined ? Math.min(forwardCases, 20_000) : 1;
  it(`${total} forward cases (seed ${seed})`, () => {
    console.log(`fuzz backends: seed ${seed}, ${total} cases`);
    const failures: string[] = [];
    let mismatches = 0;
    for (const chunk of generateCases(forwardCaseArbitrary, seed, only ?? 0, total)) {
      for (const { index, c } of chunk) {
        const fast = withBackend(fastBackend, () => evaluateGradlab(c));
        const ref = withBackend(referenceBackend, () => evaluateGradlab(c));
        const diff = compare(fast, "error" in ref || "error" in fast ? ref : allowance(c, ref, fast));
        if (diff !== null && ++mismatches <= 50) failures.push(`#${index} ${c.op} ${c.dtype}: ${diff}\n    repro: ${caseExpr(c)}`);
      }
    }
    if (mismatches > 0) console.error(`fuzz backends: ${mismatches} of ${total} disagree (seed ${seed}):\n${failures.join("\n")}`);
    expect(mismatches, `fast vs reference mismatches (seed ${seed}); first: ${failures[0] ?? ""}`).toBe(0);
  }, 600_000);
});
