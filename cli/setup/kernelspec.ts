// A gradlab kernelspec on disk and what can be wrong with its command line: the Node binary it runs, the gradlab
// package it runs, and whether that package sits in a cache cleared without notice. Used by `install` (before it
// replaces a kernelspec) and by `doctor`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { oneShotRunner, packageRoot, readManifest, satisfiesEngines } from "../package.js";

export interface KernelTarget {
  node: string;
  bin: string;
  /** The gradlab package holding `bin`, when it still exists. */
  root?: string;
  version?: string;
}

/** argv of `dir/kernel.json`: undefined when there is no kernel.json; an Error when it cannot be read as a kernelspec. */
export function readKernelspecArgv(dir: string): string[] | Error | undefined {
  const file = join(dir, "kernel.json");
  if (!existsSync(file)) return undefined;
  try {
    const argv = (JSON.parse(readFileSync(file, "utf8")) as { argv?: unknown }).argv;
    if (!Array.isArray(argv) || argv.some((a) => typeof a !== "string")) return new Error(`${file} has no argv list`);
    return argv as string[];
  } catch (error) {
    return new Error(`${file} is not JSON (${(error as Error).message})`);
  }
}

/** The Node binary and gradlab executable of a kernelspec argv, or an Error saying why it is not gradlab's kernel. */
export function kernelTarget(argv: readonly string[]): KernelTarget | Error {
  const [node, bin, command] = argv;
  if (!node || !bin || command !== "kernel" || !/gradlab(\.js)?$/.test(bin)) {
    return new Error(`its argv does not start gradlab's kernel: ${JSON.stringify(argv)}`);
  }
  const target: KernelTarget = { node, bin };
  if (existsSync(bin)) {
    try {
      target.root = packageRoot(bin);
      target.version = readManifest(target.root)?.version;
    } catch {
      // bin exists but is not inside a gradlab package: reported by kernelProblems
    }
  }
  return target;
}

/** What stops this command line from starting a working kernel now, or from still working later. */
export function kernelProblems(target: KernelTarget): string[] {
  const problems: string[] = [];
  if (!existsSync(target.node)) {
    problems.push(`it runs Node at ${target.node}, which no longer exists`);
  } else {
    const run = spawnSync(target.node, ["--version"], { encoding: "utf8", timeout: 30_000 });
    const version = run.stdout?.trim() ?? "";
    const wanted = target.root ? readManifest(target.root)?.engines?.node : undefined;
    if (run.status !== 0 || !version.startsWith("v")) problems.push(`${target.node} does not run as Node (\`--version\` failed)`);
    else if (!satisfiesEngines(version, wanted)) problems.push(`it runs Node ${version} at ${target.node}; gradlab needs ${wanted}`);
  }
  if (!existsSync(target.bin)) {
    problems.push(`it runs ${target.bin}, which no longer exists (gradlab was moved or removed)`);
  } else if (!target.root) {
    problems.push(`${target.bin} is not inside a gradlab package`);
  } else {
    const runner = oneShotRunner(target.root);
    if (runner) problems.push(`it runs gradlab from ${runner}'s temporary cache (${target.root}), which is cleared without notice`);
  }
  return problems;
}
