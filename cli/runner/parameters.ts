// `-p name=value` for `gradlab run`: parsing, and papermill's injected-parameters cell placed after the `parameters` cell.
import { randomUUID } from "node:crypto";
import type { ICell, ICodeCell, INotebookContent } from "@jupyterlab/nbformat";

export type Parameters = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `name=value`: the value is parsed as JSON when it is valid JSON (numbers, booleans, arrays...), else kept as a string. */
export function parseParameter(arg: string): [string, unknown] {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new Error(`-p ${arg}: expected name=value`);
  const name = arg.slice(0, eq).trim();
  if (!IDENTIFIER.test(name)) throw new Error(`-p ${arg}: "${name}" is not a valid TypeScript identifier`);
  const raw = arg.slice(eq + 1);
  try {
    return [name, JSON.parse(raw)];
  } catch {
    return [name, raw];
  }
}

export function parseParameters(args: readonly string[]): Parameters {
  const params: Parameters = {};
  for (const arg of args) {
    const [name, value] = parseParameter(arg);
    params[name] = value;
  }
  return params;
}

export function parameterCellSource(params: Parameters): string {
  const lines = Object.entries(params).map(([name, value]) => `const ${name} = ${JSON.stringify(value)};`);
  return ["// Parameters (injected by gradlab run)", ...lines].join("\n");
}

function hasTag(cell: ICell, tag: string): boolean {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) && tags.includes(tag);
}

export interface InjectionResult {
  notebook: INotebookContent;
  /** Set when the notebook had no cell tagged `parameters` (the cell then goes first, as papermill does). */
  warning?: string;
}

/** Returns a copy of the notebook with the injected cell; an earlier injected cell is replaced, as papermill does. */
export function injectParameters(nb: INotebookContent, params: Parameters): InjectionResult {
  if (Object.keys(params).length === 0) return { notebook: nb };
  const cells = nb.cells.filter((c) => !hasTag(c, "injected-parameters"));
  const cell: ICodeCell = {
    cell_type: "code",
    execution_count: null,
    metadata: { tags: ["injected-parameters"] },
    outputs: [],
    source: parameterCellSource(params),
  };
  // Cell ids exist from nbformat 4.5 on, and are forbidden before it.
  if (nb.nbformat_minor >= 5) cell.id = randomUUID();
  const at = cells.findIndex((c) => hasTag(c, "parameters"));
  cells.splice(at + 1, 0, cell);
  const warning = at < 0 ? "no cell is tagged \"parameters\"; the parameters were injected at the top" : undefined;
  return { notebook: { ...nb, cells }, warning };
}
