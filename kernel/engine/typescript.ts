// TypeScript for the compiler thread, loaded with require(): importing this 9 MB CommonJS file as an ES module makes
// Node 20 parse it twice more first (module-syntax detection and the export-name scan). typescript_hooks.ts routes
// other modules' `import ts from "typescript"` here too. (A V8 code cache for it measured no gain: parsing
// declaration files, not compiling TypeScript itself, dominates start-up.)
import { createRequire } from "node:module";

const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
export default ts;
