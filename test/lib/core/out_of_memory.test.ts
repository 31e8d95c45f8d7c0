// Oversized tensors: an OutOfMemoryError before anything is allocated, naming the op, the element count and the shapes.
import { afterEach, describe, expect, it } from "vitest";
import { OutOfMemoryError, add, grad, matmul, ones, rng, sum, transpose, type Tensor } from "../../../lib/index.js";
import { parseMemoryLimit } from "../../../lib/backend/memory.js";

afterEach(() => {
  delete process.env.GRADLAB_MEMORY_LIMIT;
});

describe("out of memory", () => {
  it("a tensor larger than the system's available memory is refused by creation functions", () => {
    // 2^40 float64 elements: 8 TiB, beyond any machine this runs on.
    expect(() => rng(1).normal([2 ** 20, 2 ** 20])).toThrow(OutOfMemoryError);
    expect(() => rng(1).normal([2 ** 20, 2 ** 20])).toThrow(/^normal: out of memory: a float64 tensor of 1,099,511,627,776 elements needs 8192\.0 GiB, .* \(shape \(1048576, 1048576\)\)$/);
  });

  it("GRADLAB_MEMORY_LIMIT caps one tensor; an op's error names it and its inputs' shapes, also under grad", () => {
    const x = rng(2).normal([16384, 128], { dtype: "float32" });
    process.env.GRADLAB_MEMORY_LIMIT = "512MiB";
    const message = "matmul: out of memory: a float32 tensor of 268,435,456 elements needs 1.0 GiB, more than " +
      "GRADLAB_MEMORY_LIMIT=512MiB allows (inputs of shape (16384, 128) and (128, 16384))";
    expect(() => matmul(x, transpose(x))).toThrow(message);
    expect(() => grad((t: Tensor) => sum(matmul(t, transpose(t))))(x)).toThrow(message);
    // Smaller results and a uniform tensor of any size need no storage check.
    expect(matmul(transpose(x), x).shape).toEqual([128, 128]);
    expect(add(ones([2 ** 28]), 1).shape).toEqual([2 ** 28]);
    delete process.env.GRADLAB_MEMORY_LIMIT;
    expect(matmul(x.slice([0, 4]), transpose(x)).shape).toEqual([4, 16384]);
  });

  it("reads the limit in the usual spellings", () => {
    expect(parseMemoryLimit("1GiB")).toBe(2 ** 30);
    expect(parseMemoryLimit("512 MiB")).toBe(512 * 2 ** 20);
    expect(parseMemoryLimit("1.5g")).toBe(1.5 * 2 ** 30);
    expect(parseMemoryLimit("4096")).toBe(4096);
    expect(parseMemoryLimit("lots")).toBeNull();
    expect(parseMemoryLimit(undefined)).toBeNull();
  });
});
