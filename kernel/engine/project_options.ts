// Compiler options a notebook may choose: tslab's non-strict defaults, a tsconfig.json in the notebook's folder or the
// nearest parent (only the options that change what a cell means, never how the engine emits and resolves it), and
// `%tsconfig name=value` changes for the session.
import type ts from "typescript";
import { dirname, join } from "node:path";

/**
 * What a tsconfig.json may set: strictness, target, lib and paths. A project's other checks (noUncheckedIndexedAccess,
 * ...) are for its source files and would turn a notebook's `xs[0].toFixed()` into an error, so only %tsconfig sets them.
 */
const CONFIG_FILE_OPTIONS = [
  "strict", "noImplicitAny", "strictNullChecks", "strictFunctionTypes", "strictBindCallApply", "strictPropertyInitialization",
  "noImplicitThis", "useUnknownInCatchVariables", "target", "lib", "paths", "baseUrl",
] as const;

/** What %tsconfig may set; the rest (module, emit, types) is the engine's. */
export const USER_OPTIONS = [
  "strict", "noImplicitAny", "strictNullChecks", "strictFunctionTypes", "strictBindCallApply", "strictPropertyInitialization",
  "noImplicitThis", "useUnknownInCatchVariables", "noImplicitReturns", "noFallthroughCasesInSwitch", "noUncheckedIndexedAccess",
  "exactOptionalPropertyTypes", "noImplicitOverride", "noPropertyAccessFromIndexSignature", "target", "lib", "paths", "baseUrl",
  "experimentalDecorators",
] as const;

export interface ProjectOptions {
  options: ts.CompilerOptions;
  /** The tsconfig.json read, if any. */
  configFile?: string;
  /** Why a tsconfig.json was ignored, or which of its options were; shown once in a cell's output. */
  notices: string[];
}

/** Everything but strictness as before; cells are checked as tslab checks them (no strict family, as tsc's default). */
export function defaultUserOptions(t: typeof ts): ts.CompilerOptions {
  return { target: t.ScriptTarget.ES2022, lib: ["lib.es2023.d.ts"], strict: false };
}

export function findTsconfig(t: typeof ts, cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, "tsconfig.json");
    if (t.sys.fileExists(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function loadProjectOptions(t: typeof ts, cwd: string): ProjectOptions {
  const defaults = defaultUserOptions(t);
  const configFile = findTsconfig(t, cwd);
  if (!configFile) return { options: defaults, notices: [] };
  const read = t.readConfigFile(configFile, t.sys.readFile);
  if (read.error) return { options: defaults, notices: [ignored(t, configFile, [read.error])] };
  const parsed = t.parseJsonConfigFileContent(read.config, t.sys, dirname(configFile), undefined, configFile);
  // A config with no .ts files beside it is still a valid choice of options for the notebook.
  const errors = parsed.errors.filter((e) => e.code !== 18003);
  if (errors.length > 0) return { options: defaults, notices: [ignored(t, configFile, errors)] };
  const options: ts.CompilerOptions = { ...defaults };
  for (const name of CONFIG_FILE_OPTIONS) if (parsed.options[name] !== undefined) options[name] = parsed.options[name] as never;
  if (parsed.options.paths) options.pathsBasePath = parsed.options.pathsBasePath;
  return { options, configFile, notices: [] };
}

function ignored(t: typeof ts, file: string, errors: readonly ts.Diagnostic[]): string {
  const messages = errors.map((e) => {
    const where = e.file && e.start !== undefined ? e.file.getLineAndCharacterOfPosition(e.start) : undefined;
    return `${where ? `${where.line + 1}:${where.character + 1}: ` : ""}${t.flattenDiagnosticMessageText(e.messageText, " ")}`;
  });
  return `${file} is not valid, so its compiler options are ignored (the defaults apply):\n  ${messages.join("\n  ")}\n`;
}

/**
 * `%tsconfig strict=true target=es2020 lib=es2023,dom`: values as in a tsconfig.json, parsed by TypeScript's own
 * command-line parser, so names and values are checked the same way. Returns the options to set, or the errors.
 */
export function parseOptionChanges(t: typeof ts, args: string): { options: ts.CompilerOptions; errors: string[] } {
  const argv: string[] = [];
  const errors: string[] = [];
  for (const word of args.split(/\s+/).filter((w) => w.length > 0)) {
    const m = /^-{0,2}([A-Za-z]+)(?:=(.*))?$/.exec(word);
    if (!m) {
      errors.push(`expected name=value, got '${word}'`);
      continue;
    }
    const name = m[1]!;
    if (!(USER_OPTIONS as readonly string[]).includes(name)) {
      errors.push(`'${name}' cannot be changed here; these can: ${USER_OPTIONS.join(", ")}`);
      continue;
    }
    argv.push(`--${name}`, m[2] ?? "true");
  }
  const parsed = t.parseCommandLine(argv);
  errors.push(...parsed.errors.map((e) => t.flattenDiagnosticMessageText(e.messageText, " ")));
  return { options: parsed.options, errors };
}

/** The effective options as a tsconfig.json's compilerOptions would spell them. */
export function describeOptions(t: typeof ts, options: ts.CompilerOptions, configFile: string | undefined): string {
  const shown: Record<string, unknown> = {};
  for (const name of USER_OPTIONS) {
    const value = options[name];
    if (value === undefined) continue;
    if (name === "target") shown[name] = t.ScriptTarget[value as ts.ScriptTarget]?.toLowerCase();
    else if (name === "lib") shown[name] = (value as string[]).map((l) => l.replace(/^lib\./, "").replace(/\.d\.ts$/, ""));
    else shown[name] = value;
  }
  const source = configFile ? `from ${configFile} (strictness, target, lib, paths) and the kernel's defaults` : "the kernel's defaults (no tsconfig.json in the notebook's folder or above)";
  return `Compiler options, ${source}:\n${JSON.stringify(shown, null, 2)}\n`;
}
