// The `gradlab` command line (commander). One entry per subcommand in COMMANDS, each loaded only when that
// subcommand (or help) is asked for, so `gradlab kernel` starts without loading the runner or the installer.
import { Command } from "commander";
import { packageVersion } from "./package.js";

export type RegisterCommand = (program: Command) => void;

export interface CommandEntry {
  /** The subcommands `load` registers. */
  names: string[];
  load(): Promise<RegisterCommand>;
}

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
      const { runKernel } = await import("../kernel/main.js");
      await runKernel({ connectionFile: options.connectionFile });
    });
}

export const COMMANDS: CommandEntry[] = [
  { names: ["kernel"], load: async () => registerKernelCommand },
  // `gradlab install`, `uninstall`, `doctor` (cli/setup/)
  { names: ["install", "uninstall", "doctor"], load: async () => (await import("./setup/commands.js")).registerSetupCommands },
  // `gradlab run` (cli/runner/)
  { names: ["run"], load: async () => (await import("./runner/command.js")).registerRunCommand },
];

export async function main(argv: string[]): Promise<void> {
  const program = new Command("gradlab").description("TypeScript Jupyter kernel with autodiff and optimization")
    .version(packageVersion(), "-V, --version", "print gradlab's version")
    // Usage errors as one line in the same voice as the commands' own errors.
    .configureOutput({ outputError: (text, write) => write(`gradlab: ${text.replace(/^error: /, "")}`) });
  const requested = COMMANDS.filter((entry) => entry.names.includes(argv[2] ?? ""));
  for (const entry of requested.length > 0 ? requested : COMMANDS) (await entry.load())(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.stderr.write(`gradlab: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
