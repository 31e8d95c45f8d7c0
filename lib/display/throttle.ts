// A throttled live output: shows a bundle once through the kernel's display hook, then updates it in place at most
// every `intervalMs` and never spending more than ~5% of the time rendering (plus a trailing timer and a final
// flush), so 100,000 pushes produce a handful of messages.
import { displayHook, type MimeBundle } from "./mime.js";

let liveCounter = 0;

export interface LiveOutputOptions {
  /** Minimum time between two updates (default 200 ms, i.e. at most 5 updates per second). */
  intervalMs?: number;
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number;
}

export class LiveOutput {
  readonly id: string;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private shown = false;
  private dirty = false;
  private lastRender = -Infinity;
  /** Time the last render took: the next one waits at least 20x that, so rendering stays under ~5% of the loop. */
  private renderCost = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly render: () => MimeBundle,
    opts: LiveOutputOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 200;
    this.now = opts.now ?? (() => Date.now());
    this.id = `gradlab-live-${Date.now().toString(36)}-${++liveCounter}`;
  }

  /** Marks new data; renders now if the last render is old enough, else leaves it to the timer or `flush()`. */
  touch(): void {
    this.dirty = true;
    if (this.now() - this.lastRender >= Math.max(this.intervalMs, 20 * this.renderCost)) this.flush();
    else this.armTimer();
  }

  /** Renders and sends the current state (display the first time, update afterwards). */
  flush(): void {
    this.clearTimer();
    const hook = displayHook();
    this.dirty = false;
    this.lastRender = this.now();
    if (!hook) return;
    const bundle = this.render();
    this.renderCost = this.now() - this.lastRender;
    if (this.shown) hook.update(bundle, this.id);
    else hook.display(bundle, this.id);
    this.shown = true;
  }

  /** Final flush: the last update carries the complete state, which is what a saved notebook keeps. */
  close(): void {
    this.flush();
  }

  // A trailing update for loops that pause (await) between pushes; synchronous loops rely on the next push or close().
  private armTimer(): void {
    if (this.timer !== undefined || !displayHook()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.dirty) this.flush();
    }, this.intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
