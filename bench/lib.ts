// Library benchmark (npm run bench:lib): gradlab vs TensorFlow.js (cpu, wasm) and plain-JS loops on the same inputs.
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as gl from "../lib/index.js";
import { setThreads, threadsWanted, waitForHelpers } from "../lib/backend/pool.js";
import { kernels } from "../lib/backend/wasm.js";
import { seededArray, seededUniform } from "./seeded.js";
import { attempt, formatNumber, medianMs, table } from "./timing.js";

type Cell = number | string | undefined;
interface Row { workload: string; unit: string; cells: Record<string, Cell> }
const PEERS = ["gradlab", "gradlab 1 thread", "tfjs-cpu", "tfjs-wasm", "JS loop"] as const;
type Peer = (typeof PEERS)[number];
const rows: Row[] = [];
function row(workload: string, unit: string): Row {
  const r: Row = { workload, unit, cells: {} };
  rows.push(r);
  return r;
}
const quick = process.argv.includes("--quick");
const heavy = { warmup: 1, minReps: 3, maxReps: 5, budgetMs: 3000 };

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

// ------------------------------------------------------------------ plain-JS references (also the correctness oracle)
const rosenGrad = (x: number, y: number): [number, number] => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
let rosenRef = 0;
for (let i = 0; i < ROSEN_N; i++) { const [gx, gy] = rosenGrad(rosenX[i]!, rosenY[i]!); rosenRef += gx + gy; }

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
  let [x, y] = ADAM_START as readonly number[] as [number, number];
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

/** The measured value, or a note when the peer computed something else. */
function verified(value: number, ok: boolean): Cell {
  return ok ? value : `WRONG (${formatNumber(value)})`;
}
const close = (x: number, ref: number, rtol: number) => Math.abs(x - ref) <= rtol * Math.max(1, Math.abs(ref));

// ------------------------------------------------------------------ gradlab (public API, as a user would)
function benchGradlab(): void {
  const k = kernels();
  const all = threadsWanted();
  for (const dtype of ["float32", "float64"] as const) {
    for (const n of SIZES) {
      const { a, b } = mm.get(n)!;
      const A = gl.reshape(gl.tensor(a, { dtype }), [n, n]), B = gl.reshape(gl.tensor(b, { dtype }), [n, n]);
      const r = row(`matmul ${dtype === "float32" ? "f32" : "f64"} n=${n}`, "GFLOP/s");
      const gflops = (ms: number) => (2 * n ** 3) / ms / 1e6;
      const check = gl.matmul(A, B).data;
      let ref = 0;
      for (let p = 0; p < n; p++) ref += a[3 * n + p]! * b[p * n + 5]!;
      const ok = close(check[3 * n + 5]!, ref, dtype === "float32" ? 1e-4 : 1e-12);
      setThreads(1);
      r.cells["gradlab 1 thread"] = verified(gflops(medianMs(() => gl.matmul(A, B), n >= 512 ? heavy : {})), ok);
      setThreads(all);
      if (k) waitForHelpers(k);
      r.cells.gradlab = verified(gflops(medianMs(() => gl.matmul(A, B), n >= 512 ? heavy : {})), ok);
    }
  }

  const rosen = gl.grad((x: gl.Tensor, y: gl.Tensor) =>
    gl.add(gl.square(gl.sub(1, x)), gl.mul(100, gl.square(gl.sub(y, gl.square(x))))), { argnums: [0, 1] });
  let acc = 0;
  const rosenRun = () => {
    acc = 0;
    for (let i = 0; i < ROSEN_N; i++) {
      const [gx, gy] = rosen(rosenX[i]!, rosenY[i]!) as [gl.Tensor, gl.Tensor];
      acc += gx.item() + gy.item();
    }
  };
  const rosenMs = medianMs(rosenRun, { minReps: 5, budgetMs: 2000 });
  row("Rosenbrock grad x10,000", "ms").cells.gradlab = verified(rosenMs, close(acc, rosenRef, 1e-9));

  const A = gl.reshape(gl.tensor(bcA), [BR, BR]), b = gl.tensor(bcB);
  const f = (A: gl.Tensor, b: gl.Tensor) => gl.sum(gl.exp(gl.add(A, b)));
  let s = 0;
  const fwd = medianMs(() => { s = f(A, b).item(); }, { minReps: 10 });
  row("sum(exp(A+b)) forward", "ms").cells.gradlab = verified(fwd, close(s, bcRef, 1e-12));
  const vg = gl.valueAndGrad(f, { argnums: [0, 1] });
  let gbSum = 0;
  const bwd = medianMs(() => {
    const [v, [, gb]] = vg(A, b) as [gl.Tensor, [gl.Tensor, gl.Tensor]];
    s = v.item();
    gbSum = gl.sum(gb).item();
  }, { minReps: 10 });
  row("sum(exp(A+b)) value+grad A,b", "ms").cells.gradlab = verified(bwd, close(s, bcRef, 1e-12) && close(gbSum, bcRef, 1e-12));

  for (const dtype of ["float32", "float64"] as const) {
    const r = row(`MLP 784-256-10 Adam step ${dtype === "float32" ? "f32" : "f64"}`, "steps/s");
    r.cells.gradlab = attempt(() => {
      const model = new gl.MLP([IN, HID, OUT], { dtype, rng: gl.rng(1) });
      let params = model.params;
      const X = gl.reshape(gl.tensor(mlpX, { dtype }), [BATCH, IN]);
      const opt = new gl.Adam({ lr: 1e-3 });
      const lossGrad = gl.valueAndGrad((p: typeof params) => gl.crossEntropy(model.apply(p, X), mlpLabels));
      let loss = 0;
      const ms = medianMs(() => {
        const [l, g] = lossGrad(params) as [gl.Tensor, typeof params];
        params = opt.step(params, g);
        loss = l.item();
      }, { minReps: 10, budgetMs: 3000 });
      return verified(1000 / ms, Number.isFinite(loss));
    });
  }

  const r = row(`Adam on Rosenbrock x${ADAM_STEPS}`, "ms");
  r.cells.gradlab = attempt(() => {
    const g = gl.grad((p: { x: gl.Tensor; y: gl.Tensor }) =>
      gl.add(gl.square(gl.sub(1, p.x)), gl.mul(100, gl.square(gl.sub(p.y, gl.square(p.x))))));
    let end: [number, number] = [0, 0];
    const ms = medianMs(() => {
      const opt = new gl.Adam({ lr: ADAM_LR });
      let p = { x: gl.scalar(ADAM_START[0]), y: gl.scalar(ADAM_START[1]) };
      for (let t = 0; t < ADAM_STEPS; t++) p = opt.step(p, g(p));
      end = [p.x.item(), p.y.item()];
    }, { minReps: 5 });
    return verified(ms, close(end[0], adamRef[0], 1e-6) && close(end[1], adamRef[1], 1e-6));
  });
}

// ------------------------------------------------------------------ plain-JS loops
function benchJs(): void {
  for (const [label, ctor] of [["f32", Float32Array], ["f64", Float64Array]] as const) {
    for (const n of SIZES) {
      const { a, b } = mm.get(n)!;
      const A = ctor.from(a), B = ctor.from(b), C = new ctor(n * n);
      const ms = medianMs(() => jsMatmul(A, B, C, n), n >= 512 ? heavy : {});
      rows.find((r) => r.workload === `matmul ${label} n=${n}`)!.cells["JS loop"] = (2 * n ** 3) / ms / 1e6;
    }
  }
  let acc = 0;
  const rosenMs = medianMs(() => {
    acc = 0;
    for (let i = 0; i < ROSEN_N; i++) { const [gx, gy] = rosenGrad(rosenX[i]!, rosenY[i]!); acc += gx + gy; }
  }, { minReps: 20 });
  rows.find((r) => r.workload.startsWith("Rosenbrock"))!.cells["JS loop"] = verified(rosenMs, acc === rosenRef);
  rows.find((r) => r.workload.startsWith("sum(exp(A+b)) forward"))!.cells["JS loop"] = medianMs(jsBroadcastForward, { minReps: 10 });
  const gA = new Float64Array(BR * BR), gb = new Float64Array(BR);
  rows.find((r) => r.workload.startsWith("sum(exp(A+b)) value"))!.cells["JS loop"] = medianMs(() => jsBroadcastGrad(gA, gb), { minReps: 10 });
  rows.find((r) => r.workload.startsWith("Adam"))!.cells["JS loop"] = medianMs(jsAdamRosen, { minReps: 10 });
}

// ------------------------------------------------------------------ TensorFlow.js (float32 only)
function benchTf(peer: Peer): void {
  const set = (workload: string, value: Cell) => {
    const r = rows.find((x) => x.workload === workload);
    if (r) r.cells[peer] = value;
  };
  for (const n of SIZES) {
    const { a, b } = mm.get(n)!;
    const A = tf.tensor2d(Float32Array.from(a), [n, n]), B = tf.tensor2d(Float32Array.from(b), [n, n]);
    let ref = 0;
    for (let p = 0; p < n; p++) ref += a[3 * n + p]! * b[p * n + 5]!;
    const got = tf.tidy(() => tf.matMul(A, B).dataSync()[3 * n + 5]!);
    const ms = medianMs(() => tf.tidy(() => { tf.matMul(A, B).dataSync(); }), n >= 512 ? heavy : {});
    set(`matmul f32 n=${n}`, verified((2 * n ** 3) / ms / 1e6, close(got, ref, 1e-4)));
    tf.dispose([A, B]);
  }

  const rosen = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
    tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))));
  let acc = 0;
  const rosenMs = medianMs(() => {
    acc = 0;
    for (let i = 0; i < ROSEN_N; i++) {
      acc += tf.tidy(() => {
        const [gx, gy] = rosen([tf.scalar(rosenX[i]!), tf.scalar(rosenY[i]!)]);
        return gx!.dataSync()[0]! + gy!.dataSync()[0]!;
      });
    }
  }, heavy);
  set("Rosenbrock grad x10,000", verified(rosenMs, close(acc, rosenRef, 1e-3)));

  const A = tf.tensor2d(Float32Array.from(bcA), [BR, BR]), b = tf.tensor1d(Float32Array.from(bcB));
  const f = (A: tf.Tensor, b: tf.Tensor) => tf.sum(tf.exp(tf.add(A, b)));
  let s = 0;
  const fwd = medianMs(() => { s = tf.tidy(() => f(A, b).dataSync()[0]!); }, { minReps: 10 });
  set("sum(exp(A+b)) forward", verified(fwd, close(s, bcRef, 1e-4)));
  const g = tf.grads((A: tf.Tensor, b: tf.Tensor) => f(A, b));
  let gbSum = 0;
  const bwd = medianMs(() => {
    gbSum = tf.tidy(() => {
      const [gA, gb] = g([A, b]);
      gA!.dataSync();
      return tf.sum(gb!).dataSync()[0]!;
    });
  }, { minReps: 10 });
  set("sum(exp(A+b)) value+grad A,b", verified(bwd, close(gbSum, bcRef, 1e-4)));
  tf.dispose([A, b]);

  const X = tf.tensor2d(Float32Array.from(mlpX), [BATCH, IN]);
  const Y = tf.oneHot(tf.tensor1d(mlpLabels, "int32"), OUT);
  const W1 = tf.variable(tf.tensor2d(Float32Array.from(mlpW1), [IN, HID])), b1 = tf.variable(tf.zeros([HID]));
  const W2 = tf.variable(tf.tensor2d(Float32Array.from(mlpW2), [HID, OUT])), b2 = tf.variable(tf.zeros([OUT]));
  const opt = tf.train.adam(1e-3);
  let loss = 0;
  const mlpMs = medianMs(() => {
    const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(Y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(X, W1), b1)), W2), b2)) as tf.Scalar,
      true, [W1, b1, W2, b2]);
    loss = cost!.dataSync()[0]!;
    cost!.dispose();
  }, { minReps: 10, budgetMs: 3000 });
  set("MLP 784-256-10 Adam step f32", verified(1000 / mlpMs, Number.isFinite(loss)));
  tf.dispose([X, Y, W1, b1, W2, b2]);
  opt.dispose();

  let end: [number, number] = [0, 0];
  const adamMs = medianMs(() => {
    const x = tf.variable(tf.scalar(ADAM_START[0])), y = tf.variable(tf.scalar(ADAM_START[1]));
    const o = tf.train.adam(ADAM_LR);
    for (let t = 0; t < ADAM_STEPS; t++) {
      o.minimize(() => tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))) as tf.Scalar, false, [x, y]);
    }
    end = [x.dataSync()[0]!, y.dataSync()[0]!];
    tf.dispose([x, y]);
    o.dispose();
  }, heavy);
  set(`Adam on Rosenbrock x${ADAM_STEPS}`, verified(adamMs, close(end[0], adamRef[0], 1e-2) && close(end[1], adamRef[1], 1e-2)));
}

// ------------------------------------------------------------------ targets (issues 3 and 4), as ratios in this run
interface Target { name: string; ratio: number | undefined; need: number; note: string }
function targets(): Target[] {
  const cell = (workload: string, peer: Peer): number | undefined => {
    const v = rows.find((r) => r.workload === workload)?.cells[peer];
    return typeof v === "number" ? v : undefined;
  };
  const faster = (w: string, mine: Peer, theirs: Peer) => {
    const a = cell(w, mine), b = cell(w, theirs);
    return a !== undefined && b !== undefined ? b / a : undefined; // times: theirs / mine
  };
  const out: Target[] = [];
  for (const n of SIZES.filter((n) => n >= 256)) {
    const w = `matmul f32 n=${n}`;
    const a = cell(w, "gradlab 1 thread"), b = cell(w, "tfjs-wasm");
    out.push({ name: `${w}: gradlab (1 thread) vs tfjs-wasm`, ratio: a && b ? a / b : undefined, need: 1, note: "x as fast" });
  }
  for (const n of SIZES.filter((n) => n >= 256)) {
    out.push({ name: `matmul f64 n=${n}: gradlab 1 thread GFLOP/s`, ratio: cell(`matmul f64 n=${n}`, "gradlab 1 thread"), need: 15, note: "GFLOP/s" });
  }
  const big = SIZES[SIZES.length - 1]!;
  for (const dt of ["f32", "f64"]) {
    const w = `matmul ${dt} n=${big}`;
    const a = cell(w, "gradlab"), b = cell(w, "gradlab 1 thread");
    out.push({ name: `${w}: all threads vs 1 thread (${threadsWanted()} threads)`, ratio: a && b ? a / b : undefined, need: 1.3, note: "x speed-up" });
  }
  out.push({ name: "Rosenbrock x10,000: vs tfjs-cpu", ratio: faster("Rosenbrock grad x10,000", "gradlab", "tfjs-cpu"), need: 20, note: "x faster" });
  for (const w of ["sum(exp(A+b)) forward", "sum(exp(A+b)) value+grad A,b"]) {
    out.push({ name: `${w}: vs tfjs-wasm`, ratio: faster(w, "gradlab", "tfjs-wasm"), need: 1, note: "x faster" });
    const js = faster(w, "gradlab", "JS loop");
    out.push({ name: `${w}: within 1.5x of the JS loop`, ratio: js, need: 1 / 1.5, note: "JS time / gradlab time" });
  }
  const mlp = (p: Peer) => cell("MLP 784-256-10 Adam step f32", p);
  const g32 = mlp("gradlab"), w32 = mlp("tfjs-wasm");
  out.push({ name: "MLP step f32: vs tfjs-wasm", ratio: g32 && w32 ? g32 / w32 : undefined, need: 1, note: "x steps/s" });
  out.push({ name: `Adam on Rosenbrock x${ADAM_STEPS}: vs tfjs-cpu`, ratio: faster(`Adam on Rosenbrock x${ADAM_STEPS}`, "gradlab", "tfjs-cpu"), need: 20, note: "x faster" });
  return out;
}

// ------------------------------------------------------------------ run
async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const k = kernels();
  console.log(`gradlab library benchmark: ${cpus()[0]?.model ?? "cpu"}, ${availableParallelism()} cores, node ${process.version}`);
  console.log(`gradlab kernels: ${k ? "wasm SIMD" : "plain JS (no wasm)"}, ${threadsWanted()} threads; tfjs ${tf.version.tfjs}`);
  if (k) waitForHelpers(k);
  const progress = (what: string) => process.stderr.write(`  measuring ${what}...\n`);
  progress("gradlab");
  benchGradlab();
  progress("plain-JS loops");
  benchJs();
  progress("tfjs-cpu");
  tf.env().set("IS_TEST", false);
  await tf.setBackend("cpu");
  await tf.ready();
  benchTf("tfjs-cpu");
  const wasmDir = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json")) + "/dist/";
  setWasmPaths(wasmDir);
  if (await tf.setBackend("wasm")) {
    await tf.ready();
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const mt = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    console.log(`tfjs-wasm: SIMD ${simd ? "on" : "off"}, threads ${mt ? "on" : "off"}`);
    progress("tfjs-wasm");
    benchTf("tfjs-wasm");
  } else {
    console.log("tfjs-wasm: backend failed to initialize");
  }

  console.log("\nMedians (tfjs computes in float32; gradlab and the JS loop in float64 unless the row says f32; higher is better for GFLOP/s and steps/s)\n");
  console.log(table(["workload", "unit", ...PEERS], rows.map((r) => [r.workload, r.unit, ...PEERS.map((p) => formatNumber(r.cells[p]))])));
  const ts = targets();
  console.log("\nTargets\n");
  console.log(table(["target", "ratio", "need", "unit", "result"], ts.map((t) => [t.name, formatNumber(t.ratio), `>= ${formatNumber(t.need)}`, t.note,
    t.ratio === undefined ? "MISS (not measured)" : t.ratio >= t.need ? "PASS" : "MISS"])));
  const outDir = resolve(here, "../../out/bench");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, "lib.json"), JSON.stringify({ date: new Date().toISOString(), rows, targets: ts }, null, 2));
  console.log(`\nwrote ${resolve(outDir, "lib.json")}`);
}

await main();
