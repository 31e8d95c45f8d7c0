// How many threads a large native BLAS product gets: all wanted only while that has measured faster than one thread.

interface Speeds {
  /** Recent multiply-adds per ms on one thread and on all (0: not measured yet). */
  solo: number;
  all: number;
  /** Whether a first call each way has run: it starts the library's threads and fills caches, so it is not counted. */
  soloWarm: boolean;
  allWarm: boolean;
  /** Calls between probes of the slower way, and calls left until the next. */
  interval: number;
  left: number;
}

/**
 * OpenBLAS splits a product over the threads it is told and has no notion of how busy the machine is: with the cores
 * taken by other processes its threads wait for a time slice (a 256³ float64 product measured 10x slower on two
 * threads than on one here). So each dtype keeps the recent speed of one-thread and all-thread calls, runs the faster,
 * and now and then tries the other so that both figures follow the machine's load. A probe that loses doubles the
 * wait before the next (up to `longest` calls), since a losing all-thread probe can cost several calls' time.
 */
export class BlasThreadChoice {
  private readonly speeds = new Map<string, Speeds>();

  constructor(private readonly first = 16, private readonly longest = 1024, private readonly weight = 0.3) {}

  /** Threads for the next call: 1 or `wanted`. */
  choose(key: string, wanted: number): number {
    if (wanted <= 1) return 1;
    const s = this.state(key);
    // Measure each way before judging (record skips the first call each way).
    if (s.all === 0) return wanted;
    if (s.solo === 0) return 1;
    const best = s.all > s.solo ? wanted : 1;
    if (--s.left > 0) return best;
    s.left = s.interval;
    return best === 1 ? wanted : 1;
  }

  /** After a call of `work` multiply-adds on `threads` threads that took `ms`. */
  record(key: string, threads: number, work: number, ms: number): void {
    if (!(ms > 0)) return;
    const s = this.state(key);
    if (threads > 1 ? !s.allWarm : !s.soloWarm) {
      if (threads > 1) s.allWarm = true;
      else s.soloWarm = true;
      return;
    }
    const rate = work / ms;
    const wasBest = s.solo === 0 || s.all === 0 ? null : (s.all > s.solo) === (threads > 1);
    // A probe's figure is older news than the other's, so it counts for more.
    const w = wasBest === false ? 0.6 : this.weight;
    if (threads > 1) s.all = s.all === 0 ? rate : s.all + w * (rate - s.all);
    else s.solo = s.solo === 0 ? rate : s.solo + w * (rate - s.solo);
    if (wasBest === false) {
      // A probe: if the other way is now the faster, probe soon again; if not, wait longer.
      const won = (s.all > s.solo) === (threads > 1);
      s.interval = won ? this.first : Math.min(this.longest, s.interval * 2);
      s.left = s.interval;
    }
  }

  private state(key: string): Speeds {
    let s = this.speeds.get(key);
    if (!s) {
      s = { solo: 0, all: 0, soloWarm: false, allWarm: false, interval: this.first, left: this.first };
      this.speeds.set(key, s);
    }
    return s;
  }
}
