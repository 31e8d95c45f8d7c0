// Completion, hover documentation and is_complete for the frontend, on top of the cell compiler's language service.
import type ts from "typescript";
import type { CompleteReply, InspectReply, IsCompleteReply } from "../interpreter.js";
import type { CellCompiler } from "./compiler.js";
import { describeOperatorAt } from "../operators/rewrite.js";
import { completionSignatures } from "./completion_signatures.js";
import { declarationSource, type DeclarationSource } from "./declaration_source.js";

/** Jupyter counts cursor positions in code points (protocol 5.2); JavaScript strings index UTF-16 units. */
export function codePointsToUtf16(text: string, codePoints: number): number {
  let offset = 0;
  for (let i = 0; i < codePoints && offset < text.length; i++) offset += (text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1;
  return offset;
}

export function utf16ToCodePoints(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}

const IDENTIFIER_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;

/**
 * Completion lists by the text around the word being completed. TypeScript takes a completion's context from the
 * token before that word, never from the word itself, and returns every candidate for that context; so while the user
 * types on (or presses Tab again) with nothing else changed, the list is the same and only its filter by the typed
 * prefix differs, as editors do on the client side. Keyed per compiler by its context version (earlier cells).
 */
const completionLists = new WeakMap<CellCompiler, Map<string, CompletionList>>();
const COMPLETION_LISTS_KEPT = 4;
/** A frontend shows a screenful; typing on narrows the list and fills in the rest. */
const SIGNATURES_PER_REPLY = 16;

interface CompletionList {
  entries: ts.CompletionEntry[];
  /** Signatures found so far for this list, by entry name: typing on re-filters the list and reuses them. */
  signatures: Map<string, string>;
}

function completionCandidates(compiler: CellCompiler, code: string, start: number, end: number, offset: number): CompletionList {
  let lists = completionLists.get(compiler);
  if (!lists) completionLists.set(compiler, (lists = new Map()));
  const key = `${compiler.contextVersion}\u0000${code.slice(0, start)}\u0000${code.slice(end)}`;
  const known = lists.get(key);
  if (known) return known;
  const list = { entries: computeCompletionList(compiler, code, offset), signatures: new Map<string, string>() };
  lists.set(key, list);
  if (lists.size > COMPLETION_LISTS_KEPT) lists.delete(lists.keys().next().value!);
  return list;
}

/** `_name` is a convention for internals: after the public names, and shown only once the user types `_`. */
const isInternal = (name: string): boolean => name.startsWith("_");

/** Every candidate at offset (a UTF-16 offset), in display order. */
function computeCompletionList(compiler: CellCompiler, code: string, offset: number): ts.CompletionEntry[] {
  const info = compiler.withRewrittenEditFile(code, (file, toRewritten) =>
    compiler.service.getCompletionsAtPosition(file, toRewritten(offset, "before"), { includeCompletionsWithInsertText: true }));
  return (info?.entries ?? [])
    .filter((e) => !e.name.startsWith("__gradlab"))
    .sort((a, b) => Number(isInternal(a.name)) - Number(isInternal(b.name)) || a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
}

/** TypeScript's element kinds in the vocabulary JupyterLab's completer has icons for. */
const JUPYTER_KIND: Record<string, string> = {
  method: "method", function: "function", "local function": "function", property: "property", getter: "property",
  setter: "property", class: "class", "local class": "class", interface: "interface", type: "type", enum: "enum",
  module: "module", "external module name": "module", keyword: "keyword", parameter: "param", const: "variable",
  let: "variable", var: "variable", "local var": "variable", alias: "variable",
};

export function complete(compiler: CellCompiler, code: string, cursorPos: number): CompleteReply {
  const offset = codePointsToUtf16(code, cursorPos);
  let start = offset;
  while (start > 0 && IDENTIFIER_CHAR.test(code[start - 1]!)) start--;
  let end = offset;
  while (end < code.length && IDENTIFIER_CHAR.test(code[end]!)) end++;
  const prefix = code.slice(start, offset).toLowerCase();
  const showInternal = prefix.startsWith("_");
  const list = completionCandidates(compiler, code, start, end, offset);
  const entries = list.entries.filter((e) => e.name.toLowerCase().startsWith(prefix) && (showInternal || !isInternal(e.name)));
  fillSignatures(compiler, code, offset, list, entries.slice(0, SIGNATURES_PER_REPLY));
  const cursorStart = utf16ToCodePoints(code, start);
  const cursorEnd = utf16ToCodePoints(code, end);
  return {
    matches: entries.map((e) => e.name),
    cursorStart,
    cursorEnd,
    metadata: {
      _jupyter_types_experimental: entries.map((e) => {
        const signature = list.signatures.get(e.name);
        return { start: cursorStart, end: cursorEnd, text: e.name, type: JUPYTER_KIND[e.kind] ?? e.kind, ...(signature ? { signature } : {}) };
      }),
    },
  };
}

function fillSignatures(compiler: CellCompiler, code: string, offset: number, list: CompletionList, entries: ts.CompletionEntry[]): void {
  const missing = entries.filter((e) => !list.signatures.has(e.name));
  if (missing.length === 0) return;
  compiler.withRewrittenEditFile(code, (file, toRewritten) => {
    const found = completionSignatures(compiler.ts, compiler.service.getProgram()!, file, toRewritten(offset, "before"), missing.map((e) => e.name));
    for (const e of missing) list.signatures.set(e.name, found.get(e.name) ?? "");
  });
}

/**
 * Hover help (inspect_request) and `name?` / `name??` in a cell: the signature and documentation of the symbol at the
 * cursor; with detailLevel 1, also where it is declared, and the source of a declaration made in a cell.
 */
export function inspect(compiler: CellCompiler, code: string, cursorPos: number, detailLevel = 0): InspectReply {
  const t = compiler.ts;
  const offset = codePointsToUtf16(code, cursorPos);
  let operator: string | undefined;
  let declaration: DeclarationSource | undefined;
  const info = compiler.withRewrittenEditFile(code, (file, toRewritten, analysis) => {
    operator = analysis && describeOperatorAt(code, analysis, offset);
    if (operator) return undefined;
    // The cursor usually sits just after the name (`foo|` or `foo(|`), so look there too.
    for (const original of [offset, offset - 1, offset - 2]) {
      if (original < 0) continue;
      const at = toRewritten(original, "after");
      const quick = compiler.service.getQuickInfoAtPosition(file, at);
      // An unresolved name gets quick info too: kind unknown, type any.
      if (!quick || quick.kind === t.ScriptElementKind.unknown) continue;
      if (detailLevel > 0) declaration = declarationSource(compiler, file, at);
      return quick.kind === t.ScriptElementKind.alias ? unalias(compiler, file, at) ?? quick : quick;
    }
    return undefined;
  });
  if (operator) return { found: true, data: { "text/plain": operator, "text/markdown": "```typescript\n" + operator + "\n```" }, metadata: {} };
  if (!info) return { found: false, data: {}, metadata: {} };
  const signature = t.displayPartsToString(info.displayParts);
  let docs = t.displayPartsToString(info.documentation);
  let tags = (info.tags ?? []).map((tag) => `@${tag.name} ${t.displayPartsToString(tag.text)}`.trim());
  if (docs === "" && tags.length === 0) ({ docs, tags } = compiler.withEditFile(code, (file) => docsFromSource(compiler, file, offset)));
  const where = declaration ? [`Declared in ${declaration.location}`] : [];
  const source = declaration?.source ? [declaration.source] : [];
  const plain = [signature, docs, ...tags, ...where, ...source].filter((s) => s.length > 0).join("\n\n");
  const markdown = ["```typescript\n" + signature + "\n```", docs, ...tags.map((s) => `*${s}*`), ...where.map((s) => `*${s}*`),
    ...source.map((s) => "```typescript\n" + s + "\n```")].filter((s) => s.length > 0).join("\n\n");
  return { found: true, data: { "text/plain": plain, "text/markdown": markdown }, metadata: {} };
}

/**
 * TypeScript compiles its completion and quick-info code lazily, and V8 optimizes it only after some calls: a
 * session's first Tab took ~50 ms and the next ones ~1.5 ms, against ~0.4 ms once warm. These steps, each one
 * language-service call on a scratch cell, are run one at a time while the compiler is idle (see compiler_worker.ts).
 */
export function languageWarmUpSteps(compiler: CellCompiler, rounds: number): (() => void)[] {
  const code = "const __warm = [1, 2, 3];\n__warm.map((v) => Math.max(v, 0)).fil";
  // One text for all three, so the steps after the first reuse its program and checker.
  // Past the cache of completion lists, which would answer every round after the first.
  const round = [
    () => {
      const entries = computeCompletionList(compiler, code, code.length);
      fillSignatures(compiler, code, code.length, { entries, signatures: new Map() }, entries.slice(0, 4));
    },
    () => computeCompletionList(compiler, code, code.indexOf("Math") + 2),
    () => inspect(compiler, code, code.indexOf("max") + 1),
  ];
  return Array.from({ length: rounds }, () => round).flat();
}

const fullyParsed = new Map<string, ts.SourceFile>();

/**
 * Declaration files are parsed without JSDoc (see document_registry.ts); for hover, parse the one file that declares the
 * symbol with its comments and read them there.
 */
function docsFromSource(compiler: CellCompiler, file: string, offset: number): { docs: string; tags: string[] } {
  const t = compiler.ts;
  const none = { docs: "", tags: [] as string[] };
  const definition = [offset, offset - 1, offset - 2]
    .flatMap((at) => (at < 0 ? [] : compiler.service.getDefinitionAtPosition(file, at) ?? []))
    .find((d) => d.fileName.endsWith(".d.ts"));
  if (!definition) return none;
  let source = fullyParsed.get(definition.fileName);
  if (!source) {
    const text = t.sys.readFile(definition.fileName);
    if (text === undefined) return none;
    source = t.createSourceFile(definition.fileName, text, t.ScriptTarget.ES2022, true);
    fullyParsed.set(definition.fileName, source);
  }
  let node: ts.Node = source;
  const position = definition.textSpan.start;
  for (let child: ts.Node | undefined = source; child; ) {
    node = child;
    child = t.forEachChild(child, (c) => (c.pos <= position && position < c.end ? c : undefined));
  }
  for (let current = node; !t.isSourceFile(current); current = current.parent) {
    const jsDoc = t.getJSDocCommentsAndTags(current).filter(t.isJSDoc);
    const doc = jsDoc[jsDoc.length - 1];
    if (!doc) continue;
    return {
      docs: t.getTextOfJSDocComment(doc.comment) ?? "",
      tags: (doc.tags ?? []).map((tag) => `@${tag.tagName.text} ${t.getTextOfJSDocComment(tag.comment) ?? ""}`.trim()),
    };
  }
  return none;
}

/** Earlier cells' names reach a cell as aliases (see compiler.ts); show the declaration they stand for instead. */
function unalias(compiler: CellCompiler, file: string, at: number): ts.QuickInfo | undefined {
  const definition = compiler.service.getDefinitionAtPosition(file, at)?.find((d) => d.fileName !== compiler.scopeFile);
  return definition && compiler.service.getQuickInfoAtPosition(definition.fileName, definition.textSpan.start);
}

const CONTINUATION_TOKENS = new Set<string>([
  "+", "-", "*", "/", "%", "**", "=", "==", "===", "!=", "!==", "<", ">", "<=", ">=", "&&", "||", "??", "&", "|", "^",
  ",", ".", "?.", "=>", "?", ":", "+=", "-=", "*=", "/=", "%=", "**=", "&&=", "||=", "??=", "<<", ">>", ">>>",
]);

/** `complete` when the code parses; `incomplete` (with an indent) when more lines could finish it; else `invalid`. */
export function isComplete(tsm: typeof ts, code: string): IsCompleteReply {
  if (code.trim() === "") return { status: "complete" };
  const scanner = tsm.createScanner(tsm.ScriptTarget.ES2022, false, tsm.LanguageVariant.Standard, code);
  const stack: string[] = [];
  let lastToken = "";
  let unterminated = false;
  const closing: Record<string, string> = { "}": "{", ")": "(", "]": "[" };
  const trivia = new Set([tsm.SyntaxKind.WhitespaceTrivia, tsm.SyntaxKind.NewLineTrivia, tsm.SyntaxKind.SingleLineCommentTrivia,
    tsm.SyntaxKind.MultiLineCommentTrivia, tsm.SyntaxKind.ShebangTrivia, tsm.SyntaxKind.ConflictMarkerTrivia]);
  for (let kind = scanner.scan(); kind !== tsm.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const regexCanStart = lastToken === "" || CONTINUATION_TOKENS.has(lastToken) || "({[;!~".includes(lastToken) || lastToken === "return";
    if ((kind === tsm.SyntaxKind.SlashToken || kind === tsm.SyntaxKind.SlashEqualsToken) && regexCanStart) kind = scanner.reScanSlashToken();
    const text = scanner.getTokenText();
    if (kind === tsm.SyntaxKind.OpenBraceToken || kind === tsm.SyntaxKind.OpenParenToken || kind === tsm.SyntaxKind.OpenBracketToken) stack.push(text);
    else if (kind === tsm.SyntaxKind.CloseBraceToken && stack[stack.length - 1] === "${") {
      stack.pop();
      kind = scanner.reScanTemplateToken(false);
      if (kind === tsm.SyntaxKind.TemplateMiddle) stack.push("${");
      if (scanner.isUnterminated()) unterminated = true;
    } else if (closing[text]) {
      if (stack.pop() !== closing[text]) return { status: "invalid" };
    } else if (kind === tsm.SyntaxKind.TemplateHead) stack.push("${");
    if (scanner.isUnterminated()) {
      // An open template literal or block comment continues on the next line; a plain string cannot.
      if (kind === tsm.SyntaxKind.StringLiteral) return { status: "invalid" };
      unterminated = true;
    }
    if (!trivia.has(kind)) lastToken = text;
  }
  const lastLine = code.split("\n").pop() ?? "";
  const indent = (lastLine.match(/^\s*/)?.[0] ?? "");
  if (stack.length > 0 || unterminated) return { status: "incomplete", indent: stack.length > 0 && /[{(\[]\s*$/.test(code) ? indent + "  " : indent };
  if (CONTINUATION_TOKENS.has(lastToken)) return { status: "incomplete", indent };
  const file = tsm.createSourceFile("cell.ts", code, tsm.ScriptTarget.ES2022, false, tsm.ScriptKind.TS);
  const parseErrors = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (parseErrors.length === 0) return { status: "complete" };
  // `if (x)` or `class A extends` parse with an error at the very end: more lines can still finish them.
  const end = code.trimEnd().length;
  return parseErrors.every((d) => (d.start ?? 0) >= end) ? { status: "incomplete", indent: indent + "  " } : { status: "invalid" };
}
