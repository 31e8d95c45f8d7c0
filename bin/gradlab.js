#!/usr/bin/env node
// The `gradlab` executable: runs the compiled CLI from dist/ (build first with `npm run build`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/kernel/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write("gradlab: dist/ is missing; run `npm run build` in the gradlab package first\n");
  process.exit(1);
}
const { main } = await import(cli.href);
await main(process.argv);
