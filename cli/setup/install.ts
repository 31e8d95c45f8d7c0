// `gradlab install`: writes the kernelspec (kernel.json with absolute node and bin paths resolved now, logos) into a
// Jupyter data directory, then runs any further install steps (INSTALL_STEPS is the extension point).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { labExtensionInstallStep } from "./labextension.js";
import { KERNEL_ENV } from "../../kernel/kernel_env.js";

export interface InstallOptions {
  /** Where to install; "user" (the default) is the user's Jupyter data dir. */
  location: { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };
  name: string;
  displayName: string;
}

export interface InstallContext {
  options: InstallOptions;
  /** The Jupyter data dir chosen (…/share/jupyter or the user dir). */
  dataDir: string;
  /** dataDir/kernels/<name>. */
  kernelDir: string;
  packageRoot: string;
  log: (line: string) => void;
}

export type InstallStep = (ctx: InstallContext) => Promise<void>;

export const DEFAULT_KERNEL_NAME = "gradlab";
export const DEFAULT_DISPLAY_NAME = "TypeScript (gradlab)";

/** Run in order by install(). Other parts of gradlab add their steps here (e.g. a JupyterLab extension). */
export const INSTALL_STEPS: InstallStep[] = [
  writeKernelspec,
  labExtensionInstallStep, // the prebuilt JupyterLab plotly renderer (cli/setup/labextension.ts)
];

export async function install(options: InstallOptions, log: (line: string) => void = console.log): Promise<InstallContext> {
  const dataDir = jupyterDataDir(options.location);
  const ctx: InstallContext = {
    options,
    dataDir,
    kernelDir: join(dataDir, "kernels", options.name),
    packageRoot: packageRoot(),
    log,
  };
  for (const step of INSTALL_STEPS) await step(ctx);
  return ctx;
}

export function kernelSpec(ctx: Pick<InstallContext, "packageRoot" | "options">): Record<string, unknown> {
  const version = JSON.parse(readFileSync(join(ctx.packageRoot, "package.json"), "utf8")).version as string;
  return {
    argv: [process.execPath, join(ctx.packageRoot, "bin", "gradlab.js"), "kernel", "--connection-file", "{connection_file}"],
    display_name: ctx.options.displayName,
    language: "typescript",
    interrupt_mode: "signal",
    env: { ...KERNEL_ENV },
    metadata: { gradlab: { version }, debugger: false },
  };
}

async function writeKernelspec(ctx: InstallContext): Promise<void> {
  await mkdir(ctx.kernelDir, { recursive: true });
  await writeFile(join(ctx.kernelDir, "kernel.json"), JSON.stringify(kernelSpec(ctx), null, 2) + "\n");
  const assets = join(ctx.packageRoot, "kernel", "assets");
  for (const file of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
    await copyFile(join(assets, file), join(ctx.kernelDir, file));
  }
  ctx.log(`Installed kernelspec ${ctx.options.name} ("${ctx.options.displayName}") in ${ctx.kernelDir}`);
}

/** The same directories `jupyter --data-dir` and `--sys-prefix`/`--prefix` use. */
export function jupyterDataDir(location: InstallOptions["location"]): string {
  switch (location.kind) {
    case "prefix":
      return join(resolve(location.dir), "share", "jupyter");
    case "sys-prefix":
      return join(sysPrefix(), "share", "jupyter");
    case "user":
      return userDataDir();
  }
}

function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return resolve(process.env.JUPYTER_DATA_DIR);
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(process.env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  return join(process.env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
}

/** The Python environment Jupyter runs in: an active venv/conda env, else python3's sys.prefix. */
function sysPrefix(): string {
  const active = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX;
  if (active) return active;
  try {
    return execFileSync("python3", ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(`--sys-prefix: cannot ask python3 for sys.prefix (${(error as Error).message}); use --prefix DIR`);
  }
}

function packageRoot(): string {
  // dist/cli/setup/install.js or cli/setup/install.ts: the package root holds package.json named "gradlab".
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isGradlabRoot(dir)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the gradlab package root (package.json) above install.js");
    dir = parent;
  }
  return dir;
}

function isGradlabRoot(dir: string): boolean {
  const manifest = join(dir, "package.json");
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "gradlab";
}
