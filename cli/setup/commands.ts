// The `install`, `uninstall` and `doctor` command lines (commander): option parsing only; the work is in install.ts,
// uninstall.ts and doctor.ts.
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_DISPLAY_NAME, DEFAULT_KERNEL_NAME, install, type InstallLocation } from "./install.js";

interface LocationOptions {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
  name: string;
}

function kernelName(value: string): string {
  if (!/^[a-zA-Z0-9._-]+$/.test(value)) throw new InvalidArgumentError(`${JSON.stringify(value)}: use letters, digits, '.', '_' or '-'`);
  return value;
}

/** The location flags install and uninstall share. */
function withLocation(command: Command, verb: string): Command {
  return command
    .addOption(new Option("--user", `${verb} the user's Jupyter data dir (default)`).conflicts(["sysPrefix", "prefix"]))
    .addOption(new Option("--sys-prefix", `${verb} the Python environment's share/jupyter`).conflicts("prefix"))
    .option("--prefix <dir>", `${verb} <dir>/share/jupyter (<dir> must exist)`)
    .option("--name <name>", "kernelspec name", kernelName, DEFAULT_KERNEL_NAME);
}

function location(options: LocationOptions): InstallLocation {
  if (options.prefix !== undefined) return { kind: "prefix", dir: options.prefix };
  return options.sysPrefix ? { kind: "sys-prefix" } : { kind: "user" };
}

export function registerSetupCommands(program: Command): void {
  withLocation(program.command("install").description("register the gradlab kernelspec and plot renderers with Jupyter"), "install into")
    .option("--display-name <text>", "name shown in the launcher", DEFAULT_DISPLAY_NAME)
    .option("--force", "replace a kernelspec of that name that runs something else (another or a deleted gradlab)")
    .action(async (options: LocationOptions & { displayName: string; force?: boolean }) => {
      await install({ location: location(options), name: options.name, displayName: options.displayName, force: options.force === true });
    });

  withLocation(program.command("uninstall").description("remove the kernelspec (and the plot renderers once unused)"), "remove from")
    .action(async (options: LocationOptions) => {
      const { uninstall } = await import("./uninstall.js");
      await uninstall({ location: location(options), name: options.name });
    });

  program
    .command("doctor")
    .description("check the installation as Jupyter sees it, then start the kernel and run 1+1")
    .option("--name <name>", "kernelspec name", kernelName, DEFAULT_KERNEL_NAME)
    .option("--timeout <seconds>", "time allowed for the kernel to answer", (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`must be a positive number of seconds, got "${v}"`);
      return n;
    }, 60)
    .action(async (options: { name: string; timeout: number }) => {
      const { doctor } = await import("./doctor.js");
      process.exitCode = await doctor({ name: options.name, timeoutS: options.timeout });
    });
}
