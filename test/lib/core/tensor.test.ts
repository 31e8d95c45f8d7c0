// Tensors: creation, numpy broadcasting against a reference, indexing and slicing, printing, float32, methods = functions.
import { describe, expect, it } from "vitest";
import * as gl from "../../../lib/index.js";
import {
  add, arange, concat, expandDims, eye, flatten, full, linspace, ones, rng, scalar, slice, squeeze, stack, sum, take,
  Tensor, tensor, transpose, zeros, zerosLike, onesLike, mean, variance, std, argmax, norm, softmax, logSoftmax,
} from "../../../lib/index.js";

/** Reference broadcasting: index math per element, written independently of the kernels. */
function refBroadcast(a: Tensor, b: Tensor, f: (x: number, y: number) => number): { shape: number[]; values: number[] } {
  const n = Math.max(a.ndim, b.ndim);
  const pad = (s: readonly number[]) => [...new Array(n - s.length).fill(1), ...s];
  const as = pad(a.shape);
  const bs = pad(b.shape);
  const shape = as.map((d, i) => (d === 1 ? bs[i]! : d));
  const values: number[] = [];
  const total = shape.reduce((p, d) => p * d, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    const idx = new Array<number>(n);
    for (let d = n - 1; d >= 0; d--) {
      idx[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    const at = (x: Tensor, s: number[]) => x.data[s.reduce((o, dim, d) => o * dim + (dim === 1 ? 0 : idx[d]!), 0)]!;
    values.push(f(at(a, as), at(b, bs)));
  }
  return { shape, values };
}

describe("broadcasting", () => {
  const r = rng(5);
  const pairs: [number[], number[]][] = [
    [[2, 3], [2, 3]], [[2, 3], []], [[], [4]], [[2, 3], [3]], [[3], [2, 3]], [[2, 1], [1, 3]], [[4, 1, 3], [2, 1]],
    [[2, 3, 4], [3, 1]], [[1, 3, 1], [2, 1, 5]], [[5, 1], [5, 4]], [[2, 1, 4], [2, 3, 4]], [[0, 3], [3]],
  ];
  for (const [sa, sb] of pairs) {
    it(`(${sa}) op (${sb}) matches the reference`, () => {
      const a = r.normal(sa);
      const b = r.normal(sb);
      for (const [name, f, ref] of [
        ["add", gl.add, (x: number, y: number) => x + y], ["sub", gl.sub, (x: number, y: number) => x - y],
        ["mul", gl.mul, (x: number, y: number) => x * y], ["div", gl.div, (x: number, y: number) => x / y],
        ["maximum", gl.maximum, Math.max],
      ] as const) {
        const got = f(a, b);
        const want = refBroadcast(a, b, ref);
        expect(got.shape, name).toEqual(want.shape);
        expect(Array.from(got.data), name).toEqual(want.values);
      }
    });
  }

  it("numbers are accepted anywhere a tensor is, and take the tensor's dtype", () => {
    expect(add(1, 2).item()).toBe(3);
    const x = tensor([1, 2], { dtype: "float32" });
    expect(gl.mul(0.1, x).dtype).toBe("float32");
    expect(gl.mul(0.1, x).data[0]).toBe(Math.fround(0.1));
    expect(x.pow(2).sum().item()).toBe(5);
  });
});

describe("creation", () => {
  it("creation functions", () => {
    expect(zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(ones(3).toArray()).toEqual([1, 1, 1]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(scalar(2).shape).toEqual([]);
    expect(zerosLike(tensor([[1, 2]])).shape).toEqual([1, 2]);
    expect(onesLike(tensor(5, { dtype: "float32" })).dtype).toBe("float32");
    expect(tensor(new Float32Array([1, 2])).dtype).toBe("float32");
    expect(tensor([[1, 2]], { dtype: "float32" }).data).toBeInstanceOf(Float32Array);
  });

  it("seeded generators: deterministic, independent, right moments", () => {
    const a = rng(42).normal([10000]);
    expect(rng(42).normal([10000]).toArray()).toEqual(a.toArray());
    expect(rng(43).normal([3]).toArray()).not.toEqual(rng(42).normal([3]).toArray());
    expect(Math.abs(mean(a).item())).toBeLessThan(0.05);
    expect(Math.abs(std(a).item() - 1)).toBeLessThan(0.05);
    const u = rng(1).uniform([1000], { low: -2, high: -1 });
    expect(u.max().item()).toBeLessThan(-1);
    expect(u.min().item()).toBeGreaterThanOrEqual(-2);
    expect(rng(3).permutation(10).slice().sort((p, q) => p - q)).toEqual([...Array(10).keys()]);
    const g = rng(9);
    expect(g.split().normal([2]).toArray()).not.toEqual(g.normal([2]).toArray());
  });
});

describe("indexing and shape ops", () => {
  const x = arange(24).reshape([2, 3, 4]);
  it("slice follows numpy basic slicing", () => {
    expect(slice(x, 1, 2).toArray()).toEqual([20, 21, 22, 23]);
    expect(x.at(0).at(1).toArray()).toEqual([4, 5, 6, 7]);
    expect(slice(x, null, [1, 3], [null, null, 2]).toArray()).toEqual([[[4, 6], [8, 10]], [[16, 18], [20, 22]]]);
    expect(slice(arange(5), [null, null, -1]).toArray()).toEqual([4, 3, 2, 1, 0]);
    expect(slice(arange(5), [-2]).toArray()).toEqual([3, 4]);
    expect(slice(arange(5), [3, 1, -1]).toArray()).toEqual([3, 2]);
    expect(slice(arange(5), [4, 10]).toArray()).toEqual([4]);
    expect(slice(arange(5), [3, 1]).shape).toEqual([0]);
    expect(x.get(1, 2, 3)).toBe(23);
    expect(x.get(-1, -1, -1)).toBe(23);
  });

  it("take, concat, stack, transpose, squeeze, expandDims, flatten", () => {
    expect(take(arange(5).mul(10), [4, 0, -1]).toArray()).toEqual([40, 0, 40]);
    expect(take(x, tensor([[0, 2]]), 1).shape).toEqual([2, 1, 2, 4]);
    expect(concat([zeros([1, 2]), ones([2, 2])]).toArray()).toEqual([[0, 0], [1, 1], [1, 1]]);
    expect(concat([zeros([2, 1]), ones([2, 2])], 1).toArray()).toEqual([[0, 1, 1], [0, 1, 1]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(transpose(x, [1, 0, 2]).get(2, 1, 3)).toBe(x.get(1, 2, 3));
    expect(x.T.shape).toEqual([4, 3, 2]);
    expect(squeeze(zeros([1, 3, 1])).shape).toEqual([3]);
    expect(expandDims(zeros([3]), -1).shape).toEqual([3, 1]);
    expect(flatten(x).shape).toEqual([24]);
    expect(x.reshape([-1, 4]).shape).toEqual([6, 4]);
  });

  it("reductions with axis and keepdims", () => {
    expect(sum(x, 0).toArray()).toEqual([[12, 14, 16, 18], [20, 22, 24, 26], [28, 30, 32, 34]]);
    expect(sum(x, [0, 2]).toArray()).toEqual([60, 92, 124]);
    expect(x.sum({ axis: -1, keepdims: true }).shape).toEqual([2, 3, 1]);
    expect(x.sum(1, true).shape).toEqual([2, 1, 4]);
    expect(mean(x).item()).toBe(11.5);
    expect(variance(tensor([1, 2, 3, 4])).item()).toBe(1.25);
    expect(variance(tensor([1, 2, 3, 4]), { ddof: 1 }).item()).toBeCloseTo(5 / 3, 14);
    expect(x.max(2).toArray()).toEqual([[3, 7, 11], [15, 19, 23]]);
    expect(argmax(tensor([[1, 5, 2], [7, 0, 7]]), 1).toArray()).toEqual([1, 0]);
    expect(tensor([1, 5, 2]).argmin().item()).toBe(0);
    expect(x.prod(2).get(0, 0)).toBe(0);
    expect(norm(tensor([3, 4])).item()).toBe(5);
    expect(norm(tensor([3, -4]), { ord: 1 }).item()).toBe(7);
    const sm = softmax(tensor([[1, 1], [0, Math.log(3)]]));
    [0.5, 0.5, 0.25, 0.75].forEach((v, i) => expect(sm.data[i]).toBeCloseTo(v, 15));
    expect(logSoftmax(tensor([0, 0])).toArray()).toEqual([-Math.LN2, -Math.LN2]);
  });
});

describe("printing", () => {
  it("numpy-style text", () => {
    expect(tensor(3).toString()).toBe("tensor(3.)");
    expect(tensor([1.5, 2, -3.25]).toString()).toBe("tensor([ 1.5 ,  2.  , -3.25])");
    expect(tensor([[1, 2], [3, 4]], { dtype: "float32" }).toString()).toBe("tensor([[1., 2.],\n        [3., 4.]], dtype=float32)");
    expect(tensor([1e-6, 1]).toString()).toBe("tensor([1.e-06, 1.e+00])");
    expect(tensor([NaN, Infinity, 1]).toString()).toBe("tensor([nan, inf,  1.])");
    expect(zeros([0, 3]).toString()).toBe("tensor([], shape=(0, 3))");
    expect(arange(2000).toString()).toBe("tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.])");
    expect(tensor(1, { requiresGrad: true }).toString()).toBe("tensor(1., requiresGrad=true)");
  });

  it("Jupyter display protocol gives text/plain and an HTML table", () => {
    const bundle = (tensor([[1, 2], [3, 4]]) as any)[Symbol.for("Jupyter.display")]();
    expect(bundle["text/plain"]).toBe("tensor([[1., 2.],\n        [3., 4.]])");
    expect(bundle["text/html"]).toContain("<table");
  });
});

describe("every DESIGN.md op is a function and a Tensor method", () => {
  const OPS = ("add sub mul div pow neg abs sign exp log log1p sqrt square sin cos tan tanh sigmoid relu leakyRelu " +
    "softplus gelu maximum minimum clip sum mean prod max min var std argmax argmin matmul dot outer reshape transpose " +
    "broadcastTo expandDims squeeze flatten slice take concat stack where greater less equal softmax logSoftmax " +
    "logsumexp norm").split(" ");
  it.each(OPS)("%s", (op) => {
    const fnName = op;
    expect(typeof (gl as Record<string, unknown>)[fnName], `function ${fnName}`).toBe("function");
    expect(typeof (Tensor.prototype as unknown as Record<string, unknown>)[op], `method ${op}`).toBe("function");
  });
});
