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

export interface StackMapperOptions {
  /** Frames in these files are dropped: the engine's own, between the cell and the worker. */
  hidden: string[];
  /** The library's files: a run of its frames becomes one line naming the function the user called. */
  library: string[];
  /** Show library frames as they are (GRADLAB_DEBUG=1), for debugging the library itself. */
  debug: boolean;
}

export class StackMapper {
  private readonly cells = new Map<string, CellInfo>();

  constructor(private readonly options: StackMapperOptions) {}

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

  /**
   * The user's frames come first, in stack order; the library's internals would bury them (a shape error in matmul
   * is several frames deep), so they collapse into one closing line naming the library function the cell called:
   * the outermost named frame of the first run of library frames.
   */
  private mapFrames(stack: string): { frames: string[]; firstCellFrame?: { code: string; line: number; column: number } } {
    const frames: string[] = [];
    let firstCellFrame: { code: string; line: number; column: number } | undefined;
    let libraryEntry: string | undefined;
    let libraryRun: "none" | "open" | "closed" = "none";
    for (const line of stack.split("\n")) {
      const m = FRAME.exec(line);
      if (!m) continue;
      const [, fn, file, lineText, columnText] = m as unknown as [string, string | undefined, string, string, string];
      const cell = this.cells.get(file);
      const inLibrary = !cell && !this.options.debug && this.options.library.some((p) => file.includes(p));
      if (libraryRun === "open" && !inLibrary) libraryRun = "closed";
      if (cell) {
        const entry = cell.map.findEntry(Number(lineText) - 1, Number(columnText) - 1) as { originalLine?: number; originalColumn?: number };
        // Frames past the cell's last line belong to the engine's async wrapper.
        if (entry.originalLine === undefined || entry.originalLine >= cell.lines) continue;
        const pos = { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
        firstCellFrame ??= { code: cell.code, ...pos };
        const where = `${cell.label}:${pos.line}:${pos.column}`;
        frames.push(fn ? `    at ${fn} (${where})` : `    at ${where}`);
      } else if (inLibrary) {
        if (libraryRun === "none") libraryRun = "open";
        const name = fn?.replace(/^async /, "").replace(/^(?:Object|Module)\./, "").replace(/ \[as .*\]$/, "");
        if (libraryRun === "open" && name && name !== "<anonymous>") libraryEntry = name;
      } else if (!file.startsWith("node:") && !this.options.hidden.some((p) => file.includes(p))) {
        frames.push(line);
      }
    }
    if (libraryRun !== "none") frames.push(`    in gradlab: ${libraryEntry ?? "(internal)"}`);
    return { frames, firstCellFrame };
  }
}
