// The installed gradlab package as the command line sees it: its folder, manifest, the kernel command line it runs,
// and whether it sits in a one-shot runner's cache (npx), where nothing may point for long.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

export interface PackageManifest {
  name: string;
  version: string;
  engines?: { node?: string };
}

/** The folder holding gradlab's package.json, found upwards from `from` (default: this file). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (readManifest(dir)?.name === "gradlab") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the gradlab package (package.json) above ${from}`);
    dir = parent;
  }
}

export function readManifest(dir: string): PackageManifest | undefined {
  const file = join(dir, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PackageManifest;
  } catch {
    return undefined;
  }
}

export function packageVersion(root: string = packageRoot()): string {
  return readManifest(root)!.version;
}

/** The executable every launcher of the kernel runs: bin/gradlab.js of the package at `root`. */
export function gradlabBin(root: string = packageRoot()): string {
  return join(root, "bin", "gradlab.js");
}

/** `node bin/gradlab.js kernel --connection-file {connection_file}`, with absolute paths. */
export function kernelArgv(node: string = process.execPath, root: string = packageRoot()): string[] {
  return [node, gradlabBin(root), "kernel", "--connection-file", "{connection_file}"];
}

/**
 * The one-shot runner whose cache holds `dir`, or undefined. These caches are cleared without notice, so a kernelspec
 * must not point into them: npm exec/npx (`<cache>/_npx/<hash>/`), pnpm dlx (`…/pnpm/dlx/`), yarn dlx (`…/dlx-<pid>/`),
 * bunx (`…/bunx-<uid>-<package>/`).
 */
export function oneShotRunner(dir: string): string | undefined {
  const parts = dir.split(sep);
  if (parts.includes("_npx")) return "npx";
  for (let i = 1; i < parts.length; i++) if (parts[i] === "dlx" && parts[i - 1] === "pnpm") return "pnpm dlx";
  if (parts.some((p) => /^dlx-\d+$/.test(p))) return "yarn dlx";
  if (parts.some((p) => p.startsWith("bunx-"))) return "bunx";
  return undefined;
}

/** Node's version `v` (as process.version prints it) against an engines range of the form ">=X.Y[.Z]". */
export function satisfiesEngines(v: string, range: string | undefined): boolean {
  const wanted = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range?.trim() ?? "");
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (!wanted || !have) return true;
  for (let i = 1; i <= 3; i++) {
    const a = Number(have[i]);
    const b = Number(wanted[i] ?? 0);
    if (a !== b) return a > b;
  }
  return true;
}
