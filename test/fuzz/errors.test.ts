// Generated bad inputs: every refusal names the op and the full shapes involved; optimizers refuse bad learning rates.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as gl from "../../lib/index.js";
import { seed } from "./settings.js";

const RUNS = 150;
const dims = fc.integer({ min: 1, max: 4 });

/** Calls `f` and returns the message it throws (the test fails when it returns instead). */
function refusal(f: () => unknown): string {
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const shape = result instanceof gl.Tensor ? gl.formatShape(result.shape) : String(result);
  throw new Error(`no error: returned ${shape}`);
}

/** Two shapes that do not broadcast: some aligned axis has lengths p != q, both > 1. */
const clashingShapes = fc.record({
  lead: fc.array(dims, { maxLength: 3 }),
  p: fc.integer({ min: 2, max: 5 }),
  q: fc.integer({ min: 2, max: 5 }),
  tailA: fc.array(dims, { maxLength: 2 }),
  dropA: fc.boolean(),
  lazyA: fc.boolean(),
  lazyB: fc.boolean(),
}).filter((r) => r.p !== r.q).map((r) => ({
  a: [...(r.dropA ? [] : r.lead), r.p, ...r.tailA],
  b: [...r.lead, r.q, ...r.tailA],
  lazyA: r.lazyA,
  lazyB: r.lazyB,
}));

const make = (shape: number[], lazy: boolean): gl.Tensor =>
  lazy ? gl.full(shape, 1.5) : gl.reshape(gl.arange(shape.reduce((n, d) => n * d, 1)), shape);

console.log(`fuzz errors: seed ${seed}`);

describe("bad inputs are refused with the op and the full shapes in the message", () => {
  const BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "greater", "less", "equal"] as const;
  it("binary ops on shapes that do not broadcast", () => {
    fc.assert(fc.property(fc.constantFrom(...BINARY), clashingShapes, (op, { a, b, lazyA, lazyB }) => {
      const msg = refusal(() => gl[op](make(a, lazyA), make(b, lazyB)));
      expect(msg).toContain(op);
      expect(msg).toContain(gl.formatShape(a));
      expect(msg).toContain(gl.formatShape(b));
    }), { seed, numRuns: RUNS });
  });

  it("where with a condition that does not broadcast against both branches", () => {
    fc.assert(fc.property(clashingShapes, ({ a, b }) => {
      const msg = refusal(() => gl.where(gl.ones(a), make(b, false), make(b, false)));
      expect(msg).toContain("where");
      expect(msg).toContain(gl.formatShape(a));
      expect(msg).toContain(gl.formatShape(b));
    }), { seed, numRuns: RUNS });
  });

  it("batched matmul whose batch axes do not broadcast names both full operand shapes", () => {
    const arb = fc.record({ shapes: clashingShapes, m: dims, k: dims, n: dims });
    fc.assert(fc.property(arb, ({ shapes, m, k, n }) => {
      const a = [...shapes.a, m, k], b = [...shapes.b, k, n];
      const msg = refusal(() => gl.matmul(make(a, shapes.lazyA), make(b, shapes.lazyB)));
      expect(msg).toContain("matmul");
      expect(msg).toContain(gl.formatShape(a));
      expect(msg).toContain(gl.formatShape(b));
    }), { seed, numRuns: RUNS });
  });

  it("the issue's example: (2, 3, 4) @ (3, 4, 5)", () => {
    const msg = refusal(() => gl.matmul(gl.ones([2, 3, 4]), gl.ones([3, 4, 5])));
    expect(msg).toContain("(2, 3, 4)");
    expect(msg).toContain("(3, 4, 5)");
  });

  it("matmul with differing inner dimensions", () => {
    const arb = fc.record({ batch: fc.array(dims, { maxLength: 2 }), m: dims, k: dims, k2: dims, n: dims }).filter((r) => r.k !== r.k2);
    fc.assert(fc.property(arb, ({ batch, m, k, k2, n }) => {
      const a = [...batch, m, k], b = [...batch, k2, n];
      const msg = refusal(() => gl.matmul(make(a, false), make(b, true)));
      expect(msg).toContain("matmul");
      expect(msg).toContain(gl.formatShape(a));
      expect(msg).toContain(gl.formatShape(b));
    }), { seed, numRuns: RUNS });
  });

  const AXIS_OPS: Record<string, (x: gl.Tensor, axis: number) => unknown> = {
    sum: (x, a) => gl.sum(x, a), mean: (x, a) => gl.mean(x, a), prod: (x, a) => gl.prod(x, a),
    max: (x, a) => gl.max(x, a), min: (x, a) => gl.min(x, a), var: (x, a) => gl.variance(x, a), std: (x, a) => gl.std(x, a),
    logsumexp: (x, a) => gl.logsumexp(x, a), argmax: (x, a) => gl.argmax(x, a), argmin: (x, a) => gl.argmin(x, a),
    softmax: (x, a) => gl.softmax(x, a), logSoftmax: (x, a) => gl.logSoftmax(x, a), norm: (x, a) => gl.norm(x, { axis: a }),
    take: (x, a) => gl.take(x, [0], a), concat: (x, a) => gl.concat([x, x], a),
  };
  it("an axis out of range names the op and the operand's full shape", () => {
    const arb = fc.record({
      op: fc.constantFrom(...Object.keys(AXIS_OPS)),
      shape: fc.array(dims, { minLength: 1, maxLength: 4 }),
      past: fc.integer({ min: 0, max: 2 }),
      negative: fc.boolean(),
      lazy: fc.boolean(),
    });
    fc.assert(fc.property(arb, ({ op, shape, past, negative, lazy }) => {
      const axis = negative ? -shape.length - 1 - past : shape.length + past;
      const msg = refusal(() => AXIS_OPS[op]!(make(shape, lazy), axis));
      expect(msg).toContain(op);
      expect(msg).toContain(String(axis));
      expect(msg).toContain(gl.formatShape(shape));
    }), { seed, numRuns: RUNS });
  });

  it("expandDims, squeeze and stack with a bad axis name the op and the full shape", () => {
    const arb = fc.record({ shape: fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 4 }), past: fc.integer({ min: 1, max: 2 }) });
    fc.assert(fc.property(arb, ({ shape, past }) => {
      const x = make(shape, false);
      for (const [op, f] of [
        ["expandDims", () => gl.expandDims(x, shape.length + past)],
        ["squeeze", () => gl.squeeze(x, 0)], // axis 0 has length >= 2
        ["stack", () => gl.stack([x, x], shape.length + past)],
      ] as const) {
        const msg = refusal(f);
        expect(msg).toContain(op);
        expect(msg).toContain(gl.formatShape(shape));
      }
    }), { seed, numRuns: 40 });
  });
});

describe("optimizers refuse a negative or non-finite learning rate", () => {
  const BAD = [-0.5, -1e-9, NaN, Infinity, -Infinity];
  const ALIASES = { sgd: gl.sgd, adam: gl.adam, adamw: gl.adamw, rmsprop: gl.rmsprop, adagrad: gl.adagrad } as const;
  for (const [name, make] of Object.entries(ALIASES)) {
    it(`gl.${name}(lr)`, () => {
      for (const lr of BAD) {
        const msg = refusal(() => make(lr));
        expect(msg, `gl.${name}(${lr})`).toContain(name);
        expect(msg, `gl.${name}(${lr})`).toContain("learning rate");
      }
      expect(() => make(0.1)).not.toThrow();
    });
  }
  type Ctor = new (params: gl.Tensor[], options: { lr: number }) => unknown;
  const CLASSES: Record<string, Ctor> = { SGD: gl.SGD, Adam: gl.Adam, AdamW: gl.AdamW, RMSProp: gl.RMSProp, Adagrad: gl.Adagrad };
  for (const [name, Cls] of Object.entries(CLASSES)) {
    it(`new gl.${name}(params, {lr})`, () => {
      for (const lr of BAD) {
        const msg = refusal(() => new Cls([gl.tensor([1, 2], { requiresGrad: true })], { lr }));
        expect(msg, `${name} lr ${lr}`).toContain(name);
        expect(msg, `${name} lr ${lr}`).toContain("learning rate");
      }
    });
  }
});
