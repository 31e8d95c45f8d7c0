// Reading executed tutorial notebooks: error outputs, the key-numbers summary (the last JSON output), plot counts,
// exercise verdicts.
import { readFileSync } from "node:fs";
import type { ICodeCell, INotebookContent, IOutput } from "@jupyterlab/nbformat";

export function loadNotebook(file: string): INotebookContent {
  return JSON.parse(readFileSync(file, "utf8")) as INotebookContent;
}

function outputs(nb: INotebookContent): { cell: number; output: IOutput }[] {
  return nb.cells.flatMap((c, i) => (c.cell_type === "code" ? (c as ICodeCell).outputs.map((output) => ({ cell: i + 1, output })) : []));
}

/** Every error output and every stderr stream, described for a test failure message. */
export function problems(nb: INotebookContent): string[] {
  return outputs(nb).flatMap(({ cell, output }) => {
    if (output.output_type === "error") return [`cell ${cell}: ${String(output.ename)}: ${String(output.evalue)}`];
    if (output.output_type === "stream" && output.name === "stderr") return [`cell ${cell} wrote to stderr: ${String(output.text).slice(0, 500)}`];
    return [];
  });
}

/** The notebook's closing `display.json({...})`: the key numbers the tests check. */
export function summaryOf(nb: INotebookContent): Record<string, any> {
  const json = outputs(nb)
    .map(({ output }) => (output.data as Record<string, unknown> | undefined)?.["application/json"])
    .filter((d) => d !== undefined);
  if (json.length === 0) throw new Error("the notebook has no display.json summary output");
  return json[json.length - 1] as Record<string, any>;
}

export function plotCount(nb: INotebookContent): number {
  return outputs(nb).filter(({ output }) => (output.data as Record<string, unknown> | undefined)?.["application/vnd.plotly.v1+json"] !== undefined).length;
}

export function codeCellsUnexecuted(nb: INotebookContent): number {
  return nb.cells.filter((c) => c.cell_type === "code" && String(c.source).trim() !== "" && (c as ICodeCell).execution_count === null).length;
}

/** The verdict of every exercise check (`check(...)` outputs), in order: {name, status}. */
export function exerciseVerdicts(nb: INotebookContent): { name: string; status: string }[] {
  return outputs(nb)
    .map(({ output }) => (output.data as Record<string, unknown> | undefined)?.["application/vnd.gradlab.check+json"])
    .filter((d): d is { name: string; status: string } => d !== undefined);
}

/** The names a notebook's `parameters` cell declares (`const name ...`), where the exercise answers go. */
export function parameterNames(nb: INotebookContent): string[] {
  const cell = nb.cells.find((c) => Array.isArray(c.metadata?.tags) && (c.metadata.tags as string[]).includes("parameters"));
  const source = cell ? (Array.isArray(cell.source) ? cell.source.join("") : cell.source) : "";
  return [...source.matchAll(/^\s*(?:const|let)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
}
