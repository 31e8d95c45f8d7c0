// Where the engine finds its own package on disk: the library entry, the tslab shim, Node's types, the workers.
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The package root: this file is dist/kernel/engine/paths.js (or kernel/engine/paths.ts when run from source). */
export const PACKAGE_ROOT = resolve(here, here.includes(`${join("dist", "kernel")}`) ? "../../.." : "../..");

/** Built library entry and its declarations: `import ... from "gradlab"` in a cell resolves here, never to cwd. */
export const LIBRARY_JS = join(PACKAGE_ROOT, "dist", "lib", "index.js");
export const LIBRARY_DTS = join(PACKAGE_ROOT, "dist", "lib", "index.d.ts");

/** The module cells get for `import ... from "tslab"` (compiled next to this file). */
export const TSLAB_SHIM_JS = join(here, "tslab_shim.js");
export const TSLAB_SHIM_DTS = join(here, "tslab_shim.d.ts");

/** Specifiers the engine answers itself, at type-check time and at run time. */
export const BUILTIN_MODULES: Record<string, { js: string; dts: string }> = {
  gradlab: { js: LIBRARY_JS, dts: LIBRARY_DTS },
  tslab: { js: TSLAB_SHIM_JS, dts: TSLAB_SHIM_DTS },
};

export function builtinModuleUrl(specifier: string): string | undefined {
  const entry = BUILTIN_MODULES[specifier];
  return entry ? pathToFileURL(entry.js).href : undefined;
}

/** The @types folder holding @types/node as installed with this package (hoisted or nested). */
export function nodeTypesRoot(): string | undefined {
  try {
    const require = createRequire(join(PACKAGE_ROOT, "package.json"));
    return dirname(dirname(require.resolve("@types/node/package.json")));
  } catch {
    return undefined;
  }
}

export function workerUrl(name: string): URL {
  return new URL(`./${name}.js`, import.meta.url);
}
