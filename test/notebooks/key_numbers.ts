// The key numbers each tutorial states, checked on its executed outputs (keyed by notebook file stem).
import { expect } from "vitest";

type Summary = Record<string, any>;

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

export const KEY_NUMBERS: Record<string, (s: Summary) => void> = {
  "00_tour": (s) => {
    // The README's tour: grad of sum(x^2 + 3x) is 2x + 3; LBFGS reaches Rosenbrock's minimum; two moons is learned.
    expect(s.gradAt123).toEqual([5, 7, 9]);
    expect(s.lbfgsDistance).toBeLessThan(1e-6);
    expect(s.lbfgsSteps).toBeLessThanOrEqual(100);
    expect(s.accuracy).toBeGreaterThanOrEqual(0.97);
  },
  "12_reparameterisation_trick": (s) => {
    // The reparameterised gradient of E[z^2] is (2 mu, 2 sigma) = (3, 1.6) on average, and less noisy than the
    // score-function estimator at every batch size (spread over 20 seeds); the fitted q reaches the target N(2, 0.5^2).
    expect(s.exact).toEqual([3, 1.6]);
    expect(Math.abs(s.oneEstimate[0] - 3)).toBeLessThan(0.1);
    expect(Math.abs(s.oneEstimate[1] - 1.6)).toBeLessThan(0.1);
    expect(s.seeds).toBeGreaterThanOrEqual(5);
    for (const r of s.spread as { reparam: { mean: number; sd: number }; score: { mean: number; sd: number } }[]) {
      expect(Math.abs(r.reparam.mean - 3)).toBeLessThan(3 * r.reparam.sd);
      expect(r.score.sd).toBeGreaterThan(2 * r.reparam.sd);
    }
    expect(s.fitSeeds).toBeGreaterThanOrEqual(5);
    expect(Math.abs(s.fitted.mu.mean - 2)).toBeLessThan(0.05);
    expect(Math.abs(s.fitted.sigma.mean - 0.5)).toBeLessThan(0.05);
  },
  "14_autodiff_from_scratch": (s) => {
    // The scalar engine gives gradlab's gradients to rounding error, trains the same weights, and the classifier
    // generalises to held-out data on each of 5 seeds.
    expect(s.fromScratch).toEqual(s.fromGradlab);
    expect(s.fromScratch[0]).toBeCloseTo(3 + Math.cos(2), 14);
    for (const g of s.gaps as number[]) expect(g).toBeLessThan(1e-12);
    expect(s.weightGap).toBeLessThan(1e-9);
    expect(s.seeds).toBeGreaterThanOrEqual(5);
    for (const a of s.accuracies as number[]) expect(a).toBeGreaterThan(0.85);
  },
  "15_hardware_and_the_cost_of_a_gradient": (s) => {
    // Timings vary with machine load: only orderings with wide margins. The three gradients agree; reverse mode costs
    // a bounded multiple of one evaluation up to n = 1e5, while central differences are far slower at n = 3000.
    expect(s.agreement.forwardVsReverse).toBeLessThan(1e-9);
    expect(s.agreement.centralVsReverse).toBeLessThan(1e-4);
    expect(s.dims[s.dims.length - 1]).toBe(100000);
    expect(s.perElementNs["a tensor operation per element"]).toBeGreaterThan(5 * s.perElementNs["vectorised and fused: dot(x, x)"]);
    expect(s.batchSpeedup).toBeGreaterThan(1.5);
    expect(s.centralOverReverseAtLimit).toBeGreaterThan(20);
    for (const r of s.reverseOverEvaluation as number[]) expect(r).toBeLessThan(60);
    expect(s.centralEstimateAtLargest).toBeGreaterThan(100 * s.reverseAtLargest);
  },
  "16_distributed_and_adaptive_optimisation": (s) => {
    // Averaging equal shard gradients is the batch gradient; more workers lower the plateau on every seed; staleness
    // hurts and the longest delay diverges unless the step shrinks; adaptive steps scale by the curvature ratio.
    expect(s.allReduceGap).toBeLessThan(1e-12);
    expect(s.seeds).toBeGreaterThanOrEqual(5);
    const one = s.parallel[0].final as number[], eight = s.parallel[3].final as number[];
    one.forEach((v, i) => expect(eight[i]).toBeLessThan(v));
    const staleMeans = (s.stale as { final: number[] }[]).map((r) => r.final.reduce((a, b) => a + b, 0) / r.final.length);
    for (let k = 1; k < staleMeans.length; k++) expect(staleMeans[k]).toBeGreaterThan(staleMeans[k - 1]!);
    for (const r of s.damped as { final: number[] }[]) for (const v of r.final) expect(v).toBeLessThan(0.5);
    expect(s.handVsLibrary).toBeLessThan(1e-12);
    for (const name of ["adagrad", "rmsprop", "adam"]) expect(Math.abs(s.stepRatioAt10[name] / 100 - 1)).toBeLessThan(1e-4); // epsilon in the denominators only
  },
  "13_gradient_boosting": (s) => {
    // The negative gradient is the residual for the squared loss only: its sign for the absolute loss, y - sigmoid(F)
    // for the logistic loss; with 10% outliers, absolute-loss boosting beats squared-loss boosting on every seed.
    expect(s.squaredGap).toBeLessThan(1e-12);
    expect(s.absoluteGap).toBeLessThan(1e-12);
    expect(s.logisticGap).toBeLessThan(1e-12);
    expect(s.negativeGradients.absolute).toEqual([1, -1, -1, 1]);
    expect(s.seeds).toBeGreaterThanOrEqual(5);
    for (const t of s.trials as { squared: number; absolute: number }[]) expect(t.absolute).toBeLessThan(t.squared);
    expect(s.heldOut.absolute.mean).toBeLessThan(0.2);
  },
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
    // What a user gets at the recommended steps (median over 101 points), not the luckiest h of the sweep.
    expect(s.typicalCentral.median).toBeGreaterThan(1e-12);
    expect(s.typicalCentral.median).toBeLessThan(1e-10);
    expect(s.typicalForward.median).toBeGreaterThan(1e-9);
    expect(s.typicalForward.median).toBeLessThan(1e-7);
    expect(s.typicalCentral.median).toBeGreaterThan(s.bestCentral.error);
    // Sum, constant factor, product and quotient rules: autodiff to rounding, central differences to ~1e-10.
    for (const r of s.rules as { autodiff: number; central: number }[]) {
      expect(r.autodiff).toBeLessThan(1e-14);
      expect(r.central).toBeLessThan(1e-8);
    }
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
    // The features' different scales make the problem ill-conditioned enough to show the lesson (kappa ~ 25).
    expect(s.conditionNumber).toBeGreaterThan(15);
    expect(s.conditionNumber).toBeCloseTo(s.lambdaMax / s.lambdaMin, 8);
    // Gradient ascent on a normal log-likelihood climbs at every step to the closed-form estimates.
    expect(s.ascentMonotone).toBe(true);
    expect(s.ascentError).toBeLessThan(1e-6);
    expect(s.sampleMean).toBeCloseTo(4, 0);
    expect(s.sampleSd).toBeCloseTo(1.5, 0);
  },
  "02_partial_derivatives_and_gradient": (s) => {
    expect(s.bowlGradient).toEqual([2, 4]);
    expect(s.partialsError).toBeLessThan(1e-12);
    expect(s.partialAutodiffError).toBeLessThan(1e-12);
    expect(s.partialFdError).toBeLessThan(1e-8);
    // The 1-D routine along the diagonal gives the sum of the partials, far from either of them.
    expect(Math.abs(s.lineSlope - s.sumOfPartials)).toBeLessThan(1e-5);
    for (const partial of s.partials as number[]) expect(Math.abs(s.lineSlope - partial)).toBeGreaterThan(0.4);
    expect(s.lineVsDirectional).toBeLessThan(1e-5);
    // Differencing noisy samples gets worse as the spacing shrinks (noise / h), unlike the limit definition.
    const noisy = s.noisyDerivativeError as number[];
    expect(noisy[noisy.length - 1]).toBeGreaterThan(10 * noisy[0]!);
    // The total derivative of g(x, sin x) is autodiff of the composition and differs from the partial.
    expect(s.totalVsChainRule).toBeLessThan(1e-12);
    expect(Math.abs(s.totalDerivative - s.partialAlongX)).toBeGreaterThan(0.5);
  },
  "03_chain_rule_computation_graph": (s) => {
    expect(s.chainRuleError).toBeLessThan(1e-12);
    // Baydin et al.'s example: f(2, 5) = ln 2 + 10 - sin 5, gradient (1/2 + 5, 2 - cos 5).
    expect(s.f).toBeCloseTo(Math.log(2) + 10 - Math.sin(5), 12);
    expect(s.partials[0]).toBeCloseTo(5.5, 12);
    expect(s.partials[1]).toBeCloseTo(2 - Math.cos(5), 12);
    expect(s.traceError).toBeLessThan(1e-12);
    for (const e of Object.values(s.jacobianErrors) as number[]) expect(e).toBeLessThan(1e-12);
    expect(s.dotProductGap).toBeLessThan(1e-12);
  },
  "10_higher_order_derivatives": (s) => {
    expect(s.det).toBeCloseTo(2, 12); // det J = r
    for (const e of Object.values(s.jacobianErrors) as number[]) expect(e).toBeLessThan(1e-12);
    expect(s.quadHessianError).toBeLessThan(1e-12);
    expect(s.rosenbrockHessian).toEqual([[802, -400], [-400, 200]]);
    expect(s.conditionNumber).toBeGreaterThan(2000);
    expect(s.derivativesOfX5).toEqual([80, 160, 240, 240, 120]);
    expect(s.hvpError).toBeLessThan(1e-10);
    // Quadratic convergence: the last Newton errors shrink at least like e_{k+1} <= C e_k^2.
    const errs = s.newtonErrors as number[];
    expect(errs[errs.length - 1]).toBeLessThan(1e-12);
    const k = errs.findIndex((e) => e < 1e-3);
    expect(errs[k + 1]).toBeLessThan(10 * errs[k]! ** 2);
    expect(Math.abs(s.libraryNewton.x[0] - 1)).toBeLessThan(1e-8);
    expect(Math.abs(s.libraryNewton.x[1] - 1)).toBeLessThan(1e-8);
    expect(s.gdDistance).toBeGreaterThan(1e-3); // gradient descent is still far after thousands of steps
  },
  "07_optimizers_compared": (s) => {
    const r = s.rosenbrock, q = s.quadratic;
    expect(r["Adam"].distance).toBeLessThan(1e-3); // Adam reaches the Rosenbrock minimum
    for (const name of ["L-BFGS", "Newton"]) {
      expect(r[name].distance).toBeLessThan(1e-6);
      expect(r[name].steps).toBeLessThan(100);
    }
    expect(r["momentum"].distance).toBeLessThan(1e-4);
    expect(r["gradient descent"].distance).toBeGreaterThan(0.1); // still crawling along the valley
    expect(q["Newton"].steps).toBe(1); // exact on a quadratic
    expect(q["Newton"].distance).toBeLessThan(1e-12);
    expect(q["momentum"].distance).toBeLessThan(q["gradient descent"].distance / 1000);
  },
  "05_sgd_and_minibatches": (s) => {
    expect(Math.abs(s.lossStar - 0.25)).toBeLessThan(0.03); // the noise variance is the floor
    expect(s.noiseSlope).toBeGreaterThan(-1.2); // gradient variance ~ 1/|B|
    expect(s.noiseSlope).toBeLessThan(-0.85);
    const byBatch = s.finalExcessByBatch as Record<string, number>;
    expect(byBatch["1"]).toBeGreaterThan(byBatch["128"]! * 10); // batch 1 stalls at its noise floor
    expect(byBatch["2000"]).toBeGreaterThan(byBatch["128"]! * 10); // full batch: too few updates per epoch
    expect(s.updatesByBatch["1"]).toBe(6000);
    expect(s.updatesByBatch["2000"]).toBe(3);
    const sched = s.excessBySchedule as Record<string, number>;
    expect(sched["cosine decay"]).toBeLessThan(sched["constant 0.05"]! / 3);
    expect(sched["step decay (halve every epoch)"]).toBeLessThan(sched["constant 0.05"]! / 3);
    // Conclusions drawn over at least 5 seeds, and they hold for every seed, not only the median.
    expect(s.seeds).toBeGreaterThanOrEqual(5);
    const spread = s.finalExcessSpread as Record<string, { min: number; max: number }>;
    expect(spread["1"]!.min).toBeGreaterThan(spread["128"]!.max * 10);
    expect(s.cosineGain.min).toBeGreaterThan(3);
  },
  "06_backpropagation_mlp": (s) => {
    expect(s.backpropError).toBeLessThan(1e-12); // hand-written backward pass = grad
    expect(s.checkGradOk).toBe(true);
    expect(s.checkGradMaxError).toBeLessThan(1e-5);
    expect(s.finalLoss).toBeLessThan(s.initialLoss / 10);
    expect(s.finalAccuracy).toBeGreaterThanOrEqual(0.97);
    // Accuracy on points the network never trained on.
    expect(s.heldOutSize).toBeGreaterThanOrEqual(500);
    expect(s.heldOutAccuracy).toBeGreaterThanOrEqual(0.9);
  },
  "08_vanishing_and_exploding_gradients": (s) => {
    expect(s.firstToLast["sigmoid + Glorot"]).toBeLessThan(1e-4); // vanishing through 12 sigmoid layers
    expect(s.firstToLast["ReLU + He"]).toBeGreaterThan(1e-2); // He init keeps the layers comparable
    const sigmoid = s.atInit["sigmoid + Glorot"] as number[];
    expect(sigmoid.every((v, i) => i === 0 || v > sigmoid[i - 1]!)).toBe(true); // shrinks monotonically towards the input
    const [vanish, , explode] = s.earlyToLate as { gain: number; ratio: number }[];
    expect(vanish!.ratio).toBeLessThan(1e-10);
    expect(explode!.ratio).toBeGreaterThan(1);
    expect(s.initialGradNorm).toBeGreaterThan(100);
    // Over the whole last quarter of the runs, not one final sample: clipped stays below the stuck unclipped run.
    expect(s.tail.clipped.max).toBeLessThan(s.tail.plain.min);
    expect(s.tail.clipped.median).toBeLessThan(s.tail.plain.min * 0.5);
    expect(s.plainStuckRange).toBeLessThan(1e-6);
  },
  "09_local_minima_and_saddle_points": (s) => {
    const minima = s.minima as { x: number[]; value: number; count: number; kind: string }[];
    expect(minima.length).toBe(4); // four basins, all reached by some restart
    expect(minima.every((m) => m.kind === "minimum")).toBe(true);
    expect(minima[0]!.x[0]).toBeLessThan(0); // the global one is in the (-, -) quadrant (tilts 0.3x + 0.1y)
    expect(minima[0]!.x[1]).toBeLessThan(0);
    expect(s.globalShare).toBeGreaterThan(0.05);
    expect(s.globalShare).toBeLessThan(0.6);
    expect(s.momentumResult.gd).toBeGreaterThan(0.5); // stuck in the local minimum near +1
    expect(s.momentumResult.momentum).toBeLessThan(-0.5); // momentum reached the global one near -1
    expect(s.saddleHessian).toEqual([[2, 0], [0, -2]]);
    expect(Math.abs(s.saddleResult.onAxis[1])).toBe(0);
    expect(Math.hypot(...(s.saddleResult.onAxis as number[]))).toBeLessThan(1e-6); // converged to the saddle
    expect(Math.abs(Math.abs(s.saddleResult.perturbed[1]) - Math.SQRT2)).toBeLessThan(1e-5); // escaped to a minimum
    expect(s.saddleResult.stepsNearSaddle).toBeGreaterThan(20);
  },
  // Checks the numbers the tensor-operators notebook states in its summary.
  "11_tensor_operators": (s) => {
    expect(s.maxDifference).toBeLessThan(1e-12); // operators and method calls give the same tensors
    expect(s.polyError).toBeLessThan(1e-12);
    expect(s.regressionGap).toBeLessThan(1e-8); // gradient descent matches the closed form
    expect(s.rosenbrockGap).toBeLessThan(1e-10);
    expect(Math.abs(s.w - 2)).toBeLessThan(0.1); // data generated from y = 2x - 1
    expect(Math.abs(s.b + 1)).toBeLessThan(0.1);
  },
};
