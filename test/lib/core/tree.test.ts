// Trees of tensors: flatten order, structure snapshots, rebuilding, and the errors that name a bad leaf by its path.
import { describe, expect, it } from "vitest";
import { scalar, tensor, treeFlatten, treeLeaves, treeMap, type Tensor } from "../../../lib/index.js";

describe("treeFlatten", () => {
  it("lists leaves depth first, object keys in insertion order, and rebuilds the same structure", () => {
    const t1 = tensor([1, 2]), t2 = scalar(3);
    const tree = { b: [t1, 4, { c: t2 }], a: 5, empty: [], nested: { none: {} } };
    const [leaves, def] = treeFlatten(tree);
    expect(leaves).toEqual([t1, 4, t2, 5]);
    expect(def.size).toBe(4);
    expect(def.unflatten(["w", "x", "y", "z"])).toEqual({ b: ["w", "x", { c: "y" }], a: "z", empty: [], nested: { none: {} } });
    expect(Object.keys(def.unflatten([0, 0, 0, 0]) as object)).toEqual(["b", "a", "empty", "nested"]);
  });

  it("keeps the structure it saw: changing the tree afterwards does not change what unflatten builds", () => {
    const tree: Record<string, unknown> = { x: scalar(1), ys: [scalar(2), scalar(3)] };
    const [, def] = treeFlatten(tree);
    tree.z = scalar(4);
    delete tree.x;
    (tree.ys as unknown[]).pop();
    expect(def.unflatten([1, 2, 3])).toEqual({ x: 1, ys: [2, 3] });
  });

  it("a single leaf is its own tree", () => {
    const t = scalar(2);
    const [leaves, def] = treeFlatten(t);
    expect(leaves).toEqual([t]);
    expect(def.unflatten([7])).toBe(7);
  });

  it("names the first bad leaf by its path, and unflatten a wrong number of leaves", () => {
    expect(() => treeFlatten({ a: [scalar(1), "x"], b: null })).toThrow(
      'treeFlatten: tree at path .a[1] is the string "x", expected a Tensor or a number (trees may nest arrays and plain objects)');
    expect(() => treeFlatten(new Map())).toThrow("treeFlatten: tree is an object (Map), expected a Tensor or a number");
    const [, def] = treeFlatten([1, 2, 3]);
    expect(() => def.unflatten([1, 2])).toThrow("treeUnflatten: expected 3 leaves, got 2");
  });
});

describe("treeMap and treeLeaves", () => {
  it("map leaf by leaf over trees of one structure", () => {
    const p = { w: tensor([1, 2]), b: scalar(3) }, g = { w: tensor([10, 20]), b: scalar(30) };
    const next = treeMap((pi: Tensor, gi: Tensor) => pi.add(gi), p, g) as { w: Tensor; b: Tensor };
    expect(next.w.toArray()).toEqual([11, 22]);
    expect(next.b.item()).toBe(33);
    expect(treeLeaves(next)).toEqual([next.w, next.b]);
  });

  it("a tree with other leaves is named", () => {
    expect(() => treeMap((a: Tensor) => a, [scalar(1)], [scalar(1), scalar(2)])).toThrow(
      "treeMap: tree 2 has 2 leaves, the first tree has 1");
  });
});
