// `gradlab uninstall`: removes the kernelspec `install` wrote at the same location, and the plot renderer extensions
// once no gradlab kernelspec there needs them any more.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package.js";
import { jupyterDataDir, type InstallOptions } from "./install.js";
import { kernelTarget, readKernelspecArgv } from "./kernelspec.js";
import { removeExtensions } from "./labextension.js";

export async function uninstall(options: Omit<InstallOptions, "displayName">, log: (line: string) => void = console.log): Promise<void> {
  const dataDir = jupyterDataDir(options.location);
  const kernelsDir = join(dataDir, "kernels");
  const kernelDir = join(kernelsDir, options.name);
  const argv = readKernelspecArgv(kernelDir);
  if (argv === undefined) throw new Error(`no kernelspec "${options.name}" in ${kernelsDir}`);
  if (argv instanceof Error || kernelTarget(argv) instanceof Error) {
    throw new Error(`kernelspec "${options.name}" in ${kernelsDir} is not gradlab's; remove it with \`jupyter kernelspec remove ${options.name}\``);
  }
  rmSync(kernelDir, { recursive: true, force: true });
  log(`Removed kernelspec ${options.name} from ${kernelDir}`);
  const others = readdirSync(kernelsDir).filter((name) => {
    const other = readKernelspecArgv(join(kernelsDir, name));
    return Array.isArray(other) && !(kernelTarget(other) instanceof Error);
  });
  if (others.length > 0) {
    log(`Kept the plot renderer extensions: gradlab kernelspec(s) ${others.join(", ")} in ${kernelsDir} use them`);
    return;
  }
  for (const path of removeExtensions({ options: { ...options, displayName: "" }, dataDir, packageRoot: packageRoot() })) {
    log(`Removed ${path}`);
  }
}
