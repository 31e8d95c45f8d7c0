// Wrong results users met (uniform constants and broadcast cotangents meeting an operand that itself broadcasts, NaN
// through relu), each checked against values written out by hand from numpy's rules, on both backends.
import { describe, expect, it } from "vitest";
import * as gl from "../../../lib/index.js";
import { fastBackend, referenceBackend, withBackend, type Backend } from "../../../lib/backend/index.js";

/** A (n, 1) column whose row i holds i. */
const column = (n: number): gl.Tensor => gl.reshape(gl.arange(n), [n, 1]);

function rowsOfIndex(t: gl.Tensor): boolean {
  const [rows, cols] = t.shape as [number, number];
  const d = t.data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (d[i * cols + j] !== i) return false;
  return true;
}

describe.each([["fast", fastBackend], ["reference", referenceBackend]] as [string, Backend][])("%s backend", (_n, b) => {
  const on = <T>(f: () => T): T => withBackend(b, f);

  it("ones((4, 3)) * a (4, 1) column: row i is [i, i, i]", () => {
    expect(on(() => gl.mul(gl.ones([4, 3]), column(4)).toArray())).toEqual([[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3]]);
    expect(on(() => gl.mul(column(4), gl.ones([4, 3])).toArray())).toEqual([[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3]]);
  });

  it("zeros((4, 3)) + a (3,) row: every row is [1, 2, 3]", () => {
    expect(on(() => gl.add(gl.zeros([4, 3]), gl.tensor([1, 2, 3])).toArray())).toEqual(Array(4).fill([1, 2, 3]));
  });

  it("ones((1000, 1000)) * a (1000, 1) column, the large-array kernel path: row i is all i", () => {
    const t = on(() => gl.mul(gl.ones([1000, 1000]), column(1000)));
    expect(t.shape).toEqual([1000, 1000]);
    expect(rowsOfIndex(t)).toBe(true);
    expect(on(() => rowsOfIndex(gl.add(gl.zeros([1000, 1000], { dtype: "float32" }), column(1000).astype("float32"))))).toBe(true);
  });

  it("grad of sum(x * y) with x (3, 1), y (1, 4) is the row sum of y in every row", () => {
    const y = gl.tensor([[1, 2, 3, 4]]);
    expect(on(() => gl.grad((x: gl.Tensor) => gl.sum(gl.mul(x, y)))(gl.tensor([[1], [2], [3]])).toArray())).toEqual([[10], [10], [10]]);
  });

  it.each([[[2, 3, 4], [2, 1, 4]], [[3, 16, 33, 33], [3, 1, 1, 33]]])(
    "grad of mean(a / b) with a %j, b %j is 1 / (b * a.size), broadcast", (aShape, bShape) => {
      const a = gl.rng(1).normal(aShape);
      const b = gl.add(gl.rng(2).uniform(bShape), 0.5);
      const g = on(() => gl.grad((x: gl.Tensor) => gl.mean(gl.div(x, b)))(a));
      expect(g.shape).toEqual(aShape);
      const n = a.size;
      const bs = bShape, strides = bs.map((_, d) => bs.slice(d + 1).reduce((p, q) => p * q, 1));
      let worst = 0;
      for (let i = 0; i < n; i++) {
        // The element of b that broadcasting pairs with element i of a.
        let rest = i, off = 0;
        for (let d = aShape.length - 1; d >= 0; d--) {
          const k = rest % aShape[d]!;
          rest = Math.floor(rest / aShape[d]!);
          if (bs[d] !== 1) off += k * strides[d]!;
        }
        const want = 1 / (b.data[off]! * n);
        worst = Math.max(worst, Math.abs(g.data[i]! - want) / want);
      }
      expect(worst).toBeLessThan(1e-12);
    });

  it("relu(NaN) is NaN, as numpy's maximum(x, 0)", () => {
    expect(on(() => Number.isNaN(gl.relu(gl.tensor([NaN])).item()))).toBe(true);
    expect(on(() => gl.relu(gl.tensor([-1, 0, 2])).toArray())).toEqual([0, 0, 2]);
  });
});
