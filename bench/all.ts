// All benchmarks (npm run bench): library, kernel, display and tensor-operator benches, each in a fresh node process.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const benches = [
  { name: "library (bench/lib.ts)", file: resolve(here, "lib.js") },
  { name: "kernel (bench/kernel.ts)", file: resolve(here, "kernel.js") },
  { name: "display (bench/display.ts)", file: resolve(here, "display.js") },
  { name: "tensor operators (bench/operators.ts)", file: resolve(here, "operators.js") },
];
const failed: string[] = [];
for (const b of benches) {
  console.log(`\n=== ${b.name} ===\n`);
  if (!existsSync(b.file)) {
    console.log(`MISSING: ${b.file} was not built`);
    failed.push(b.name);
    continue;
  }
  const run = spawnSync(process.execPath, [b.file, ...process.argv.slice(2)], { stdio: "inherit" });
  if (run.status !== 0) failed.push(`${b.name} (exit ${run.status ?? run.signal})`);
}
if (failed.length) {
  console.error(`\nbench: failed: ${failed.join(", ")}`);
  process.exit(1);
}
