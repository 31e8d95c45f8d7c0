// No leaks: 100,000 gradient evaluations (functional and imperative) run in constant memory, measured with forced GC.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { add, grad, mul, square, sub, Tensor, tensor, traceDepth } from "../../../lib/index.js";

// Expose the collector inside this worker: the flag makes every new context get a `gc` global.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const rosen = (x: Tensor, y: Tensor) => add(square(sub(1, x)), mul(100, square(sub(y, square(x)))));
const BOUND = 4 * 1024 * 1024; // far below what retaining 100k tapes would take (hundreds of MB)

describe("memory", () => {
  it("100,000 gradients with grad() in constant memory", () => {
    const g = grad(rosen, { argnums: [0, 1] });
    let acc = 0;
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        const [gx, gy] = g(tensor(-1.2 + i * 1e-7), tensor(1));
        acc += gx.item() + gy.item();
      }
    };
    run(5_000);
    const before = heapAfterGc();
    run(100_000);
    const after = heapAfterGc();
    expect(Number.isFinite(acc)).toBe(true);
    expect(traceDepth()).toBe(0);
    expect(after - before).toBeLessThan(BOUND);
  });

  it("100,000 imperative backward() passes in constant memory", () => {
    const w = tensor([0.5, -0.5], { requiresGrad: true });
    const x = tensor([1, 2]);
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        w.zeroGrad();
        w.mul(x).sum().square().backward();
      }
    };
    run(5_000);
    const before = heapAfterGc();
    run(100_000);
    const after = heapAfterGc();
    expect(w.grad!.toArray()).toEqual([-1, -2]);
    expect(after - before).toBeLessThan(BOUND);
  });
});

describe("deep graphs", () => {
  it("a 50,000-step chain differentiates without recursion (functional and imperative)", () => {
    const chain = (x: Tensor) => {
      let y = x;
      for (let i = 0; i < 50_000; i++) y = y.add(1e-6).mul(1);
      return y;
    };
    expect(grad(chain)(tensor(1)).item()).toBe(1);
    const w = tensor(2, { requiresGrad: true });
    chain(w).backward();
    expect(w.grad!.item()).toBe(1);
  });
});
