// Assembles the JupyterLab 4 test app into an output folder: static/ (esbuild bundle.js + bundle.css), templates/,
// schemas/ (copied from each extension package), themes/ (the light theme's CSS). Skips work when inputs are unchanged.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const require = createRequire(join(root, "package.json"));

const assetLoaders = { ".svg": "dataurl", ".png": "dataurl", ".gif": "dataurl", ".woff": "dataurl", ".woff2": "dataurl",
  ".ttf": "dataurl", ".eot": "dataurl", ".md": "text", ".raw.css": "text" };

/** Webpack's "~package/file" CSS import prefix means "from node_modules". */
const tildeImports = {
  name: "tilde-imports",
  setup(b) {
    b.onResolve({ filter: /^~/ }, (args) => ({ path: require.resolve(args.path.slice(1)) }));
  },
};

function extensionPackages() {
  const src = readFileSync(join(here, "plugins.ts"), "utf8");
  return [...src.matchAll(/import\("(@jupyterlab\/[a-z-]+)"\)/g)].map((m) => m[1]);
}

/** Hash of everything that decides the output, so repeated test runs reuse the bundle. */
function inputsHash() {
  const h = createHash("sha256");
  for (const f of readdirSync(here).sort()) h.update(f).update(readFileSync(join(here, f)));
  h.update(readFileSync(join(root, "package-lock.json")));
  return h.digest("hex");
}

export async function buildLabApp(outDir) {
  const stamp = join(outDir, "inputs.sha256");
  const hash = inputsHash();
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return outDir;
  rmSync(outDir, { recursive: true, force: true });
  const staticDir = join(outDir, "static");
  mkdirSync(staticDir, { recursive: true });

  await build({
    entryPoints: { bundle: join(here, "index.ts") },
    outdir: staticDir,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    sourcemap: false,
    loader: assetLoaders,
    plugins: [tildeImports],
    define: {
      LUMINO_WIDGETS_VERSION: JSON.stringify(require("@lumino/widgets/package.json").version),
      "process.env.NODE_ENV": '"production"',
      global: "globalThis",
    },
    logLevel: "error",
  });

  const schemas = join(outDir, "schemas");
  for (const pkg of extensionPackages()) {
    const dir = join(dirname(require.resolve(`${pkg}/package.json`)), "schema");
    if (existsSync(dir)) cpSync(dir, join(schemas, pkg), { recursive: true });
  }

  const themeDir = join(outDir, "themes", "@jupyterlab", "theme-light-extension");
  await build({
    entryPoints: { index: require.resolve("@jupyterlab/theme-light-extension/style/theme.css") },
    outdir: themeDir,
    bundle: true,
    loader: assetLoaders,
    logLevel: "error",
  });

  const templates = join(outDir, "templates");
  mkdirSync(templates, { recursive: true });
  writeFileSync(join(templates, "index.html"), readFileSync(join(here, "index.html.j2"), "utf8"));
  mkdirSync(join(outDir, "settings"), { recursive: true });
  writeFileSync(join(outDir, "settings", "page_config.json"), "{}\n");
  writeFileSync(stamp, hash);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? join(root, "test", ".tmp", "lab-app");
  const t0 = Date.now();
  await buildLabApp(out);
  console.log(`lab app ready in ${out} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
