// Pinned wrong results once found where lazy constants, broadcasting and the large-tensor kernels meet.
import { describe, expect, it } from "vitest";
import * as gl from "../../lib/index.js";

/** Every element of `t` (shape `shape`) equals `want(index)`, NaN matching NaN; reports the first few that do not. */
function expectElements(t: gl.Tensor, shape: number[], want: (i: number) => number, rel = 0): void {
  expect([...t.shape]).toEqual(shape);
  const data = t.data;
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const w = want(i), g = data[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= rel * Math.abs(w);
    if (!ok && count++ < 5) bad.push(`[${i}] ${g} (want ${w})`);
  }
  expect(count, `${count} of ${data.length} wrong: ${bad.join(", ")}`).toBe(0);
}

describe("pinned: lazy constants with a broadcasting operand", () => {
  it("gl.mul(gl.ones([4, 3]), gl.reshape(gl.arange(4), [4, 1])): row i is [i, i, i]", () => {
    expectElements(gl.mul(gl.ones([4, 3]), gl.reshape(gl.arange(4), [4, 1])), [4, 3], (i) => Math.floor(i / 3));
  });

  it("gl.add(gl.zeros([4, 3]), gl.tensor([1, 2, 3])): every row is [1, 2, 3]", () => {
    expectElements(gl.add(gl.zeros([4, 3]), gl.tensor([1, 2, 3])), [4, 3], (i) => (i % 3) + 1);
  });

  it("gl.mul(gl.ones([1000, 1000]), column 0..999) on the large-tensor kernel path: row i is all i", () => {
    const column = gl.reshape(gl.arange(1000), [1000, 1]);
    expectElements(gl.mul(gl.ones([1000, 1000]), column), [1000, 1000], (i) => Math.floor(i / 1000));
  });

  it("float32: gl.sub(gl.full([4], 3.5), gl.tensor([0.5])) is [3, 3, 3, 3]", () => {
    expectElements(gl.sub(gl.full([4], 3.5, { dtype: "float32" }), gl.tensor([0.5], { dtype: "float32" })), [4], () => 3);
  });
});

describe("pinned: gradients whose cotangent is a uniform (lazy) constant", () => {
  it("grad(x => sum(mul(x, y)))(x), x (3,1), y (1,4): every entry is the sum of y", () => {
    const y = gl.tensor([[1, 2, 3, 4]]);
    const g = gl.grad((x: gl.Tensor) => gl.sum(gl.mul(x, y)))(gl.tensor([[1], [2], [3]]));
    expectElements(g, [3, 1], () => 10);
  });

  it("grad(x => mean(div(x, b)))(a), a (2,3,4), b (2,1,4): 1 / (b * 24) broadcast", () => {
    const bv = [1, 2, 3, 4, 5, 6, 7, 8];
    const b = gl.reshape(gl.tensor(bv), [2, 1, 4]);
    const a = gl.reshape(gl.arange(24), [2, 3, 4]);
    const g = gl.grad((x: gl.Tensor) => gl.mean(gl.div(x, b)))(a);
    // element (i, j, k) sits at i*12 + j*4 + k and divides by b[i, 0, k]
    expectElements(g, [2, 3, 4], (f) => 1 / (bv[Math.floor(f / 12) * 4 + (f % 4)]! * 24), 1e-12);
  });

  it("grad(x => mean(div(x, b)))(a), a (3,16,33,33), b (3,1,1,33): the normalisation-layer shape", () => {
    const n = 3 * 16 * 33 * 33;
    const bv = Array.from({ length: 3 * 33 }, (_, i) => 0.5 + (i % 7));
    const b = gl.reshape(gl.tensor(bv), [3, 1, 1, 33]);
    const a = gl.reshape(gl.arange(n), [3, 16, 33, 33]);
    const g = gl.grad((x: gl.Tensor) => gl.mean(gl.div(x, b)))(a);
    expectElements(g, [3, 16, 33, 33], (f) => 1 / (bv[Math.floor(f / (16 * 33 * 33)) * 33 + (f % 33)]! * n), 1e-12);
  });
});

describe("pinned: NaN propagates as in numpy", () => {
  it("relu(tensor([NaN])) is [NaN]", () => {
    expectElements(gl.relu(gl.tensor([NaN, -1, 2])), [3], (i) => [NaN, 0, 2][i]!);
  });
  it("max over values containing NaN is NaN; maximum(NaN, 1) is NaN", () => {
    expect(Number.isNaN(gl.max(gl.tensor([1, NaN, 2])).item())).toBe(true);
    expect(Number.isNaN(gl.maximum(gl.tensor([NaN]), 1).item())).toBe(true);
  });
});
