// A few lines of source around a position with a caret under it, shared by compile errors and runtime tracebacks.

const RED = "\x1b[31m";
const DIM = "\x1b[2m";
const RESET = "\x1b[0m";

/** line and column are 1-based; `length` underlines that many characters (at least one caret). */
export function codeFrame(source: string, line: number, column: number, length = 1, context = 2): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? "";
    const marker = n === line ? `${RED}>${RESET}` : " ";
    out.push(`${marker} ${DIM}${String(n).padStart(width)} |${RESET} ${text}`);
    if (n === line) {
      const pad = text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, " ");
      const carets = "^".repeat(Math.max(1, Math.min(length, text.length - column + 1)));
      out.push(`  ${" ".repeat(width)} ${DIM}|${RESET} ${pad}${RED}${carets}${RESET}`);
    }
  }
  return out.join("\n");
}
