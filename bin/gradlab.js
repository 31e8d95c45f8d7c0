#!/usr/bin/env node
// The `gradlab` executable: runs the compiled CLI from dist/ (build first with `npm run build`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write("gradlab: dist/ is missing; run `npm run build` in the gradlab package first\n");
  process.exit(1);
}
if (process.argv[2] === "kernel") {
  // A cold start waits on the TypeScript thread; start it before the CLI and the kernel's own modules load.
  const { prestartCompilerThread } = await import(new URL("../dist/kernel/engine/compiler_thread.js", import.meta.url).href);
  prestartCompilerThread(process.cwd());
}
const { main } = await import(cli.href);
await main(process.argv);
