// The tutorial lint on every notebook's Markdown, and proof that it can fail: a deliberately broken copy of a
// tutorial, executed, must be reported for every class of defect. (Figures of the real notebooks are linted where
// they are executed, in notebooks.test.ts.)
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { INotebookContent } from "@jupyterlab/nbformat";
import { describe, expect, it } from "vitest";
import { requireTool } from "../helpers/require.js";
import { loadNotebook } from "./executed.js";
import { lintFigures, lintMarkdown, lintNotebook, lintProseNumbers, mathSpans } from "./lint.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NOTEBOOKS = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
const SOURCE = join(ROOT, "notebooks/src/02_partial_derivatives_and_gradient.md");
const run = promisify(execFile);

type ToNotebook = (name: string, text: string) => string;
const { toNotebook } = (await import(join(ROOT, "notebooks/src/build.mjs"))) as { toNotebook: ToNotebook };

/** Replaces `old` (which must occur) by `replacement`, so a changed tutorial cannot silently disarm the broken copy. */
function breakIt(text: string, old: string, replacement: string): string {
  if (!text.includes(old)) throw new Error(`the broken copy expects the tutorial to contain ${JSON.stringify(old)}`);
  return text.replace(old, replacement);
}

// Each edit plants one defect class the lint must report.
function brokenSource(): string {
  let s = readFileSync(SOURCE, "utf8");
  s = breakIt(s, "\\frac{\\partial f}{\\partial x}", "\f" + "rac{\\partial f}{\\partial x}"); // "\f" of \frac eaten by a string escape
  s = breakIt(s, "\\partial f/\\partial y\\right)$", "\\partial f/\\partial y\n" + "ight)$"); // "\r" of \right became a line break
  s = breakIt(s, "$D_u f = \\nabla f", "$D_u f = \\\\nabla f"); // a backslash escaped twice: a line break, then "nabla"
  s = breakIt(s, "Sample\nalong the diagonal", "Sample 4321 points at the steps 0.25, 0.5 and 0.75\nalong the diagonal"); // prose numbers from nowhere
  s = breakIt(s, "plot.contour(gNum, { x: [-2, 2], y: [-2, 2] }, {", "plot.contour(gNum, { x: [-2, 2], y: [-2, 2] }, { equalScale: false,");
  s += [
    "", "```ts", "import { Figure } from \"gradlab\";",
    "// No axis titles, a log axis with plotly's SI prefixes, a colour bar without a title, a series recoloured.",
    "new Figure({ data: [",
    "  { type: \"heatmap\", x: [0, 1], y: [1, 10], z: [[0, 1], [1, 0]], colorscale: \"Viridis\" },",
    "  { type: \"scatter\", name: \"-∇g\", x: [0, 1], y: [1, 10], mode: \"lines\", line: { color: \"#000000\" } },",
    "], layout: { yaxis: { type: \"log\" } } }, \"a figure with defects\")", "```", "",
  ].join("\n");
  return s;
}

const EXPECTED: [string, RegExp][] = [
  ["a control character", /control character \(form feed\)/],
  ["a LaTeX command that lost its backslash", /starts with "ight", a LaTeX command that lost its backslash/],
  ["math KaTeX rejects", /KaTeX cannot render/],
  ["a doubled backslash in math", /"\\\\nabla" in math is a line break/],
  ["a prose number no code states", /the number 4321 in the prose/],
  ["a prose list no code cell holds", /the list "0\.25, 0\.5 and 0\.75"/],
  ["arrows over level sets on unequal axis scales", /need an equal axis scale/],
  ["an axis without a title", /the x axis has no title/],
  ["a log axis with SI prefixes", /log-scale y axis is not labelled as powers of ten/],
  ["a colour bar without a title", /colour bar of the heatmap has no title/],
  ["one series in two colours", /series "-∇g" has 2 colours/],
];

describe("notebook lint", () => {
  it.each(NOTEBOOKS)("%s: no control characters, KaTeX renders all math, prose numbers come from the code", (f) => {
    const nb = loadNotebook(join(ROOT, "notebooks", f));
    expect([...lintMarkdown(nb), ...lintProseNumbers(nb)]).toEqual([]);
  });

  it("finds inline and display math, but not dollars in code", () => {
    expect(mathSpans("a $x^2$ and $$\\frac{a}{b}$$ but `$HOME` and\n```ts\nconst s = `$${v}`;\n```\n")).toEqual([
      { tex: "x^2", display: false }, { tex: "\\frac{a}{b}", display: true },
    ]);
  });

  it("reports the Markdown defects of a broken copy without executing it", () => {
    const nb = JSON.parse(toNotebook("broken", brokenSource())) as INotebookContent;
    const found = lintNotebook(nb);
    for (const [what, pattern] of EXPECTED.slice(0, 6)) expect(found.some((p) => pattern.test(p)), `${what}\n${found.join("\n")}`).toBe(true);
  });

  const engineBuilt = requireTool("the built kernel in dist/ (npm run build)", existsSync(join(ROOT, "dist/kernel/engine/index.js")));
  it.skipIf(!engineBuilt)("fails on every defect class of an executed broken copy, and passes the intact tutorial", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradlab-lint-"));
    writeFileSync(join(dir, "broken.ipynb"), toNotebook("broken", brokenSource()));
    writeFileSync(join(dir, "intact.ipynb"), toNotebook("intact", readFileSync(SOURCE, "utf8")));
    await run(process.execPath, [join(ROOT, "bin/gradlab.js"), "run", join(dir, "broken.ipynb"), join(dir, "intact.ipynb"), "--out", join(dir, "out"), "--jobs", "2"], { cwd: ROOT });
    const found = lintNotebook(loadNotebook(join(dir, "out/broken.ipynb")));
    for (const [what, pattern] of EXPECTED) expect(found.some((p) => pattern.test(p)), `${what}\n${found.join("\n")}`).toBe(true);
    expect(lintFigures(loadNotebook(join(dir, "out/intact.ipynb")))).toEqual([]);
    expect(lintNotebook(loadNotebook(join(dir, "out/intact.ipynb")))).toEqual([]);
  }, 120_000);
});
