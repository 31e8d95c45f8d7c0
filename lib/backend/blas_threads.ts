// How many threads a large native BLAS product gets: all wanted only while that has measured faster than one thread.

/**
 * OpenBLAS splits a product over the threads it is told and has no notion of how busy the machine is: with the cores
 * taken by other processes its threads wait for a time slice, and keep spinning after the call. So each dtype keeps
 * the recent speed (multiply-adds per ms, a moving average) of one-thread and of all-thread calls, runs the faster,
 * and every `probeEvery`-th call tries the other so that both figures follow the machine's load.
 */
export class BlasThreadChoice {
  private readonly rate = new Map<string, [solo: number, all: number]>();
  private calls = 0;

  constructor(private readonly probeEvery = 24, private readonly weight = 0.3) {}

  /** Threads for the next call: 1 or `wanted`. */
  choose(key: string, wanted: number): number {
    if (wanted <= 1) return 1;
    const [solo, all] = this.rate.get(key) ?? [0, 0];
    // Measure each way once before judging.
    if (all === 0) return wanted;
    if (solo === 0) return 1;
    const best = all > solo ? wanted : 1;
    return ++this.calls % this.probeEvery === 0 ? (best === 1 ? wanted : 1) : best;
  }

  /** After a call of `work` multiply-adds on `threads` threads that took `ms`. */
  record(key: string, threads: number, work: number, ms: number): void {
    if (!(ms > 0)) return;
    const pair = this.rate.get(key) ?? [0, 0];
    const i = threads > 1 ? 1 : 0;
    const r = work / ms;
    pair[i] = pair[i] === 0 ? r : pair[i] + this.weight * (r - pair[i]);
    this.rate.set(key, pair);
  }
}
