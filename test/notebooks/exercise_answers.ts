// Reference answers to the tutorials' exercises (keyed by notebook file stem), injected by `gradlab run -p name=value`
// when the notebooks are tested, so every exercise check must come out green. Names are unique across notebooks
// because one run passes the same parameters to every notebook.
export const EXERCISE_ANSWERS: Record<string, Record<string, number | number[]>> = {
  "14_autodiff_from_scratch": {
    answerPartialB: 12, // 2ab at a = 2, b = 3
    answerNodeCount: 3, // u, tanh u, tanh(tanh u)
    answerNestedTanh: 0.63981, // (1 - tanh²(tanh u)) (1 - tanh² u) at u = 0.5
  },
};

/** `-p name=value` arguments for every notebook's answers. */
export function answerParameters(): string[] {
  return Object.values(EXERCISE_ANSWERS).flatMap((answers) => Object.entries(answers).map(([name, value]) => `${name}=${JSON.stringify(value)}`));
}
