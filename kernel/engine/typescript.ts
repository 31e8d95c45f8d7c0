// TypeScript for the compiler thread, loaded with require(): import of this 9 MB CommonJS file from ESM makes Node 20
// parse it twice more first (module-syntax detection and the export-name scan), about a second of CPU at start-up.
import { createRequire } from "node:module";

const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
export default ts;
