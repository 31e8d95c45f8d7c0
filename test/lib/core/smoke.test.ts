// Smoke test of the public API: tensors, ops as functions and methods, grad/valueAndGrad, imperative backward.
import { describe, expect, it } from "vitest";
import { add, grad, mul, noGrad, rng, square, sub, tensor, valueAndGrad } from "../../../lib/index.js";

describe("public API smoke test", () => {
  it("creates, computes and prints tensors", () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(x.shape).toEqual([2, 2]);
    expect(x.add(tensor([10, 20])).toArray()).toEqual([[11, 22], [13, 24]]);
    expect(mul(2, x).sum().item()).toBe(20);
    expect(x.toString()).toBe("tensor([[1., 2.],\n        [3., 4.]])");
  });

  it("differentiates Rosenbrock with respect to both scalar arguments", () => {
    const rosen = (x: any, y: any) => add(square(sub(1, x)), mul(100, square(sub(y, square(x)))));
    const [gx, gy] = grad(rosen, { argnums: [0, 1] })(tensor(-1.2), tensor(1));
    // df/dx = -2(1-x) - 400x(y-x^2), df/dy = 200(y-x^2)
    expect(gx.item()).toBeCloseTo(-2 * 2.2 - 400 * -1.2 * (1 - 1.44), 10);
    expect(gy.item()).toBeCloseTo(200 * (1 - 1.44), 10);
  });

  it("valueAndGrad over a tree with aux", () => {
    const params = { w: tensor([1, 2]), b: tensor(0.5) };
    const f = (p: any) => [p.w.mul(p.w).sum().add(p.b), "aux"];
    const [[value, aux], g] = valueAndGrad(f, { hasAux: true })(params);
    expect(value.item()).toBe(5.5);
    expect(aux).toBe("aux");
    expect(g.w.toArray()).toEqual([2, 4]);
    expect(g.b.item()).toBe(1);
  });

  it("imperative requiresGrad / backward / noGrad", () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    w.mul(w).sum().backward();
    expect(w.grad!.toArray()).toEqual([2, 4, 6]);
    const plain = noGrad(() => w.mul(2));
    expect(plain.requiresGrad).toBe(false);
  });

  it("seeded random numbers repeat", () => {
    expect(rng(3).normal([4]).toArray()).toEqual(rng(3).normal([4]).toArray());
  });
});
