// Install step for the offline plotly renderers: the prebuilt JupyterLab extension into <data-dir>/labextensions/
// (where JupyterLab 4 finds federated extensions) and the classic Notebook nbextension, enabled in nbconfig.
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { InstallContext } from "./install.js";

export const LABEXTENSION_NAME = "gradlab-plotly";

/** The prebuilt extension inside the gradlab package (made by `npm run build:labext`). */
export function prebuiltLabExtensionDir(packageRoot: string): string {
  return join(packageRoot, "dist", "labextension", LABEXTENSION_NAME);
}

/** Copies the prebuilt extension to `<dataDir>/labextensions/gradlab-plotly/`, replacing an older copy. */
export function installLabExtension(dataDir: string, packageRoot: string): string {
  const source = prebuiltLabExtensionDir(packageRoot);
  if (!existsSync(join(source, "package.json"))) {
    throw new Error(`gradlab-plotly labextension is not built: ${source} is missing (run \`npm run build\`)`);
  }
  const target = join(dataDir, "labextensions", LABEXTENSION_NAME);
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  return target;
}

/**
 * Copies the classic Notebook nbextension (main.js + plotly.min.js) to `<dataDir>/nbextensions/gradlab-plotly/` and
 * enables it in `<configDir>/nbconfig/notebook.d/gradlab-plotly.json`. Returns the nbextension folder.
 */
export function installNbExtension(dataDir: string, configDir: string, packageRoot: string): string {
  const main = join(packageRoot, "dist", "nbextension", LABEXTENSION_NAME, "main.js");
  const plotly = join(prebuiltLabExtensionDir(packageRoot), "static", "plotly.min.js");
  for (const f of [main, plotly]) {
    if (!existsSync(f)) throw new Error(`gradlab-plotly nbextension is not built: ${f} is missing (run \`npm run build\`)`);
  }
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
