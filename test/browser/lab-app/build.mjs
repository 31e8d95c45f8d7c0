// Builds the JupyterLab 4.5 application the browser tests serve, the way JupyterLab's own application is built:
// @jupyterlab/builder's base webpack configuration and Build.ensureAssets (schemas, themes, style imports), with this
// folder's package.json (extension lists, resolutions, singletonPackages) deciding what the module-federation host
// shares with prebuilt extensions. Output: OUT/{static,schemas,themes,templates,settings}. Reused while inputs match.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const require = createRequire(join(root, "package.json"));
const builderRequire = createRequire(require.resolve("@jupyterlab/builder/package.json"));
const webpack = builderRequire("webpack");
const { merge } = builderRequire("webpack-merge");
const { Build } = require("@jupyterlab/builder");
const baseConfig = require("@jupyterlab/builder/lib/webpack.config.base");

const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));

/** Every file that decides the output, plus the lock file (package versions), so repeated test runs reuse the app. */
function inputsHash(mode) {
  const h = createHash("sha256").update(mode);
  const walk = (dir) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(here, p)).update(readFileSync(p));
    }
  };
  walk(here);
  h.update(readFileSync(join(root, "package-lock.json")));
  return h.digest("hex");
}

/** Installed version of `name` satisfies `range` ("~A.B.C", "^A.B.C" or "A.B.C"; no prereleases involved). */
function satisfies(version, range) {
  const parse = (v) => v.replace(/^[~^]/, "").split(".").map(Number);
  const [v, r] = [parse(version), parse(range)];
  const atLeast = v[0] > r[0] || (v[0] === r[0] && (v[1] > r[1] || (v[1] === r[1] && v[2] >= r[2])));
  if (range.startsWith("~")) return atLeast && v[0] === r[0] && v[1] === r[1];
  if (range.startsWith("^")) return atLeast && v[0] === r[0] && (r[0] > 0 || v[1] === r[1]);
  return v.join(".") === r.join(".");
}

/** The host shares what is installed, so package.json must describe the lock file: stop when they disagree (a
 *  dependency bumped in the root package.json without this file, or the reverse). Every copy counts, nested ones too. */
function checkInstalledVersions() {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  const copies = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    const at = path.lastIndexOf("node_modules/");
    if (at >= 0) (copies[path.slice(at + "node_modules/".length)] ??= []).push(entry.version);
  }
  const wrong = [];
  for (const [name, range] of Object.entries({ ...pkg.resolutions, ...pkg.dependencies })) {
    const versions = copies[name] ?? [];
    if (versions.length === 0 || versions.some((v) => !satisfies(v, range))) {
      wrong.push(`${name}: ${range} wanted, ${versions.join(", ") || "not installed"}`);
    }
  }
  if (wrong.length > 0) {
    throw new Error(`${join(here, "package.json")} disagrees with package-lock.json:\n  ${wrong.join("\n  ")}`);
  }
}

/** A module of dynamic imports, one per extension package, so webpack splits each into its own chunk. */
function extensionsModule() {
  const loaders = (list) =>
    `{\n${Object.entries(list ?? {})
      .map(([name, entry]) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(entry ? `${name}/${entry}` : name)}),`)
      .join("\n")}\n}`;
  return `export const extensions = ${loaders(pkg.jupyterlab.extensions)};\n` +
    `export const mimeExtensions = ${loaders(pkg.jupyterlab.mimeExtensions)};\n`;
}

/** What the host provides to prebuilt extensions: every core package at its installed version, singletons marked. */
function sharedPackages() {
  const shared = {};
  for (const [name, requiredVersion] of Object.entries({ ...pkg.resolutions, ...pkg.dependencies })) {
    shared[name] = { requiredVersion };
  }
  for (const name of pkg.jupyterlab.singletonPackages) {
    if (!shared[name]) throw new Error(`singleton ${name} is not in resolutions of ${join(here, "package.json")}`);
    shared[name].singleton = true;
  }
  return shared;
}

function webpackConfigs(outDir, mode) {
  const buildDir = join(outDir, "build");
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(join(buildDir, "extensions.js"), extensionsModule());
  const names = [...Object.keys(pkg.jupyterlab.extensions), ...Object.keys(pkg.jupyterlab.mimeExtensions)];
  // Copies each extension's settings schemas to OUT/schemas, writes build/style.js (their CSS imports) and returns the
  // webpack configurations that extract the themes' CSS into OUT/themes.
  const themes = Build.ensureAssets({ packageNames: names, output: buildDir, schemaOutput: outDir, themeOutput: outDir });
  const app = merge(baseConfig, {
    mode,
    devtool: false,
    context: here,
    entry: { main: [join(here, "src", "publicpath.js"), join(here, "src", "bootstrap.js")] },
    output: {
      path: join(outDir, "static"),
      filename: "[name].js",
      chunkFilename: "[name].[contenthash].js",
      publicPath: "auto",
      clean: true,
    },
    resolve: {
      alias: {
        "gradlab-lab-host/extensions$": join(buildDir, "extensions.js"),
        "gradlab-lab-host/style$": join(buildDir, "style.js"),
      },
      modules: [join(root, "node_modules"), "node_modules"],
    },
    plugins: [
      new webpack.container.ModuleFederationPlugin({
        name: "CORE_FEDERATION",
        library: { type: "var", name: ["_JUPYTERLAB", "CORE_LIBRARY_FEDERATION"] },
        shared: sharedPackages(),
      }),
    ],
    performance: { hints: false },
    stats: "errors-warnings",
  });
  return [app, ...themes];
}

function run(configs) {
  return new Promise((resolve, reject) => {
    webpack(configs, (err, stats) => {
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true, colors: false })));
      resolve();
    });
  });
}

/** Builds (or reuses, when its inputs are unchanged) the app in `outDir`; resolves to `outDir`. */
export async function buildLabApp(outDir, { mode = "development" } = {}) {
  const stamp = join(outDir, "inputs.sha256");
  const hash = inputsHash(mode);
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return outDir;
  checkInstalledVersions();
  rmSync(outDir, { recursive: true, force: true });
  await run(webpackConfigs(outDir, mode));
  mkdirSync(join(outDir, "templates"), { recursive: true });
  cpSync(join(here, "index.html.j2"), join(outDir, "templates", "index.html"));
  mkdirSync(join(outDir, "settings"), { recursive: true });
  cpSync(join(here, "page_config.json"), join(outDir, "settings", "page_config.json"));
  writeFileSync(stamp, hash);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? join(root, "test", ".tmp", "lab-app");
  const mode = process.argv.includes("--production") ? "production" : "development";
  const t0 = Date.now();
  await buildLabApp(out, { mode });
  console.log(`lab app (${mode}) ready in ${out} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
