// Timing and table helpers shared by the benchmarks: medians over repeated runs or turns, ratios, fixed-width tables.

export interface TimeOptions {
  /** Untimed runs first (JIT, caches, thread start-up). */
  warmup?: number;
  minReps?: number;
  maxReps?: number;
  /** Keep repeating until this much time has been spent (and minReps reached). */
  budgetMs?: number;
  /**
   * Round robin only: each contestant's turn repeats its run until this much time has passed, so every turn lasts
   * about as long; the turn counts as the mean of its runs (see roundRobinMs).
   */
  turnMs?: number;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Median wall time of fn in milliseconds. */
export function medianMs(fn: () => void, options: TimeOptions = {}): number {
  const { warmup = 2, minReps = 5, maxReps = 50, budgetMs = 1500 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || (times.length < maxReps && performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Runs fn, returning its value or the error message (a peer that fails shows up in the table, not as a crash). */
export function attempt<T>(fn: () => T): T | string {
  try {
    return fn();
  } catch (err) {
    return `error: ${(err as Error).message.split("\n")[0]!.slice(0, 60)}`;
  }
}

export function formatNumber(x: number | string | undefined): string {
  if (x === undefined) return "-";
  if (typeof x === "string") return x;
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(2);
}

/** A plain-text table with a header row, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** One contestant of a round-robin timing: an optional switch-over before each of its runs, and the timed run. */
export interface Contestant {
  before?: () => void | Promise<void>;
  run: () => void;
  /**
   * For a contestant in another process that times itself: one turn (repeating its run for about turnMs, at least
   * once), resolving to the wall time of each run in ms. Used instead of `run` when present.
   */
  timed?: (turnMs: number) => Promise<number[]>;
}

/**
 * Wall time per run (ms) of several contestants timed in alternation (one turn of each per round), so that load from
 * other processes hits every contestant alike: the median over rounds of each turn's mean run. The mean, not the
 * median of single runs, because a loop pays for everything its runs leave behind: gradlab's full collection every few
 * calls of an unscoped loop over big tensors took a median of single runs at half the time per call that such a loop
 * takes. The median over turns still drops the turns that other processes slowed.
 */
export async function roundRobinMs(contestants: Contestant[], options: TimeOptions = {}): Promise<number[]> {
  const { warmup = 1, minReps = 5, maxReps = 30, budgetMs = 3000, turnMs = 0 } = options;
  const times: number[][] = contestants.map(() => []);
  const start = performance.now();
  for (let round = 0; ; round++) {
    const reps = round - warmup;
    if (reps >= maxReps || (reps >= minReps && performance.now() - start >= budgetMs)) break;
    for (const [i, c] of contestants.entries()) {
      // Work the previous contestant left for the next task (gradlab's deferred collection of dropped big tensors) runs
      // now, between turns, rather than on a core that the next contestant is being timed on.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await c.before?.();
      if (c.timed) {
        const own = await c.timed(reps >= 0 ? turnMs : 0);
        if (reps >= 0 && own.length > 0) times[i]!.push(mean(own));
        continue;
      }
      const turnStart = performance.now();
      let runs = 0;
      do {
        c.run();
        runs++;
      } while (reps >= 0 && performance.now() - turnStart < turnMs);
      if (reps >= 0) times[i]!.push((performance.now() - turnStart) / runs);
    }
  }
  return times.map(median);
}
