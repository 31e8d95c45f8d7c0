// Generic sweep over PRIMITIVES: forward values against independent references, vjp and jvp against central
// differences to second order (checkGrad), and the dot-product test <ct, J v> = <J^T ct, v>.
import { describe, expect, it } from "vitest";
import { checkGrad, jvp, PRIMITIVES, rng, Tensor, tensor, vjp } from "../../../lib/index.js";
import type { OpDef } from "../../../lib/core/op.js";
import { bind } from "../../../lib/core/trace.js";

const r = rng(7);
/** Random values bounded away from 0 (non-smooth points of abs/relu/sign, poles of div/log). */
const away = (shape: number[]): Tensor => {
  const u = r.uniform(shape, { low: 0.3, high: 1.5 });
  const s = r.uniform(shape).greater(0.5).mul(2).sub(1);
  return u.mul(s);
};
const positive = (shape: number[]): Tensor => r.uniform(shape, { low: 0.5, high: 2 });
const flat = (x: Tensor): number[] => Array.from(x.data);

interface Case {
  /** Op name (several cases may test one op). */
  op: string;
  inputs: Tensor[];
  params?: unknown;
  /** Expected forward result: flat values from an independent reference, and the shape. */
  expected: { shape: number[]; values: number[] };
}

/** Elementwise expected values from a scalar reference. */
const map1 = (x: Tensor, f: (v: number) => number) => ({ shape: x.shape.slice(), values: flat(x).map(f) });
/** Broadcast (rows, cols) op (cols,) expected values. */
const rowwise = (a: Tensor, b: Tensor, f: (x: number, y: number) => number) => {
  const [m, n] = a.shape as [number, number];
  const values: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) values.push(f(a.get(i, j), b.get(j)));
  return { shape: [m, n], values };
};

function cases(): Case[] {
  const x23 = away([2, 3]);
  const p23 = positive([2, 3]);
  const b3 = away([3]);
  const unary = (op: string, x: Tensor, f: (v: number) => number): Case => ({ op, inputs: [x], expected: map1(x, f) });
  const binary = (op: string, a: Tensor, b: Tensor, f: (x: number, y: number) => number): Case =>
    ({ op, inputs: [a, b], expected: rowwise(a, b, f) });
  const x234 = r.normal([2, 3, 4]);
  const distinct = tensor([[0.3, -1.2, 2.5], [1.1, 0.7, -0.4]]);
  const x34 = r.normal([3, 4]);
  const mask = tensor([[1, 0, 1], [0, 0, 1]]);
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  return [
    unary("neg", x23, (v) => -v),
    unary("exp", x23, Math.exp),
    unary("log", p23, Math.log),
    unary("log1p", p23, Math.log1p),
    unary("sqrt", p23, Math.sqrt),
    unary("square", x23, (v) => v * v),
    unary("sin", x23, Math.sin),
    unary("cos", x23, Math.cos),
    unary("tan", x23.mul(0.8), Math.tan),
    unary("tanh", x23, Math.tanh),
    unary("sigmoid", x23, sig),
    unary("relu", x23, (v) => Math.max(v, 0)),
    unary("abs", x23, Math.abs),
    unary("softplus", x23, (v) => Math.log(1 + Math.exp(v))),
    unary("sign", x23, Math.sign),
    binary("add", x23, b3, (a, b) => a + b),
    binary("sub", x23, b3, (a, b) => a - b),
    binary("mul", x23, b3, (a, b) => a * b),
    binary("div", x23, b3, (a, b) => a / b),
    binary("pow", p23, b3, Math.pow),
    binary("maximum", x23, b3, Math.max),
    binary("minimum", x23, b3, Math.min),
    binary("greater", x23, b3, (a, b) => (a > b ? 1 : 0)),
    binary("less", x23, b3, (a, b) => (a < b ? 1 : 0)),
    binary("equal", x23, tensor([x23.get(0, 0), 0, x23.get(1, 2)]), (a, b) => (a === b ? 1 : 0)),
    { op: "where", inputs: [mask, x23, b3], expected: rowwise(mask, b3, () => 0) }, // values patched below
    unary("stopGradient", x23, (v) => v),
    {
      op: "sum", inputs: [x234], params: { axes: [0, 2], keepdims: false },
      expected: { shape: [3], values: [0, 1, 2].map((j) => [0, 1].reduce((s, i) => s + [0, 1, 2, 3].reduce((t, k) => t + x234.get(i, j, k), 0), 0)) },
    },
    {
      op: "sum", inputs: [x23], params: { axes: [0, 1], keepdims: true },
      expected: { shape: [1, 1], values: [flat(x23).reduce((s, v) => s + v, 0)] },
    },
    {
      op: "prod", inputs: [p23], params: { axes: [1], keepdims: false },
      expected: { shape: [2], values: [0, 1].map((i) => p23.get(i, 0) * p23.get(i, 1) * p23.get(i, 2)) },
    },
    { op: "max", inputs: [distinct], params: { axes: [1], keepdims: false }, expected: { shape: [2], values: [2.5, 1.1] } },
    { op: "min", inputs: [distinct], params: { axes: [0], keepdims: true }, expected: { shape: [1, 3], values: [0.3, -1.2, -0.4] } },
    { op: "argmax", inputs: [distinct], params: { axis: 1 }, expected: { shape: [2], values: [2, 0] } },
    { op: "argmin", inputs: [distinct], params: { axis: null }, expected: { shape: [], values: [1] } },
    {
      op: "broadcastTo", inputs: [b3], params: { shape: [2, 3] },
      expected: { shape: [2, 3], values: [...flat(b3), ...flat(b3)] },
    },
    { op: "reshape", inputs: [x23], params: { shape: [3, 2] }, expected: { shape: [3, 2], values: flat(x23) } },
    {
      op: "transpose", inputs: [x234], params: { perm: [2, 0, 1] },
      expected: { shape: [4, 2, 3], values: [0, 1, 2, 3].flatMap((k) => [0, 1].flatMap((i) => [0, 1, 2].map((j) => x234.get(i, j, k)))) },
    },
    { op: "astype", inputs: [tensor([1.5, -2.25], { dtype: "float32" })], params: { dtype: "float64" }, expected: { shape: [2], values: [1.5, -2.25] } },
    {
      op: "slice", inputs: [x34], params: { start: [1, 0], step: [1, 2], shape: [2, 2] },
      expected: { shape: [2, 2], values: [x34.get(1, 0), x34.get(1, 2), x34.get(2, 0), x34.get(2, 2)] },
    },
    {
      op: "slice", inputs: [x34], params: { start: [2, 3], step: [-1, -3], shape: [3, 2] },
      expected: { shape: [3, 2], values: [2, 1, 0].flatMap((i) => [x34.get(i, 3), x34.get(i, 0)]) },
    },
    {
      op: "sliceScatter", inputs: [tensor([[1, 2], [3, 4]])], params: { start: [1, 0], step: [1, 2], shape: [3, 4] },
      expected: { shape: [3, 4], values: [0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0] },
    },
    {
      op: "take", inputs: [x34], params: { axis: 1, indices: Int32Array.from([2, 0, 2]) },
      expected: { shape: [3, 3], values: [0, 1, 2].flatMap((i) => [2, 0, 2].map((j) => x34.get(i, j))) },
    },
    {
      op: "scatterAdd", inputs: [tensor([[1, 2, 3], [4, 5, 6]])], params: { axis: 1, indices: Int32Array.from([2, 0, 2]), shape: [2, 4] },
      expected: { shape: [2, 4], values: [2, 0, 4, 0, 5, 0, 10, 0] },
    },
    {
      op: "concat", inputs: [x23, b3.reshape([1, 3])], params: { axis: 0 },
      expected: { shape: [3, 3], values: [...flat(x23), ...flat(b3)] },
    },
    matmulCase(r.normal([2, 3]), r.normal([3, 4])),
    matmulCase(r.normal([2, 2, 3]), r.normal([3, 2])),
    matmulCase(r.normal([3, 2]), r.normal([3, 4]), true, false),
    matmulCase(r.normal([2, 3]), r.normal([4, 3]), false, true),
    matmulCase(r.normal([2, 3, 2]), r.normal([4, 3]), true, true),
  ];
}

/** matmul with optional transposes (params ta/tb), expected values from a plain triple loop. */
function matmulCase(a: Tensor, b: Tensor, ta = false, tb = false): Case {
  const batch = a.ndim === 3 ? a.shape[0]! : 1;
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape as [number, number];
  const [m, k] = ta ? [ac, ar] : [ar, ac];
  const n = tb ? br : bc;
  const A = (t: number, i: number, p: number) => a.data[t * ar * ac + (ta ? p * ac + i : i * ac + p)]!;
  const B = (p: number, j: number) => (tb ? b.get(j, p) : b.get(p, j));
  const values: number[] = [];
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A(t, i, p) * B(p, j);
        values.push(s);
      }
    }
  }
  return { op: "matmul", inputs: [a, b], params: { ta, tb }, expected: { shape: a.ndim === 3 ? [batch, m, n] : [m, n], values } };
}

const ALL = cases();
const whereCase = ALL.find((c) => c.op === "where")!;
whereCase.expected = rowwise(whereCase.inputs[0]!, whereCase.inputs[2]!, () => 0);
whereCase.expected.values = whereCase.expected.values.map((_, i) =>
  whereCase.inputs[0]!.data[i] ? whereCase.inputs[1]!.data[i]! : whereCase.inputs[2]!.data[i % 3]!);

const defOf = (name: string): OpDef<any> => {
  const def = PRIMITIVES.find((d) => d.name === name);
  if (!def) throw new Error(`no primitive named ${name}`);
  return def;
};

function dotAll(a: readonly Tensor[], b: readonly Tensor[]): number {
  let s = 0;
  a.forEach((x, i) => x.data.forEach((v, j) => (s += v * b[i]!.data[j]!)));
  return s;
}

describe("PRIMITIVES sweep", () => {
  it("every primitive has at least one case here", () => {
    const covered = new Set(ALL.map((c) => c.op));
    expect(PRIMITIVES.map((d) => d.name).filter((n) => !covered.has(n))).toEqual([]);
  });

  for (const c of ALL) {
    const def = defOf(c.op);
    const f = (...xs: Tensor[]) => bind(def, xs, c.params);
    const label = `${c.op}(${c.inputs.map((x) => `[${x.shape}]`).join(", ")})`;

    it(`${label}: forward values`, () => {
      const y = f(...c.inputs);
      expect(y.shape).toEqual(c.expected.shape);
      flat(y).forEach((v, i) => expect(v).toBeCloseTo(c.expected.values[i]!, 12));
    });

    // Which inputs are differentiable: float inputs of differentiable ops, except where's condition.
    const diffArgs = def.differentiable === false ? [] : c.inputs.map((_, i) => i).filter((i) => !(c.op === "where" && i === 0));
    if (diffArgs.length === 0) {
      it(`${label}: carries no derivative`, () => {
        const [, t] = jvp((...xs: Tensor[]) => f(...xs), c.inputs, c.inputs.map((x) => x.mul(0).add(1)));
        expect(flat(t as Tensor).every((v) => v === 0)).toBe(true);
        const [, pullback] = vjp((...xs: Tensor[]) => f(...xs), ...c.inputs);
        const cts = pullback(f(...c.inputs).mul(0).add(1)) as Tensor[];
        cts.forEach((g) => expect(flat(g).every((v) => v === 0)).toBe(true));
      });
      continue;
    }

    // f of the differentiable inputs only (the others held fixed).
    const g = (...xs: Tensor[]) => {
      const all = c.inputs.slice();
      diffArgs.forEach((k, i) => (all[k] = xs[i]!));
      return f(...all);
    };
    const args = diffArgs.map((k) => (c.op === "astype" ? c.inputs[k]! : c.inputs[k]!));
    const loose = c.op === "astype" ? { eps: 1e-2, atol: 1e-3, rtol: 1e-3 } : {};

    it(`${label}: jvp and vjp match central differences to second order`, () => {
      const report = checkGrad(g, args, { order: 2, seed: 3, ...loose });
      expect(report.rows.length).toBeGreaterThanOrEqual(4);
      report.assert();
    });

    it(`${label}: dot-product test <ct, J v> = <J^T ct, v>`, () => {
      const vs = args.map((x) => r.normal(x.shape as number[], { dtype: x.dtype }));
      const [y, t] = jvp(g, args, vs);
      const ct = r.normal((y as Tensor).shape as number[], { dtype: (y as Tensor).dtype });
      const [, pullback] = vjp(g, ...args);
      const lhs = dotAll([ct], [t as Tensor]);
      const rhs = dotAll(pullback(ct) as Tensor[], vs);
      expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(lhs)));
    });
  }
});
