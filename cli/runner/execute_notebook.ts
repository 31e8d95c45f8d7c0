// Executes one notebook's code cells in order on a kernel, with a per-cell timeout, and reports the first failure.
import type { ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { cellSource } from "./notebook_file.js";
import { NotebookOutputs } from "./outputs.js";
import { WidgetStateRecorder } from "./widget_state.js";
import type { ExecuteReplyContent, RunnerKernel } from "./kernel_session.js";

export interface ExecuteOptions {
  /** Per-cell limit in seconds; undefined = no limit. */
  timeoutS?: number;
  allowErrors: boolean;
  /** How long a cell may keep running after the interrupt before the kernel is killed. */
  interruptGraceS?: number;
  onCellStart?: (event: CellProgress) => void;
}

export interface CellProgress {
  cellNumber: number; // 1-based position among all cells
  codeIndex: number; // 1-based position among code cells
  codeCount: number;
}

export interface CellFailure extends CellProgress {
  ename: string;
  evalue: string;
  traceback: string[];
  timedOut: boolean;
}

export interface ExecutionResult {
  notebook: INotebookContent;
  /** Every failed cell (with allowErrors there can be several); the run stops at the first one otherwise. */
  failures: CellFailure[];
  /** Set when the kernel had to be killed: nothing after that cell ran. */
  kernelKilled: boolean;
}

export async function executeNotebook(nb: INotebookContent, kernel: RunnerKernel, opts: ExecuteOptions): Promise<ExecutionResult> {
  const cells = nb.cells.map((c) => structuredClone(c));
  const notebook: INotebookContent = { ...nb, cells, metadata: withKernelMetadata(nb, kernel) };
  const outputs = new NotebookOutputs();
  const widgets = new WidgetStateRecorder();
  const codeCells = cells.filter((c) => c.cell_type === "code") as ICodeCell[];
  for (const cell of codeCells) {
    cell.outputs = [];
    cell.execution_count = null;
  }
  const failures: CellFailure[] = [];
  for (const [i, cell] of codeCells.entries()) {
    const progress = { cellNumber: cells.indexOf(cell) + 1, codeIndex: i + 1, codeCount: codeCells.length };
    const code = cellSource(cell);
    if (code.trim() === "") continue;
    opts.onCellStart?.(progress);
    const collector = outputs.cell();
    cell.outputs = collector.outputs;
    const run = await runCell(kernel, code, (t, c) => {
      widgets.handle(t, c);
      collector.handle(t, c);
    }, opts);
    if (typeof run.reply?.execution_count === "number") cell.execution_count = run.reply.execution_count;
    const failure = describeFailure(progress, run, collector.outputs, opts.timeoutS);
    if (failure?.timedOut) collector.addError(failure.ename, failure.evalue, []);
    if (failure) failures.push(failure);
    if (run.killed) {
      widgets.writeInto(notebook);
      return { notebook, failures, kernelKilled: true };
    }
    if (failure && !opts.allowErrors) break;
  }
  widgets.writeInto(notebook);
  return { notebook, failures, kernelKilled: false };
}

interface CellRun {
  reply?: ExecuteReplyContent;
  timedOut: boolean;
  killed: boolean;
  crash?: Error;
}

async function runCell(
  kernel: RunnerKernel,
  code: string,
  onIopub: (t: string, c: Record<string, unknown>) => void,
  opts: ExecuteOptions,
): Promise<CellRun> {
  const run: CellRun = { timedOut: false, killed: false };
  const timers: NodeJS.Timeout[] = [];
  let giveUp: (() => void) | undefined;
  const killedPromise = new Promise<void>((resolve) => (giveUp = resolve));
  if (opts.timeoutS !== undefined) {
    timers.push(
      setTimeout(() => {
        run.timedOut = true;
        kernel.interrupt().catch(() => undefined);
        timers.push(
          setTimeout(() => {
            run.killed = true;
            kernel.kill();
            giveUp?.();
          }, (opts.interruptGraceS ?? 10) * 1000),
        );
      }, opts.timeoutS * 1000),
    );
  }
  try {
    const reply = await Promise.race([kernel.execute(code, onIopub), killedPromise.then(() => undefined)]);
    if (reply) run.reply = reply;
  } catch (err) {
    run.crash = err as Error;
  } finally {
    for (const t of timers) clearTimeout(t);
  }
  return run;
}

function describeFailure(progress: CellProgress, run: CellRun, outputs: readonly unknown[], timeoutS?: number): CellFailure | undefined {
  if (run.crash && !run.killed) {
    return { ...progress, ename: "KernelError", evalue: run.crash.message, traceback: [], timedOut: false };
  }
  if (run.timedOut) {
    const what = run.killed ? "did not stop after the interrupt, so the kernel was killed" : "was interrupted";
    return { ...progress, ename: "CellTimeoutError", evalue: `timed out: the cell exceeded the ${timeoutS} s timeout and ${what}`, traceback: [], timedOut: true };
  }
  if (run.reply?.status === "ok") return undefined;
  // Prefer the error output (it carries the traceback the user saw); the reply repeats it in most kernels.
  const shown = outputs.find((o) => (o as { output_type?: string }).output_type === "error") as
    | { ename: string; evalue: string; traceback: string[] }
    | undefined;
  return {
    ...progress,
    ename: shown?.ename ?? run.reply?.ename ?? "Error",
    evalue: shown?.evalue ?? run.reply?.evalue ?? `execute_reply status ${run.reply?.status ?? "missing"}`,
    traceback: shown?.traceback ?? run.reply?.traceback ?? [],
    timedOut: false,
  };
}

function withKernelMetadata(nb: INotebookContent, kernel: RunnerKernel): INotebookContent["metadata"] {
  const metadata = { ...nb.metadata };
  metadata.kernelspec ??= { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" };
  const info = kernel.languageInfo();
  if (info) metadata.language_info = info as INotebookContent["metadata"]["language_info"];
  return metadata;
}
