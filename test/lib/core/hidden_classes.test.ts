// A full collection that finds no tensor, trace or optimizer alive (a loop of temporaries, between two of its runs)
// leaves the library's optimized code in place: V8 refers to hidden classes weakly from optimized code, and one kept
// example of each class (lib/tensor/hidden_classes.ts) keeps them. Checked through V8's own optimization status.
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { Adam, add, grad, mul, scalar, square, sub, type Tensor } from "../../../lib/index.js";
import { bind } from "../../../lib/core/trace.js";
import { HeldOptimizer } from "../../../lib/optim/step_buffers.js";
import { collectGarbage } from "../../../lib/backend/storage.js";

setFlagsFromString("--allow-natives-syntax");
type Fn = (...args: any[]) => unknown;
const prepare = new Function("f", "%PrepareFunctionForOptimization(f)") as (f: Fn) => void;
const optimizeOnNextCall = new Function("f", "%OptimizeFunctionOnNextCall(f)") as (f: Fn) => void;
const finishOptimizing = new Function("%FinalizeOptimization()") as () => void;
const status = new Function("f", "return %GetOptimizationStatus(f)") as (f: Fn) => number;
/** V8's OptimizationStatus bit for "has optimized code". */
const OPTIMIZED = 1 << 4;

/** Optimizes `f` through calls of `run`, collects all garbage with nothing of `run`'s alive, and says if f stayed optimized. */
function optimizedAcrossCollection(f: Fn, run: () => void): [before: boolean, after: boolean] {
  prepare(f);
  run();
  run();
  optimizeOnNextCall(f);
  run();
  finishOptimizing();
  const before = (status(f) & OPTIMIZED) !== 0;
  expect(collectGarbage()).toBe(true);
  return [before, (status(f) & OPTIMIZED) !== 0];
}

const rosenbrock = (x: Tensor, y: Tensor) => add(square(sub(1, x)), mul(100, square(sub(y, square(x)))));

describe("optimized code survives a full collection with only temporaries made", () => {
  it("gradients: numbers in, numbers out, every tensor and trace dropped", () => {
    const g = grad(rosenbrock, { argnums: [0, 1] });
    let acc = 0;
    const run = () => {
      for (let i = 0; i < 200; i++) {
        const [gx, gy] = g(i / 100, 0.5) as [Tensor, Tensor];
        acc += gx.item() + gy.item();
      }
    };
    expect(optimizedAcrossCollection(bind as Fn, run)).toEqual([true, true]);
    expect(Number.isFinite(acc)).toBe(true);
  });

  it("optimizer steps: a new Adam per run, dropped with its parameters", () => {
    const g = grad((p: { x: Tensor; y: Tensor }) => rosenbrock(p.x, p.y));
    let end = 0;
    const run = () => {
      const opt = new Adam({ lr: 1e-3 });
      let p = { x: scalar(-1.2), y: scalar(1) };
      for (let t = 0; t < 50; t++) p = opt.step(p, g(p));
      end = p.x.item();
    };
    expect(optimizedAcrossCollection(HeldOptimizer.prototype.step as Fn, run)).toEqual([true, true]);
    expect(end).toBeGreaterThan(-1.2);
  });
});
