// Derivatives at and near non-smooth points follow the documented conventions (docs/conventions.md).
import { describe, expect, it } from "vitest";
import { abs, clip, grad, jvp, max, maximum, min, minimum, relu, Tensor, tensor } from "../../../lib/index.js";

const d = (f: (x: Tensor) => Tensor) => (x0: number) => grad((x: Tensor) => f(x).sum())(tensor(x0)).item();
const dFwd = (f: (x: Tensor) => Tensor) => (x0: number) => jvp(f, [tensor(x0)], [tensor(1)])[1].item();

describe("non-smooth conventions", () => {
  it("relu'(0) = 0; relu' is 1 just above 0 and 0 just below, in both modes", () => {
    for (const deriv of [d(relu), dFwd(relu)]) {
      expect(deriv(0)).toBe(0);
      expect(deriv(1e-12)).toBe(1);
      expect(deriv(-1e-12)).toBe(0);
    }
  });

  it("abs'(0) = 0 (sign); abs' is +-1 on either side", () => {
    for (const deriv of [d(abs), dFwd(abs)]) {
      expect(deriv(0)).toBe(0);
      expect(deriv(1e-12)).toBe(1);
      expect(deriv(-1e-12)).toBe(-1);
    }
  });

  it("max/min reductions split the gradient equally among tied entries", () => {
    const x = tensor([1, 3, 3, 2]);
    expect(grad((v: Tensor) => max(v))(x).toArray()).toEqual([0, 0.5, 0.5, 0]);
    expect(grad((v: Tensor) => min(v))(tensor([0, 5, 0])).toArray()).toEqual([0.5, 0, 0.5]);
    expect(grad((v: Tensor) => max(v, 1).sum())(tensor([[1, 1], [2, 0]])).toArray()).toEqual([[0.5, 0.5], [1, 0]]);
    // Forward mode agrees: the tangent is the average of the tied entries' tangents.
    expect(jvp((v: Tensor) => max(v), [x], [tensor([0, 1, 3, 0])])[1].item()).toBe(2);
  });

  it("maximum/minimum with a tie give 0.5 to each side; clip at a bound gives 0.5", () => {
    const [ga, gb] = grad((a: Tensor, b: Tensor) => maximum(a, b), { argnums: [0, 1] })(tensor(2), tensor(2));
    expect([ga.item(), gb.item()]).toEqual([0.5, 0.5]);
    const [ha, hb] = grad((a: Tensor, b: Tensor) => minimum(a, b), { argnums: [0, 1] })(tensor(1), tensor(1));
    expect([ha.item(), hb.item()]).toEqual([0.5, 0.5]);
    expect(grad((a: Tensor) => maximum(a, 2))(tensor(2.000001)).item()).toBe(1);
    expect(d((x) => clip(x, -1, 1))(1)).toBe(0.5);
    expect(d((x) => clip(x, -1, 1))(0.5)).toBe(1);
    expect(d((x) => clip(x, -1, 1))(2)).toBe(0);
  });
});

describe("prod at zeros", () => {
  it("gradient is the product of the other entries, exactly, with one or more zeros", () => {
    const g = (v: number[]) => grad((x: Tensor) => x.prod())(tensor(v)).toArray();
    expect(g([2, 3, 4])).toEqual([12, 8, 6]);
    expect(g([2, 0, 4])).toEqual([0, 8, 0]);
    expect(g([0, 0, 4])).toEqual([0, 0, 0]);
    expect(grad((x: Tensor) => x.prod(1).sum())(tensor([[1, 0], [3, 5]])).toArray()).toEqual([[0, 1], [5, 3]]);
    // second derivative through the rule: d2/dx0 dx1 of x0*x1*x2 at x1 = 0 is x2
    expect(grad((x: Tensor) => grad((y: Tensor) => y.prod())(x).at(0))(tensor([2, 0, 4])).toArray()).toEqual([0, 4, 0]);
  });
});
