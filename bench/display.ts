// Display benchmark: what live plots cost a training loop (100,000 pushes through a fake kernel hook, real clock),
// and how long the static figure builders take. Run: npm run build && node dist/bench/display.js
import { liveTraining } from "../lib/display/live.js";
import type { MimeBundle } from "../lib/display/mime.js";
import { plot } from "../lib/display/plot.js";
import { medianMs } from "./timing.js";

const HOOK = Symbol.for("gradlab.display");

function withFakeHook<T>(fn: (counts: { display: number; update: number; bytes: number }) => T): T {
  const counts = { display: 0, update: 0, bytes: 0 };
  const size = (b: MimeBundle): number => JSON.stringify(b).length;
  (globalThis as Record<symbol, unknown>)[HOOK] = {
    display: (b: MimeBundle) => ((counts.display += 1), (counts.bytes = size(b))),
    update: (b: MimeBundle) => ((counts.update += 1), (counts.bytes = size(b))),
    clear: () => {},
  };
  try {
    return fn(counts);
  } finally {
    delete (globalThis as Record<symbol, unknown>)[HOOK];
  }
}

/** A stand-in training step (~1 us of arithmetic), so the overhead is measured against something real. */
function fakeStep(i: number): number {
  let s = 0;
  for (let k = 0; k < 200; k++) s += Math.sin(i + k) * 1e-3;
  return Math.exp(-i / 20_000) + s;
}

function liveCost(): void {
  const N = 100_000;
  const losses = new Float64Array(N);
  for (let i = 0; i < N; i++) losses[i] = fakeStep(i);
  const reps = { warmup: 1, minReps: 3, maxReps: 5, budgetMs: 3000 };
  const bare = medianMs(() => {
    const kept = new Float64Array(N);
    for (let i = 0; i < N; i++) kept[i] = fakeStep(i);
  }, reps);
  withFakeHook((counts) => {
    const run = (): void => {
      const live = liveTraining({ title: "bench", totalSteps: N, logY: true });
      for (let i = 0; i < N; i++) live.push(i, fakeStep(i));
      live.done();
    };
    const ms = medianMs(run, reps);
    counts.display = 0;
    counts.update = 0;
    run();
    const messages = counts.display + counts.update;
    console.log(`live plot, ${N} pushes: ${ms.toFixed(0)} ms with display vs ${bare.toFixed(0)} ms bare loop ` +
      `(overhead ${(((ms - bare) / N) * 1000).toFixed(2)} us/push, ratio ${(ms / bare).toFixed(2)}x)`);
    console.log(`  messages sent per run: ${messages} (${counts.display} display_data + ${counts.update} update_display_data), ` +
      `final bundle ${(counts.bytes / 1024).toFixed(0)} KB`);
  });
}

function builders(): void {
  const rosen = (x: number, y: number): number => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  const runs = { a: Array.from({ length: 100_000 }, (_, i) => Math.exp(-i / 1e4)), b: Array.from({ length: 100_000 }, (_, i) => 1 / (1 + i)) };
  const cases: [string, () => unknown][] = [
    ["lossCurve 2 x 100k points, bundle", () => plot.lossCurve(runs, { logY: true }).bundle()],
    ["contour 50x50 + gradient field, bundle", () => plot.contour(rosen, { x: [-2, 2], y: [-1, 3] }, { gradientField: true }).bundle()],
    ["histogram 100k values, bundle", () => plot.histogram(runs.a).bundle()],
  ];
  for (const [name, fn] of cases) {
    const ms = medianMs(fn, { minReps: 3, maxReps: 10, budgetMs: 1000 });
    const kb = JSON.stringify(fn()).length / 1024;
    console.log(`${name}: ${ms.toFixed(1)} ms, ${kb.toFixed(0)} KB`);
  }
}

liveCost();
builders();
