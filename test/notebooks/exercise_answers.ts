// Reference answers to the tutorials' exercises (keyed by notebook file stem), injected by `gradlab run -p name=value`
// when the notebooks are tested, so every exercise check must come out green. Names are unique across notebooks
// because one run passes the same parameters to every notebook.
export const EXERCISE_ANSWERS: Record<string, Record<string, number | number[]>> = {
  "00_tour": {
    answerTourGradient: [1, 3, 11], // 2x + 3
    answerRosenbrockStart: 24.2, // 2.2² + 100 · (1 - 1.44)²
    answerGraphPartialX: 2.58385, // y + cos x at x = 2, y = 3
  },
  "01_derivatives_three_ways": {
    answerDerivativeAtHalfPi: 1.09664, // e^(π/4) (0 + 1/2)
    answerCentralCube: 3.01, // (1.331 - 0.729) / 0.2 = 3 + h²
    answerQuotientSlope: -0.31831, // (π cos π - sin π) / π² = -1/π
  },
  "02_partial_derivatives_and_gradient": {
    answerPartialGy: 4, // x² + 3 cos y at (1, 0)
    answerDirectional: 4.4, // (2, 4) · (0.6, 0.8)
    answerTotalDerivative: 12, // y + x · 2x = 3x² at x = 2
  },
  "03_chain_rule_computation_graph": {
    answerForwardTangents: [3, 24], // u̇ = 3, ṗ = 2 · 4 · 3
    answerJacobianCalls: [1000, 2], // n columns, m rows
    answerPullback: [4, 3], // (y + 1, x + 1) at (2, 3)
  },
  "04_gradient_descent_linear_regression": {
    answerConvergentRate: 0.02, // below the critical rate 2/λ_max
    answerOneStep: 1.5, // 0 - 0.25 · 2 (0 - 3)
    answerFlatFactor: 0.92, // 1 - 2/κ with κ = 25
  },
  "05_sgd_and_minibatches": {
    answerUpdatesInThreeEpochs: 375, // 3 · ⌈2000/16⌉
    answerNoiseRatio: 16, // σ²/4 over σ²/64
    answerCosineRate: 0.0047746, // 0.05 · (1 + cos 0.8π)/2
  },
  "06_backpropagation_mlp": {
    answerParameterCount: 337, // (2·16 + 16) + (16·16 + 16) + (16 + 1)
    answerGradientShape: [2, 8], // the shape of W₁
    answerErrorSignal: -0.5, // σ(0) - 1
  },
  "07_optimizers_compared": {
    answerStableRate: 0.02, // 2/κ
    answerTerminalVelocity: 10, // g/(1 - μ)
    answerNewtonLanding: [0, 0], // the minimum of the quadratic
  },
  "08_vanishing_and_exploding_gradients": {
    answerSigmoidSlope: 0.25, // σ'(0) = 1/2 · 1/2
    answerClipped: [0.6, 0.8], // (3, 4)/5
    answerRecurrentGradient: 0.0009765625, // 0.5¹⁰
  },
  "09_local_minima_and_saddle_points": {
    answerMinimumEigenvalues: [2, 4], // ∂²s/∂x² = 2, ∂²s/∂y² = 3y² - 2 = 4
    answerEscapeSteps: 170, // ⌈ln 10⁷ / ln 1.1⌉
    answerSaddleCount: 4, // one coordinate 0, the other ±1
  },
  "10_higher_order_derivatives": {
    answerThirdDerivative: 24, // 24x
    answerQuadraticFormHessian: [2, 2, 2, 6], // A + Aᵀ
    answerNewtonQuartic: 0.66667, // 1 - 4/12
  },
  "11_tensor_operators": {
    answerOperatorSum: [1.5, 5, 4], // 2a - b
    answerPrecedence: [0.25, 2, 12], // a · b²
    answerOperatorDerivative: 10, // 3x² - 2 at x = 2
  },
  "12_reparameterisation_trick": {
    answerExactSigmaGradient: 1.6, // 2σ
    answerOneSampleGradient: [3.8, 1.9], // z = 1.9: (2z, 2zε)
    answerLognormalGradient: 1.64872, // σ e^(μ + σ²/2) = e^0.5
  },
  "13_gradient_boosting": {
    answerLogisticPull: 0.5, // 1 - σ(0)
    answerAbsolutePull: -1, // sign(0 - 5)
    answerBoostedPrediction: 3.5, // 4 (1 - 0.5³)
  },
  "14_autodiff_from_scratch": {
    answerPartialB: 12, // 2ab at a = 2, b = 3
    answerNodeCount: 3, // u, tanh u, tanh(tanh u)
    answerNestedTanh: 0.63981, // (1 - tanh²(tanh u)) (1 - tanh² u) at u = 0.5
  },
  "15_hardware_and_the_cost_of_a_gradient": {
    answerCentralEvaluations: 500, // 2n
    answerFloat32Megabytes: 4, // 10⁶ numbers of 4 bytes
    answerIntensity: 42.667, // 2m³ / (3 · 8 m²) = m / 12
  },
  "16_distributed_and_adaptive_optimisation": {
    answerAllReduce: 3, // (1 + 2 + 3 + 6) / 4
    answerAdagradStep: 0.08, // 0.1 · 4 / √(9 + 16)
    answerAdamFirstStep: 0.01, // m̂ / √v̂ = ±1
  },
};

/** `-p name=value` arguments for every notebook's answers. */
export function answerParameters(): string[] {
  return Object.values(EXERCISE_ANSWERS).flatMap((answers) => Object.entries(answers).map(([name, value]) => `${name}=${JSON.stringify(value)}`));
}
