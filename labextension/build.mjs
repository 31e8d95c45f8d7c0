// Builds the prebuilt JupyterLab extension "gradlab-plotly" with @jupyterlab/builder's build-labextension into
// dist/labextension/gradlab-plotly/ (package.json with its _build metadata, static/, install.json), and the classic
// Notebook nbextension into dist/nbextension/gradlab-plotly/. Run after `tsc -p labextension/tsconfig.json`.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const require = createRequire(import.meta.url);
const NAME = "gradlab-plotly";
// The lab app the tests serve: its package.json says which packages the host shares as singletons, in the shape of
// JupyterLab's own application package, so extension and host agree on them.
const corePath = join(root, "test", "browser", "lab-app");
const outDir = join(root, "dist", "labextension", NAME);
const development = process.argv.includes("--development");

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
if (!existsSync(join(here, readJson(join(here, "package.json")).main))) {
  console.error("labextension/lib is missing: run `tsc -p labextension/tsconfig.json` first (npm run build:labext does)");
  process.exit(1);
}

const builder = require.resolve("@jupyterlab/builder/lib/build-labextension.js");
const args = [builder, "--core-path", corePath, ...(development ? ["--development"] : []), here];
// From its own folder, as `jupyter labextension build` runs it: webpack names the chunk-loading global after the
// package.json it finds there ("webpackChunkgradlab_plotly"), which keeps it apart from other extensions' globals.
const result = spawnSync(process.execPath, args, { cwd: here, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? "");
  console.error(`build-labextension failed with status ${result.status}`);
  process.exit(1);
}

// The builder copies labextension/package.json; the installed copy carries gradlab's own version instead.
const manifestPath = join(outDir, "package.json");
const manifest = readJson(manifestPath);
manifest.version = readJson(join(root, "package.json")).version;
delete manifest.private;
delete manifest.main;
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");

// plotly.js is loaded by a <script> tag at render time (not bundled into a chunk), under a fixed name that the classic
// Notebook's install step copies too.
copyFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), join(outDir, "static", "plotly.min.js"));

// What `jupyter labextension list` shows about where the extension came from and how to remove it.
const install = {
  packageManager: "npm",
  packageName: "gradlab",
  uninstallInstructions: "Run `gradlab uninstall` (with the --user, --sys-prefix or --prefix you installed with)",
};
writeFileSync(join(outDir, "install.json"), JSON.stringify(install, null, 2) + "\n");

const nbDir = join(root, "dist", "nbextension", NAME);
rmSync(nbDir, { recursive: true, force: true });
mkdirSync(nbDir, { recursive: true });
copyFileSync(join(here, "nbextension", "main.js"), join(nbDir, "main.js"));
console.log(`built ${NAME} -> dist/labextension/${NAME} (${manifest.jupyterlab._build.load}) and dist/nbextension/${NAME}`);
