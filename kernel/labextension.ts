// Installs the prebuilt JupyterLab plotly renderer (dist/labextension/gradlab-plotly) into <data-dir>/labextensions/.
import { cpSync, existsSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const LABEXTENSION_NAME = "gradlab-plotly";

/** The prebuilt extension inside this package: dist/kernel/labextension.js -> <package root>/dist/labextension/NAME. */
export function prebuiltLabExtensionDir(): string {
  const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
  return join(packageRoot, "dist", "labextension", LABEXTENSION_NAME);
}

/**
 * Copies the prebuilt extension to `<dataDir>/labextensions/gradlab-plotly/` (replacing an older copy), where
 * JupyterLab 4 (and any jupyterlab_server app) finds federated extensions. Returns the installed folder.
 */
export function installLabExtension(dataDir: string): string {
  const source = prebuiltLabExtensionDir();
  if (!existsSync(join(source, "package.json"))) {
    throw new Error(`gradlab-plotly labextension is not built: ${source} is missing (run \`npm run build\`)`);
  }
  const target = join(dataDir, "labextensions", LABEXTENSION_NAME);
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  return target;
}
