// Tensor operators: number-only cells must compile to the same JS with the rewrite on as with it off, and run
// at the same speed; tensor cells pay only a compile-time cost. Prints compile and run medians and their ratios.
import ts from "typescript";
import vm from "node:vm";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CellCompiler } from "../kernel/engine/compiler.js";
import { median, medianMs, formatNumber } from "./timing.js";

const NUMBER_CELL = `
let acc = 0;
for (let i = 1; i < 2_000_000; i++) { const x = i * 0.5 - 3; acc += (x * x + 3 * x) / (i ** 0.5) - -x; }
acc
`;
const TENSOR_CELL = `import { tensor, grad, Tensor } from "gradlab";
const w0 = tensor([1, 2, 3]);
const f = (x: Tensor) => (x * x + 3 * x - 1 / (x + 10)).sum();
grad(f)(w0)
`;

function compileWith(operators: boolean, code: string): { js: string; ms: number } {
  const compiler = new CellCompiler(ts, mkdtempSync(join(tmpdir(), "gradlab-bench-ops-")));
  compiler.warmUp();
  compiler.loadNodeTypes(); // as the kernel's compiler thread does after its first cell
  const cell = operators ? code : `// @gradlab-operators: off\n${code}`;
  let js = "";
  const ms = medianMs(() => {
    const result = compiler.compile(cell);
    if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
    js = result.js;
  }, { warmup: 2, minReps: 5, maxReps: 15 });
  return { js, ms };
}

const stripMagic = (js: string) => js.replace(/\/\/ @gradlab-operators: off\n?/, "");

async function runMs(js: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await (vm.runInThisContext(js) as Promise<unknown>);
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function main(): Promise<void> {
  const on = compileWith(true, NUMBER_CELL);
  const off = compileWith(false, NUMBER_CELL);
  const identical = stripMagic(on.js) === stripMagic(off.js);
  const runOn = await runMs(on.js);
  const runOff = await runMs(off.js);
  const tensorOn = compileWith(true, TENSOR_CELL);
  console.log("\nTensor operators: number cells unchanged, tensor cells rewritten");
  console.log(`  number cell: emitted JS identical with operators on/off: ${identical ? "yes" : "NO"}`);
  console.log(`  number cell: compile ${formatNumber(on.ms)} ms (on) vs ${formatNumber(off.ms)} ms (off), ratio ${formatNumber(on.ms / off.ms)}`);
  console.log(`  number cell: run     ${formatNumber(runOn)} ms (on) vs ${formatNumber(runOff)} ms (off), ratio ${formatNumber(runOn / runOff)}`);
  console.log(`  tensor cell: compile ${formatNumber(tensorOn.ms)} ms with the rewrite (fixpoint re-checks included)`);
  console.log(`  ${identical && runOn / runOff < 1.1 ? "PASS" : "MISS"}: number code compiles to the same JS and runs at the same speed`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
