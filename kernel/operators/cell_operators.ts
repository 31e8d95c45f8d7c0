// Glue between the tensor-operator rewrite and the cell compiler: the import that brings the ops into a rewritten
// cell, source maps and diagnostics moved back from the rewritten text onto the user's own text.
import type * as TS from "typescript";
import ts from "../engine/typescript.js";
import { decode, encode } from "@jridgewell/sourcemap-codec";
import { OPS_GLOBAL, type OperatorAnalysis } from "./rewrite.js";

/** Emit-time transformer: a rewritten cell calls `__gradlabOps.mul(...)`; give it `import * as __gradlabOps from
 *  "gradlab"` so the calls reach the library's ops (the cell's import handling turns it into a runtime import). */
export function importOpsTransformer(): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (file) => {
    const f = context.factory;
    const declaration = f.createImportDeclaration(
      undefined,
      f.createImportClause(false, undefined, f.createNamespaceImport(f.createIdentifier(OPS_GLOBAL))),
      f.createStringLiteral("gradlab"),
    );
    return f.updateSourceFile(file, [declaration, ...file.statements]);
  };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Converts positions between (line, column) and offsets, and from the rewritten text to the original one. */
export class CellPositions {
  private readonly rewrittenLines: number[];
  private readonly originalLines: number[];

  constructor(private readonly analysis: OperatorAnalysis, private readonly original: string) {
    this.rewrittenLines = lineStarts(analysis.text);
    this.originalLines = lineStarts(original);
  }

  /** Original offset for an offset in the rewritten text; past its end (the compiler's trailer) shifts along. */
  toOriginalOffset(offset: number): number {
    const end = this.analysis.text.length;
    if (offset > end) return this.original.length + (offset - end);
    return this.analysis.map.toOriginal(offset);
  }

  /** Zero-based (line, column) in the rewritten file -> zero-based (line, column) in the original cell. */
  toOriginalLineColumn(line: number, column: number): [number, number] {
    if (line >= this.rewrittenLines.length) return [line - this.rewrittenLines.length + this.originalLines.length, column];
    const offset = this.toOriginalOffset(this.rewrittenLines[line]! + column);
    let lo = 0;
    let hi = this.originalLines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.originalLines[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [lo, offset - this.originalLines[lo]!];
  }

  /** Rewrites a source map whose sources are the rewritten cell so that they point into the original cell. */
  remapSourceMap(sourceMapJson: string): string {
    const map = JSON.parse(sourceMapJson) as { mappings: string };
    const lines = decode(map.mappings);
    for (const segments of lines) {
      for (const segment of segments) {
        if (segment.length < 4) continue;
        const [line, column] = this.toOriginalLineColumn(segment[2]!, segment[3]!);
        segment[2] = line;
        segment[3] = column;
      }
    }
    map.mappings = encode(lines);
    return JSON.stringify(map);
  }
}
