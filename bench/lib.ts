// Library benchmark (npm run bench:lib): gradlab vs numpy, TensorFlow.js (cpu, wasm) and plain-JS loops on the same inputs.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as gl from "../lib/index.js";
import { fastBackend } from "../lib/backend/index.js";
import { nativeBlas } from "../lib/backend/blas.js";
import { DEFAULT_LIMITS } from "../lib/backend/limits.js";
import { setAdaptive, setThreads, threadsWanted, waitForHelpers } from "../lib/backend/pool.js";
import { kernels } from "../lib/backend/wasm.js";
import { collectGarbage, poolUsage } from "../lib/backend/storage.js";
import { seededArray, seededUniform } from "./seeded.js";
import { attempt, formatNumber, roundRobinMs, table, type TimeOptions } from "./timing.js";
import { KERNEL_ENV } from "../kernel/kernel_env.js";
import { chooseNumpy, NumpyPeer, type PeerReply } from "./numpy_peer.js";

// The library as notebook cells run it: in the environment the kernelspec sets (kernel/kernel_env.ts: glibc's malloc
// thresholds), for every peer alike. Started without it, the bench runs itself again under it.
if (Object.entries(KERNEL_ENV).some(([name, value]) => process.env[name] !== value)) {
  const rerun = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, ...KERNEL_ENV } });
  process.exit(rerun.status ?? 1);
}

type Cell = number | string | undefined;
interface Row { workload: string; unit: string; cells: Record<string, Cell> }
const PEERS = ["gradlab", "gradlab 1 thread", "gradlab wasm", "gradlab tidy", "numpy", "tfjs-cpu", "tfjs-wasm", "JS loop"] as const;
type Peer = (typeof PEERS)[number];
const rows: Row[] = [];
const quick = process.argv.includes("--quick");
// gradlab stops splitting work across threads while other processes keep every core busy; this measures splitting anyway.
const forceThreads = process.argv.includes("--force-threads");
// --only TEXT: just the workloads whose name contains TEXT (and the RSS run if TEXT is in "RSS"), for quick checks.
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? process.argv[onlyArg + 1] ?? "" : undefined;

// ------------------------------------------------------------------ inputs: one seeded generator, drawn in this order
const rand = seededUniform(20261129);
const SIZES = quick ? [128, 256] : [128, 256, 512, 1024];
const mm = new Map(SIZES.map((n) => [n, { a: seededArray(rand, n * n), b: seededArray(rand, n * n) }]));
const ROSEN_N = 10_000;
const rosenX = seededArray(rand, ROSEN_N, -2, 2), rosenY = seededArray(rand, ROSEN_N, -1, 3);
const BR = 1000;
const bcA = seededArray(rand, BR * BR), bcB = seededArray(rand, BR);
const BATCH = 128, IN = 784, HID = 256, OUT = 10;
const mlpX = seededArray(rand, BATCH * IN, 0, 1);
const mlpLabels = Array.from({ length: BATCH }, () => Math.floor(rand() * OUT));
const mlpW1 = seededArray(rand, IN * HID, -0.08, 0.08), mlpW2 = seededArray(rand, HID * OUT, -0.15, 0.15);
const ADAM_STEPS = 1000, ADAM_LR = 0.01, ADAM_START = [-1.5, 2] as const;
const MUL_N = 10_000_000;
const mulX = seededArray(rand, MUL_N);
const TANH_N = 1_000_000; // tanh's input: the first TANH_N values of mulX
const RSS_STEPS = quick ? 1000 : 10_000;

// ------------------------------------------------------------------ plain-JS references (also the correctness oracle)
const rosenGrad = (x: number, y: number): [number, number] => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
function jsRosen(): number {
  let acc = 0;
  for (let i = 0; i < ROSEN_N; i++) { const [gx, gy] = rosenGrad(rosenX[i]!, rosenY[i]!); acc += gx + gy; }
  return acc;
}
const rosenRef = jsRosen();
function jsMatmul(a: Float64Array | Float32Array, b: Float64Array | Float32Array, out: Float64Array | Float32Array, n: number) {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < n; p++) {
      const aip = a[i * n + p]!;
      for (let j = 0; j < n; j++) out[i * n + j]! += aip * b[p * n + j]!;
    }
  }
}
function jsBroadcastForward(): number {
  let s = 0;
  for (let i = 0; i < BR; i++) for (let j = 0; j < BR; j++) s += Math.exp(bcA[i * BR + j]! + bcB[j]!);
  return s;
}
function jsBroadcastGrad(gA: Float64Array, gb: Float64Array): number {
  gb.fill(0);
  let s = 0;
  for (let i = 0; i < BR; i++) {
    for (let j = 0; j < BR; j++) {
      const e = Math.exp(bcA[i * BR + j]! + bcB[j]!);
      gA[i * BR + j] = e;
      gb[j]! += e;
      s += e;
    }
  }
  return s;
}
const bcRef = jsBroadcastForward();
function jsAdamRosen(): [number, number] {
  let x: number = ADAM_START[0], y: number = ADAM_START[1];
  let mx = 0, my = 0, vx = 0, vy = 0;
  for (let t = 1; t <= ADAM_STEPS; t++) {
    const [gx, gy] = rosenGrad(x, y);
    mx = 0.9 * mx + 0.1 * gx; my = 0.9 * my + 0.1 * gy;
    vx = 0.999 * vx + 0.001 * gx * gx; vy = 0.999 * vy + 0.001 * gy * gy;
    const c1 = 1 - 0.9 ** t, c2 = 1 - 0.999 ** t;
    x -= (ADAM_LR * (mx / c1)) / (Math.sqrt(vx / c2) + 1e-8);
    y -= (ADAM_LR * (my / c1)) / (Math.sqrt(vy / c2) + 1e-8);
  }
  return [x, y];
}
const adamRef = jsAdamRosen();
const close = (x: number, ref: number, rtol: number) => Math.abs(x - ref) <= rtol * Math.max(1, Math.abs(ref));

// ------------------------------------------------------------------ contenders, timed round-robin per workload
/**
 * A prepared run: `run` is timed; `ok` checks the last run's result against the plain-JS oracle. A peer in another
 * process times itself: `timed` runs one turn there (see Contestant.timed).
 */
interface Runner { run: () => void; ok: () => boolean; dispose?: () => void; timed?: (turnMs: number) => Promise<number[]> }
/** wasmMatmul: gradlab with its native BLAS path switched off (the wasm kernels alone). */
interface Contender { peer: Peer; backend?: "cpu" | "wasm"; threads?: number; wasmMatmul?: boolean; make: () => Runner }

let numpy: NumpyPeer | null = null;
/** The numpy peer running workload `req`; `ok` judges the value its last run checked. */
function numpyContender(req: Record<string, unknown>, ok: (check: number) => boolean): Contender[] {
  if (numpy === null) return [];
  const peer = numpy;
  return [{
    peer: "numpy", make: () => {
      let last: PeerReply = {};
      return {
        run: () => undefined,
        timed: async (turnMs) => {
          last = await peer.request({ ...req, turnMs });
          if (last.error !== undefined) throw new Error(last.error);
          return last.times!;
        },
        ok: () => last.check !== undefined && ok(last.check),
      };
    },
  }];
}
const haveBlas = nativeBlas() !== null;
/** The gradlab contender with matmul on the wasm kernels, where a native BLAS would otherwise run it. */
const wasmMatmulContender = (make: () => Runner): Contender[] =>
  haveBlas ? [{ peer: "gradlab wasm", wasmMatmul: true, make }] : [];

const allThreads = threadsWanted();
let wasmReady = false;
async function enter(c: Contender): Promise<void> {
  if (c.backend && tf.getBackend() !== c.backend) await tf.setBackend(c.backend);
  fastBackend.limits.nativeMatmul = c.wasmMatmul ? Infinity : DEFAULT_LIMITS.nativeMatmul;
  const t = c.threads ?? allThreads;
  if (threadsWanted() !== t) {
    setThreads(t);
    const k = kernels();
    if (k && t > 1) waitForHelpers(k);
  }
}

/**
 * A full collection before each turn, and the callbacks it leads to (gradlab returning dropped tensors' memory): every
 * contender's turn starts from a heap without the previous one's garbage and pays for collecting its own. tfjs-cpu's
 * turns leave a big heap of dead arrays, which cost whoever allocated next (the MLP and Rosenbrock rows found gradlab's
 * first runs after them far slower), while numpy runs in its own process.
 */
async function collectBetweenTurns(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Untimed runs of each contender before the timed rounds: up to `runs`, or until `ms` have passed for that one. */
interface Settle { runs: number; ms: number }

async function measure(workload: string, unit: string, contenders: Contender[], value: (ms: number) => number,
  options: TimeOptions, settle?: Settle): Promise<void> {
  if (only !== undefined && !workload.includes(only)) return;
  process.stderr.write(`  ${workload}\n`);
  const r: Row = { workload, unit, cells: {} };
  rows.push(r);
  const live: { c: Contender; runner: Runner }[] = [];
  for (const c of contenders) {
    if (c.backend === "wasm" && !wasmReady) continue;
    await enter(c);
    const made = attempt(c.make);
    if (typeof made === "string") r.cells[c.peer] = made;
    else live.push({ c, runner: made });
  }
  for (const { c, runner } of settle ? live : []) {
    await enter(c);
    const start = performance.now();
    if (runner.timed) await runner.timed(settle!.ms).catch(() => undefined);
    else for (let i = 0; i < settle!.runs && performance.now() - start < settle!.ms; i++) attempt(runner.run);
  }
  const errors = new Map<Peer, string>();
  const guarded = live.map(({ c, runner }) => ({
    before: async () => {
      await collectBetweenTurns();
      await enter(c);
    },
    run: () => {
      if (errors.has(c.peer)) return;
      const e = attempt(runner.run);
      if (typeof e === "string") errors.set(c.peer, e);
    },
    timed: runner.timed && (async (turnMs: number) => {
      if (errors.has(c.peer)) return [];
      try {
        return await runner.timed!(turnMs);
      } catch (err) {
        errors.set(c.peer, `error: ${(err as Error).message.slice(0, 60)}`);
        return [];
      }
    }),
  }));
  const medians = await roundRobinMs(guarded, options);
  live.forEach(({ c, runner }, i) => {
    const err = errors.get(c.peer);
    const v = value(medians[i]!);
    r.cells[c.peer] = err ?? (runner.ok() ? v : `WRONG (${formatNumber(v)})`);
    runner.dispose?.();
  });
}

const gflops = (n: number) => (ms: number) => (2 * n ** 3) / ms / 1e6;
const asMs = (ms: number) => ms;

async function matmulRows(): Promise<void> {
  for (const dtype of ["float32", "float64"] as const) {
    const f32 = dtype === "float32";
    for (const n of SIZES) {
      const { a, b } = mm.get(n)!;
      let ref = 0;
      for (let p = 0; p < n; p++) ref += a[3 * n + p]! * b[p * n + 5]!;
      const rtol = f32 ? 1e-4 : 1e-12;
      const glRunner = (): Runner => {
        const A = gl.reshape(gl.tensor(a, { dtype }), [n, n]), B = gl.reshape(gl.tensor(b, { dtype }), [n, n]);
        let C: gl.Tensor | undefined;
        return { run: () => { C = gl.matmul(A, B); }, ok: () => close(C!.data[3 * n + 5]!, ref, rtol) };
      };
      const tfRunner = (): Runner => {
        const A = tf.tensor2d(Float32Array.from(a), [n, n]), B = tf.tensor2d(Float32Array.from(b), [n, n]);
        let got = NaN;
        return {
          run: () => tf.tidy(() => { got = tf.matMul(A, B).dataSync()[3 * n + 5]!; }),
          ok: () => close(got, ref, 1e-4),
          dispose: () => tf.dispose([A, B]),
        };
      };
      const jsRunner = (): Runner => {
        const ctor = f32 ? Float32Array : Float64Array;
        const A = ctor.from(a), B = ctor.from(b), C = new ctor(n * n);
        return { run: () => jsMatmul(A, B, C, n), ok: () => close(C[3 * n + 5]!, ref, rtol) };
      };
      const contenders: Contender[] = [
        { peer: "gradlab", make: glRunner },
        { peer: "gradlab 1 thread", threads: 1, make: glRunner },
        ...wasmMatmulContender(glRunner),
        ...numpyContender({ op: "matmul", n, dtype }, (v) => close(v, ref, rtol)),
        ...(f32 ? [{ peer: "tfjs-cpu", backend: "cpu", make: tfRunner }, { peer: "tfjs-wasm", backend: "wasm", make: tfRunner }] as Contender[] : []),
        { peer: "JS loop", make: jsRunner },
      ];
      // A new result lands in fresh memory, one page fault per 4 KiB (about 14 us here), until V8's first collection
      // after some 30 MB of results hands their memory back to malloc: at n = 512 that halves the speed of the first
      // ~30 products, for any library that allocates its results (tfjs-wasm reuses its heap; the JS loop one
      // buffer). Every contender gets the same untimed runs first, so all are measured in the steady state a
      // training loop runs in; small products get thirty warm-up rounds for the same reason. Each turn repeats a
      // contender's run (150 ms for large products, which are few per round since tfjs-cpu takes seconds; 100 ms for
      // small ones, whose first run after another contender's 40 ms loop finds cold caches), so every contender is
      // timed warm and quick ones get many samples.
      await measure(`matmul ${f32 ? "f32" : "f64"} n=${n}`, "GFLOP/s", contenders, gflops(n),
        n >= 512 ? { warmup: 1, minReps: 3, maxReps: 5, budgetMs: 5000, turnMs: 150 } : { warmup: 30, minReps: 7, turnMs: 100 },
        n >= 512 ? { runs: 40, ms: 1500 } : undefined);
    }
  }
}

const rosenGl = () => gl.grad((x: gl.Tensor, y: gl.Tensor) =>
  gl.add(gl.square(gl.sub(1, x)), gl.mul(100, gl.square(gl.sub(y, gl.square(x))))), { argnums: [0, 1] });

async function rosenbrockRow(): Promise<void> {
  const tfRunner = (): Runner => {
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))));
    let acc = 0;
    return {
      run: () => {
        acc = 0;
        for (let i = 0; i < ROSEN_N; i++) {
          acc += tf.tidy(() => {
            const [gx, gy] = g([tf.scalar(rosenX[i]!), tf.scalar(rosenY[i]!)]);
            return gx!.dataSync()[0]! + gy!.dataSync()[0]!;
          });
        }
      },
      ok: () => close(acc, rosenRef, 1e-3),
    };
  };
  await measure("Rosenbrock grad x10,000", "ms", [
    {
      peer: "gradlab", make: () => {
        const g = rosenGl();
        let acc = 0;
        return {
          run: () => {
            acc = 0;
            for (let i = 0; i < ROSEN_N; i++) {
              const [gx, gy] = g(rosenX[i]!, rosenY[i]!) as [gl.Tensor, gl.Tensor];
              acc += gx.item() + gy.item();
            }
          },
          ok: () => close(acc, rosenRef, 1e-9),
        };
      },
    },
    { peer: "tfjs-cpu", backend: "cpu", make: tfRunner },
    { peer: "tfjs-wasm", backend: "wasm", make: tfRunner },
    { peer: "JS loop", make: () => { let acc = 0; return { run: () => { acc = jsRosen(); }, ok: () => acc === rosenRef }; } },
  ], asMs, ROSENBROCK_TIMING);
}

/**
 * The two Rosenbrock rows: V8 tiers up grad and the optimizer over the first runs (eight untimed rounds); turns of
 * 100 ms hold several runs of the slower peers.
 */
const ROSENBROCK_TIMING: TimeOptions = { warmup: 8, minReps: 3, maxReps: 9, budgetMs: 4000, turnMs: 100 };

/**
 * The broadcast rows' turns: 60 ms of consecutive runs each, so that every turn holds the collections that an unscoped
 * loop over big tensors runs (gradlab's forward, outside any scope, collects every few calls).
 */
const BROADCAST_TIMING: TimeOptions = { minReps: 9, turnMs: 60 };

/** sum(exp(A + b)) and its gradient: float64 against every peer, float32 against numpy and tfjs-wasm. */
async function broadcastRows(dtype: "float32" | "float64"): Promise<void> {
  const f64 = dtype === "float64";
  const suffix = f64 ? "" : " f32";
  const rtol = f64 ? 1e-12 : 1e-4;
  const f = (A: gl.Tensor, b: gl.Tensor) => gl.sum(gl.exp(gl.add(A, b)));
  const glInputs = () => [gl.reshape(gl.tensor(bcA, { dtype }), [BR, BR]), gl.tensor(bcB, { dtype })] as const;
  const tff = (A: tf.Tensor, b: tf.Tensor) => tf.sum(tf.exp(tf.add(A, b)));
  const tfInputs = () => [tf.tensor2d(Float32Array.from(bcA), [BR, BR]), tf.tensor1d(Float32Array.from(bcB))] as const;
  const tfBackends = f64 ? (["cpu", "wasm"] as const) : (["wasm"] as const);
  const jsPeer = (c: Contender): Contender[] => (f64 ? [c] : []);
  await measure(`sum(exp(A+b)) forward${suffix}`, "ms", [
    { peer: "gradlab", make: () => { const [A, b] = glInputs(); let s = 0; return { run: () => { s = f(A, b).item(); }, ok: () => close(s, bcRef, rtol) }; } },
    // The same loop body in tidy, as the README advises for hot loops: A + b and exp(A + b) are reused at once instead
    // of coming back through the pool's full collections (what the plain loop above pays, and is judged on).
    {
      peer: "gradlab tidy", make: () => {
        const [A, b] = glInputs();
        let s = 0;
        return { run: () => { s = gl.tidy(() => f(A, b).item()); }, ok: () => close(s, bcRef, rtol) };
      },
    },
    ...numpyContender({ op: "bcastForward", dtype }, (v) => close(v, bcRef, rtol)),
    ...tfBackends.map((backend): Contender => ({
      peer: `tfjs-${backend}`, backend, make: () => {
        const [A, b] = tfInputs();
        let s = 0;
        return { run: () => { s = tf.tidy(() => tff(A, b).dataSync()[0]!); }, ok: () => close(s, bcRef, 1e-4), dispose: () => tf.dispose([A, b]) };
      },
    })),
    ...jsPeer({ peer: "JS loop", make: () => { let s = 0; return { run: () => { s = jsBroadcastForward(); }, ok: () => s === bcRef }; } }),
  ], asMs, BROADCAST_TIMING);

  await measure(`sum(exp(A+b)) value+grad A,b${suffix}`, "ms", [
    {
      peer: "gradlab", make: () => {
        const [A, b] = glInputs();
        const vg = gl.valueAndGrad(f, { argnums: [0, 1] });
        let s = 0, gbSum = 0;
        return {
          run: () => {
            const [v, [, gb]] = vg(A, b) as [gl.Tensor, [gl.Tensor, gl.Tensor]];
            s = v.item();
            gbSum = gl.sum(gb).item();
          },
          ok: () => close(s, bcRef, rtol) && close(gbSum, bcRef, rtol),
        };
      },
    },
    ...numpyContender({ op: "bcastGrad", dtype }, (v) => close(v, bcRef, rtol)),
    ...tfBackends.map((backend): Contender => ({
      peer: `tfjs-${backend}`, backend, make: () => {
        const [A, b] = tfInputs();
        const g = tf.grads((A: tf.Tensor, b: tf.Tensor) => tff(A, b));
        let gbSum = 0;
        return {
          run: () => {
            gbSum = tf.tidy(() => {
              const [gA, gb] = g([A, b]);
              gA!.dataSync();
              return tf.sum(gb!).dataSync()[0]!;
            });
          },
          ok: () => close(gbSum, bcRef, 1e-4),
          dispose: () => tf.dispose([A, b]),
        };
      },
    })),
    ...jsPeer({
      peer: "JS loop", make: () => {
        const gA = new Float64Array(BR * BR), gb = new Float64Array(BR);
        let s = 0;
        return { run: () => { s = jsBroadcastGrad(gA, gb); }, ok: () => s === bcRef };
      },
    }),
  ], asMs, BROADCAST_TIMING);
}

/** x * x over 1e7 float64 values: bound by memory traffic and by how results are allocated. */
async function mulRow(): Promise<void> {
  const want = mulX[12345]! * mulX[12345]!;
  await measure("mul(x, x) 1e7 f64", "ms", [
    {
      peer: "gradlab", make: () => {
        const x = gl.tensor(mulX);
        let y: gl.Tensor | undefined;
        return { run: () => { y = gl.mul(x, x); }, ok: () => y!.data[12345] === want };
      },
    },
    ...numpyContender({ op: "mul", dtype: "float64" }, (v) => v === want),
    {
      peer: "JS loop", make: () => {
        let y = new Float64Array(0);
        return { run: () => { y = new Float64Array(MUL_N); for (let i = 0; i < MUL_N; i++) y[i] = mulX[i]! * mulX[i]!; }, ok: () => y[12345] === want };
      },
    },
  ], asMs, { warmup: 2, minReps: 5, maxReps: 15, budgetMs: 5000 });
}

/** tanh over 1e6 values of [-1, 1) (a wasm SIMD kernel above 2048 elements; JS loop: Math.tanh into a new array). */
async function tanhRow(dtype: "float32" | "float64"): Promise<void> {
  const f64 = dtype === "float64";
  const x = f64 ? mulX.slice(0, TANH_N) : Float32Array.from(mulX.subarray(0, TANH_N));
  const want = Math.tanh(x[12345]!);
  const rtol = f64 ? 1e-15 : 1e-7;
  await measure(`tanh(x) 1e6 ${f64 ? "f64" : "f32"}`, "ms", [
    {
      peer: "gradlab", make: () => {
        const t = gl.tensor(x, { dtype });
        let y: gl.Tensor | undefined;
        return { run: () => { y = gl.tanh(t); }, ok: () => close(y!.data[12345]!, want, rtol) };
      },
    },
    ...numpyContender({ op: "tanh", dtype }, (v) => close(v, want, rtol)),
    {
      peer: "JS loop", make: () => {
        let y = new Float64Array(0) as Float64Array | Float32Array;
        return {
          run: () => {
            y = f64 ? new Float64Array(TANH_N) : new Float32Array(TANH_N);
            for (let i = 0; i < TANH_N; i++) y[i] = Math.tanh(x[i]!);
          },
          ok: () => close(y[12345]!, want, rtol),
        };
      },
    },
  ], asMs, { warmup: 2, minReps: 9, budgetMs: 3000 });
}

async function mlpRows(): Promise<void> {
  const glRunner = (dtype: "float32" | "float64") => (): Runner => {
    const model = new gl.MLP([IN, HID, OUT], { dtype, rng: gl.rng(1) });
    let params = model.params;
    const X = gl.reshape(gl.tensor(mlpX, { dtype }), [BATCH, IN]);
    const opt = new gl.Adam({ lr: 1e-3 });
    const lossGrad = gl.valueAndGrad((p: typeof params) => gl.crossEntropy(model.apply(p, X), mlpLabels));
    let loss = NaN;
    return {
      run: () => {
        const [l, g] = lossGrad(params) as [gl.Tensor, typeof params];
        params = opt.step(params, g);
        loss = l.item();
      },
      ok: () => Number.isFinite(loss),
    };
  };
  const tfRunner = (): Runner => {
    const X = tf.tensor2d(Float32Array.from(mlpX), [BATCH, IN]);
    const Y = tf.oneHot(tf.tensor1d(mlpLabels, "int32"), OUT);
    const W1 = tf.variable(tf.tensor2d(Float32Array.from(mlpW1), [IN, HID])), b1 = tf.variable(tf.zeros([HID]));
    const W2 = tf.variable(tf.tensor2d(Float32Array.from(mlpW2), [HID, OUT])), b2 = tf.variable(tf.zeros([OUT]));
    const opt = tf.train.adam(1e-3);
    let loss = NaN;
    return {
      run: () => {
        const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(Y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(X, W1), b1)), W2), b2)) as tf.Scalar,
          true, [W1, b1, W2, b2]);
        loss = cost!.dataSync()[0]!;
        cost!.dispose();
      },
      ok: () => Number.isFinite(loss),
      dispose: () => { tf.dispose([X, Y, W1, b1, W2, b2]); opt.dispose(); },
    };
  };
  const steps = (ms: number) => 1000 / ms;
  // Turns of 300 ms: over a hundred of gradlab's steps each, so the turn's mean holds their collections.
  const mlpTiming: TimeOptions = { minReps: 5, budgetMs: 4000, turnMs: 300 };
  await measure("MLP 784-256-10 Adam step f32", "steps/s", [
    { peer: "gradlab", make: glRunner("float32") },
    { peer: "gradlab 1 thread", threads: 1, make: glRunner("float32") },
    ...wasmMatmulContender(glRunner("float32")),
    ...numpyContender({ op: "mlp", dtype: "float32" }, Number.isFinite),
    { peer: "tfjs-cpu", backend: "cpu", make: tfRunner },
    { peer: "tfjs-wasm", backend: "wasm", make: tfRunner },
  ], steps, mlpTiming);
  await measure("MLP 784-256-10 Adam step f64", "steps/s", [
    { peer: "gradlab", make: glRunner("float64") },
    { peer: "gradlab 1 thread", threads: 1, make: glRunner("float64") },
    ...numpyContender({ op: "mlp", dtype: "float64" }, Number.isFinite),
  ], steps, mlpTiming);
}

/** Resident memory after 100 and after RSS_STEPS MLP f32 training steps, gradlab in this process and numpy in its own. */
interface RssRow { peer: string; after100: number; afterAll: number }
const rssRows: RssRow[] = [];
async function rssRow(): Promise<void> {
  if (only !== undefined && !"RSS".includes(only)) return;
  process.stderr.write(`  RSS over ${RSS_STEPS} MLP steps\n`);
  const model = new gl.MLP([IN, HID, OUT], { dtype: "float32", rng: gl.rng(1) });
  let params = model.params;
  const X = gl.reshape(gl.tensor(mlpX, { dtype: "float32" }), [BATCH, IN]);
  const opt = new gl.Adam({ lr: 1e-3 });
  const lossGrad = gl.valueAndGrad((p: typeof params) => gl.crossEntropy(model.apply(p, X), mlpLabels));
  let after100 = 0;
  for (let step = 1; step <= RSS_STEPS; step++) {
    const [, g] = lossGrad(params) as [gl.Tensor, typeof params];
    params = opt.step(params, g);
    if (step === 100) after100 = process.memoryUsage().rss;
  }
  rssRows.push({ peer: "gradlab", after100, afterAll: process.memoryUsage().rss });
  if (numpy !== null) {
    const r = await numpy.request({ op: "mlpRss", dtype: "float32", steps: RSS_STEPS });
    if (r.rss) rssRows.push({ peer: "numpy", after100: r.rss["100"]!, afterAll: r.rss[String(RSS_STEPS)]! });
  }
}

/** valueAndGrad(sum(x*x)) on 1e7 float64 in a fresh process (bench/first_call_rss.ts): RSS growth in tensors' worth. */
let firstCallRss: { first: number; later: number } | null = null;
function firstCallRssRow(): void {
  if (only !== undefined && !"RSS".includes(only)) return;
  process.stderr.write("  RSS of valueAndGrad(sum(x*x)) 1e7 f64\n");
  const child = spawnSync(process.execPath, [resolve(dirname(fileURLToPath(import.meta.url)), "first_call_rss.js")], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`first_call_rss failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout) as { tensorBytes: number; first: number; later: number };
  firstCallRss = { first: r.first / r.tensorBytes, later: r.later / r.tensorBytes };
}

async function adamRow(): Promise<void> {
  const tfRunner = (): Runner => {
    let end = [NaN, NaN];
    return {
      run: () => {
        const x = tf.variable(tf.scalar(ADAM_START[0])), y = tf.variable(tf.scalar(ADAM_START[1]));
        const o = tf.train.adam(ADAM_LR);
        for (let t = 0; t < ADAM_STEPS; t++) {
          o.minimize(() => tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))) as tf.Scalar, false, [x, y]);
        }
        end = [x.dataSync()[0]!, y.dataSync()[0]!];
        tf.dispose([x, y]);
        o.dispose();
      },
      ok: () => close(end[0]!, adamRef[0], 1e-2) && close(end[1]!, adamRef[1], 1e-2),
    };
  };
  await measure(`Adam on Rosenbrock x${ADAM_STEPS}`, "ms", [
    {
      peer: "gradlab", make: () => {
        const g = gl.grad((p: { x: gl.Tensor; y: gl.Tensor }) =>
          gl.add(gl.square(gl.sub(1, p.x)), gl.mul(100, gl.square(gl.sub(p.y, gl.square(p.x))))));
        let end = [NaN, NaN];
        return {
          run: () => {
            const opt = new gl.Adam({ lr: ADAM_LR });
            let p = { x: gl.scalar(ADAM_START[0]), y: gl.scalar(ADAM_START[1]) };
            for (let t = 0; t < ADAM_STEPS; t++) p = opt.step(p, g(p));
            end = [p.x.item(), p.y.item()];
          },
          ok: () => close(end[0]!, adamRef[0], 1e-6) && close(end[1]!, adamRef[1], 1e-6),
        };
      },
    },
    { peer: "tfjs-cpu", backend: "cpu", make: tfRunner },
    { peer: "tfjs-wasm", backend: "wasm", make: tfRunner },
    { peer: "JS loop", make: () => { let end = [NaN, NaN]; return { run: () => { end = jsAdamRosen(); }, ok: () => end[0] === adamRef[0] }; } },
  ], asMs, ROSENBROCK_TIMING);
}

/**
 * Single-thread GEMM GFLOP/s per CPU-second of this process: on a machine busy with other work, wall time includes
 * waiting for a core, CPU time does not. Printed for information beside the wall-time figures, which alone are judged:
 * the process's CPU time also counts V8's collector threads, so this figure can come out below the wall-time one.
 */
const cpuGflops = new Map<string, number>();
function matmulCpuTime(): void {
  setThreads(1);
  for (const dtype of ["float32", "float64"] as const) {
    for (const n of SIZES.filter((n) => n >= 256)) {
      const { a, b } = mm.get(n)!;
      const A = gl.reshape(gl.tensor(a, { dtype }), [n, n]), B = gl.reshape(gl.tensor(b, { dtype }), [n, n]);
      gl.matmul(A, B);
      const reps = Math.max(3, Math.round(2e9 / (2 * n ** 3)));
      const c0 = process.cpuUsage();
      for (let r = 0; r < reps; r++) gl.matmul(A, B);
      const c = process.cpuUsage(c0);
      cpuGflops.set(`matmul ${dtype === "float32" ? "f32" : "f64"} n=${n}`, (2 * n ** 3 * reps) / ((c.user + c.system) / 1000) / 1e6);
    }
  }
  setThreads(allThreads);
}

// ------------------------------------------------------------------ targets, as ratios in this run
/** A figure and its bound: at least `need`, or at most `need` where atMost. */
interface Target { name: string; ratio: number | undefined; need: number; note: string; atMost?: boolean }
const cell = (workload: string, peer: Peer): number | undefined => {
  const v = rows.find((r) => r.workload === workload)?.cells[peer];
  return typeof v === "number" ? v : undefined;
};
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : undefined);
/** How many times faster gradlab (default threads) is than `peer` on a row: above 1 faster, below 1 slower. */
function speedup(r: Row, peer: Peer): number | undefined {
  const g = r.cells.gradlab, p = r.cells[peer];
  if (typeof g !== "number" || typeof p !== "number") return undefined;
  return r.unit === "ms" ? p / g : g / p;
}

/** Against numpy (one BLAS thread), in this run: speed, memory, per-op overhead. */
function numpyTargets(): Target[] {
  const out: Target[] = [];
  const mlp = "MLP 784-256-10 Adam step f32";
  out.push({ name: `${mlp}: vs numpy`, ratio: ratio(cell(mlp, "gradlab"), cell(mlp, "numpy")), need: 1, note: "x steps/s" });
  for (const dt of ["f32", "f64"]) {
    for (const n of SIZES.filter((n) => n >= 256)) {
      const w = `matmul ${dt} n=${n}`;
      out.push({ name: `${w}: vs numpy${haveBlas ? " (native BLAS)" : ""}`, ratio: ratio(cell(w, "gradlab"), cell(w, "numpy")), need: 0.9, note: "x GFLOP/s" });
    }
    for (const n of SIZES.filter((n) => n >= 256)) {
      const w = `matmul ${dt} n=${n}`;
      out.push({ name: `${w}: wasm kernels alone`, ratio: cell(w, haveBlas ? "gradlab wasm" : "gradlab"), need: dt === "f32" ? 100 : 45, note: "GFLOP/s" });
    }
  }
  for (const dt of ["", " f32"]) {
    for (const w of [`sum(exp(A+b)) forward${dt}`, `sum(exp(A+b)) value+grad A,b${dt}`]) {
      out.push({ name: `${w}: vs numpy`, ratio: ratio(cell(w, "gradlab"), cell(w, "numpy")), need: 1.5, atMost: true, note: "x numpy's time" });
    }
  }
  const mul = "mul(x, x) 1e7 f64";
  out.push({ name: `${mul}: vs numpy`, ratio: ratio(cell(mul, "gradlab"), cell(mul, "numpy")), need: 2, atMost: true, note: "x numpy's time" });
  const adam = cell(`Adam on Rosenbrock x${ADAM_STEPS}`, "gradlab");
  out.push({ name: "Rosenbrock: Adam step", ratio: adam === undefined ? undefined : (adam * 1000) / ADAM_STEPS, need: 2, atMost: true, note: "us" });
  const rosen = cell("Rosenbrock grad x10,000", "gradlab");
  out.push({ name: "Rosenbrock: gradient", ratio: rosen === undefined ? undefined : (rosen * 1000) / ROSEN_N, need: 1, atMost: true, note: "us" });
  const rss = rssRows.find((r) => r.peer === "gradlab");
  out.push({ name: `RSS after ${RSS_STEPS} MLP steps vs after 100`, ratio: rss && rss.afterAll / rss.after100, need: 1.05, atMost: true, note: "x" });
  const vg = "valueAndGrad(sum(x*x)) 1e7 f64";
  out.push({ name: `${vg}: RSS growth, first call`, ratio: firstCallRss?.first, need: 3, atMost: true, note: "tensors" });
  out.push({ name: `${vg}: RSS growth, calls 3 to 8`, ratio: firstCallRss?.later, need: 0.05, atMost: true, note: "tensors" });
  return out;
}

function targets(): Target[] {
  const out: Target[] = [];
  for (const n of SIZES.filter((n) => n >= 256)) {
    const w = `matmul f32 n=${n}`;
    out.push({ name: `${w}: gradlab 1 thread vs tfjs-wasm`, ratio: ratio(cell(w, "gradlab 1 thread"), cell(w, "tfjs-wasm")), need: 1, note: "x as fast" });
  }
  for (const n of SIZES.filter((n) => n >= 256)) {
    out.push({ name: `matmul f64 n=${n}: gradlab 1 thread`, ratio: cell(`matmul f64 n=${n}`, "gradlab 1 thread"), need: 15, note: "GFLOP/s" });
  }
  const big = SIZES[SIZES.length - 1]!;
  for (const dt of ["f32", "f64"]) {
    const w = `matmul ${dt} n=${big}`;
    out.push({ name: `${w}: ${allThreads} threads vs 1 thread`, ratio: ratio(cell(w, "gradlab"), cell(w, "gradlab 1 thread")), need: 1.3, note: "x speed-up" });
  }
  const rosen = "Rosenbrock grad x10,000";
  out.push({ name: `${rosen}: vs tfjs-cpu`, ratio: ratio(cell(rosen, "tfjs-cpu"), cell(rosen, "gradlab")), need: 20, note: "x faster" });
  for (const w of ["sum(exp(A+b)) forward", "sum(exp(A+b)) value+grad A,b"]) {
    out.push({ name: `${w}: vs tfjs-wasm`, ratio: ratio(cell(w, "tfjs-wasm"), cell(w, "gradlab")), need: 1, note: "x faster" });
    out.push({ name: `${w}: within 1.5x of the JS loop`, ratio: ratio(cell(w, "JS loop"), cell(w, "gradlab")), need: 1 / 1.5, note: "JS time / gradlab time" });
  }
  const mlp = "MLP 784-256-10 Adam step f32";
  out.push({ name: `${mlp}: vs tfjs-wasm`, ratio: ratio(cell(mlp, "gradlab"), cell(mlp, "tfjs-wasm")), need: 1, note: "x steps/s" });
  const adam = `Adam on Rosenbrock x${ADAM_STEPS}`;
  out.push({ name: `${adam}: vs tfjs-cpu`, ratio: ratio(cell(adam, "tfjs-cpu"), cell(adam, "gradlab")), need: 20, note: "x faster" });
  return out;
}

// ------------------------------------------------------------------ run
async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const k = kernels();
  const load = loadavg()[0]!;
  console.log(`gradlab library benchmark: ${cpus()[0]?.model ?? "cpu"}, ${availableParallelism()} cores, load ${load.toFixed(1)}, node ${process.version}`);
  console.log(`environment as in the kernelspec: ${Object.entries(KERNEL_ENV).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  console.log(`gradlab kernels: ${k ? "wasm SIMD" : "plain JS (no wasm)"}, ${allThreads} threads; tfjs ${tf.version.tfjs}`);
  console.log(`gradlab matmul: ${gl.backendInfo().matmul}`);
  const { chosen, tried } = chooseNumpy();
  console.log(`numpy peer: ${chosen ? `numpy ${chosen.numpy} (${chosen.python})` : "none found"}; one BLAS thread, ` +
    `OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for it, the kernel's malloc settings as for gradlab; calibration (512² f32 matmul + ` +
    `exp of 1M f64, best of 5): ${tried.join("; ")}`);
  if (chosen) {
    const inputs: Record<string, ArrayLike<number>> = { bcA, bcB, mlpX, mlpLabels, mlpW1, mlpW2, mulX };
    for (const [n, { a, b }] of mm) Object.assign(inputs, { [`mmA${n}`]: a, [`mmB${n}`]: b });
    numpy = new NumpyPeer(chosen, inputs);
  }
  if (load > availableParallelism()) {
    console.log(`WARNING: load average ${load.toFixed(1)} on ${availableParallelism()} cores: other processes ran in the last minute, figures may be noisy` +
      (forceThreads ? "" : "; gradlab splits work across threads only while other processes leave it a core (--force-threads to measure it anyway)"));
  }
  if (forceThreads) setAdaptive(false);
  if (k) waitForHelpers(k);
  tf.env().set("IS_TEST", false);
  await tf.setBackend("cpu");
  setWasmPaths(dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json")) + "/dist/");
  // tfjs-wasm gets what gradlab's kernels get (lib/backend/wasm.ts): every function compiled optimized up front.
  // Otherwise V8 runs its baseline code until a background tier-up lands, and some runs timed it there at half speed.
  for (const flag of ["--no-liftoff", "--no-wasm-lazy-compilation"]) setFlagsFromString(flag);
  wasmReady = await tf.setBackend("wasm");
  if (wasmReady) {
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const mt = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    console.log(`tfjs-wasm: SIMD ${simd ? "on" : "off"}, threads ${mt ? "on" : "off"}`);
  } else {
    console.log("tfjs-wasm: backend failed to initialize");
  }
  console.log("measuring (peers alternate run by run):");
  await matmulRows();
  await rosenbrockRow();
  await broadcastRows("float64");
  await broadcastRows("float32");
  await mulRow();
  await tanhRow("float64");
  await tanhRow("float32");
  await mlpRows();
  await adamRow();
  await rssRow();
  firstCallRssRow();
  numpy?.close();
  process.stderr.write("  single-thread matmul by CPU time\n");
  matmulCpuTime();

  console.log("\nTime per run: the median over turns of each turn's mean. tfjs computes in float32; gradlab and the JS loop in float64 unless the row says f32.\n");
  console.log(table(["workload", "unit", ...PEERS, "vs numpy", "vs tfjs-wasm"], rows.map((r) => [r.workload, r.unit,
    ...PEERS.map((p) => formatNumber(r.cells[p])), formatNumber(speedup(r, "numpy")), formatNumber(speedup(r, "tfjs-wasm"))])));
  console.log("vs numpy / vs tfjs-wasm: how many times faster gradlab (all threads) is than that peer; below 1 is slower.");
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  console.log(`\nResident memory over ${RSS_STEPS} MLP f32 training steps (784-256-10, batch 128, Adam):\n`);
  console.log(table(["peer", "after 100", `after ${RSS_STEPS}`, "growth"], rssRows.map((r) =>
    [r.peer, mib(r.after100), mib(r.afterAll), `${(100 * (r.afterAll / r.after100 - 1)).toFixed(1)} %`])));
  const pool = poolUsage();
  console.log(`gradlab's tensor memory in the kernels' wasm memory after every row: ${mib(pool.extentBytes)} taken from the ` +
    `system (the most the run needed at once; it stays with the process), ${mib(pool.liveBytes)} of it in use now`);
  console.log("\nFor information, single-thread gradlab matmul per CPU-second of the process (waiting for a core excluded, " +
    "V8's collector threads included): " +
    [...cpuGflops].map(([w, v]) => `${w.replace("matmul ", "")} ${formatNumber(v)}`).join(", ") + " GFLOP/s");
  const ts = targets();
  const verdict = (t: Target) => t.ratio === undefined ? "MISS (not measured)"
    : (t.atMost ? t.ratio <= t.need : t.ratio >= t.need) ? "PASS" : "MISS";
  const targetTable = (list: Target[]) => table(["target", "figure", "need", "unit", "result"], list.map((t) =>
    [t.name, formatNumber(t.ratio), `${t.atMost ? "<=" : ">="} ${formatNumber(t.need)}`, t.note, verdict(t)]));
  console.log("\nTargets (ratios within this run)\n");
  console.log(targetTable(ts));
  const nts = numpyTargets();
  console.log(`\nTargets against numpy${numpy ? ` ${numpy.choice.numpy}, one BLAS thread` : " (not measured: no numpy)"}\n`);
  console.log(targetTable(nts));
  const outDir = resolve(here, "../../out/bench");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, "lib.json"),
    JSON.stringify({ date: new Date().toISOString(), load, rows, rss: rssRows, cpuTimeGflops: Object.fromEntries(cpuGflops),
      matmul: gl.backendInfo().matmul, numpy: numpy?.choice ?? null, targets: ts, numpyTargets: nts }, null, 2));
  console.log(`\nwrote ${resolve(outDir, "lib.json")}`);
}

await main();
