// float32 end to end: values, gradients and tangents stay float32 and agree with float64 to float32 precision.
import { describe, expect, it } from "vitest";
import { checkGrad, grad, hessian, jvp, rng, Tensor, tensor } from "../../../lib/index.js";

const f = (x: Tensor) => x.tanh().mul(x.exp()).sum().add(x.matmul(x));

describe("float32", () => {
  const x64 = rng(4).normal([5]);
  const x32 = x64.astype("float32");

  it("gradients, tangents and hessians keep the dtype", () => {
    expect(f(x32).dtype).toBe("float32");
    expect(grad(f)(x32).dtype).toBe("float32");
    expect(jvp(f, [x32], [x32])[1].dtype).toBe("float32");
    expect(hessian(f)(x32).dtype).toBe("float32");
  });

  it("agrees with float64 to float32 precision", () => {
    const g64 = grad(f)(x64);
    const g32 = grad(f)(x32);
    g64.data.forEach((v, i) => expect(Math.abs(g32.data[i]! - v)).toBeLessThan(1e-5 * (1 + Math.abs(v))));
  });

  it("checkGrad passes with float32 tolerances", () => {
    expect(checkGrad(f, [x32]).ok).toBe(true);
  });

  it("a gradient through astype comes back in the input's dtype", () => {
    const g = grad((v: Tensor) => v.astype("float64").square().sum())(tensor([1, 2], { dtype: "float32" }));
    expect(g.dtype).toBe("float32");
    expect(g.toArray()).toEqual([2, 4]);
  });
});
