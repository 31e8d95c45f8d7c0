// Install step for the prebuilt JupyterLab plotly renderer: copies dist/labextension/gradlab-plotly into
// <data-dir>/labextensions/, where JupyterLab 4 (any jupyterlab_server app) finds federated extensions.
import { cpSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
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

/** The `gradlab install` step (registered in INSTALL_STEPS). */
export async function labExtensionInstallStep(ctx: InstallContext): Promise<void> {
  const target = installLabExtension(ctx.dataDir, ctx.packageRoot);
  ctx.log(`Installed JupyterLab extension ${LABEXTENSION_NAME} (offline plotly renderer) in ${target}`);
}
