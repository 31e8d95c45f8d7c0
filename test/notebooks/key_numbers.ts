// The key numbers each tutorial states, checked on its executed outputs (keyed by notebook file stem).
import { expect } from "vitest";

type Summary = Record<string, any>;

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

export const KEY_NUMBERS: Record<string, (s: Summary) => void> = {
  "01_derivatives_three_ways": (s) => {
    expect(s.autodiffMaxError).toBeLessThan(1e-10);
    expect(s.numericalGradError).toBeLessThan(1e-7);
    // Truncation error slopes: 1 for forward, 2 for central differences; round-off slope about -1.
    expect(s.slopes.forwardTruncation).toBeCloseTo(1, 0);
    expect(s.slopes.centralTruncation).toBeCloseTo(2, 0);
    expect(s.slopes.forwardRoundoff).toBeLessThan(-0.5);
    // Best steps near sqrt(eps) ~ 1.5e-8 and cbrt(eps) ~ 6e-6; central beats forward by orders of magnitude.
    expect(s.bestForward.h).toBeGreaterThan(1e-10);
    expect(s.bestForward.h).toBeLessThan(1e-6);
    expect(s.bestCentral.h).toBeGreaterThan(1e-7);
    expect(s.bestCentral.h).toBeLessThan(1e-3);
    expect(s.bestCentral.error).toBeLessThan(s.bestForward.error / 100);
  },
  "04_gradient_descent_linear_regression": (s) => {
    expect(s.gradientError).toBeLessThan(1e-10);
    expect(maxAbsDiff(s.wGD, s.wClosed)).toBeLessThan(1e-8);
    expect(s.gdVsClosed).toBeLessThan(1e-8);
    expect(maxAbsDiff(s.wClosed, s.trueW)).toBeLessThan(0.05);
    expect(s.lrCritical).toBeCloseTo(2 / s.lambdaMax, 12);
    const [slow, fast, nearCritical, diverging] = s.finalLosses as number[];
    expect(fast).toBeLessThan(slow!);
    expect(nearCritical).toBeLessThan(0.02);
    expect(diverging).toBeGreaterThan(1e6);
    expect(s.rates[3]).toBeGreaterThan(s.lrCritical);
    expect(s.rates[2]).toBeLessThan(s.lrCritical);
  },
};
