// `gradlab run`: executes notebooks on fresh kernels (optionally in parallel), writes executed .ipynb and HTML reports.
import { basename, dirname, extname, join, resolve } from "node:path";
import type { INotebookContent } from "@jupyterlab/nbformat";
import { renderNotebookPage } from "../report/page.js";
import { executeNotebook, type CellFailure } from "./execute_notebook.js";
import type { KernelFactory } from "./kernel_session.js";
import { NotebookFileError, readNotebook, serializeNotebook, writeFileAtomic } from "./notebook_file.js";
import { injectParameters, type Parameters } from "./parameters.js";
import type { Progress } from "./progress.js";

export interface RunOptions {
  /** Output folder; without it the executed notebook replaces the input (only when the run succeeded). */
  out?: string;
  html: boolean;
  jobs: number;
  timeoutS?: number;
  allowErrors: boolean;
  params: Parameters;
}

export interface NotebookOutcome {
  file: string;
  ok: boolean;
  /** Files written (executed .ipynb, .html); empty when the run failed. */
  written: string[];
  failures: CellFailure[];
  /** The message shown for a failed notebook: names the file, the cell, the error and its traceback. */
  message?: string;
}

export function outputPaths(file: string, out: string | undefined): { ipynb: string; html: string } {
  const dir = out ?? dirname(file);
  const stem = basename(file, extname(file));
  return { ipynb: join(dir, `${stem}.ipynb`), html: join(dir, `${stem}.html`) };
}

/** Runs every notebook; after the first failure no new notebook starts (running ones finish). Returns one outcome each. */
export async function runNotebooks(files: readonly string[], opts: RunOptions, startKernel: KernelFactory, progress: Progress): Promise<NotebookOutcome[]> {
  checkDistinctOutputs(files, opts.out);
  const outcomes: NotebookOutcome[] = [];
  let next = 0;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (!stop && next < files.length) {
      const file = files[next++]!;
      const outcome = await runOne(file, opts, startKernel, progress);
      outcomes.push(outcome);
      if (!outcome.ok) stop = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs, files.length)) }, worker));
  return files.map((f) => outcomes.find((o) => o.file === f)).filter((o): o is NotebookOutcome => o !== undefined);
}

function checkDistinctOutputs(files: readonly string[], out: string | undefined): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const target = resolve(outputPaths(file, out).ipynb);
    const other = seen.get(target);
    if (other !== undefined) throw new Error(`${other} and ${file} would both be written to ${target}`);
    seen.set(target, file);
  }
}

async function runOne(file: string, opts: RunOptions, startKernel: KernelFactory, progress: Progress): Promise<NotebookOutcome> {
  const started = Date.now();
  let nb: INotebookContent;
  try {
    const injected = injectParameters(await readNotebook(file), opts.params);
    if (injected.warning) progress.line(`${file}: warning: ${injected.warning}`);
    nb = injected.notebook;
  } catch (err) {
    const message = err instanceof NotebookFileError ? err.message : `${file}: ${(err as Error).message}`;
    return { file, ok: false, written: [], failures: [], message };
  }
  progress.notebookStart(file);
  let result;
  try {
    const kernel = await startKernel(dirname(resolve(file)));
    try {
      result = await executeNotebook(nb, kernel, {
        timeoutS: opts.timeoutS,
        allowErrors: opts.allowErrors,
        onCellStart: (p) => progress.cellStart(file, p.codeIndex, p.codeCount),
      });
    } finally {
      if (!result?.kernelKilled) await kernel.shutdown().catch(() => kernel.kill());
    }
  } catch (err) {
    progress.notebookDone(file, "FAILED");
    return { file, ok: false, written: [], failures: [], message: `${file}: the kernel failed: ${(err as Error).message}` };
  }
  const failed = result.kernelKilled || (result.failures.length > 0 && !opts.allowErrors);
  if (failed) {
    progress.notebookDone(file, "FAILED");
    return { file, ok: false, written: [], failures: result.failures, message: failureMessage(file, result.failures[0]!) };
  }
  const written = await writeOutputs(file, result.notebook, opts, (Date.now() - started) / 1000);
  const errors = result.failures.length > 0 ? ` with ${result.failures.length} recorded error(s)` : "";
  progress.notebookDone(file, `ok${errors}`);
  return { file, ok: true, written, failures: result.failures };
}

async function writeOutputs(file: string, nb: INotebookContent, opts: RunOptions, seconds: number): Promise<string[]> {
  const paths = outputPaths(file, opts.out);
  // Render before writing anything, so a rendering bug cannot leave a new .ipynb beside a stale .html.
  const html = opts.html
    ? renderNotebookPage(nb, { title: basename(file), subtitle: `executed by gradlab run in ${seconds.toFixed(1)} s` })
    : undefined;
  await writeFileAtomic(paths.ipynb, serializeNotebook(nb));
  if (html === undefined) return [paths.ipynb];
  await writeFileAtomic(paths.html, html);
  return [paths.ipynb, paths.html];
}

export function failureMessage(file: string, f: CellFailure): string {
  const head = `${file}: cell ${f.cellNumber} (code cell ${f.codeIndex} of ${f.codeCount}) failed: ${f.ename}: ${f.evalue}`;
  return f.traceback.length > 0 ? `${head}\n${f.traceback.join("\n")}` : head;
}
