// Replaying a case by seed and index gives the same case as the run that found it (what `npm run fuzz -- --only` relies on).
import { describe, expect, it } from "vitest";
import { caseExpr, forwardCaseArbitrary, generateCases, gradCaseArbitrary } from "./cases.js";

const nth = (arb: typeof forwardCaseArbitrary, seed: number, first: number, count: number) =>
  [...generateCases(arb, seed, first, count)].flat();

describe("case replay", () => {
  it("case i of a seed is the same whether drawn alone or within a run, across chunk boundaries", () => {
    for (const arb of [forwardCaseArbitrary, gradCaseArbitrary]) {
      const run = nth(arb, 12345, 9990, 20);
      expect(run.map((r) => r.index)).toEqual(Array.from({ length: 20 }, (_, k) => 9990 + k));
      for (const k of [0, 9, 10, 19]) {
        const [alone] = nth(arb, 12345, 9990 + k, 1);
        expect(alone!.index).toBe(9990 + k);
        expect(caseExpr(alone!.c)).toBe(caseExpr(run[k]!.c));
      }
    }
  });
  it("different seeds draw different cases", () => {
    const a = nth(forwardCaseArbitrary, 1, 0, 20).map((r) => caseExpr(r.c));
    const b = nth(forwardCaseArbitrary, 2, 0, 20).map((r) => caseExpr(r.c));
    expect(a).not.toEqual(b);
  });
});
