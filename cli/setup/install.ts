// `gradlab install`: writes the kernelspec (kernel.json with absolute node and bin paths resolved now, logos) into a
// Jupyter data directory, then runs any further install steps (INSTALL_STEPS is the extension point). It refuses to
// run from a one-shot cache (npx), and to replace a kernelspec that runs another gradlab unless --force.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { labExtensionInstallStep } from "./labextension.js";
import { KERNEL_ENV } from "../../kernel/kernel_env.js";
import { kernelArgv, oneShotRunner, packageRoot, packageVersion } from "../package.js";
import { findJupyter, jupyterPython } from "./jupyter.js";
import { kernelProblems, kernelTarget, readKernelspecArgv } from "./kernelspec.js";

export type InstallLocation = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };

export interface InstallOptions {
  /** Where to install; "user" (the default) is the user's Jupyter data dir. */
  location: InstallLocation;
  name: string;
  displayName: string;
  /** Replace a kernelspec of the same name that runs something else (another gradlab, a deleted one). */
  force?: boolean;
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
  const root = packageRoot();
  const runner = oneShotRunner(root);
  if (runner) {
    throw new Error(
      `this gradlab runs from ${runner}'s temporary cache (${root}), which is cleared without notice, and a kernelspec ` +
        "pointing there would stop working; install gradlab for good, then register that copy: " +
        "`npm install -g gradlab && gradlab install`, or in a project `npm install gradlab && npx gradlab install`",
    );
  }
  const dataDir = jupyterDataDir(options.location);
  const ctx: InstallContext = { options, dataDir, kernelDir: join(dataDir, "kernels", options.name), packageRoot: root, log };
  try {
    for (const step of INSTALL_STEPS) await step(ctx);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
      throw new Error(`cannot write into ${dataDir} (${code}); choose a location you can write: --user, --sys-prefix or --prefix DIR`);
    }
    throw error;
  }
  return ctx;
}

export function kernelSpec(ctx: Pick<InstallContext, "packageRoot" | "options">): Record<string, unknown> {
  return {
    argv: kernelArgv(process.execPath, ctx.packageRoot),
    display_name: ctx.options.displayName,
    language: "typescript",
    interrupt_mode: "signal",
    env: { ...KERNEL_ENV },
    metadata: { gradlab: { version: packageVersion(ctx.packageRoot) }, debugger: false },
  };
}

/** The install command's flags for this location and name, so a message can say exactly what to run. */
export function locationFlags(options: Pick<InstallOptions, "location" | "name">): string {
  const where = options.location.kind === "prefix" ? ` --prefix ${options.location.dir}` : options.location.kind === "sys-prefix" ? " --sys-prefix" : "";
  return where + (options.name === DEFAULT_KERNEL_NAME ? "" : ` --name ${options.name}`);
}

/** Refuses (unless --force) to replace a kernelspec that runs anything but this gradlab on this Node. */
function checkReplace(ctx: InstallContext, argv: string[]): string | undefined {
  if (!existsSync(ctx.kernelDir)) return undefined;
  const existing = readKernelspecArgv(ctx.kernelDir);
  if (Array.isArray(existing) && existing.length === argv.length && existing.every((a, i) => a === argv[i])) return undefined;
  let what: string;
  if (existing === undefined) what = "is a folder without kernel.json";
  else if (existing instanceof Error) what = `cannot be read (${existing.message})`;
  else {
    const target = kernelTarget(existing);
    if (target instanceof Error) what = `is not gradlab's: ${target.message}`;
    else {
      const problems = kernelProblems(target);
      what = problems.length > 0 ? problems.join("; ") : `runs ${target.bin} on ${target.node}`;
    }
  }
  const replaced = `kernelspec "${ctx.options.name}" in ${ctx.kernelDir} ${what}`;
  if (!ctx.options.force) {
    throw new Error(`${replaced}; run \`gradlab install --force${locationFlags(ctx.options)}\` to replace it with this gradlab (${argv[1]})`);
  }
  return replaced;
}

async function writeKernelspec(ctx: InstallContext): Promise<void> {
  const spec = kernelSpec(ctx);
  const replaced = checkReplace(ctx, spec.argv as string[]);
  if (replaced) await rm(ctx.kernelDir, { recursive: true, force: true });
  await mkdir(ctx.kernelDir, { recursive: true });
  await writeFile(join(ctx.kernelDir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  const assets = join(ctx.packageRoot, "kernel", "assets");
  for (const file of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
    await copyFile(join(assets, file), join(ctx.kernelDir, file));
  }
  if (replaced) ctx.log(`Replaced: ${replaced}`);
  ctx.log(`Installed kernelspec ${ctx.options.name} ("${ctx.options.displayName}") in ${ctx.kernelDir}`);
  ctx.log(`  it runs ${(spec.argv as string[]).slice(0, 2).join(" ")}`);
}

/** The same directories `jupyter --data-dir` and `--sys-prefix`/`--prefix` use. */
export function jupyterDataDir(location: InstallLocation): string {
  switch (location.kind) {
    case "prefix": {
      const dir = resolve(location.dir);
      if (!existsSync(dir)) throw new Error(`--prefix ${location.dir}: no such directory`);
      if (!statSync(dir).isDirectory()) throw new Error(`--prefix ${location.dir}: not a directory`);
      return join(dir, "share", "jupyter");
    }
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

/**
 * The Python environment Jupyter runs in: an active venv/conda env, else the interpreter of the `jupyter` command on
 * PATH (the first python3 on PATH may be another one), else python3's.
 */
function sysPrefix(): string {
  const active = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX;
  if (active) return active;
  const jupyter = findJupyter();
  const python = (jupyter && jupyterPython(jupyter)) || "python3";
  try {
    return execFileSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (error) {
    throw new Error(`--sys-prefix: cannot ask ${python} for sys.prefix (${(error as Error).message.split("\n")[0]}); use --prefix DIR`);
  }
}
