// Progress bar: a pure bundle builder (HTML bar + tqdm-like text with rate and ETA) and a throttled live handle.
import { escapeHtml } from "./html.js";
import { DISPLAY, type MimeBundle } from "./mime.js";
import { formatNumber } from "./numbers.js";
import { LiveOutput, type LiveOutputOptions } from "./throttle.js";

export interface ProgressState {
  step: number;
  total?: number;
  elapsedMs: number;
  title?: string;
  /** Extra values shown after the rate, e.g. {loss: 0.12}. */
  metrics?: Record<string, number>;
  done?: boolean;
}

/** "1:05" / "1:02:03" */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return hh > 0 ? `${hh}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** The progress bar's MIME bundle (text/html and text/plain). Pure. */
export function progressBundle(p: ProgressState): MimeBundle {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.step / seconds : NaN;
  const frac = p.total ? Math.min(1, Math.max(0, p.step / p.total)) : undefined;
  const eta = p.total && rate > 0 ? (p.total - p.step) / rate : NaN;
  const rateText = Number.isFinite(rate) ? `${formatNumber(rate, 3)} it/s` : "? it/s";
  const timeText = p.done || frac === undefined ? formatDuration(seconds) : `${formatDuration(seconds)} < ETA ${formatDuration(eta)}`;
  const metrics = Object.entries(p.metrics ?? {}).map(([k, v]) => `${k} ${formatNumber(v)}`).join(", ");
  const count = p.total ? `${p.step}/${p.total}` : `${p.step}`;
  const status = [count, timeText, rateText, metrics].filter(Boolean).join("  ");
  const title = p.title ? `${p.title}  ` : "";
  const width = 30;
  const filled = frac === undefined ? 0 : Math.round(frac * width);
  const bar = frac === undefined ? "" : `${String(Math.floor(frac * 100)).padStart(3)}% |${"█".repeat(filled)}${" ".repeat(width - filled)}| `;
  const plain = `${title}${bar}${status}${p.done ? "  done" : ""}`;
  const pct = frac === undefined ? 100 : Math.round(frac * 1000) / 10;
  const color = p.done ? "#2ca02c" : "#1f77b4";
  const html =
    `<div class="gradlab-progress" style="font-family:monospace;font-size:12px;display:flex;align-items:center;gap:8px">` +
    (p.title ? `<span>${escapeHtml(p.title)}</span>` : "") +
    `<div style="width:240px;height:12px;border:1px solid #999;border-radius:3px;overflow:hidden;background:#eee">` +
    `<div style="width:${pct}%;height:100%;background:${color}${frac === undefined ? ";opacity:0.3" : ""}"></div></div>` +
    `<span>${escapeHtml(status)}${p.done ? " ✓" : ""}</span></div>`;
  return { "text/html": html, "text/plain": plain };
}

export interface ProgressOptions extends LiveOutputOptions {
  total?: number;
  title?: string;
}

/** A live progress bar: `const bar = progress({total: 1000}); bar.update(step, {loss}); bar.done()`. */
export class Progress {
  private step = 0;
  private metrics: Record<string, number> = {};
  private finished = false;
  private readonly start: number;
  private readonly now: () => number;
  private readonly output: LiveOutput;

  constructor(private readonly opts: ProgressOptions = {}) {
    this.now = opts.now ?? (() => Date.now());
    this.start = this.now();
    this.output = new LiveOutput(() => this.bundle(), opts);
  }

  /** Sets the current step (and optional metrics shown beside the bar). */
  update(step: number, metrics?: Record<string, number>): void {
    this.step = step;
    if (metrics) this.metrics = metrics;
    this.output.touch();
  }

  /** Advances by n steps. */
  tick(n = 1): void {
    this.update(this.step + n);
  }

  done(): void {
    this.finished = true;
    this.output.close();
  }

  bundle(): MimeBundle {
    const state: ProgressState = { step: this.step, elapsedMs: this.now() - this.start, metrics: this.metrics, done: this.finished };
    if (this.opts.total !== undefined) state.total = this.opts.total;
    if (this.opts.title !== undefined) state.title = this.opts.title;
    return progressBundle(state);
  }

  [DISPLAY](): MimeBundle {
    return this.bundle();
  }
}

export function progress(opts: ProgressOptions = {}): Progress {
  return new Progress(opts);
}
