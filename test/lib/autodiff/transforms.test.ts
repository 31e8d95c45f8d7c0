// Closed forms and transform semantics: hessian of x^T A x, jacobians of linear maps, logsumexp/softmax, nesting
// without perturbation confusion, higher order, trees, vjp/jvp/hvp, customVjp, stopGradient, imperative mode.
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  add, customVjp, exp, grad, hessian, hvp, jacfwd, jacobian, jacrev, jvp, logsumexp, matmul, mul, noGrad, numericalGrad,
  rng, softmax, stopGradient, sum, Tensor, tensor, valueAndGrad, vjp, checkGrad, sin, cos, concat, where,
} from "../../../lib/index.js";

const r = rng(11);
const close = (a: Tensor, b: Tensor, tol = 1e-10): void => {
  expect(a.shape).toEqual(b.shape);
  a.data.forEach((v, i) => expect(Math.abs(v - b.data[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b.data[i]!))));
};

describe("closed forms", () => {
  it("hessian of x^T A x is A + A^T", () => {
    const A = r.normal([4, 4]);
    const x = r.normal([4]);
    const H = hessian((v: Tensor) => v.dot(A.matmul(v)))(x);
    close(H, A.add(A.T));
  });

  it("jacobian of a linear map is its matrix, in both modes", () => {
    const A = r.normal([3, 5]);
    const x = r.normal([5]);
    const f = (v: Tensor) => A.matmul(v);
    close(jacrev(f)(x), A);
    close(jacfwd(f)(x), A);
    close(jacobian(f)(x), A);
  });

  it("jacfwd equals jacrev on a nonlinear map with matrix input", () => {
    const x = r.normal([2, 3]);
    const f = (v: Tensor) => sin(v).mul(v.sum(0)).exp();
    const a = jacfwd(f)(x);
    expect(a.shape).toEqual([2, 3, 2, 3]);
    close(a, jacrev(f)(x));
  });

  it("the gradient of logsumexp is softmax", () => {
    const x = r.normal([6]).mul(10);
    close(grad((v: Tensor) => logsumexp(v))(x), softmax(x));
    const big = tensor([1000, 1001, 999]);
    close(grad((v: Tensor) => logsumexp(v))(big), softmax(big));
    expect(logsumexp(big).item()).toBeCloseTo(1001 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), 10);
  });

  it("hvp equals the hessian times v", () => {
    const x = r.normal([3]);
    const v = r.normal([3]);
    const f = (u: Tensor) => sum(exp(u.mul(u.sum())));
    close(hvp(f, x, v), hessian(f)(x).matmul(v), 1e-9);
  });
});

describe("nesting and higher order", () => {
  it("d/dx [x * d/dy (x + y)] = 1 at any x (no perturbation confusion), reverse and forward", () => {
    for (const x0 of [-2, 0, 0.5, 3]) {
      const inner = (x: Tensor) => grad((y: Tensor) => add(x, y))(tensor(1));
      expect(grad((x: Tensor) => mul(x, inner(x)))(tensor(x0)).item()).toBe(1);
      const innerFwd = (x: Tensor) => jvp((y: Tensor) => add(x, y), [tensor(1)], [tensor(1)])[1];
      expect(jvp((x: Tensor) => mul(x, innerFwd(x)), [tensor(x0)], [tensor(1)])[1].item()).toBe(1);
    }
  });

  it("grad of grad of grad", () => {
    const f = (x: Tensor) => x.pow(4);
    const d3 = grad(grad(grad(f)));
    expect(d3(tensor(1.5)).item()).toBeCloseTo(24 * 1.5, 10);
    expect(grad(grad(grad(grad((x: Tensor) => sin(x)))))(tensor(0.3)).item()).toBeCloseTo(Math.sin(0.3), 12);
  });

  it("second derivatives mix modes: jvp of grad and grad of jvp agree", () => {
    const f = (x: Tensor) => cos(x).mul(x).sum();
    const x = r.normal([3]);
    const v = r.normal([3]);
    const a = jvp(grad(f), [x], [v])[1] as Tensor;
    const b = grad((u: Tensor) => jvp(f, [u], [v])[1])(x);
    close(a, b);
  });
});

describe("transforms over trees", () => {
  it("argnums list, number leaves and nested trees", () => {
    const f = (p: { w: Tensor[]; b: number }, s: Tensor) => p.w[0]!.mul(p.w[1]!).sum().add(p.b).mul(s);
    const params = { w: [tensor([1, 2]), tensor([3, 4])], b: 2 };
    const [gp, gs] = grad(f, { argnums: [0, 1] })(params, tensor(2));
    expect(gp.w[0].toArray()).toEqual([6, 8]);
    expect(gp.w[1].toArray()).toEqual([2, 4]);
    expect(gp.b.item()).toBe(2);
    expect(gs.item()).toBe(13);
  });

  it("plain objects from another realm are trees", () => {
    const tree = runInNewContext("({ a: x, b: [x, x] })", { x: tensor(3) });
    const g = grad((t: any) => t.a.mul(t.b[0]).add(t.b[1]))(tree);
    expect(g.a.item()).toBe(3);
    expect(g.b[0].item()).toBe(3);
    expect(g.b[1].item()).toBe(1);
  });

  it("valueAndGrad with hasAux returns [[value, aux], grad] and strips tracers from aux", () => {
    const f = (x: Tensor) => {
      const y = x.square();
      return [y.sum(), { y }];
    };
    const [[value, aux], g] = valueAndGrad(f, { hasAux: true })(tensor([1, 2]));
    expect(value.item()).toBe(5);
    expect(aux.y.toArray()).toEqual([1, 4]);
    expect(aux.y._trace).toBe(null);
    expect(g.toArray()).toEqual([2, 4]);
  });

  it("the sweep tells each rule which inputs are differentiated, for ops of few and of many inputs", () => {
    // where (3 inputs, one constant) and concat (5 inputs, two undifferentiated): a wrong `wants` drops a gradient
    // or computes one for the wrong input. f = a*a + 2b*c + c*a + d*a + 3e*c.
    const f = (a: Tensor, b: Tensor, c: Tensor, d: Tensor, e: Tensor) =>
      sum(mul(concat([a, mul(b, 2), c, d, mul(e, 3)]), where(tensor([1, 0, 1, 1, 0]), a.sum(), c.sum())));
    const [a, b, c, d, e] = [1, 2, 5, 7, 11];
    const args = [tensor([a]), tensor([b]), tensor([c]), tensor([d]), tensor([e])] as const;
    const [ga, gc, ge] = grad(f, { argnums: [0, 2, 4] })(...args);
    expect(ga.toArray()).toEqual([2 * a + c + d]);
    expect(gc.toArray()).toEqual([2 * b + a + 3 * e]);
    expect(ge.toArray()).toEqual([3 * c]);
    // Asymmetric patterns: concat wants [a, d, e] only, where wants its second input only.
    const [ga2, gd2, ge2] = grad(f, { argnums: [0, 3, 4] })(...args);
    expect(ga2.toArray()).toEqual([2 * a + c + d]);
    expect(gd2.toArray()).toEqual([a]);
    expect(ge2.toArray()).toEqual([3 * c]);
  });

  it("gradient of an unused input is zero", () => {
    expect(grad((_x: Tensor, y: Tensor) => y.sum())(tensor([1, 2]), tensor(1)).toArray()).toEqual([0, 0]);
  });

  it("vjp pullback can be called repeatedly; vjp/jvp over tree outputs", () => {
    const [y, pullback] = vjp((x: Tensor) => ({ s: x.sum(), p: x.mul(x) }), tensor([1, 2, 3]));
    expect(y.s.item()).toBe(6);
    expect(pullback({ s: 1, p: tensor([0, 0, 0]) })[0].toArray()).toEqual([1, 1, 1]);
    expect(pullback({ s: 0, p: tensor([1, 1, 1]) })[0].toArray()).toEqual([2, 4, 6]);
    const [out, t] = jvp((a: Tensor, b: Tensor) => [a.mul(b), b], [tensor(2), tensor(3)], [tensor(1), tensor(0)]);
    expect(out[0].item()).toBe(6);
    expect(t[0].item()).toBe(3);
    expect(t[1].item()).toBe(0);
  });
});

describe("stopGradient and customVjp", () => {
  it("stopGradient blocks reverse and forward derivatives", () => {
    expect(grad((x: Tensor) => x.mul(stopGradient(x)))(tensor(3)).item()).toBe(3);
    expect(jvp((x: Tensor) => x.mul(x.stopGradient()), [tensor(3)], [tensor(1)])[1].item()).toBe(3);
  });

  it("customVjp uses the given rule and is differentiable again", () => {
    const clippedIdentity = customVjp((x: Tensor) => x.mul(1), (ct) => [ct.clip(-1, 1)], { name: "clipGrad" });
    expect(grad((x: Tensor) => clippedIdentity(x).mul(5).sum())(tensor([1, 2])).toArray()).toEqual([1, 1]);
    const cube = customVjp((x: Tensor) => x.pow(3), (ct, [x]) => [ct.mul(x!.square()).mul(3)]);
    expect(grad(grad((x: Tensor) => cube(x)))(tensor(2)).item()).toBe(12);
  });
});

describe("imperative mode on the same engine", () => {
  it("backward fills .grad of leaves, accumulates, and noGrad stops recording", () => {
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const x = tensor([1, -1]);
    const loss = () => matmul(w, x).square().sum();
    loss().backward();
    expect(w.grad!.toArray()).toEqual([[-2, 2], [-2, 2]]);
    loss().backward();
    expect(w.grad!.toArray()).toEqual([[-4, 4], [-4, 4]]);
    w.zeroGrad();
    expect(w.grad).toBe(null);
    const updated = noGrad(() => w.sub(1));
    expect(updated.requiresGrad).toBe(false);
    expect(loss().requiresGrad).toBe(true);
  });

  it("grad works on requiresGrad tensors (functional inside imperative)", () => {
    const w = tensor(3, { requiresGrad: true });
    const g = grad((x: Tensor) => x.mul(w).square())(tensor(2));
    expect(g.item()).toBe(36);
    g.backward();
    expect(w.grad!.item()).toBe(24); // d/dw [2 x w^2] at x = 2
  });
});

describe("checkGrad and numericalGrad", () => {
  it("checkGrad reports a wrong derivative", () => {
    const wrong = customVjp((x: Tensor) => x.square(), (ct, [x]) => [ct.mul(x!).mul(2.1)]);
    const report = checkGrad((x: Tensor) => wrong(x).sum(), [tensor([1, 2])], { modes: ["rev"], order: 1 });
    expect(report.ok).toBe(false);
    expect(() => report.assert()).toThrow(/checkGrad: derivative mismatch/);
    expect(checkGrad((x: Tensor) => x.square().sum(), [tensor([1, 2])]).ok).toBe(true);
  });

  it("numericalGrad, central and forward", () => {
    const f = (x: Tensor) => exp(x).sum();
    const x = tensor([0.1, -0.5]);
    close(numericalGrad(f, x), exp(x), 1e-8);
    close(numericalGrad(f, x, { method: "forward" }), exp(x), 1e-5);
  });
});
