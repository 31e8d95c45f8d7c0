// The `gradlab run` command line (commander): option parsing only; the runner itself loads when the command runs,
// so `gradlab kernel` start-up never pays for the report libraries.
import { Command, InvalidArgumentError } from "commander";
import { parseParameter, type Parameters } from "./parameters.js";
import type { RunOptions } from "./run.js";

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

function collectParameter(arg: string, params: Parameters = {}): Parameters {
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
  parameter?: Parameters;
}

export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description("execute notebooks headlessly on fresh gradlab kernels; write the executed .ipynb (and HTML with --html)")
    .argument("<notebooks...>", "notebook files (.ipynb, nbformat 4)")
    .option("--out <dir>", "write the results into this folder (default: replace each notebook, only if its run succeeded)")
    .option("--html", "also write one self-contained HTML page per notebook")
    .option("--jobs <n>", "run this many notebooks in parallel, one kernel each", positiveInt("--jobs"), 1)
    .option("--timeout <seconds>", "interrupt a cell that runs longer than this, and fail", positiveSeconds)
    .option("--allow-errors", "record cell errors in the outputs and keep going")
    .option("-p, --parameter <name=value>", "inject a parameter after the cell tagged `parameters` (JSON or string)", collectParameter)
    .action(async (files: string[], cli: CliOptions) => {
      const opts: RunOptions = {
        out: cli.out,
        html: cli.html === true,
        jobs: cli.jobs,
        timeoutS: cli.timeout,
        allowErrors: cli.allowErrors === true,
        params: cli.parameter ?? {},
      };
      const { runCommand } = await import("./run_cli.js");
      const { startGradlabKernel } = await import("./gradlab_kernel.js");
      process.exitCode = await runCommand(files, opts, startGradlabKernel);
    });
}

