// Error messages a user can act on (op name, shapes, dtypes, paths), and bad input never corrupting later calls.
import { describe, expect, it } from "vitest";
import {
  add, customVjp, defineOp, grad, hessian, jvp, matmul, mul, reshape, slice, sum, take, Tensor, tensor, traceDepth, vjp,
  zeros, DTypeError, GradError, ShapeError, ValueError,
} from "../../../lib/index.js";
import { bind } from "../../../lib/core/trace.js";

describe("error messages", () => {
  it("broadcasting and matmul shapes", () => {
    expect(() => mul(zeros([3, 4]), zeros([5]))).toThrow(new ShapeError("mul: cannot broadcast shapes (3, 4) and (5,)"));
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(new ShapeError("matmul: inner dimensions differ: (2, 3) @ (4, 5)"));
    expect(() => reshape(zeros([2, 3]), [4])).toThrow("reshape: cannot reshape a tensor of shape (2, 3) (6 elements) into shape (4,)");
    expect(() => sum(zeros([2, 3]), 2)).toThrow("sum: axis 2 is out of bounds for a tensor of rank 2");
    expect(() => slice(zeros([2, 3]), 0, 5)).toThrow("slice: index 5 is out of bounds for axis 1 with size 3");
    expect(() => slice(zeros([2, 3]), [[0, 1]] as never)).toThrow(
      "slice: the spec for axis 0 must be an index, null or [start, end, step] of integers, got [[0,1]]");
    expect(() => slice(zeros([2, 3]), null, [0.5, 2])).toThrow("got [0.5,2]");
    expect(() => take(zeros([2, 3]), [7], 1)).toThrow("take: index 7 is out of bounds for axis 1 with size 3");
    expect(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 5]))).toThrow(new ShapeError(
      "matmul: batch axes do not broadcast: (2, 3, 4) @ (3, 4, 5) (batch shapes (2,) and (3,))"));
    expect(matmul(zeros([2, 3, 4]), zeros([1, 4, 5])).shape).toEqual([2, 3, 5]);
  });

  it("grad of a non-scalar", () => {
    expect(() => grad((x: Tensor) => x.mul(2))(zeros([3]))).toThrow(new GradError("grad: f must return a scalar, got shape (3,)"));
  });

  it("wrong argnums", () => {
    expect(() => grad((x: Tensor) => x, { argnums: 2 })(zeros([3]), zeros([1])))
      .toThrow("grad: argnums 2 is out of range: f was called with 2 arguments");
    expect(() => grad((x: Tensor) => x, { argnums: -1 })).toThrow("grad: argnums must be non-negative integers");
    expect(() => grad((x: Tensor) => x, { argnums: [0, 0] })).toThrow("grad: argnums [0,0] repeats an index");
  });

  it("a non-tensor leaf in a tree names its path", () => {
    expect(() => grad((p: any) => p.w.sum())({ layers: [{ w: tensor(1) }, { w: "oops" }] }))
      .toThrow(new ValueError('grad: argument 0 at path .layers[1].w is the string "oops", expected a Tensor or a number ' +
        "(trees may nest arrays and plain objects)"));
  });

  it("a dtype mix names the op and both dtypes", () => {
    expect(() => add(zeros([2]), zeros([2], { dtype: "float32" })))
      .toThrow(new DTypeError('add: cannot mix dtypes float64 and float32 (convert one with .astype("float64"))'));
    expect(() => matmul(zeros([2, 2], { dtype: "float32" }), zeros([2, 2]))).toThrow("matmul: cannot mix dtypes float32 and float64");
  });

  it("an op without a rule names the op and the mode", () => {
    const noJvp = customVjp((x: Tensor) => x.mul(2), (ct) => [ct], { name: "double" });
    expect(() => jvp(noJvp, [tensor(1)], [tensor(1)])).toThrow(new GradError("jvp: op 'double' has no forward-mode (jvp) rule"));
    const FORWARD_ONLY = defineOp({ name: "forwardOnly", forward: ([x]) => x! });
    expect(() => grad((x: Tensor) => bind(FORWARD_ONLY, [x], undefined))(tensor(1)))
      .toThrow(new GradError("grad: op 'forwardOnly' has no reverse-mode (vjp) rule"));
    // backward() runs the same sweep: the same message, naming its own entry point.
    const leaf = tensor(1, { requiresGrad: true });
    expect(() => bind(FORWARD_ONLY, [leaf.mul(2)], undefined).backward())
      .toThrow(new GradError("backward: op 'forwardOnly' has no reverse-mode (vjp) rule"));
  });

  it("a rule returning the wrong shape is caught at the op", () => {
    const bad = customVjp((x: Tensor) => x.sum(), (ct) => [ct], { name: "badSum" });
    expect(() => grad((x: Tensor) => bad(x))(zeros([3])))
      .toThrow("grad: the vjp rule of 'badSum' returned shape () for input 0 of shape (3,)");
    expect(() => bad(tensor([1, 2, 3], { requiresGrad: true })).backward())
      .toThrow("backward: the vjp rule of 'badSum' returned shape () for input 0 of shape (3,)");
  });
});

describe("bad input never corrupts a tensor or a later call", () => {
  it("errors thrown inside transforms leave the trace stack empty", () => {
    const x = tensor([1, 2, 3]);
    const boom = (v: Tensor) => {
      v.mul(2);
      throw new Error("boom");
    };
    expect(() => grad(boom)(x)).toThrow("boom");
    expect(() => jvp(boom, [x], [x])).toThrow("boom");
    expect(() => vjp(boom, x)).toThrow("boom");
    expect(() => hessian((v: Tensor) => grad((w: Tensor) => w.mul(zeros([5])).sum())(v).sum())(x)).toThrow(ShapeError);
    expect(traceDepth()).toBe(0);
    expect(grad((v: Tensor) => v.square().sum())(x).toArray()).toEqual([2, 4, 6]);
  });

  it("a failed op leaves its inputs unchanged", () => {
    const a = tensor([[1, 2], [3, 4]]);
    const before = a.toArray();
    expect(() => add(a, zeros([3]))).toThrow(ShapeError);
    expect(() => reshape(a, [3])).toThrow(ShapeError);
    expect(a.toArray()).toEqual(before);
    expect(a.add(1).toArray()).toEqual([[2, 3], [4, 5]]);
  });
});
