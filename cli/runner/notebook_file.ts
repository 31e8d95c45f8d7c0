// Reading, validating and atomically writing .ipynb files for `gradlab run` (nbformat 4 only).
import { randomBytes } from "node:crypto";
import { readFile, rename, unlink, writeFile, mkdir } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import type { ICell, INotebookContent, MultilineString } from "@jupyterlab/nbformat";

/** A notebook file that cannot be run: the message always names the file. */
export class NotebookFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "NotebookFileError";
  }
}

const CELL_TYPES = new Set(["code", "markdown", "raw"]);

/** Reads a notebook and checks the parts of the nbformat 4 structure the runner relies on. */
export async function readNotebook(file: string): Promise<INotebookContent> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new NotebookFileError(file, `cannot read the file (${(err as Error).message})`);
  }
  return parseNotebook(file, text);
}

export function parseNotebook(file: string, text: string): INotebookContent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new NotebookFileError(file, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new NotebookFileError(file, "not a notebook: the top-level JSON value must be an object");
  }
  const nb = json as Record<string, unknown>;
  if (nb.nbformat !== 4) {
    const found = nb.nbformat === undefined ? "no nbformat field" : `nbformat ${JSON.stringify(nb.nbformat)}`;
    throw new NotebookFileError(file, `not an nbformat 4 notebook (${found}); convert it with "jupyter nbconvert --to notebook"`);
  }
  if (typeof nb.nbformat_minor !== "number") throw new NotebookFileError(file, "nbformat_minor is missing or not a number");
  if (typeof nb.metadata !== "object" || nb.metadata === null) throw new NotebookFileError(file, "metadata is missing");
  if (!Array.isArray(nb.cells)) throw new NotebookFileError(file, "cells is missing or not an array");
  nb.cells.forEach((cell: unknown, i: number) => checkCell(file, cell, i));
  return nb as unknown as INotebookContent;
}

function checkCell(file: string, cell: unknown, index: number): void {
  const where = `cell ${index + 1}`;
  if (typeof cell !== "object" || cell === null) throw new NotebookFileError(file, `${where} is not an object`);
  const c = cell as Record<string, unknown>;
  if (typeof c.cell_type !== "string" || !CELL_TYPES.has(c.cell_type)) {
    throw new NotebookFileError(file, `${where} has an unknown cell_type ${JSON.stringify(c.cell_type)}`);
  }
  const src = c.source;
  const okSource = typeof src === "string" || (Array.isArray(src) && src.every((s) => typeof s === "string"));
  if (!okSource) throw new NotebookFileError(file, `${where} has a source that is neither a string nor a list of strings`);
}

export function joinMultiline(text: MultilineString | undefined): string {
  if (text === undefined) return "";
  return Array.isArray(text) ? text.join("") : text;
}

export function cellSource(cell: ICell): string {
  return joinMultiline(cell.source);
}

/** Jupyter's own on-disk layout: one-space indent, trailing newline. */
export function serializeNotebook(nb: INotebookContent): string {
  return JSON.stringify(nb, null, 1) + "\n";
}

/** Writes next to the target and renames over it, so a crash or a failed run never leaves a half-written file. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, text, "utf8");
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
