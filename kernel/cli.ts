// The `gradlab` command line (commander). One register function per subcommand; add new ones to COMMANDS.
import { Command, Option } from "commander";
import { DEFAULT_DISPLAY_NAME, DEFAULT_KERNEL_NAME, install, type InstallOptions } from "./install.js";
import { registerRunCommand } from "./runner/command.js"; // helper F: `gradlab run` (kernel/runner/)

export type RegisterCommand = (program: Command) => void;

function registerKernelCommand(program: Command): void {
  program
    .command("kernel")
    .description("run the Jupyter kernel (what the installed kernelspec starts)")
    .requiredOption("--connection-file <file>", "Jupyter connection file")
    // Frontends may append their own arguments (`jupyter run` passes its file names): ignored, as ipykernel does.
    .allowExcessArguments(true)
    .allowUnknownOption(true)
    .action(async (options: { connectionFile: string }, command: Command) => {
      if (command.args.length > 0) process.stderr.write(`[gradlab] ignoring extra arguments: ${command.args.join(" ")}\n`);
      const { runKernel } = await import("./main.js");
      await runKernel({ connectionFile: options.connectionFile });
    });
}

function registerInstallCommand(program: Command): void {
  program
    .command("install")
    .description("register the gradlab kernelspec with Jupyter")
    .addOption(new Option("--user", "install into the user's Jupyter data dir (default)").conflicts(["sysPrefix", "prefix"]))
    .addOption(new Option("--sys-prefix", "install into the Python environment's share/jupyter").conflicts("prefix"))
    .option("--prefix <dir>", "install into <dir>/share/jupyter")
    .option("--name <name>", "kernelspec name", DEFAULT_KERNEL_NAME)
    .option("--display-name <text>", "name shown in the launcher", DEFAULT_DISPLAY_NAME)
    .action(async (options: { sysPrefix?: boolean; prefix?: string; name: string; displayName: string }) => {
      if (!/^[a-zA-Z0-9._-]+$/.test(options.name)) {
        throw new Error(`--name ${JSON.stringify(options.name)}: use letters, digits, '.', '_' or '-'`);
      }
      const location: InstallOptions["location"] = options.prefix
        ? { kind: "prefix", dir: options.prefix }
        : options.sysPrefix
          ? { kind: "sys-prefix" }
          : { kind: "user" };
      await install({ location, name: options.name, displayName: options.displayName });
    });
}

export const COMMANDS: RegisterCommand[] = [registerKernelCommand, registerInstallCommand, registerRunCommand /* helper F */];

export async function main(argv: string[]): Promise<void> {
  const program = new Command("gradlab").description("TypeScript Jupyter kernel with autodiff and optimization");
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.stderr.write(`gradlab: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
