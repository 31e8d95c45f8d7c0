// Terminal progress for `gradlab run`: a live status line on a TTY (notebook, cell i of n, elapsed), plain lines otherwise.
import { stripAnsi } from "../report/outputs_html.js";

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

interface Active {
  startedAt: number;
  cell: string;
}

export class Progress {
  private readonly active = new Map<string, Active>();
  private ticker: NodeJS.Timeout | undefined;
  private readonly live: boolean;

  constructor(private readonly out: ProgressStream, private readonly now: () => number = Date.now) {
    this.live = out.isTTY === true;
  }

  notebookStart(name: string): void {
    this.active.set(name, { startedAt: this.now(), cell: "starting kernel" });
    if (this.live && !this.ticker) {
      this.ticker = setInterval(() => this.redraw(), 500);
      this.ticker.unref();
    }
    this.redraw();
  }

  cellStart(name: string, codeIndex: number, codeCount: number): void {
    const a = this.active.get(name);
    if (!a) return;
    a.cell = `cell ${codeIndex} of ${codeCount}`;
    if (this.live) this.redraw();
    else this.line(`${name}: ${a.cell} (${this.elapsed(a)})`);
  }

  notebookDone(name: string, summary: string): void {
    const a = this.active.get(name);
    this.active.delete(name);
    this.line(`${name}: ${summary}${a ? ` in ${this.elapsed(a)}` : ""}`);
    if (this.active.size === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** A message that must stay on screen (errors, warnings, written files). */
  line(text: string): void {
    const shown = this.live ? text : stripAnsi(text);
    if (this.live) this.out.write("\r\u001b[K");
    this.out.write(shown.endsWith("\n") ? shown : shown + "\n");
    this.redraw();
  }

  private elapsed(a: Active): string {
    return `${((this.now() - a.startedAt) / 1000).toFixed(1)} s`;
  }

  private redraw(): void {
    if (!this.live || this.active.size === 0) return;
    const parts = [...this.active].map(([name, a]) => `${name}: ${a.cell} (${this.elapsed(a)})`);
    const columns = (this.out as { columns?: number }).columns ?? 120;
    this.out.write("\r\u001b[K" + parts.join(" | ").slice(0, columns - 1));
  }
}
