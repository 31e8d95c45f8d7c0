// Tensor operators in cells: finds `+ - * / **` (and compound assignments, unary minus) whose operands the type checker
// says are tensors, and rewrites them into calls of the library's ops, keeping a map back to the user's positions.
//
// JavaScript has no operator overloading, but the kernel type-checks every cell, so it knows which operands are
// tensors. The rewrite is driven only by the checker's types: expressions on plain numbers are never touched, so they
// compile to exactly the JS they compiled to before. Rewriting is iterated to a fixpoint because a rewrite can change
// the type of an enclosing expression (`x * x + 3 * x`: the `+` sees tensors only once both products are calls) or of
// a later declaration (`const y = a * b; y * 2`).
import type * as TS from "typescript";
import ts from "../engine/typescript.js";
import { PositionMap, type Edit } from "./position_map.js";

/** The global through which rewritten cells reach the ops; installed by the engine, declared in the prelude. */
export const OPS_GLOBAL = "__gradlabOps";

/** Declaration text the engine adds to its prelude so rewritten cells type-check. */
export const OPS_GLOBAL_DECLARATION = `declare const ${OPS_GLOBAL}: {
  add(a: import("gradlab").Tensor | number, b: import("gradlab").Tensor | number): import("gradlab").Tensor;
  sub(a: import("gradlab").Tensor | number, b: import("gradlab").Tensor | number): import("gradlab").Tensor;
  mul(a: import("gradlab").Tensor | number, b: import("gradlab").Tensor | number): import("gradlab").Tensor;
  div(a: import("gradlab").Tensor | number, b: import("gradlab").Tensor | number): import("gradlab").Tensor;
  pow(a: import("gradlab").Tensor | number, b: import("gradlab").Tensor | number): import("gradlab").Tensor;
  neg(a: import("gradlab").Tensor | number): import("gradlab").Tensor;
};
`;

const BINARY_OPS: ReadonlyMap<TS.SyntaxKind, { fn: string; symbol: string; compound: boolean }> = new Map([
  [ts.SyntaxKind.PlusToken, { fn: "add", symbol: "+", compound: false }],
  [ts.SyntaxKind.MinusToken, { fn: "sub", symbol: "-", compound: false }],
  [ts.SyntaxKind.AsteriskToken, { fn: "mul", symbol: "*", compound: false }],
  [ts.SyntaxKind.SlashToken, { fn: "div", symbol: "/", compound: false }],
  [ts.SyntaxKind.AsteriskAsteriskToken, { fn: "pow", symbol: "**", compound: false }],
  [ts.SyntaxKind.PlusEqualsToken, { fn: "add", symbol: "+=", compound: true }],
  [ts.SyntaxKind.MinusEqualsToken, { fn: "sub", symbol: "-=", compound: true }],
  [ts.SyntaxKind.AsteriskEqualsToken, { fn: "mul", symbol: "*=", compound: true }],
  [ts.SyntaxKind.SlashEqualsToken, { fn: "div", symbol: "/=", compound: true }],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, { fn: "pow", symbol: "**=", compound: true }],
]);

/** One operator to rewrite, located by its positions in the ORIGINAL cell text. */
export type OperatorRewrite =
  | { kind: "binary"; fn: string; compound: boolean; leftStart: number; leftEnd: number; rightStart: number; rightEnd: number }
  | { kind: "negate"; operatorStart: number; operandEnd: number };

/** A misuse the checker would otherwise report confusingly: `tensor * "x"`. Positions in the original text. */
export interface OperatorDiagnostic {
  start: number;
  length: number;
  message: string;
}

export interface CheckedText {
  program: TS.Program;
  sourceFile: TS.SourceFile;
  checker: TS.TypeChecker;
}

export interface OperatorAnalysis {
  /** Cell text with every tensor operator turned into an op call; what the checker and language service should see. */
  text: string;
  /** Maps positions between `text` and the original cell. */
  map: PositionMap;
  rewrites: OperatorRewrite[];
  diagnostics: OperatorDiagnostic[];
  /** The check of the final text, for callers that want its diagnostics without checking again. */
  finalCheck: CheckedText;
}

const MAX_ROUNDS = 12;

/** Is `type` a gradlab Tensor (or a type parameter / union that can only be one)? Structural on purpose: the class
 *  named Tensor that has `matmul` and `backward`, wherever its declaration file lives. */
export function isTensorType(type: TS.Type, checker: TS.TypeChecker): boolean {
  if (type.flags & ts.TypeFlags.Any) return false;
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint !== undefined && constraint !== type && isTensorType(constraint, checker);
  }
  if (type.isUnion()) return type.types.every((t) => isTensorType(t, checker));
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  return symbol?.getName() === "Tensor" && type.getProperty("matmul") !== undefined && type.getProperty("backward") !== undefined;
}

function isNumberType(type: TS.Type): boolean {
  if (type.flags & ts.TypeFlags.Any) return false;
  if (type.isUnion()) return type.types.every((t) => isNumberType(t));
  return (type.flags & ts.TypeFlags.NumberLike) !== 0;
}

type OperandKind = "tensor" | "number" | "tensor-or-number" | "any" | "other";

function classify(type: TS.Type, checker: TS.TypeChecker): OperandKind {
  // `any` beside a tensor (say, what an untyped helper returned) goes to the op, which accepts tensors and numbers.
  if (type.flags & ts.TypeFlags.Any) return "any";
  if (isTensorType(type, checker)) return "tensor";
  if (isNumberType(type)) return "number";
  if (type.isUnion() && type.types.every((t) => isTensorType(t, checker) || isNumberType(t))) return "tensor-or-number";
  return "other";
}

function skipParens(node: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/** Rewrites found by one pass over a checked text. `known` holds original-position keys already rewritten (they
 *  appear as calls in this text, so they are not found again). */
function findRewrites(
  checked: CheckedText,
  map: PositionMap,
  diagnostics: Map<string, OperatorDiagnostic>,
): OperatorRewrite[] {
  const { sourceFile, checker } = checked;
  const found: OperatorRewrite[] = [];
  // Expressions this pass decided to rewrite are tensors for their parents, before any re-check.
  const becomesTensor = new Set<TS.Node>();
  const kindOf = (expr: TS.Expression): OperandKind => {
    const inner = skipParens(expr);
    if (becomesTensor.has(inner)) return "tensor";
    return classify(checker.getTypeAtLocation(inner), checker);
  };
  const typeText = (expr: TS.Expression): string => checker.typeToString(checker.getTypeAtLocation(skipParens(expr)));
  const original = (pos: number): number => map.toOriginal(pos);

  const visit = (node: TS.Node): void => {
    ts.forEachChild(node, visit); // children first: inner products decide before the sums around them
    if (ts.isBinaryExpression(node)) {
      const op = BINARY_OPS.get(node.operatorToken.kind);
      if (!op) return;
      const left = kindOf(node.left);
      const right = kindOf(node.right);
      const tensorish = (k: OperandKind) => k === "tensor" || k === "tensor-or-number";
      if (!tensorish(left) && !tensorish(right)) return;
      const other = tensorish(left) ? right : left;
      if (other === "other") {
        // `tensor + "x"` is string concatenation and stays legal; everything else is a misuse worth naming.
        const leftType = checker.getTypeAtLocation(skipParens(node.left));
        const rightType = checker.getTypeAtLocation(skipParens(node.right));
        const stringy = (t: TS.Type) => (t.flags & ts.TypeFlags.StringLike) !== 0;
        if ((op.symbol === "+" || op.symbol === "+=") && (stringy(leftType) || stringy(rightType))) return;
        const start = original(node.getStart(sourceFile));
        const end = original(node.getEnd());
        const message =
          `Operator '${op.symbol}' cannot be applied to types '${typeText(node.left)}' and '${typeText(node.right)}': ` +
          `tensor operators take a Tensor or a number on each side.`;
        diagnostics.set(`${start}:${end}`, { start, length: end - start, message });
        return;
      }
      if (op.compound && !ts.isIdentifier(node.left) && !ts.isPropertyAccessExpression(node.left)) return;
      becomesTensor.add(node);
      found.push({
        kind: "binary",
        fn: op.fn,
        compound: op.compound,
        leftStart: original(node.left.getStart(sourceFile)),
        leftEnd: original(node.left.getEnd()),
        rightStart: original(node.right.getStart(sourceFile)),
        rightEnd: original(node.right.getEnd()),
      });
    } else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
      if (kindOf(node.operand) !== "tensor") return;
      becomesTensor.add(node);
      found.push({
        kind: "negate",
        operatorStart: original(node.getStart(sourceFile)),
        operandEnd: original(node.operand.getEnd()),
      });
    }
  };
  visit(sourceFile);
  return found;
}

const rewriteKey = (r: OperatorRewrite): string =>
  r.kind === "binary" ? `b:${r.leftStart}:${r.rightEnd}` : `n:${r.operatorStart}:${r.operandEnd}`;

/** Edits on the original text for a set of rewrites. Nested rewrites share insertion points; `depth` orders them
 *  (outer calls open first and close last). */
function editsFor(text: string, rewrites: readonly OperatorRewrite[]): Edit[] {
  const edits: Edit[] = [];
  for (const r of rewrites) {
    if (r.kind === "negate") {
      const span = r.operandEnd - r.operatorStart;
      edits.push({ start: r.operatorStart, end: r.operatorStart + 1, text: `${OPS_GLOBAL}.neg(`, role: "open", span });
      edits.push({ start: r.operandEnd, end: r.operandEnd, text: ")", role: "close", span });
      continue;
    }
    const span = r.rightEnd - r.leftStart;
    if (r.compound) {
      const target = text.slice(r.leftStart, r.leftEnd);
      edits.push({ start: r.leftEnd, end: r.rightStart, text: ` = ${OPS_GLOBAL}.${r.fn}(${target}, `, role: "replace", span });
    } else {
      edits.push({ start: r.leftStart, end: r.leftStart, text: `${OPS_GLOBAL}.${r.fn}(`, role: "open", span });
      edits.push({ start: r.leftEnd, end: r.rightStart, text: ", ", role: "replace", span });
    }
    edits.push({ start: r.rightEnd, end: r.rightEnd, text: ")", role: "close", span });
  }
  return edits;
}

/** Applies the rewrites to the original text, returning the rewritten text and its position map. */
export function applyRewrites(text: string, rewrites: readonly OperatorRewrite[]): { text: string; map: PositionMap } {
  return PositionMap.apply(text, editsFor(text, rewrites));
}

/**
 * Finds every tensor operator in `text` and returns the rewritten text. `check` type-checks a candidate cell text in
 * the cell's real environment (earlier cells, imports) and is called once when there is nothing to rewrite, and once
 * per round otherwise (usually two or three rounds).
 */
export function rewriteTensorOperators(text: string, check: (candidate: string) => CheckedText): OperatorAnalysis {
  const rewrites = new Map<string, OperatorRewrite>();
  const diagnostics = new Map<string, OperatorDiagnostic>();
  let current = { text, map: PositionMap.identity(text.length) };
  let checked = check(text);
  // A cell that does not parse is reported as written: rewriting could hide the error (`-a ** 2` would become valid).
  const parses = checked.program.getSyntacticDiagnostics(checked.sourceFile).length === 0;
  for (let round = 0; parses && round < MAX_ROUNDS; round++) {
    diagnostics.clear(); // only misuses still present in the latest text count
    const found = findRewrites(checked, current.map, diagnostics).filter((r) => !rewrites.has(rewriteKey(r)));
    if (found.length === 0) break;
    for (const r of found) rewrites.set(rewriteKey(r), r);
    current = applyRewrites(text, [...rewrites.values()]);
    checked = check(current.text);
  }
  return { text: current.text, map: current.map, rewrites: [...rewrites.values()], diagnostics: [...diagnostics.values()], finalCheck: checked };
}

/** TypeScript diagnostics that a tensor operator would raise and that the rewrite makes moot: the arithmetic operand
 *  errors (2362, 2363) and "operator cannot be applied" (2365) on expressions that are now op calls, plus what the
 *  rewrite replaces with a clearer OperatorDiagnostic. */
export const ARITHMETIC_DIAGNOSTIC_CODES: ReadonlySet<number> = new Set([2362, 2363, 2365]);

/** Without a `+ - * /` character a cell has no operator to rewrite, so callers skip the analysis and its type checks. */
export function mayUseTensorOperators(code: string): boolean {
  return /[-+*/]/.test(code);
}

/** Magic comments: `// @gradlab-operators: off` disables the rewrite for this cell; `off-all` / `on-all` switch it for
 *  this and every later cell of the session (notebook-wide). */
export type OperatorSwitch = { thisCell: boolean; sessionDefault?: boolean };

export function readOperatorSwitch(code: string, sessionDefault: boolean): OperatorSwitch {
  const match = /^\s*\/\/\s*@gradlab-operators:\s*(off-all|on-all|off|on)\b/m.exec(code);
  if (!match) return { thisCell: sessionDefault };
  switch (match[1]) {
    case "off":
      return { thisCell: false };
    case "on":
      return { thisCell: true };
    case "off-all":
      return { thisCell: false, sessionDefault: false };
    default:
      return { thisCell: true, sessionDefault: true };
  }
}

/** Hover text for a tensor operator under the cursor (original offset): `a * b: Tensor`, typed by the checker on the
 *  rewritten call. Undefined when the cursor is not on a rewritten operator. */
export function describeOperatorAt(original: string, analysis: OperatorAnalysis, offset: number): string | undefined {
  const hit = analysis.rewrites.find((r) =>
    r.kind === "binary" ? offset >= r.leftEnd && offset <= r.rightStart : offset === r.operatorStart || offset === r.operatorStart + 1);
  if (!hit) return undefined;
  const [start, end] = hit.kind === "binary" ? [hit.leftStart, hit.rightEnd] : [hit.operatorStart, hit.operandEnd];
  const { sourceFile, checker } = analysis.finalCheck;
  let type: string | undefined;
  const visit = (node: TS.Node): void => {
    if (type) return;
    if (
      ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) && node.expression.expression.text === OPS_GLOBAL &&
      analysis.map.toOriginal(node.arguments[0]!.getStart(sourceFile)) === (hit.kind === "binary" ? start : start + 1) &&
      analysis.map.toOriginal(node.getEnd()) === end
    ) {
      type = checker.typeToString(checker.getTypeAtLocation(node));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return type && `${original.slice(start, end)}: ${type}`;
}
