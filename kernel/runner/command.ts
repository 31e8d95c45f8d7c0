// The `gradlab run` command line (commander): parses options, runs the notebooks, prints failures, sets the exit code.
import { Command, InvalidArgumentError } from "commander";
import type { KernelFactory } from "./kernel_session.js";
import { parseParameter, type Parameters } from "./parameters.js";
import { Progress } from "./progress.js";
import { runNotebooks, type RunOptions } from "./run.js";

function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer, got "${value}"`);
    return n;
  };
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`--timeout must be a positive number of seconds, got "${value}"`);
  return n;
}

function collectParameter(arg: string, params: Parameters): Parameters {
  try {
    const [name, value] = parseParameter(arg);
    return { ...params, [name]: value };
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

interface CliOptions {
  out?: string;
  html?: boolean;
  jobs: number;
  timeout?: number;
  allowErrors?: boolean;
  parameter: Parameters;
}

export function registerRunCommand(program: Command, startKernel: () => Promise<KernelFactory>): Command {
  return program
    .command("run")
    .description("execute notebooks headlessly on fresh gradlab kernels; write the executed .ipynb (and HTML with --html)")
    .argument("<notebooks...>", "notebook files (.ipynb, nbformat 4)")
    .option("--out <dir>", "write the results into this folder (default: replace each notebook, only if its run succeeded)")
    .option("--html", "also write one self-contained HTML page per notebook")
    .option("--jobs <n>", "run this many notebooks in parallel, one kernel each", positiveInt("--jobs"), 1)
    .option("--timeout <seconds>", "interrupt a cell that runs longer than this, and fail", positiveSeconds)
    .option("--allow-errors", "record cell errors in the outputs and keep going")
    .option("-p, --parameter <name=value>", "inject a parameter after the cell tagged `parameters` (JSON or string)", collectParameter, {})
    .action(async (files: string[], cli: CliOptions) => {
      const opts: RunOptions = {
        out: cli.out,
        html: cli.html === true,
        jobs: cli.jobs,
        timeoutS: cli.timeout,
        allowErrors: cli.allowErrors === true,
        params: cli.parameter,
      };
      process.exitCode = await runCommand(files, opts, await startKernel());
    });
}

/** Returns the exit status: 0 when every notebook ran (errors allowed by --allow-errors count as ran), else 1. */
export async function runCommand(files: string[], opts: RunOptions, startKernel: KernelFactory): Promise<number> {
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
