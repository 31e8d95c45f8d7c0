// The test notebook the browser tests run: a plotly figure and a computation-graph SVG made by the gradlab kernel.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT } from "./harness.js";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * Cells that make the outputs live in the gradlab kernel. Until the display builders are exported from the package,
 * the kernel displays saved bundles (fixtures/) through the Jupyter display protocol, the same path the builders use.
 */
const CELLS = [
  'import { readFileSync } from "node:fs";\n' +
    'const figure = JSON.parse(readFileSync("plot-bundle.json", "utf8"));\n' +
    '({ [Symbol.for("Jupyter.display")]: () => figure })',
  'const graphSvg = readFileSync("graph.svg", "utf8");\n' +
    '({ [Symbol.for("Jupyter.display")]: () => ({ "image/svg+xml": graphSvg, "text/plain": "computation graph" }) })',
];

/** Writes `name` (plus the fixture files its cells read) into `dir`; returns the notebook path. */
export function writeTestNotebook(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of ["plot-bundle.json", "graph.svg"]) copyFileSync(join(ROOT, "test", "browser", "fixtures", f), join(dir, f));
  const notebook = {
    cells: CELLS.map((source, i) => ({
      cell_type: "code",
      id: `cell-${i}`,
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    })),
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
  const result = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "install", "--prefix", prefix], {
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`gradlab install --prefix ${prefix} failed (${result.status}): ${result.stderr}${result.stdout}`);
  }
  return join(prefix, "share", "jupyter");
}
