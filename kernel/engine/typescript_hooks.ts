// Module loader hook for the compiler thread: `import ts from "typescript"` anywhere (the engine, the operator rewrite)
// becomes a tiny ES module around require("typescript"). Node 20 otherwise parses the 9 MB CommonJS file twice more
// before running it (module-syntax detection and the export-name scan), about a second of start-up.
import type { LoadHook } from "node:module";

export const load: LoadHook = async (url, context, nextLoad) => {
  if (/\/typescript\/lib\/typescript\.js$/.test(url)) {
    const path = new URL(url).pathname;
    const source = `import { createRequire } from "node:module";\nexport default createRequire(${JSON.stringify(url)})(${JSON.stringify(decodeURIComponent(path))});\n`;
    return { format: "module", source, shortCircuit: true };
  }
  return nextLoad(url, context);
};
