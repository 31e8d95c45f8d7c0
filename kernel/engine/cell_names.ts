// The names a cell declares at top level, and how each must be re-declared globally for later cells to see it.
import type ts from "typescript";

/** "var": a let/var binding (later cells may assign it); "alias": anything else (const, function, class, type, import...). */
export type NameKind = "var" | "alias";

export interface CellNames {
  /** Every top-level name, with the kind used in the global scope file. */
  declared: Map<string, NameKind>;
  /** Names the user already exported (the engine must not export them twice). */
  exported: Set<string>;
}

export function collectCellNames(tsm: typeof ts, file: ts.SourceFile): CellNames {
  const declared = new Map<string, NameKind>();
  const exported = new Set<string>();
  const add = (name: string, kind: NameKind, isExported: boolean): void => {
    // A name declared twice (interface + const, overloads) is only assignable if every declaration is let/var.
    const previous = declared.get(name);
    declared.set(name, previous === undefined || previous === kind ? kind : "alias");
    if (isExported) exported.add(name);
  };
  for (const statement of file.statements) {
    const isExported = hasExportModifier(tsm, statement);
    if (tsm.isVariableStatement(statement)) {
      const isConst = (statement.declarationList.flags & (tsm.NodeFlags.Const | tsm.NodeFlags.Using | tsm.NodeFlags.AwaitUsing)) !== 0;
      for (const decl of statement.declarationList.declarations) {
        for (const name of bindingNames(tsm, decl.name)) add(name, isConst ? "alias" : "var", isExported);
      }
    } else if (
      tsm.isFunctionDeclaration(statement) || tsm.isClassDeclaration(statement) || tsm.isInterfaceDeclaration(statement) ||
      tsm.isTypeAliasDeclaration(statement) || tsm.isEnumDeclaration(statement)
    ) {
      if (statement.name) add(statement.name.text, "alias", isExported);
    } else if (tsm.isModuleDeclaration(statement) && tsm.isIdentifier(statement.name) && !isGlobalAugmentation(tsm, statement)) {
      add(statement.name.text, "alias", isExported);
    } else if (tsm.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, "alias", false);
      const bindings = clause.namedBindings;
      if (bindings && tsm.isNamespaceImport(bindings)) add(bindings.name.text, "alias", false);
      if (bindings && tsm.isNamedImports(bindings)) for (const el of bindings.elements) add(el.name.text, "alias", false);
    } else if (tsm.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, "alias", isExported);
    } else if (tsm.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && tsm.isNamedExports(statement.exportClause)) {
      for (const el of statement.exportClause.elements) exported.add(el.name.text);
    }
  }
  return { declared, exported };
}

/** `declare global { ... }` binds no name of its own: its declarations are global already. */
function isGlobalAugmentation(tsm: typeof ts, node: ts.ModuleDeclaration): boolean {
  return (node.flags & tsm.NodeFlags.GlobalAugmentation) !== 0;
}

function hasExportModifier(tsm: typeof ts, node: ts.Node): boolean {
  return tsm.canHaveModifiers(node) && (tsm.getModifiers(node) ?? []).some((m) => m.kind === tsm.SyntaxKind.ExportKeyword);
}

export function bindingNames(tsm: typeof ts, name: ts.BindingName): string[] {
  if (tsm.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (tsm.isBindingElement(element)) names.push(...bindingNames(tsm, element.name));
  }
  return names;
}
