// check(): verdicts for right, wrong and missing answers, and outputs that never contain the reference answer.
import { describe, expect, it } from "vitest";
import { CHECK_MIME, check, DISPLAY, tensor } from "../../../lib/index.js";

const bundleOf = (c: ReturnType<typeof check>) => c[DISPLAY]();
const allText = (c: ReturnType<typeof check>) => JSON.stringify(bundleOf(c));

describe("check", () => {
  it("a right answer is green, within the tolerance", () => {
    const c = check("slope", 2.0000001, { expected: 2, hint: "differentiate x^2" });
    expect(c.status).toBe("correct");
    expect(c.passed).toBe(true);
    expect(bundleOf(c)[CHECK_MIME]).toEqual({ name: "slope", status: "correct" });
    expect(bundleOf(c)["text/plain"]).toBe("✓ slope: correct");
    expect(bundleOf(c)["text/html"]).toContain("#1a7f37");
    expect(allText(c)).not.toContain("differentiate"); // no hint needed once right
  });

  it("a wrong answer is red with the hint, and no output holds the reference", () => {
    const c = check("gradient", [3, 4.25], { expected: tensor([3, 4.125]), hint: "use the product rule" });
    expect(c.status).toBe("incorrect");
    expect(c.message).toBe("✗ gradient: not yet (1 of 2 numbers are off; hint: use the product rule)");
    expect(bundleOf(c)["text/html"]).toContain("#cf222e");
    expect(allText(c)).not.toContain("4.125");
  });

  it("a wrong shape or a non-number is said so without the reference", () => {
    expect(check("g", [1, 2, 3], { expected: [5, 6] }).reason).toBe("the answer should have 2 numbers, it has 3");
    expect(check("g", "seven", { expected: 7 }).reason).toBe("the answer should be a number or a list of numbers");
    expect(check("g", Number.NaN, { expected: 7 }).reason).toBe("the answer holds NaN or an infinite value");
    expect(allText(check("g", 8, { expected: 7 }))).not.toMatch(/\b7\b/);
  });

  it("no answer yet is grey, not a failure of the notebook", () => {
    const c = check("slope", undefined, { expected: 2, hint: "h" });
    expect(c.status).toBe("unanswered");
    expect(c.message).toBe("… slope: no answer yet (hint: h)");
  });

  it("a predicate checks answers with many right forms; a throwing predicate is a wrong answer", () => {
    expect(check("even", 4, { test: (v: number) => v % 2 === 0 }).passed).toBe(true);
    expect(check("even", 3, { test: (v: number) => v % 2 === 0 }).passed).toBe(false);
    expect(check("odd", 3, { test: () => { throw new Error("x"); } }).passed).toBe(false);
    expect(() => check("nothing", 1)).toThrow(/expected or test/);
  });

  it("the name is escaped in HTML", () => {
    expect(bundleOf(check("<b>", 1, { expected: 1 }))["text/html"]).toContain("&lt;b&gt;");
  });
});
