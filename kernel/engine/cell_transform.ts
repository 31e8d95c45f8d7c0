// Emit-time rewrite of a type-checked cell (an ES module) into one script that vm can run in the worker's realm:
// `(async () => { ... })()`, with imports turned into `await import()`, top-level declarations turned into
// properties of globalThis (so later cells and closures share them, as in Node's REPL), and the last expression
// statement returned as `{ value }`. Runs in the "after" phase, so it only sees plain JavaScript.
import type ts from "typescript";

export interface CellTransformOptions {
  /** Runtime specifier for a static or dynamic import ("gradlab" -> file URL of the built library). */
  resolveSpecifier(specifier: string): string;
  /** True for the engine's own type-scope modules, whose imports have no runtime meaning. */
  isScopeModule(specifier: string): boolean;
  /** import.meta.url for the cell. */
  cellUrl: string;
}

export function cellToScript(tsm: typeof ts, options: CellTransformOptions): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (file) => new CellRewriter(tsm, context, options).rewrite(file);
}

class CellRewriter {
  private readonly f: ts.NodeFactory;
  private importCount = 0;

  constructor(
    private readonly tsm: typeof ts,
    private readonly context: ts.TransformationContext,
    private readonly options: CellTransformOptions,
  ) {
    this.f = context.factory;
  }

  rewrite(file: ts.SourceFile): ts.SourceFile {
    const t = this.tsm;
    const imports: ts.Statement[] = [];
    const hoisted: ts.Statement[] = [];
    const body: ts.Statement[] = [];
    for (const raw of file.statements) {
      const statement = this.rewriteDynamicImports(raw);
      if (t.isImportDeclaration(statement)) imports.push(...this.importStatements(statement));
      else if (t.isExportDeclaration(statement)) continue;
      else if (t.isExportAssignment(statement)) body.push(t.setTextRange(this.f.createExpressionStatement(statement.expression), statement));
      else if (t.isVariableStatement(statement)) body.push(...this.globalVariables(statement));
      else if (t.isFunctionDeclaration(statement) && statement.name && statement.body) hoisted.push(this.globalFunction(statement));
      else if (t.isClassDeclaration(statement) && statement.name) body.push(this.globalClass(statement));
      else body.push(statement);
    }
    const last = body[body.length - 1];
    if (last && t.isExpressionStatement(last)) body[body.length - 1] = this.returnValue(last);
    const strict = this.f.createExpressionStatement(this.f.createStringLiteral("use strict"));
    const arrow = this.f.createArrowFunction(
      [this.f.createModifier(t.SyntaxKind.AsyncKeyword)], undefined, [], undefined,
      this.f.createToken(t.SyntaxKind.EqualsGreaterThanToken),
      this.f.createBlock([strict, ...imports, ...hoisted, ...body], true),
    );
    const call = this.f.createCallExpression(this.f.createParenthesizedExpression(arrow), undefined, []);
    return this.f.updateSourceFile(file, [this.f.createExpressionStatement(call)]);
  }

  private global(name: string): ts.PropertyAccessExpression {
    return this.f.createPropertyAccessExpression(this.f.createIdentifier("globalThis"), name);
  }

  private assignGlobal(name: string, value: ts.Expression, range: ts.TextRange): ts.Statement {
    const assign = this.f.createAssignment(this.global(name), value);
    return this.tsm.setTextRange(this.f.createExpressionStatement(assign), range);
  }

  private importCall(specifier: string): ts.Expression {
    const target = this.options.resolveSpecifier(specifier);
    const importKeyword = this.f.createToken(this.tsm.SyntaxKind.ImportKeyword) as unknown as ts.Expression;
    return this.f.createAwaitExpression(this.f.createCallExpression(importKeyword, undefined, [this.f.createStringLiteral(target)]));
  }

  private importStatements(decl: ts.ImportDeclaration): ts.Statement[] {
    const t = this.tsm;
    if (!t.isStringLiteral(decl.moduleSpecifier)) return [];
    const specifier = decl.moduleSpecifier.text;
    if (this.options.isScopeModule(specifier)) return [];
    const clause = decl.importClause;
    if (!clause) return [t.setTextRange(this.f.createExpressionStatement(this.importCall(specifier)), decl)];
    if (clause.isTypeOnly) return [];
    const temp = `__gradlab_import_${this.importCount++}`;
    const out: ts.Statement[] = [
      t.setTextRange(this.f.createVariableStatement(undefined, this.f.createVariableDeclarationList(
        [this.f.createVariableDeclaration(temp, undefined, undefined, this.importCall(specifier))], t.NodeFlags.Const)), decl),
    ];
    const member = (name: string): ts.Expression => this.f.createPropertyAccessExpression(this.f.createIdentifier(temp), name);
    if (clause.name) out.push(this.assignGlobal(clause.name.text, member("default"), clause.name));
    const bindings = clause.namedBindings;
    if (bindings && t.isNamespaceImport(bindings)) out.push(this.assignGlobal(bindings.name.text, this.f.createIdentifier(temp), bindings));
    if (bindings && t.isNamedImports(bindings)) {
      for (const el of bindings.elements) {
        if (el.isTypeOnly) continue;
        const imported = el.propertyName ? (el.propertyName as ts.Identifier).text : el.name.text;
        const access = t.isIdentifier(el.propertyName ?? el.name)
          ? member(imported)
          : this.f.createElementAccessExpression(this.f.createIdentifier(temp), this.f.createStringLiteral(imported));
        out.push(this.assignGlobal(el.name.text, access, el));
      }
    }
    return out;
  }

  private globalVariables(statement: ts.VariableStatement): ts.Statement[] {
    const t = this.tsm;
    const isVar = (statement.declarationList.flags & t.NodeFlags.BlockScoped) === 0;
    const out: ts.Statement[] = [];
    for (const decl of statement.declarationList.declarations) {
      if (t.isIdentifier(decl.name)) {
        const name = decl.name.text;
        // `var x;` keeps the value it had (JavaScript's re-declaration rule; TypeScript's enum emit relies on it).
        const init = decl.initializer ?? (isVar ? this.global(name) : this.f.createVoidZero());
        out.push(this.assignGlobal(name, init, decl));
      } else {
        const pattern = this.assignmentPattern(decl.name);
        const assign = this.f.createAssignment(pattern, decl.initializer ?? this.f.createVoidZero());
        out.push(t.setTextRange(this.f.createExpressionStatement(this.f.createParenthesizedExpression(assign)), decl));
      }
    }
    return out;
  }

  /** `{a, b: [c = 1], ...rest}` as a binding becomes the same shape as an assignment target onto globalThis. */
  private assignmentPattern(name: ts.BindingName): ts.Expression {
    const t = this.tsm;
    if (t.isIdentifier(name)) return this.global(name.text);
    if (t.isArrayBindingPattern(name)) {
      return this.f.createArrayLiteralExpression(name.elements.map((el) => {
        if (t.isOmittedExpression(el)) return el;
        const target = this.withDefault(this.assignmentPattern(el.name), el.initializer);
        return el.dotDotDotToken ? this.f.createSpreadElement(target) : target;
      }));
    }
    return this.f.createObjectLiteralExpression(name.elements.map((el) => {
      const target = this.withDefault(this.assignmentPattern(el.name), el.initializer);
      if (el.dotDotDotToken) return this.f.createSpreadAssignment(target);
      const key = el.propertyName ?? (el.name as ts.Identifier);
      return this.f.createPropertyAssignment(key as ts.PropertyName, target);
    }));
  }

  private withDefault(target: ts.Expression, initializer: ts.Expression | undefined): ts.Expression {
    return initializer ? this.f.createAssignment(target, initializer) : target;
  }

  private globalFunction(fn: ts.FunctionDeclaration): ts.Statement {
    const t = this.tsm;
    const modifiers = (t.getModifiers(fn) ?? []).filter((m) => m.kind === t.SyntaxKind.AsyncKeyword);
    const expr = t.setTextRange(this.f.createFunctionExpression(
      modifiers, fn.asteriskToken, fn.name, undefined, fn.parameters, undefined, fn.body!), fn);
    return this.assignGlobal(fn.name!.text, expr, fn);
  }

  private globalClass(cls: ts.ClassDeclaration): ts.Statement {
    const t = this.tsm;
    const modifiers = (t.getModifiers(cls) ?? []).filter((m) => m.kind !== t.SyntaxKind.ExportKeyword && m.kind !== t.SyntaxKind.DefaultKeyword);
    const expr = t.setTextRange(this.f.createClassExpression(
      modifiers.length ? modifiers : undefined, cls.name, undefined, cls.heritageClauses, cls.members), cls);
    return this.assignGlobal(cls.name!.text, expr, cls);
  }

  private returnValue(last: ts.ExpressionStatement): ts.Statement {
    const wrapped = this.f.createObjectLiteralExpression([this.f.createPropertyAssignment("value", last.expression)]);
    return this.tsm.setTextRange(this.f.createReturnStatement(wrapped), last);
  }

  /** `import("gradlab")` anywhere in the cell and `import.meta` need the same treatment as static imports. */
  private rewriteDynamicImports(statement: ts.Statement): ts.Statement {
    const t = this.tsm;
    const visit = (node: ts.Node): ts.Node => {
      if (t.isCallExpression(node) && node.expression.kind === t.SyntaxKind.ImportKeyword) {
        const [arg, ...rest] = node.arguments;
        if (arg && t.isStringLiteralLike(arg)) {
          const target = this.options.resolveSpecifier(arg.text);
          if (target !== arg.text) {
            return this.f.updateCallExpression(node, node.expression, undefined, [this.f.createStringLiteral(target), ...rest]);
          }
        }
      }
      if (t.isMetaProperty(node) && node.keywordToken === t.SyntaxKind.ImportKeyword) {
        const meta = this.f.createObjectLiteralExpression([this.f.createPropertyAssignment("url", this.f.createStringLiteral(this.options.cellUrl))]);
        return this.f.createParenthesizedExpression(meta);
      }
      return t.visitEachChild(node, visit, this.context);
    };
    return t.visitNode(statement, visit) as ts.Statement;
  }
}
