// The `gradlab` command line (commander). One entry per subcommand in COMMANDS, each loaded only when that
// subcommand (or help) is asked for, so `gradlab kernel` starts without loading the runner or the installer.
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";

export type RegisterCommand = (program: Command) => void;

export interface CommandEntry {
  name: string;
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

async function loadInstallCommand(): Promise<RegisterCommand> {
  const { DEFAULT_DISPLAY_NAME, DEFAULT_KERNEL_NAME, install } = await import("./setup/install.js");
  return (program) => {
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
        const location: Parameters<typeof install>[0]["location"] = options.prefix
          ? { kind: "prefix", dir: options.prefix }
          : options.sysPrefix
            ? { kind: "sys-prefix" }
            : { kind: "user" };
        await install({ location, name: options.name, displayName: options.displayName });
      });
  };
}

export const COMMANDS: CommandEntry[] = [
  { name: "kernel", load: async () => registerKernelCommand },
  { name: "install", load: loadInstallCommand },
  // `gradlab run` (cli/runner/)
  { name: "run", load: async () => (await import("./runner/command.js")).registerRunCommand },
];

/** The version in gradlab's package.json (dist/cli/main.js sits two folders below it). */
function packageVersion(): string {
  return JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version as string;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command("gradlab").description("TypeScript Jupyter kernel with autodiff and optimization")
    .version(packageVersion(), "-V, --version", "print gradlab's version");
  const requested = COMMANDS.filter((entry) => entry.name === argv[2]);
  for (const entry of requested.length > 0 ? requested : COMMANDS) (await entry.load())(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.stderr.write(`gradlab: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
