// Type signatures for completion items, read from the checker in one pass: the language service's per-entry details
// recompute the whole completion list for each entry (tens of milliseconds each on a tensor's members).
import type ts from "typescript";

/** Signatures by name for the names completed at position in file: members of `expr.` or names in scope. */
export function completionSignatures(t: typeof ts, program: ts.Program, fileName: string, position: number, names: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const file = program.getSourceFile(fileName);
  if (!file || names.length === 0) return out;
  const checker = program.getTypeChecker();
  const node = deepestNodeAt(t, file, Math.max(0, position - 1));
  const access = propertyAccessAt(t, node);
  const flags = t.TypeFormatFlags.NoTruncation;
  const describe = (symbol: ts.Symbol, at: ts.Node): string => {
    let target = symbol;
    if (target.flags & t.SymbolFlags.Alias) target = checker.getAliasedSymbol(target);
    if (target.flags & (t.SymbolFlags.Value | t.SymbolFlags.Accessor)) {
      // The declared type: no flow analysis at the cursor, which costs more than the rest together.
      return checker.typeToString(checker.getTypeOfSymbol(target), undefined, flags);
    }
    if (target.flags & t.SymbolFlags.Interface) return `interface ${target.name}`;
    if (target.flags & t.SymbolFlags.TypeAlias) return `type ${target.name}`;
    return "";
  };
  if (access) {
    const type = checker.getNonNullableType(checker.getTypeAtLocation(access.expression));
    for (const name of names) {
      const member = checker.getPropertyOfType(checker.getApparentType(type), name);
      if (member) out.set(name, describe(member, access));
    }
    return out;
  }
  const wanted = new Set(names);
  const meanings = t.SymbolFlags.Value | t.SymbolFlags.Type | t.SymbolFlags.Alias | t.SymbolFlags.Namespace;
  for (const symbol of checker.getSymbolsInScope(node, meanings)) {
    if (wanted.has(symbol.name) && !out.has(symbol.name)) out.set(symbol.name, describe(symbol, node));
  }
  return out;
}

function deepestNodeAt(t: typeof ts, file: ts.SourceFile, position: number): ts.Node {
  let node: ts.Node = file;
  for (;;) {
    const child: ts.Node | undefined = t.forEachChild(node, (c) => (c.pos <= position && position < c.end ? c : undefined));
    if (!child) return node;
    node = child;
  }
}

/** `expr.na|` or `expr.|`: the property access whose name is being completed. */
function propertyAccessAt(t: typeof ts, node: ts.Node): ts.PropertyAccessExpression | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (t.isPropertyAccessExpression(current)) return current;
    if (t.isStatement(current) || t.isSourceFile(current)) return undefined;
  }
  return undefined;
}
