// Install step for the offline plotly renderers: the prebuilt JupyterLab extension into <data-dir>/labextensions/
// (where JupyterLab 4 finds federated extensions) and the classic Notebook nbextension, enabled in nbconfig; and
// their removal for `gradlab uninstall`.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { InstallContext } from "./install.js";

export const LABEXTENSION_NAME = "gradlab-plotly";

/** The prebuilt extension inside the gradlab package (made by `npm run build:labext`). */
export function prebuiltLabExtensionDir(packageRoot: string): string {
  return join(packageRoot, "dist", "labextension", LABEXTENSION_NAME);
}

/** name and version of the prebuilt extension's package.json (JupyterLab knows an extension by that name). */
export function prebuiltLabExtension(packageRoot: string): { name: string; version: string } {
  const manifest = join(prebuiltLabExtensionDir(packageRoot), "package.json");
  if (!existsSync(manifest)) {
    throw new Error(`the JupyterLab extension is not built: ${manifest} is missing (run \`npm run build\`)`);
  }
  const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; version: string };
  return { name, version };
}

/** Where an extension of this name sits under a labextensions folder (`@scope/name` is two folders deep). */
export function labExtensionFolder(labextensionsDir: string, name: string): string {
  return join(labextensionsDir, ...name.split("/"));
}

/** Copies the prebuilt extension to `<dataDir>/labextensions/<name>/`, replacing an older copy. */
export function installLabExtension(dataDir: string, packageRoot: string): string {
  const { name } = prebuiltLabExtension(packageRoot);
  const target = labExtensionFolder(join(dataDir, "labextensions"), name);
  rmSync(target, { recursive: true, force: true });
  cpSync(prebuiltLabExtensionDir(packageRoot), target, { recursive: true });
  return target;
}

/**
 * Copies the classic Notebook nbextension (main.js + plotly.min.js from the plotly.js-dist-min dependency) to
 * `<dataDir>/nbextensions/gradlab-plotly/` and enables it in `<configDir>/nbconfig/notebook.d/gradlab-plotly.json`.
 * Returns the nbextension folder.
 */
export function installNbExtension(dataDir: string, configDir: string, packageRoot: string): string {
  const main = join(packageRoot, "dist", "nbextension", LABEXTENSION_NAME, "main.js");
  if (!existsSync(main)) throw new Error(`the classic Notebook extension is not built: ${main} is missing (run \`npm run build\`)`);
  const plotly = createRequire(join(packageRoot, "package.json")).resolve("plotly.js-dist-min");
  const target = join(dataDir, "nbextensions", LABEXTENSION_NAME);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  copyFileSync(main, join(target, "main.js"));
  copyFileSync(plotly, join(target, "plotly.min.js"));
  const enableDir = join(configDir, "nbconfig", "notebook.d");
  mkdirSync(enableDir, { recursive: true });
  const enable = { load_extensions: { [`${LABEXTENSION_NAME}/main`]: true } };
  writeFileSync(join(enableDir, `${LABEXTENSION_NAME}.json`), JSON.stringify(enable, null, 2) + "\n");
  return target;
}

/** The Jupyter config dir matching an install location: <prefix>/etc/jupyter beside <prefix>/share/jupyter. */
export function jupyterConfigDir(ctx: Pick<InstallContext, "options" | "dataDir">): string {
  if (ctx.options.location.kind === "user") {
    return process.env.JUPYTER_CONFIG_DIR ? resolve(process.env.JUPYTER_CONFIG_DIR) : join(homedir(), ".jupyter");
  }
  return join(dirname(dirname(ctx.dataDir)), "etc", "jupyter");
}

/** The `gradlab install` step (registered in INSTALL_STEPS). */
export async function labExtensionInstallStep(ctx: InstallContext): Promise<void> {
  const lab = installLabExtension(ctx.dataDir, ctx.packageRoot);
  ctx.log(`Installed JupyterLab extension ${LABEXTENSION_NAME} (offline plotly renderer) in ${lab}`);
  const configDir = jupyterConfigDir(ctx);
  const nb = installNbExtension(ctx.dataDir, configDir, ctx.packageRoot);
  ctx.log(`Installed classic Notebook extension ${LABEXTENSION_NAME} in ${nb}, enabled in ${join(configDir, "nbconfig")}`);
}

/** Removes what labExtensionInstallStep wrote for this location; returns the paths removed. */
export function removeExtensions(ctx: Pick<InstallContext, "options" | "dataDir" | "packageRoot">): string[] {
  const configDir = jupyterConfigDir(ctx);
  const paths = [
    labExtensionFolder(join(ctx.dataDir, "labextensions"), prebuiltLabExtension(ctx.packageRoot).name),
    join(ctx.dataDir, "nbextensions", LABEXTENSION_NAME),
    join(configDir, "nbconfig", "notebook.d", `${LABEXTENSION_NAME}.json`),
  ].filter((p) => existsSync(p));
  for (const p of paths) rmSync(p, { recursive: true, force: true });
  return paths;
}
