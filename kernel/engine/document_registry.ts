// The language service's cache of parsed files: declaration files on disk are parsed without JSDoc, cells and the
// engine's own virtual files (the prelude) with it.
import type ts from "typescript";

/**
 * Declaration files (TypeScript's lib, Node's types, gradlab's own, npm packages') are mostly JSDoc, which
 * type-checking never reads; parsing it was a fifth of start-up. Hover reads it on demand from the file that declares
 * the symbol (language_features.ts), which works for files on disk only: hence the prelude keeps its JSDoc.
 */
export function createDocumentRegistry(t: typeof import("typescript"), cwd: string): ts.DocumentRegistry {
  const withDocs = t.createDocumentRegistry(t.sys.useCaseSensitiveFileNames, cwd);
  const withoutDocs = t.createDocumentRegistry(t.sys.useCaseSensitiveFileNames, cwd, t.JSDocParsingMode.ParseNone);
  const pick = (fileNameOrPath: string) => (/\.d\.[cm]?ts$/.test(fileNameOrPath) && !/[\\/]__gradlab[^\\/]*$/.test(fileNameOrPath) ? withoutDocs : withDocs);
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
