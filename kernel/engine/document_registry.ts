// The language service's cache of parsed files: Node's and TypeScript's own declarations are parsed without JSDoc,
// everything else with it.
import type ts from "typescript";

/**
 * Node's types (2.3 MB) and TypeScript's lib files (0.5 MB) are mostly JSDoc, which type-checking never reads; parsing
 * it was a fifth of start-up. It is skipped there (hover reads it on demand, see language_features.ts) and kept
 * everywhere else, gradlab's own docs included.
 */
export function createDocumentRegistry(t: typeof import("typescript"), cwd: string): ts.DocumentRegistry {
  const withDocs = t.createDocumentRegistry(t.sys.useCaseSensitiveFileNames, cwd);
  const withoutDocs = t.createDocumentRegistry(t.sys.useCaseSensitiveFileNames, cwd, t.JSDocParsingMode.ParseNone);
  const pick = (fileNameOrPath: string) => (/[\\/](@types[\\/]node|undici-types|typescript[\\/]lib)[\\/]/.test(fileNameOrPath) ? withoutDocs : withDocs);
  const mode = (fileName: string, options: ts.CreateSourceFileOptions | ts.ScriptTarget | undefined) =>
    typeof options === "object" ? { ...options, jsDocParsingMode: pick(fileName) === withoutDocs ? t.JSDocParsingMode.ParseNone : undefined } : options;
  // Every method that names a file goes to the registry that owns it (each asserts its own parsing mode).
  const route = <K extends keyof ts.DocumentRegistry>(name: K) =>
    ((file: string, ...rest: unknown[]) => (pick(file)[name] as (...args: unknown[]) => unknown)(file, ...rest)) as ts.DocumentRegistry[K];
  return {
    acquireDocument: route("acquireDocument"),
    acquireDocumentWithKey: (fileName, path, settings, key, snapshot, version, kind, options) =>
      pick(fileName).acquireDocumentWithKey(fileName, path, settings, key, snapshot, version, kind, mode(fileName, options)),
    updateDocument: route("updateDocument"),
    updateDocumentWithKey: (fileName, path, settings, key, snapshot, version, kind, options) =>
      pick(fileName).updateDocumentWithKey(fileName, path, settings, key, snapshot, version, kind, mode(fileName, options)),
    releaseDocument: route("releaseDocument"),
    releaseDocumentWithKey: route("releaseDocumentWithKey"),
    getKeyForCompilationSettings: (settings) => withDocs.getKeyForCompilationSettings(settings),
    reportStats: () => withDocs.reportStats(),
  } as ts.DocumentRegistry;
}
