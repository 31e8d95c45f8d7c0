// Reads IPython-style commands off a cell before TypeScript sees it: `x?` / `?x` / `x??` help, `%line` and `%%cell`
// magics. The TypeScript left over keeps every character's line and column (magic text becomes spaces), so type
// errors and stack traces point into the cell as the user wrote it, with no offsets to map.

export type ParsedCell =
  | { kind: "code"; code: string }
  | { kind: "help"; target: string; detail: 0 | 1 }
  /** `code` is the rest of the cell (the magic blanked out), run after the magic or, for timing, by it. */
  | { kind: "magic"; name: string; args: string; cell: boolean; code: string };

export interface MagicInfo { name: string; cell: boolean; line: boolean; usage: string; summary: string }

export const MAGICS: MagicInfo[] = [
  { name: "time", line: true, cell: true, usage: "%time CODE, %%time", summary: "run CODE once and print the wall time and CPU times" },
  { name: "timeit", line: true, cell: true, usage: "%timeit [-n N] [-r R] CODE, %%timeit", summary: "time CODE over R runs of N loops (mean ± std. dev. per loop)" },
  { name: "who", line: true, cell: false, usage: "%who", summary: "names defined by cells" },
  { name: "whos", line: true, cell: false, usage: "%whos", summary: "names defined by cells, with their types and values" },
  { name: "reset", line: true, cell: false, usage: "%reset", summary: "forget every name defined by cells (the kernel keeps running)" },
  { name: "env", line: true, cell: false, usage: "%env [NAME[=VALUE]]", summary: "list, read or set environment variables" },
  { name: "tsconfig", line: true, cell: false, usage: "%tsconfig [option=value ...]", summary: "show the effective compiler options, or change some for this session" },
  { name: "html", line: false, cell: true, usage: "%%html", summary: "show the cell as HTML" },
  { name: "markdown", line: false, cell: true, usage: "%%markdown", summary: "show the cell as Markdown" },
  { name: "latex", line: false, cell: true, usage: "%%latex", summary: "show the cell as LaTeX" },
  { name: "help", line: true, cell: false, usage: "%help", summary: "this list (also %lsmagic); `name?` shows help for a name, `name??` its source" },
];

export function findMagic(name: string, cell: boolean): MagicInfo | undefined {
  const canonical = name === "lsmagic" ? "help" : name;
  return MAGICS.find((m) => m.name === canonical && (cell ? m.cell : m.line));
}

/** A cell that is one expression followed or preceded by `?`: TypeScript code never ends with `?`. */
const HELP_SUFFIX = /^([^\n?][^\n]*?)\s*(\?\??)$/;
const HELP_PREFIX = /^(\?\??)\s*([^\n?][^\n]*)$/;
/**
 * What help may be asked about: a name, then members, calls and indexes (`tensor([1, 2]).sum`). Anything else ending
 * in `?` is code, such as `x = 1 // why?`, and is left to the type checker.
 */
const HELP_TARGET = /^[\p{ID_Start}$_][\p{ID_Continue}$]*(?:\s*(?:\??\.\s*[\p{ID_Start}$_#][\p{ID_Continue}$]*|\([^()\n]*\)|\[[^[\]\n]*\]))*$/u;
const MAGIC_LINE = /^(%%?)([A-Za-z_]\w*)?(.*)$/;

export function parseCell(code: string): ParsedCell {
  const trimmed = code.trim();
  if (!trimmed.startsWith("%")) {
    const suffix = HELP_SUFFIX.exec(trimmed);
    if (suffix && HELP_TARGET.test(suffix[1]!.trim())) return { kind: "help", target: suffix[1]!.trim(), detail: suffix[2] === "??" ? 1 : 0 };
    const prefix = HELP_PREFIX.exec(trimmed);
    if (prefix && HELP_TARGET.test(prefix[2]!.trim())) return { kind: "help", target: prefix[2]!.trim(), detail: prefix[1] === "??" ? 1 : 0 };
    return { kind: "code", code };
  }
  // The magic is the first non-blank line; everything before it is whitespace.
  const start = code.indexOf("%");
  const lineEnd = code.indexOf("\n", start) < 0 ? code.length : code.indexOf("\n", start);
  const line = code.slice(start, lineEnd);
  const m = MAGIC_LINE.exec(line)!;
  const cell = m[1] === "%%";
  const name = m[2] ?? "";
  const args = (m[3] ?? "").trim();
  const rest = code.slice(lineEnd);
  if (cell) return { kind: "magic", name, args, cell, code: blank(code.slice(0, lineEnd)) + rest };
  // A line magic's arguments stay in place in the code; only `%name` and the options before the code are blanked.
  const argsStart = start + m[1]!.length + name.length + (m[3]!.length - m[3]!.trimStart().length);
  const codeArgs = timingCodeStart(name, args);
  const kept = codeArgs === undefined ? blank(code.slice(0, lineEnd)) : blank(code.slice(0, argsStart + codeArgs)) + code.slice(argsStart + codeArgs, lineEnd);
  return { kind: "magic", name, args, cell, code: kept + rest };
}

/** For %time / %timeit, where the timed code starts in the arguments (after the options); undefined for others. */
function timingCodeStart(name: string, args: string): number | undefined {
  if (name === "time") return 0;
  if (name !== "timeit") return undefined;
  const options = /^(?:\s*-[nr]\s*\d+)*\s*/.exec(args)!;
  return options[0].length;
}

export interface TimeitOptions { loops?: number; repeat?: number }

export function parseTimeitOptions(args: string): TimeitOptions {
  const options: TimeitOptions = {};
  for (const m of args.matchAll(/-([nr])\s*(\d+)/g)) {
    const value = Math.max(1, Number(m[2]));
    if (m[1] === "n") options.loops = value;
    else options.repeat = value;
  }
  return options;
}

/** Whitespace of the same shape: newlines kept, every other character a space. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, " ");
}

export function magicsHelp(): string {
  const width = Math.max(...MAGICS.map((m) => m.usage.length));
  return [
    "gradlab magics (IPython's habits, for TypeScript cells):",
    ...MAGICS.map((m) => `  ${m.usage.padEnd(width)}  ${m.summary}`),
    "",
    "Help: `name?` or `?name` shows the signature and documentation, `name??` adds where it is declared (and the source of",
    "your own functions). Shift-Tab in the editor shows the same help.",
  ].join("\n");
}

export function unknownMagicMessage(name: string, cell: boolean): string {
  const shown = `${cell ? "%%" : "%"}${name}`;
  const known = MAGICS.flatMap((m) => [...(m.line ? [`%${m.name}`] : []), ...(m.cell ? [`%%${m.name}`] : [])]).join(", ");
  return name === "" ? `A magic needs a name after ${shown}. Magics: ${known}` : `Unknown magic \`${shown}\`. Magics: ${known} (%help describes them)`;
}
