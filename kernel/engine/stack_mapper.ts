// Runtime errors as Jupyter tracebacks: stack frames in cells are mapped through each cell's source map to the
// cell's own line:col, engine and Node-internal frames are dropped, and the failing line is shown with a caret.
import { SourceMap } from "node:module";
import { inspect } from "node:util";
import { codeFrame } from "./code_frame.js";

interface CellInfo { label: string; map: SourceMap; code: string; lines: number }

export interface ErrorReport { ename: string; evalue: string; traceback: string[] }

const RED = "\x1b[31m";
const RESET = "\x1b[0m";
const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

export class StackMapper {
  private readonly cells = new Map<string, CellInfo>();

  constructor(private readonly hiddenPathPrefixes: string[]) {}

  register(fileName: string, label: string, sourceMap: string, code: string): void {
    this.cells.set(fileName, { label, map: new SourceMap(JSON.parse(sourceMap)), code, lines: code.split("\n").length });
  }

  report(error: unknown): ErrorReport {
    if (!(error instanceof Error) && !(error && typeof error === "object" && "stack" in error && "message" in error)) {
      return { ename: "Uncaught", evalue: inspect(error), traceback: [`${RED}Uncaught${RESET} ${inspect(error)}`] };
    }
    const err = error as Error;
    const ename = err.name || err.constructor?.name || "Error";
    const evalue = String(err.message ?? "");
    const { frames, firstCellFrame } = this.mapFrames(typeof err.stack === "string" ? err.stack : "");
    const traceback = [`${RED}${ename}${RESET}: ${evalue}`, ...frames];
    if (firstCellFrame) traceback.push("", codeFrame(firstCellFrame.code, firstCellFrame.line, firstCellFrame.column));
    return { ename, evalue, traceback };
  }

  /** Plain text for stderr (errors raised outside the running cell: timers, unhandled rejections). */
  text(error: unknown): string {
    const { traceback } = this.report(error);
    return traceback.join("\n") + "\n";
  }

  private mapFrames(stack: string): { frames: string[]; firstCellFrame?: { code: string; line: number; column: number } } {
    const frames: string[] = [];
    let firstCellFrame: { code: string; line: number; column: number } | undefined;
    for (const line of stack.split("\n")) {
      const m = FRAME.exec(line);
      if (!m) continue;
      const [, fn, file, lineText, columnText] = m as unknown as [string, string | undefined, string, string, string];
      const cell = this.cells.get(file);
      if (cell) {
        const entry = cell.map.findEntry(Number(lineText) - 1, Number(columnText) - 1) as { originalLine?: number; originalColumn?: number };
        // Frames past the cell's last line belong to the engine's async wrapper.
        if (entry.originalLine === undefined || entry.originalLine >= cell.lines) continue;
        const pos = { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
        firstCellFrame ??= { code: cell.code, ...pos };
        const where = `${cell.label}:${pos.line}:${pos.column}`;
        frames.push(fn ? `    at ${fn} (${where})` : `    at ${where}`);
      } else if (!file.startsWith("node:") && !this.hiddenPathPrefixes.some((p) => file.includes(p))) {
        frames.push(line);
      }
    }
    return { frames, firstCellFrame };
  }
}
