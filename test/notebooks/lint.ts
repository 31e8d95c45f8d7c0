// The tutorial lint: defects a teacher would not ship, found in a notebook's Markdown, its math and its figures.
// Source checks read the Markdown cells; figure checks read the plotly specs of an executed notebook's outputs.
import type { ICodeCell, INotebookContent, IOutput, MultilineString } from "@jupyterlab/nbformat";
import katex from "katex";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

const text = (s: MultilineString | undefined): string => (Array.isArray(s) ? s.join("") : s ?? "");

/** Markdown written by the author (cells) and by the code (display.markdown outputs), labelled for messages. */
function markdownTexts(nb: INotebookContent): { where: string; md: string; prose: boolean }[] {
  return nb.cells.flatMap((c, i) => {
    if (c.cell_type === "markdown") return [{ where: `markdown cell ${i + 1}`, md: text(c.source), prose: true }];
    if (c.cell_type !== "code") return [];
    return ((c as ICodeCell).outputs ?? []).flatMap((o: IOutput) => {
      const md = (o.data as Record<string, MultilineString> | undefined)?.["text/markdown"];
      return md === undefined ? [] : [{ where: `output of cell ${i + 1}`, md: text(md), prose: false }];
    });
  });
}

/** Code spans and fenced code blocks removed: their `$` and digits are not math or prose. */
function withoutCode(md: string): string {
  return md.replace(/```[\s\S]*?```/g, " ").replace(/`[^`\n]*`/g, " ");
}

export interface MathSpan {
  tex: string;
  display: boolean;
}

/** `$$...$$` (display) and `$...$` (inline) spans, outside code; an escaped `\$` is a dollar sign. */
export function mathSpans(md: string): MathSpan[] {
  const spans: MathSpan[] = [];
  const re = /(?<!\\)\$\$([\s\S]+?)\$\$|(?<![\\$])\$(?!\$)([\s\S]+?)(?<![\\$])\$(?!\$)/g;
  for (const m of withoutCode(md).matchAll(re)) {
    spans.push(m[1] !== undefined ? { tex: m[1], display: true } : { tex: m[2]!, display: false });
  }
  return spans;
}

// What is left of a LaTeX command when a string escape ate its backslash and first letter: \r (\rho, \rVert, \right,
// \rangle), \n (\nabla, \neq, \not), \t (\tanh, \top, \theta, \times, \text), \b (\beta), \f (\frac), \v (\vec).
const EATEN = /(^|\n)[ \t]*(ho|ight|ightarrow|Vert|vert|angle|ceil|floor|abla|eq|ot|anh|op|heta|imes|ext|extstyle|frac|eta|rac|ec)\b/;

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

function controlName(ch: string): string {
  return ({ "\t": "tab", "\r": "carriage return", "\b": "backspace", "\f": "form feed", "\v": "vertical tab" } as Record<string, string>)[ch]
    ?? `U+${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Control characters (a tab or carriage return where `\t` or `\r` of a LaTeX command was meant) and math KaTeX rejects. */
export function lintMarkdown(nb: INotebookContent): string[] {
  const problems: string[] = [];
  for (const { where, md } of markdownTexts(nb)) {
    const bad = CONTROL.exec(md);
    if (bad) problems.push(`${where}: control character (${controlName(bad[0])}) in "${md.slice(Math.max(0, bad.index - 20), bad.index + 20).replace(CONTROL, "\u2423")}"`);
    for (const { tex, display } of mathSpans(md)) {
      if (!display && (/^\s/.test(tex) || /\s$/.test(tex))) problems.push(`${where}: inline math starts or ends with white space: $${tex}$`);
      const doubled = /\\\\[A-Za-z]+/.exec(tex);
      if (doubled) problems.push(`${where}: "${doubled[0]}" in math is a line break followed by text (a backslash escaped twice): $${tex}$`);
      const eaten = EATEN.exec(tex);
      if (eaten) problems.push(`${where}: math line starts with "${eaten[2]}", a LaTeX command that lost its backslash: $${tex}$`);
      try {
        katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "ignore" });
      } catch (e) {
        problems.push(`${where}: KaTeX cannot render $${tex}$: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

interface Axis {
  title?: { text?: string };
  type?: string;
  exponentformat?: string;
  scaleanchor?: string;
}
interface Trace {
  type: string;
  name?: string;
  mode?: string;
  showlegend?: boolean;
  showscale?: boolean;
  line?: { color?: string };
  marker?: { color?: string };
  colorbar?: { title?: { text?: string } };
}
interface PlotSpec {
  data: Trace[];
  layout: { title?: { text?: string }; xaxis?: Axis; yaxis?: Axis; scene?: Record<string, Axis> };
}

/** Every plotly figure among the outputs, with the cell it came from. */
export function figures(nb: INotebookContent): { where: string; spec: PlotSpec }[] {
  return nb.cells.flatMap((c, i) =>
    c.cell_type !== "code" ? [] : ((c as ICodeCell).outputs ?? []).flatMap((o: IOutput) => {
      const spec = (o.data as Record<string, unknown> | undefined)?.[PLOTLY_MIME] as PlotSpec | undefined;
      return spec ? [{ where: `figure in cell ${i + 1}${spec.layout.title?.text ? ` ("${spec.layout.title.text}")` : ""}`, spec }] : [];
    }));
}

const GRID = new Set(["contour", "heatmap", "surface"]);

/**
 * Figures that teach: titled axes and colour bars, log axes labelled as powers of ten (not SI prefixes like 10f or
 * 100µ), an equal axis scale where arrows or paths are drawn over level sets (else gradients do not look
 * perpendicular to them), and one colour per series name across the whole notebook.
 */
export function lintFigures(nb: INotebookContent): string[] {
  const problems: string[] = [];
  const colours = new Map<string, Map<string, string>>(); // series name -> colour -> first figure using it
  for (const { where, spec } of figures(nb)) {
    const { layout, data } = spec;
    const is3d = data.some((t) => t.type === "surface");
    const axes: [string, Axis | undefined][] = is3d ? Object.entries(layout.scene ?? {}) : [["x axis", layout.xaxis], ["y axis", layout.yaxis]];
    for (const [name, axis] of axes) {
      if (!axis?.title?.text?.trim()) problems.push(`${where}: the ${name} has no title`);
      if (axis?.type === "log" && axis.exponentformat !== "power") problems.push(`${where}: the log-scale ${name} is not labelled as powers of ten (exponentformat "power")`);
    }
    for (const t of data.filter((t) => GRID.has(t.type) && t.showscale !== false)) {
      if (!t.colorbar?.title?.text?.trim()) problems.push(`${where}: the colour bar of the ${t.type} has no title`);
    }
    const overlaid = data.some((t) => t.type === "contour") && data.some((t) => t.type === "scatter");
    if (overlaid && layout.yaxis?.scaleanchor !== "x") problems.push(`${where}: arrows or paths over level sets need an equal axis scale (yaxis.scaleanchor "x")`);
    data.forEach((t, i) => {
      if (!t.name || t.showlegend === false || GRID.has(t.type)) return;
      const colour = t.line?.color ?? t.marker?.color ?? `automatic colour no. ${i + 1}`;
      const seen = colours.get(t.name) ?? new Map<string, string>();
      if (!seen.has(colour)) seen.set(colour, where);
      colours.set(t.name, seen);
    });
  }
  for (const [name, seen] of colours) {
    if (seen.size > 1) problems.push(`series "${name}" has ${seen.size} colours: ${[...seen].map(([c, w]) => `${c} in ${w}`).join("; ")}`);
  }
  return problems;
}

const NUMBER = /(?<![\w.\-−^_])[-−]?\d+(?:[.,]\d+)*(?:\.\d+)?(?:e[-+]?\d+)?(?![\w%]*[\w])/g;

function numbersIn(s: string): number[] {
  return [...s.matchAll(NUMBER)].map((m) => Number(m[0].replace("−", "-").replace(/,(?=\d{3})/g, ""))).filter(Number.isFinite);
}

// A list of numbers in prose: "0.5, 1 and 3", "1, 16, 128 or 2000".
const LIST = /(?<![\w.])\d+(?:\.\d+)?(?:(?:, (?:and |or )?| and | or )\d+(?:\.\d+)?)+(?![\w.]*\w)/g;

const isSubsequence = (list: number[], literals: number[]): boolean =>
  literals.some((_, start) => list.every((v, k) => literals[start + k] === v));

/**
 * Numbers the author wrote in prose must come from the code: parameters the code uses, or measured values that a
 * cell (a "claims" cell) checks. A number found in no code cell was typed by hand and can silently go stale. A list of
 * numbers must appear as consecutive literals of one code cell, so "gains 0.5, 1 and 2" over code that uses
 * [0.5, 1, 3] is caught although 2 appears elsewhere. Math, code, headings and references to other notebooks are
 * exempt, and so are single integers 0 to 10 (counts and ordinals read as words).
 */
export function lintProseNumbers(nb: INotebookContent): string[] {
  const codeCells = nb.cells.filter((c) => c.cell_type === "code").map((c) => numbersIn(text(c.source).replace(/_/g, "")));
  const code = new Set(codeCells.flat());
  const problems: string[] = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "markdown") return;
    let prose = withoutCode(text(c.source))
      .replace(/\$\$[\s\S]+?\$\$/g, " ")
      .replace(/\$[^$]+\$/g, " ")
      .replace(/^#+ .*$/gm, " ")
      .replace(/\]\([^)]*\)/g, "]")
      .replace(/notebooks? \d+(?:(?:, | and )\d+)*/g, " ");
    prose = prose.replace(/^\s*\d+\.\s/gm, " "); // ordered-list markers
    for (const m of prose.matchAll(LIST)) {
      const list = numbersIn(m[0].replace(/ and | or /g, ", "));
      if (!codeCells.some((literals) => isSubsequence(list, literals))) problems.push(`markdown cell ${i + 1}: the list "${m[0]}" in the prose is not a list of literals in any code cell`);
    }
    for (const v of numbersIn(prose)) {
      if (Number.isInteger(v) && v >= 0 && v <= 10) continue;
      if (!code.has(v)) problems.push(`markdown cell ${i + 1}: the number ${v} in the prose appears in no code cell (state it from the code, or check it in a claims cell)`);
    }
  });
  return problems;
}

/** All checks; an empty list means the notebook passes. Figure checks need an executed notebook. */
export function lintNotebook(nb: INotebookContent): string[] {
  return [...lintMarkdown(nb), ...lintProseNumbers(nb), ...lintFigures(nb)];
}
