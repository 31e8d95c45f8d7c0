// %time and %timeit as IPython reports them: the loop-count calibration of timeit, and its time format.
import { performance } from "node:perf_hooks";

export interface TimeitResult { loops: number; runs: number[] }

/** Below this, a run is too short for a stable figure: IPython's calibration target. */
const CALIBRATION_SECONDS = 0.2;

/** How long a batch of loops may hold the thread before it lets an interrupt message in. */
const YIELD_MS = 50;

/**
 * Each loop is one run of the cell (runOnce gets the batch size); with loops unset, batches of 1, 10, 100, ... until
 * one takes CALIBRATION_SECONDS, which counts as the first run.
 */
export async function timeit(runOnce: (loops: number) => Promise<void>, options: { loops?: number; repeat?: number }): Promise<TimeitResult> {
  const repeat = options.repeat ?? 7;
  const timeLoops = async (loops: number): Promise<number> => {
    const start = performance.now();
    let yielded = start;
    for (let i = 0; i < loops; i++) {
      await runOnce(loops);
      if (performance.now() - yielded > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
    }
    return (performance.now() - start) / 1000;
  };
  let loops = options.loops;
  const runs: number[] = [];
  if (loops === undefined) {
    for (loops = 1; ; loops *= 10) {
      const seconds = await timeLoops(loops);
      if (seconds >= CALIBRATION_SECONDS || loops >= 1e9) {
        runs.push(seconds);
        break;
      }
    }
  }
  while (runs.length < repeat) runs.push(await timeLoops(loops));
  return { loops, runs };
}

export function formatTimeit({ loops, runs }: TimeitResult): string {
  const perLoop = runs.map((r) => r / loops);
  const mean = perLoop.reduce((a, b) => a + b, 0) / perLoop.length;
  const std = Math.sqrt(perLoop.reduce((a, b) => a + (b - mean) ** 2, 0) / perLoop.length);
  const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
  return `${formatTime(mean)} ± ${formatTime(std)} per loop (mean ± std. dev. of ${plural(runs.length, "run")}, ${plural(loops, "loop")} each)`;
}

/** Three significant digits in the largest unit that keeps the figure at or above 1, as IPython's _format_time. */
export function formatTime(seconds: number): string {
  if (seconds >= 60) {
    const minutes = Math.floor(seconds / 60);
    return `${minutes}min ${formatTime(seconds - minutes * 60)}`;
  }
  const units = ["s", "ms", "µs", "ns"];
  const order = seconds > 0 ? Math.min(Math.max(-Math.floor(Math.floor(Math.log10(seconds)) / 3), 0), 3) : 3;
  return `${Number((seconds * 1000 ** order).toPrecision(3))} ${units[order]}`;
}

/** `%time`'s report: CPU times of this process (every thread) and the wall time. */
export function formatCpuAndWall(cpu: NodeJS.CpuUsage, wallSeconds: number): string {
  const user = cpu.user / 1e6;
  const system = cpu.system / 1e6;
  return `CPU times: user ${formatTime(user)}, sys: ${formatTime(system)}, total: ${formatTime(user + system)}\nWall time: ${formatTime(wallSeconds)}\n`;
}
