#!/usr/bin/env node
// `npm run fuzz -- --seed S --cases N [--grad-cases M] [--only I --forward|--grad] [--report FILE]`: replays or extends
// the differential suite in test/fuzz (vitest does not take custom flags, so they travel as environment variables).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const usage = "usage: npm run fuzz -- [--seed S] [--cases N] [--grad-cases M] [--only I (--forward | --grad)] [--report FILE]";
let values;
try {
  ({ values } = parseArgs({
    options: {
      seed: { type: "string" }, cases: { type: "string" }, "grad-cases": { type: "string" }, only: { type: "string" },
      forward: { type: "boolean" }, grad: { type: "boolean" }, report: { type: "string" }, help: { type: "boolean" },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const env = { ...process.env };
const count = (name, v) => {
  if (!/^\d+$/.test(v)) {
    console.error(`--${name} must be a non-negative integer, got ${v}\n${usage}`);
    process.exit(2);
  }
  return v;
};
if (values.seed !== undefined) env.GRADLAB_FUZZ_SEED = count("seed", values.seed);
if (values.cases !== undefined) env.GRADLAB_FUZZ_CASES = count("cases", values.cases);
if (values["grad-cases"] !== undefined) env.GRADLAB_FUZZ_GRAD_CASES = count("grad-cases", values["grad-cases"]);
if (values.only !== undefined) env.GRADLAB_FUZZ_ONLY = count("only", values.only);
if (values.report !== undefined) env.GRADLAB_FUZZ_REPORT = values.report;

const files = values.forward && !values.grad ? ["test/fuzz/forward.test.ts"]
  : values.grad && !values.forward ? ["test/fuzz/gradients.test.ts"]
  : values.only !== undefined ? (console.error(`--only needs --forward or --grad\n${usage}`), process.exit(2))
  : ["test/fuzz"];
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vitest = join(root, "node_modules", ".bin", "vitest");
const r = spawnSync(vitest, ["run", ...files], { cwd: root, env, stdio: "inherit" });
process.exit(r.status ?? 1);
