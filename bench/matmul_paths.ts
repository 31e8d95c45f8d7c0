// Where native BLAS starts to beat the wasm kernel: one product timed through each matmul path, in alternation.
// `node dist/bench/matmul_paths.js`; the crossover it shows is the fast backend's `limits.nativeMatmul`.
import { matmulTransInto, setNativeThreads } from "../lib/backend/matmul.js";
import { threadsWanted } from "../lib/backend/pool.js";
import { nativeBlas, nativeBlasReason } from "../lib/backend/blas.js";
import { DEFAULT_LIMITS, type KernelLimits } from "../lib/backend/limits.js";
import { allocate, type DType } from "../lib/tensor/dtype.js";
import { formatNumber, roundRobinMs, table } from "./timing.js";

interface Case { m: number; k: number; n: number; ta: boolean; tb: boolean }

const square = [2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128, 256, 512].map((s) => ({ m: s, k: s, n: s, ta: false, tb: false }));
// The MLP benchmark's products (784-256-10, batch 128): forward, and the two gradient products of each layer.
const mlp: Case[] = [
  { m: 128, k: 784, n: 256, ta: false, tb: false }, { m: 784, k: 128, n: 256, ta: true, tb: false },
  { m: 128, k: 256, n: 784, ta: false, tb: true }, { m: 128, k: 256, n: 10, ta: false, tb: false },
  { m: 256, k: 128, n: 10, ta: true, tb: false }, { m: 128, k: 10, n: 256, ta: false, tb: true },
];
// Vector-matrix and matrix-vector products (a GEMM with one side 1 wide).
const skinny: Case[] = [16, 64, 256].flatMap((s) => [{ m: 1, k: s, n: s, ta: false, tb: false }, { m: s, k: s, n: 1, ta: false, tb: false }]);

async function main(): Promise<void> {
  const blas = nativeBlas();
  if (blas === null) {
    console.log(`no native BLAS: ${nativeBlasReason()}`);
    return;
  }
  console.log(`native: ${blas.vendor} ${blas.path}`);
  const wasmOnly: KernelLimits = { ...DEFAULT_LIMITS, nativeMatmul: Infinity };
  const native1: KernelLimits = { ...DEFAULT_LIMITS, nativeMatmul: 1, parallelMatmul: Infinity };
  const nativeAll: KernelLimits = { ...DEFAULT_LIMITS, nativeMatmul: 1, parallelMatmul: 1 };
  const rows: string[][] = [];
  for (const dtype of ["float32", "float64"] as DType[]) {
    for (const c of [...square, ...skinny, ...mlp]) {
      const a = allocate(dtype, c.m * c.k).map((_, i) => ((i * 7919) % 13) / 13 - 0.5);
      const b = allocate(dtype, c.k * c.n).map((_, i) => ((i * 104729) % 17) / 17 - 0.5);
      const out = allocate(dtype, c.m * c.n);
      const run = (limits: KernelLimits) => () => matmulTransInto(a, b, out, c.m, c.k, c.n, c.ta, c.tb, limits);
      const [w, n1, n2] = await roundRobinMs([{ run: run(wasmOnly) }, { run: run(native1) },
        { before: () => setNativeThreads(threadsWanted()), run: run(nativeAll) }],
        { budgetMs: 600, maxReps: 400, turnMs: 5 });
      const flops = c.m * c.k * c.n;
      const gf = (ms: number) => formatNumber((2 * flops) / ms / 1e6);
      rows.push([dtype, `${c.m}x${c.k}x${c.n}${c.ta ? " tA" : ""}${c.tb ? " tB" : ""}`, String(flops),
        gf(w!), gf(n1!), gf(n2!), formatNumber(w! / n1!)]);
    }
  }
  setNativeThreads(null);
  console.log(table(["dtype", "m x k x n", "mul-adds", "wasm GFLOP/s", "blas 1t", `blas ${threadsWanted()}t`, "wasm/blas1"], rows));
}

await main();
