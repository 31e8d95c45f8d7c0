// minimize() on 2-D Rosenbrock from (-1.2, 1): LBFGS, Newton and Adam reach the minimum (1, 1).
import { describe, expect, it } from "vitest";
import { add, mul, square, sub, sum, tensor, type Tensor } from "../../../lib/index.js";
import { minimize, LBFGS, Newton, Adam, SGD } from "../../../lib/index.js";

/** (1 - x)^2 + 100 (y - x^2)^2 on a length-2 tensor. */
function rosenbrock(v: Tensor): Tensor {
  const [x, y] = [v.at(0), v.at(1)];
  return sum(add(square(sub(1, x)), mul(100, square(sub(y, square(x))))));
}

const distanceToMin = (x: Tensor) => Math.hypot(...(x.toArray() as number[]).map((v) => v - 1));

describe("minimize on Rosenbrock from (-1.2, 1)", () => {
  it("LBFGS (strong Wolfe) reaches |x - (1,1)| < 1e-6 within 100 iterations", () => {
    const r = minimize(rosenbrock, [-1.2, 1], { optimizer: new LBFGS(), steps: 100, tol: 1e-10 });
    expect(r.converged).toBe(true);
    expect(r.steps).toBeLessThanOrEqual(100);
    expect(distanceToMin(r.x as Tensor)).toBeLessThan(1e-6);
    expect(r.trajectory[0]).toEqual([-1.2, 1]);
    expect(r.trajectory.length).toBe(r.steps + 1);
    expect(r.history.length).toBe(r.steps + 1);
    expect(r.history[0]).toBeCloseTo(24.2, 12);
    // a line search never accepts an increase
    r.history.slice(1).forEach((v, i) => expect(v).toBeLessThanOrEqual(r.history[i]!));
  });

  it("LBFGS with backtracking also converges", () => {
    const r = minimize(rosenbrock, [-1.2, 1], { optimizer: new LBFGS({ lineSearch: "backtracking" }), steps: 200, tol: 1e-10 });
    expect(distanceToMin(r.x as Tensor)).toBeLessThan(1e-6);
  });

  it("Newton (Hessian from autodiff) reaches |x - (1,1)| < 1e-6 within 30 iterations", () => {
    const r = minimize(rosenbrock, tensor([-1.2, 1]), { optimizer: new Newton(), steps: 30, tol: 1e-10 });
    expect(r.steps).toBeLessThanOrEqual(30);
    expect(distanceToMin(r.x as Tensor)).toBeLessThan(1e-6);
  });

  it("Adam (lr 0.02) gets within 1e-3 in 5,000 steps", () => {
    const r = minimize(rosenbrock, [-1.2, 1], { optimizer: new Adam({ lr: 0.02 }), steps: 5000, tol: 0 });
    expect(r.steps).toBe(5000);
    expect(distanceToMin(r.x as Tensor)).toBeLessThan(1e-3);
  });

  it("onStep sees every step and can stop the run", () => {
    const seen: number[] = [];
    const r = minimize(rosenbrock, [-1.2, 1], {
      optimizer: new SGD({ lr: 1e-4 }), steps: 50,
      onStep: ({ step }) => { seen.push(step); return step < 7; },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.steps).toBe(7);
    expect(r.converged).toBe(false);
  });

  it("validates its options", () => {
    expect(() => new LBFGS({ historySize: 0 })).toThrow("LBFGS: invalid history size 0 (must be an integer >= 1)");
    expect(() => minimize(rosenbrock, [-1.2, 1], { steps: -1 })).toThrow("minimize: invalid steps -1");
  });
});

describe("LBFGS PyTorch-style", () => {
  it("step(closure) updates requiresGrad parameters in place and reaches the minimum", () => {
    const w = tensor([-1.2, 1], { requiresGrad: true });
    const opt = new LBFGS([w], { maxIter: 100, tolGrad: 1e-12 });
    let evaluations = 0;
    const first = opt.step(() => {
      evaluations++;
      opt.zeroGrad();
      const loss = rosenbrock(w);
      loss.backward();
      return loss;
    });
    expect(first).toBeCloseTo(24.2, 12);
    expect(evaluations).toBeGreaterThan(10);
    expect(distanceToMin(w)).toBeLessThan(1e-6);
    expect(() => new LBFGS().step(() => rosenbrock(w))).toThrow("LBFGS.step(closure): no parameters");
  });
});
