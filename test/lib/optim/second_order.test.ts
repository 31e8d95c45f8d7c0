// LBFGS and Newton against their published rules: the two-loop recursion equals the explicit inverse-Hessian update
// (Nocedal & Wright eq. 7.19), and Newton solves a quadratic in one step.
import { describe, expect, it } from "vitest";
import { matmul, mul, sub, sum, tensor, type Tensor } from "../../../lib/index.js";
import { LBFGS, Newton, minimize, strongWolfe, backtracking } from "../../../lib/index.js";

type M = number[][];
const eye = (n: number): M => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const mm = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const outer = (a: number[], b: number[]): M => a.map((x) => b.map((y) => x * y));
const add = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => v + b[i]![j]!));
const scaleM = (a: M, c: number): M => a.map((r) => r.map((v) => v * c));
const transpose = (a: M): M => a[0]!.map((_, j) => a.map((r) => r[j]!));
const dotv = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** H_{k+1} = V^T H_k V + rho s s^T, V = I - rho y s^T, from H_0 = gamma I with gamma = s_last.y_last / y_last.y_last. */
function explicitInverseHessian(s: number[][], y: number[][]): M {
  const n = s[0]!.length;
  const last = s.length - 1;
  let h = scaleM(eye(n), dotv(s[last]!, y[last]!) / dotv(y[last]!, y[last]!));
  s.forEach((si, i) => {
    const rho = 1 / dotv(y[i]!, si);
    const v = add(eye(n), scaleM(outer(y[i]!, si), -rho));
    h = add(mm(mm(transpose(v), h), v), scaleM(outer(si, si), rho));
  });
  return h;
}

describe("LBFGS", () => {
  it("the two-loop recursion gives d = -H g with H from the BFGS update formula", () => {
    const s = [[0.5, -0.2, 0.1], [0.1, 0.3, -0.4]];
    const y = [[1.2, -0.1, 0.3], [0.2, 0.9, -0.5]];
    const g = [0.7, -1.1, 0.4];
    const h = explicitInverseHessian(s, y);
    const expected = h.map((row) => -dotv(row, g));
    const d = new LBFGS().direction(Float64Array.from(g), { s: s.map((v) => Float64Array.from(v)), y: y.map((v) => Float64Array.from(v)), iteration: 2 });
    Array.from(d).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 13));
  });

  it("without history the direction is steepest descent", () => {
    const d = new LBFGS().direction(Float64Array.from([3, -4]), { s: [], y: [], iteration: 0 });
    expect(Array.from(d)).toEqual([-3, 4]);
  });
});

describe("Newton", () => {
  it("reaches the minimiser of a quadratic 0.5 x^T A x - b^T x in one step (x = A^-1 b)", () => {
    const A = tensor([[4, 1], [1, 3]]), b = tensor([1, 2]);
    const f = (x: Tensor) => sub(mul(0.5, sum(mul(x, matmul(A, x)))), sum(mul(b, x)));
    const r = minimize(f, [10, -7], { optimizer: new Newton(), steps: 5, tol: 1e-12 });
    expect(r.steps).toBe(1);
    const [x0, x1] = (r.x as Tensor).toArray() as number[];
    // A^-1 b = (1/11) [[3, -1], [-1, 4]] [1, 2] = [1/11, 7/11]
    expect(x0).toBeCloseTo(1 / 11, 13);
    expect(x1).toBeCloseTo(7 / 11, 13);
  });
});

describe("line searches", () => {
  const rosen = {
    n: 2,
    valueAndGrad(x: Float64Array) {
      const [a, b] = [x[0]!, x[1]!];
      return {
        value: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
        grad: Float64Array.from([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)]),
      };
    },
  };
  const start = Float64Array.from([-1.2, 1]);
  const at = { x: start, ...rosen.valueAndGrad(start) };
  const d = at.grad.map((g) => -g);
  const slope0 = dotv(Array.from(at.grad), Array.from(d));

  it("strong Wolfe returns a step with sufficient decrease and small |slope|", () => {
    for (const alpha0 of [1, 1e-4, 1e-2]) {
      const r = strongWolfe(rosen, at, d, { alpha0, c1: 1e-4, c2: 0.9 });
      expect(r.at.value).toBeLessThanOrEqual(at.value + 1e-4 * r.alpha * slope0);
      expect(Math.abs(dotv(Array.from(r.at.grad), Array.from(d)))).toBeLessThanOrEqual(0.9 * Math.abs(slope0));
    }
  });

  it("backtracking returns a step with sufficient decrease", () => {
    const r = backtracking(rosen, at, d, { c1: 1e-4 });
    expect(r.at.value).toBeLessThanOrEqual(at.value + 1e-4 * r.alpha * slope0);
    expect(() => backtracking(rosen, at, at.grad)).toThrow("backtracking: not a descent direction");
  });
});
