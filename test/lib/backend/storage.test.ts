// Tensor storage in the kernels' wasm memory: results live in pool blocks, blocks come back (scopes, the collector) and
// are reused, reused blocks never leak old values, released tensors refuse use, and arrays handed to users stay theirs.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  Adam, MLP, add, crossEntropy, datasets, fit, grad, keep, matmul, mul, rng, slice, sum, take, tanh, tidy, valueAndGrad, type Tensor,
} from "../../../lib/index.js";
import { referenceBackend, withBackend } from "../../../lib/backend/index.js";
import { allocateStorage, BlockPool, CollectionPace, isPooled, poolUsage } from "../../../lib/backend/storage.js";
import { wasmPath, type Kernels } from "../../../lib/backend/wasm.js";
import { requireTool } from "../../helpers/require.js";

const built = requireTool(`built wasm kernels at ${wasmPath} (npm run build)`, existsSync(wasmPath));
const nextTask = (): Promise<void> => new Promise((done) => setTimeout(done, 5));

describe.runIf(built)("tensor storage in the kernels' memory", () => {
  it("results of large ops live in pool blocks and equal the reference backend's, in both dtypes", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const r = rng(3);
      const a = r.normal([300, 200], { dtype }), b = r.normal([200], { dtype }), w = r.normal([200, 50], { dtype });
      // Inside a scope every result of 8 KiB and more is a pool block; the one returned leaves the pool at its end.
      const z = tidy(() => {
        const y = tanh(add(mul(a, b), 0.5));
        const product = matmul(y, w);
        expect(isPooled(y._values()) && isPooled(product._values())).toBe(true);
        return product;
      });
      expect(isPooled(z._values())).toBe(false);
      const want = withBackend(referenceBackend, () => matmul(tanh(add(mul(a, b), 0.5)), w));
      const got = z.toArray() as number[][], ref = want.toArray() as number[][];
      const tol = dtype === "float32" ? 1e-4 : 1e-12;
      got.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - ref[i]![j]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(ref[i]![j]!)))));
      expect(sum(z).item()).toBeCloseTo(sum(want).item(), dtype === "float32" ? 1 : 8);
    }
  });

  it("a loop inside tidy reuses the same blocks: the pool stops growing after the first step", () => {
    const x = rng(4).normal([512, 512]);
    const step = () => tidy(() => sum(mul(tanh(x), x)).item());
    const first = step();
    const extent = poolUsage().extentBytes;
    for (let i = 0; i < 20; i++) expect(step()).toBe(first);
    expect(poolUsage().extentBytes).toBe(extent);
  });

  it("a synchronous loop of valueAndGrad reuses the same blocks: the gradients leave the pool as plain arrays", () => {
    const x = rng(5).normal([400, 300]);
    const f = valueAndGrad((t: Tensor) => sum(mul(tanh(t), t)));
    const [v0, g0] = f(x);
    expect(g0._values().buffer instanceof SharedArrayBuffer).toBe(false);
    const start = poolUsage().extentBytes;
    const grads: Tensor[] = [];
    for (let i = 0; i < 150; i++) {
      const [v, g] = f(x);
      expect(v.item()).toBe(v0.item());
      grads.push(g);
    }
    expect(poolUsage().extentBytes).toBe(start);
    const th = Math.tanh(x.get(3, 4));
    for (const g of [grads[0]!, grads[75]!, grads[149]!]) expect(g.get(3, 4)).toBeCloseTo(th + x.get(3, 4) * (1 - th * th), 12);
  });

  it("a reused block is zeroed where the op needs zeros (the gradients of take and slice after dirty blocks)", () => {
    const x = rng(6).normal([256, 64]);
    for (let i = 0; i < 3; i++) tidy(() => sum(add(x, 7)).item());
    const picked = grad((t: Tensor) => sum(take(t, [3, 3], 0)))(x).toArray() as number[][];
    expect(picked[3]!.every((v) => v === 2)).toBe(true);
    expect(picked.filter((_, i) => i !== 3).every((row) => row.every((v) => v === 0))).toBe(true);
    for (let i = 0; i < 3; i++) tidy(() => sum(add(x, 7)).item());
    const sliced = grad((t: Tensor) => sum(slice(t, [10, 20])))(x).toArray() as number[][];
    sliced.forEach((row, i) => expect(row.every((v) => v === (i >= 10 && i < 20 ? 1 : 0))).toBe(true));
  });

  it("a tensor computed inside valueAndGrad and not returned refuses use, naming where it came from", () => {
    const x = rng(7).normal([200, 100]);
    let leaked: Tensor | null = null;
    let kept: Tensor | null = null;
    const [value, g] = valueAndGrad((t: Tensor) => {
      leaked = mul(t, t);
      kept = keep(mul(t, 3));
      return sum(leaked);
    })(x);
    expect(() => leaked!.toArray()).toThrow(/computed inside valueAndGrad and not returned from it/);
    expect(() => add(leaked!, 1)).toThrow(/^add: this tensor was computed inside valueAndGrad/);
    expect((kept! as Tensor).get(1, 2)).toBeCloseTo(3 * x.get(1, 2), 12);
    expect(value.item()).toBeCloseTo(sum(mul(x, x)).item(), 8);
    expect(g.get(4, 5)).toBeCloseTo(2 * x.get(4, 5), 12);
  });

  it("hasAux outputs and nested transforms keep what they need", () => {
    const x = rng(8).normal([150, 80]);
    const [[v, aux], g] = valueAndGrad((t: Tensor) => {
      const h = tanh(t);
      return [sum(mul(h, h)), h];
    }, { hasAux: true })(x);
    expect((aux as Tensor).get(2, 3)).toBeCloseTo(Math.tanh(x.get(2, 3)), 14);
    expect(v.item()).toBeGreaterThan(0);
    // Second derivative through two reverse passes: d/dx sum(d/dx sum(x^3)) = 6x.
    const g2 = grad((t: Tensor) => sum(grad((u: Tensor) => sum(mul(mul(u, u), u)))(t)))(x);
    expect(g2.get(7, 9)).toBeCloseTo(6 * x.get(7, 9), 10);
    expect((g as Tensor).get(1, 1)).toBeCloseTo(2 * Math.tanh(x.get(1, 1)) * (1 - Math.tanh(x.get(1, 1)) ** 2), 12);
  });

  it("data hands out a plain array: it keeps its values after the tensor's block is reused", async () => {
    // Outside scopes only results of 1 MiB and more are pool blocks.
    let y: Tensor | null = mul(rng(9).normal([400, 400]), 2);
    expect(isPooled(y._values())).toBe(true);
    const values = y.data;
    expect(values.buffer instanceof SharedArrayBuffer).toBe(false);
    const row = values.subarray(400, 800);
    const copy = Array.from(row);
    y = null;
    for (let i = 0; i < 5; i++) {
      await nextTask();
      void mul(rng(i).normal([400, 400]), 5);
    }
    expect(Array.from(row)).toEqual(copy);
  });

  it("big tensors dropped between tasks come back to the pool (no growth across calls)", async () => {
    const x = rng(10).normal([1 << 21]);
    let y = mul(x, x);
    await nextTask();
    y = mul(x, x);
    await nextTask();
    const extent = poolUsage().extentBytes;
    for (let i = 0; i < 6; i++) {
      y = mul(x, x);
      await nextTask();
    }
    expect(y.get(5)).toBe(x.get(5) * x.get(5));
    expect(poolUsage().extentBytes).toBe(extent);
  });

  it("a synchronous loop of big results outside scopes gets dropped blocks back inside the loop, past the unscoped share", async () => {
    // 96 results of 4 MiB (384 MiB, beyond the 256 MiB that blocks made outside scopes may hold at once): each is
    // dropped when the next one is made.
    const x = rng(15).normal([1 << 19]);
    await nextTask();
    const before = poolUsage();
    let y = mul(x, x);
    let pooled = isPooled(y._data!) ? 1 : 0;
    for (let i = 0; i < 95; i++) {
      y = mul(x, y);
      if (isPooled(y._data!)) pooled++;
    }
    const after = poolUsage();
    // Blocks came back inside this one task (the collector's callbacks run on demand): no result fell back to a plain
    // array, and the pool grew by at most the unscoped share, not by the 384 MiB the loop made.
    expect(after.collections - before.collections).toBeGreaterThanOrEqual(1);
    expect(pooled).toBe(96);
    expect(after.extentBytes - before.extentBytes).toBeLessThanOrEqual((256 + 8) << 20);
    let want = x.get(3) * x.get(3);
    for (let i = 0; i < 95; i++) want = x.get(3) * want;
    expect(y.get(3)).toBe(want);
    await nextTask();
    await nextTask();
    // In a later task the dropped results come back too: the same loop again takes no more than a block's growth.
    const extent = poolUsage().extentBytes;
    for (let i = 0; i < 95; i++) y = mul(x, y);
    expect(poolUsage().extentBytes - extent).toBeLessThanOrEqual(8 << 20);
  });

  it("a script whose dropped tensors are collected while the process exits ends cleanly", () => {
    // An exit handler drops big results and collects: the collector then has callbacks pending while Node tears the
    // process down. A registry made in another context aborted the process there ("illegal access", exit 134).
    const entry = join(process.cwd(), "dist", "lib", "index.js");
    const script = `
      const gl = await import(${JSON.stringify(entry)});
      const a = gl.rng(1).normal([512, 512]);
      process.on("exit", () => {
        let s = 0;
        for (let i = 0; i < 4; i++) s += gl.sum(gl.exp(a)).item();
        globalThis.gc();
      });
      console.log("trained");`;
    for (let run = 0; run < 2; run++) {
      const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(r.stderr.replace(/^gradlab: matmul uses.*\n/m, "")).toBe("");
      expect(r.stdout).toBe("trained\n");
      expect(r.status).toBe(0);
    }
  });

  it("fit reuses each step's memory: a second run of the same training does not grow the pool", () => {
    const data = datasets.twoMoons(512, { noise: 0.1, rng: rng(11) });
    // Both models exist before the first run: their weights are the caller's, not fit's.
    const models = [new MLP([2, 64, 64, 2], { rng: rng(12) }), new MLP([2, 64, 64, 2], { rng: rng(12) })];
    const train = (model: MLP) => fit(model, data, {
      optimizer: new Adam({ lr: 0.01 }), epochs: 4, batchSize: 128, rng: rng(13), display: false, lossFn: crossEntropy,
    });
    const first = train(models[0]!);
    const extent = poolUsage().extentBytes;
    const second = train(models[1]!);
    expect(second.loss).toEqual(first.loss);
    expect(poolUsage().extentBytes).toBe(extent);
  });

  it("tidy and keep name a wrong argument; an error inside tidy propagates and leaves no scope open", () => {
    expect(() => tidy(5 as never)).toThrow("tidy: expected a function to run, got number 5");
    expect(() => keep([1, 2] as never)).toThrow("keep: expected a Tensor, got an array");
    const x = rng(14).normal([200, 100]);
    expect(() => tidy(() => { mul(x, x); throw new RangeError("inside"); })).toThrow("inside");
    // No scope is left open: a result made now outside tidy is an ordinary array the caller owns.
    const y = add(x, 1);
    expect(isPooled(y._values())).toBe(false);
    expect(y.get(3, 4)).toBe(x.get(3, 4) + 1);
  });
});

describe("the pool's free ranges", () => {
  const S = 4096;
  /** A pool over a plain wasm memory of its own, its blocks from byte 1024 on. */
  const freshPool = () => new BlockPool({
    memory: new WebAssembly.Memory({ initial: 1, maximum: 64 }), exports: { __heap_base: { value: 1024 } },
  } as unknown as Kernels);
  const take = (p: BlockPool, bytes: number, lasting = false) => p.take(bytes, false, lasting)!;

  it("a returned block merges with free neighbours on both sides into one range that serves a bigger request", () => {
    const p = freshPool();
    const [a, b, c] = [take(p, S), take(p, S), take(p, S)];
    take(p, S);
    p.give(a.offset, a.id);
    p.give(c.offset, c.id);
    p.give(b.offset, b.id);
    const extent = p.usage().extentBytes;
    const merged = take(p, 3 * S);
    expect(merged.offset).toBe(a.offset);
    expect(merged.usedBytes).toBe(3 * S);
    expect(p.usage().extentBytes).toBe(extent);
  });

  it("a request goes to the smallest free range that holds it and splits it; lasting blocks go to the lowest", () => {
    const p = freshPool();
    const wide = take(p, 4 * S);
    take(p, S);
    const narrow = take(p, 2 * S);
    take(p, S);
    p.give(wide.offset, wide.id);
    p.give(narrow.offset, narrow.id);
    expect(take(p, S).offset).toBe(narrow.offset);
    expect(take(p, S, true).offset).toBe(wide.offset);
    expect(take(p, S).offset).toBe(narrow.offset + S);
    expect(take(p, 2 * S).offset).toBe(wide.offset + S);
    expect(take(p, S).offset).toBe(wide.offset + 3 * S);
    expect(p.usage()).toEqual({ liveBytes: 8 * S, extentBytes: 8 * S, collections: 0 });
  });

  it("a block returned at the top goes back to the unused region; only memory used before is reported as used", () => {
    const p = freshPool();
    const a = take(p, S);
    expect(a.usedBytes).toBe(0);
    const b = take(p, 2 * S);
    p.give(b.offset, b.id);
    // The next block starts where b did, though b's range was too small for it; its first 2S bytes were b's.
    const c = take(p, 4 * S);
    expect(c.offset).toBe(b.offset);
    expect(c.usedBytes).toBe(2 * S);
    expect(p.usage()).toEqual({ liveBytes: 5 * S, extentBytes: 5 * S, collections: 0 });
    p.give(c.offset, c.id);
    p.give(a.offset, a.id);
    const all = take(p, 8 * S);
    expect(all.offset).toBe(a.offset);
    expect(all.usedBytes).toBe(5 * S);
    expect(p.usage()).toEqual({ liveBytes: 8 * S, extentBytes: 8 * S, collections: 0 });
  });

  it("a late return for an earlier allocation leaves the block handed out since alone", () => {
    const p = freshPool();
    const a = take(p, S);
    const b = take(p, S);
    take(p, S);
    p.give(a.offset, a.id);
    const again = take(p, S);
    expect(again.offset).toBe(a.offset);
    expect(again.id).not.toBe(a.id);
    p.give(a.offset, a.id);
    expect(p.idAt(a.offset)).toBe(again.id);
    // A merged block starting elsewhere: the stale return of the block that was its second half changes nothing.
    p.give(again.offset, again.id);
    p.give(b.offset, b.id);
    const both = take(p, 2 * S);
    p.give(b.offset, b.id);
    expect(p.idAt(both.offset)).toBe(both.id);
    expect(take(p, S).offset).toBe(3 * S + both.offset);
    expect(p.usage().liveBytes).toBe(4 * S);
  });
});

describe.runIf(built)("tensor storage of changing sizes", () => {
  it("memory returned at the top of the pool and taken again is zeroed where the op needs zeros", () => {
    // Bigger than every free range, so both blocks start at the top; the second reaches past the first.
    const { liveBytes, extentBytes } = poolUsage();
    const n = Math.ceil((extentBytes - liveBytes) / 8) + 4096;
    tidy(() => {
      allocateStorage("float64", n).fill(5);
    });
    tidy(() => {
      const again = allocateStorage("float64", n + 4096);
      expect(again.every((v) => v === 0)).toBe(true);
    });
  });

  it("big results of changing sizes dropped between tasks reuse each other's memory", async () => {
    const mib = [12, 10, 8, 6, 4];
    const xs = mib.map((m, i) => rng(20 + i).normal([m << 17]));
    await nextTask();
    const extent = poolUsage().extentBytes;
    let y: Tensor | null = null;
    for (const x of xs) {
      y = mul(x, 2);
      await nextTask();
    }
    expect(y!.get(7)).toBe(2 * xs[4]!.get(7));
    // Blocks of one size serving only that size would take all 40 MiB; here at most the two largest are ever live.
    expect(poolUsage().extentBytes - extent).toBeLessThanOrEqual(22 << 20);
  });
});

describe("the pace of the pool's collections in a synchronous loop", () => {
  const MiB = 1 << 20;
  /** Collections of `tookMs` every `everyMs` (start to start), `count` times, from `pace`; returns its bytes after each. */
  function run(pace: CollectionPace, at: { ms: number }, tookMs: number, everyMs: number, count: number): number[] {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) {
      pace.after(at.ms, at.ms + tookMs);
      at.ms += everyMs;
      seen.push(pace.bytes / MiB);
    }
    return seen;
  }

  it("starts at 64 MiB and stays there while collections are cheap next to the loop", () => {
    const pace = new CollectionPace();
    expect(pace.bytes).toBe(64 * MiB);
    expect(run(pace, { ms: 0 }, 2, 100, 5)).toEqual([64, 64, 64, 64, 64]);
  });

  it("doubles up to the unscoped share while collections take over a sixth of the time, and comes back down", () => {
    const pace = new CollectionPace();
    const at = { ms: 0 };
    // 8 ms collections every 10 ms (the loop itself 2 ms between them): 64 -> 128 -> 256, never above.
    expect(run(pace, at, 8, 10, 4)).toEqual([64, 128, 256, 256]);
    // Collections of 1 ms with 30 ms of loop between them (the first comes 2 ms after the last 8 ms one): halved each
    // time, down to 64 MiB.
    expect(run(pace, at, 1, 31, 4)).toEqual([256, 128, 64, 64]);
    // In between (a tenth of the time): left as it is.
    run(pace, at, 8, 10, 2);
    expect(run(pace, at, 1, 11, 3)).toEqual([256, 256, 256]);
  });
});
