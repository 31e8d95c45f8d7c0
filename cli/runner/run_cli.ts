// `gradlab run` from the terminal: runs the notebooks with live progress, prints each failure, returns the exit status.
import { existsSync } from "node:fs";
import type { KernelFactory } from "./kernel_session.js";
import { Progress } from "./progress.js";
import { runNotebooks, type RunOptions } from "./run.js";

/**
 * Returns the exit status: 0 when every notebook ran (errors allowed by --allow-errors count as ran), 1 when one
 * failed, 2 when nothing was started (a named notebook does not exist, or the run could not begin).
 */
export async function runCommand(files: string[], opts: RunOptions, startKernel: KernelFactory): Promise<number> {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    process.stderr.write(`gradlab run: no such notebook: ${missing.join(", ")}\n`);
    return 2;
  }
  const progress = new Progress(process.stderr);
  const started = Date.now();
  let outcomes;
  try {
    outcomes = await runNotebooks(files, opts, startKernel, progress);
  } catch (err) {
    process.stderr.write(`gradlab run: ${(err as Error).message}\n`);
    return 2;
  }
  for (const o of outcomes) for (const w of o.written) process.stdout.write(`wrote ${w}\n`);
  const failed = outcomes.filter((o) => !o.ok);
  for (const o of failed) process.stderr.write(`\ngradlab run: ${o.message ?? `${o.file} failed`}\n`);
  const skipped = files.length - outcomes.length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = `${outcomes.length - failed.length} of ${files.length} notebook(s) ran in ${seconds} s` +
    (skipped > 0 ? `; ${skipped} not started after the failure` : "");
  process.stderr.write(`gradlab run: ${summary}\n`);
  return failed.length > 0 ? 1 : 0;
}
