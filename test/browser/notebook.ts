// The test notebook the browser tests run: a plotly figure and a computation-graph SVG made by the gradlab kernel.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import type { Locator } from "playwright-core";
import { ROOT } from "./harness.js";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Cells that make the outputs live in the gradlab kernel with gradlab's own builders. */
const CELLS = [
  'import { plot } from "gradlab";\n' +
    "const steps = Array.from({ length: 50 }, (_, i) => i);\n" +
    "plot.lossCurve({ sgd: steps.map((i) => 1 / (1 + 0.1 * i)), adam: steps.map((i) => Math.exp(-0.08 * i)) }, { logY: true })",
  // The computation graph of z = x*y + sin(x) at (2, 3), traced, with gradients and chain-rule factors.
  'import { graph, add, mul, sin, type Tensor } from "gradlab";\n' +
    "await graph((x: Tensor, y: Tensor) => add(mul(x, y), sin(x)), 2, 3)",
  // A heavy figure: a contour (default grid) with the gradient field and a 500-step optimizer path.
  "const rosen = (x: number, y: number) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;\n" +
    "const path: [number, number][] = [[-1.5, 2]];\n" +
    "for (let i = 0; i < 500; i++) {\n" +
    "  const [x, y] = path[path.length - 1]!;\n" +
    "  path.push([x - 1e-3 * (-2 * (1 - x) - 400 * x * (y - x * x)), y - 1e-3 * 200 * (y - x * x)]);\n" +
    "}\n" +
    "plot.contour(rosen, { x: [-2, 2], y: [-1, 3] }, { gradientField: true, trajectories: { gd: path } })",
  // A live plot: one output updated in place (update_display_data) while the loop runs; 300 points at the end.
  'import { livePlot } from "gradlab";\n' +
    "const live = livePlot();\n" +
    "for (let i = 0; i < 300; i++) {\n" +
    "  live.push(i, Math.exp(-i / 50));\n" +
    "  if (i % 30 === 0) await new Promise((r) => setTimeout(r, 100));\n" +
    "}\n" +
    "live.done();",
];

/** How many points the first plotly plot in `output` (the live cell's output, rendered by a frontend) shows now; 0
 *  while nothing is drawn. The live cell ends at 300. */
export function plotlyPointCount(output: Locator): Promise<number> {
  return output
    .locator(".js-plotly-plot")
    .first()
    .evaluate((el) => (el as unknown as { data?: { x?: unknown[] }[] }).data?.[0]?.x?.length ?? 0)
    .catch(() => 0);
}

/** Writes the test notebook `name` into `dir`; returns its path. */
export function writeTestNotebook(dir: string, name: string): string {
  return writeNotebook(dir, name, CELLS);
}

/**
 * Writes a gradlab notebook of code cells into `dir`; returns its path. Cells are not yet run, unless `results` gives
 * a cell a saved result (a MIME bundle), as if it had run and the notebook been saved.
 */
export function writeNotebook(dir: string, name: string, cells: readonly string[], results: readonly Record<string, unknown>[] = []): string {
  mkdirSync(dir, { recursive: true });
  const notebook = {
    cells: cells.map((source, i) => {
      const data = results[i];
      const outputs = data ? [{ output_type: "execute_result", execution_count: i + 1, metadata: {}, data }] : [];
      return { cell_type: "code", id: `cell-${i}`, metadata: {}, source, outputs, execution_count: data ? i + 1 : null };
    }),
    metadata: {
      kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(notebook, null, 1) + "\n");
  return path;
}

/** `gradlab install --prefix prefix` from the built package; returns the Jupyter data dir (prefix/share/jupyter). */
export function installGradlab(prefix: string): string {
  mkdirSync(prefix, { recursive: true }); // `install --prefix` wants an existing folder, as a typo should not create one
  const result = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "install", "--prefix", prefix], {
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`gradlab install --prefix ${prefix} failed (${result.status}): ${result.stderr}${result.stdout}`);
  }
  return join(prefix, "share", "jupyter");
}
