// `name??`: where the name under the cursor is declared, and the source of a declaration made in a cell.
import type ts from "typescript";
import { relative, sep } from "node:path";
import type { CellCompiler } from "./compiler.js";
import { PACKAGE_ROOT } from "./paths.js";

export interface DeclarationSource { location: string; source?: string }

export function declarationSource(compiler: CellCompiler, file: string, at: number): DeclarationSource | undefined {
  const t = compiler.ts;
  const definition = compiler.service.getDefinitionAtPosition(file, at)?.find((d) => d.fileName !== compiler.scopeFile);
  if (!definition) return undefined;
  const program = compiler.service.getProgram()!;
  const declared = program.getSourceFile(definition.fileName);
  const line = declared ? declared.getLineAndCharacterOfPosition(definition.textSpan.start).line + 1 : undefined;
  const cell = compiler.cellSources.get(definition.fileName);
  if (cell) {
    const source = topLevelDeclaration(t, cell.code, definition.name);
    return { location: `${cell.label}, line ${line}`, source };
  }
  if (definition.fileName === file) return { location: `this cell, line ${line}` };
  const inPackage = relative(PACKAGE_ROOT, definition.fileName);
  const shown = inPackage.startsWith("..") ? definition.fileName : `gradlab${sep}${inPackage}`;
  return { location: `${shown}${line ? `:${line}` : ""}` };
}

/** The statement of the cell that declares name, as the user wrote it (operators and all). */
function topLevelDeclaration(t: typeof ts, code: string, name: string): string | undefined {
  const file = t.createSourceFile("cell.ts", code, t.ScriptTarget.ES2022, true, t.ScriptKind.TS);
  const declares = (statement: ts.Statement): boolean => {
    if (t.isVariableStatement(statement)) return statement.declarationList.declarations.some((d) => t.isIdentifier(d.name) && d.name.text === name);
    const named = statement as ts.Statement & { name?: ts.Node };
    return named.name !== undefined && t.isIdentifier(named.name) && named.name.text === name;
  };
  const statements = file.statements.filter(declares);
  return statements.length > 0 ? statements.map((s) => s.getFullText(file).trim()).join("\n") : undefined;
}
