// TypeScript for the compiler thread, loaded as CommonJS (an ES import of this 9 MB file makes Node 20 parse it
// twice more first, so kernel modules take TypeScript's values from here, never from "typescript") with a V8 code
// cache: typescript.js is compiled from bytecode cached after the first warm-up in the user's own cache folder
// (~/.cache/gradlab, private: a code cache is executable), about 0.2 s less per start. A missing, stale or rejected
// cache just means a normal compile.
import { isAscii } from "node:buffer";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import vm from "node:vm";

type TypeScript = typeof import("typescript");

const require = createRequire(import.meta.url);
const TS_PATH = require.resolve("typescript");
const TS_VERSION = (require("typescript/package.json") as { version: string }).version;
const CACHE_DIR = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "gradlab");
const CACHE_FILE = join(CACHE_DIR, `typescript-${TS_VERSION}-node${process.version}-${process.arch}.v8cache`);

let script: vm.Script | undefined;
let cacheUsed = false;

function readCache(): Buffer | undefined {
  try {
    return readFileSync(CACHE_FILE);
  } catch {
    return undefined;
  }
}

function load(): TypeScript {
  const bytes = readFileSync(TS_PATH);
  // typescript.js is ASCII, and a Latin-1 decode skips UTF-8 validation of its 9 MB (about a third faster).
  const source = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  const cachedData = readCache();
  script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: TS_PATH, cachedData });
  cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  const moduleFn = script.runInThisContext() as (...args: unknown[]) => void;
  // Registered in require's cache, so every other require/import of "typescript" in this thread gets this instance.
  const Modules = Module as unknown as { new (id: string): NodeJS.Module; _cache: Record<string, NodeJS.Module>; _nodeModulePaths(dir: string): string[] };
  const mod = new Modules(TS_PATH);
  mod.filename = TS_PATH;
  mod.paths = Modules._nodeModulePaths(dirname(TS_PATH));
  moduleFn.call(mod.exports, mod.exports, createRequire(TS_PATH), mod, TS_PATH, dirname(TS_PATH));
  mod.loaded = true;
  Modules._cache[TS_PATH] = mod;
  return mod.exports as TypeScript;
}

/** Writes the code cache (call after a warm-up so the functions it compiled are included); once per cache miss. */
export function saveTypeScriptCodeCache(): void {
  if (!script || cacheUsed) return;
  try {
    mkdirSync(CACHE_DIR, { recursive: true, mode: 0o700 });
    const temp = `${CACHE_FILE}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, CACHE_FILE);
    cacheUsed = true;
  } catch {
    // A read-only home folder only costs start-up time.
  }
}

const ts: TypeScript = load();
export default ts;
