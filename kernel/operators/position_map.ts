// Text edits with a two-way position map between an edited text and its original, so that diagnostics, hovers and
// completions computed on the rewritten cell point at the user's own characters.

/** Replace [start, end) of the original with `text`; `start === end` is an insertion. Edits at the same position are
 *  ordered by role (closing parentheses, then openings, then replacements) and by `span`, the size of the expression
 *  they belong to: inner closes first, outer opens first. */
export interface Edit {
  start: number;
  end: number;
  text: string;
  role: "open" | "close" | "replace";
  span: number;
}

interface Segment {
  /** [rStart, rEnd) in the rewritten text */
  rStart: number;
  rEnd: number;
  /** [oStart, oEnd) in the original text */
  oStart: number;
  oEnd: number;
  copied: boolean;
}

const ROLE_ORDER = { close: 0, open: 1, replace: 2 } as const;

function compareEdits(a: Edit, b: Edit): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.role !== b.role) return ROLE_ORDER[a.role] - ROLE_ORDER[b.role];
  return a.role === "close" ? a.span - b.span : b.span - a.span;
}

export class PositionMap {
  private constructor(private readonly segments: readonly Segment[]) {}

  static identity(length: number): PositionMap {
    return new PositionMap([{ rStart: 0, rEnd: length, oStart: 0, oEnd: length, copied: true }]);
  }

  /** Applies non-overlapping edits to `text`. */
  static apply(text: string, edits: readonly Edit[]): { text: string; map: PositionMap } {
    const sorted = [...edits].sort(compareEdits);
    const segments: Segment[] = [];
    let out = "";
    let cursor = 0;
    const copyTo = (end: number) => {
      if (end <= cursor) return;
      segments.push({ rStart: out.length, rEnd: out.length + end - cursor, oStart: cursor, oEnd: end, copied: true });
      out += text.slice(cursor, end);
      cursor = end;
    };
    for (const edit of sorted) {
      if (edit.start < cursor) throw new Error(`overlapping edits at ${edit.start} (already at ${cursor})`);
      copyTo(edit.start);
      segments.push({ rStart: out.length, rEnd: out.length + edit.text.length, oStart: edit.start, oEnd: edit.end, copied: false });
      out += edit.text;
      cursor = edit.end;
    }
    copyTo(text.length);
    return { text: out, map: new PositionMap(segments) };
  }

  /** Position in the original text for a position in the rewritten text. Inside inserted text: where it was inserted. */
  toOriginal(pos: number): number {
    const last = this.segments[this.segments.length - 1];
    for (const s of this.segments) {
      if (pos >= s.rEnd && s !== last) continue;
      if (s.copied) return s.oStart + Math.max(0, Math.min(pos - s.rStart, s.oEnd - s.oStart));
      return s.oStart;
    }
    return pos;
  }

  /** Position in the rewritten text for an original position. Where insertions sit at `pos`, `bias` picks the side:
   *  "before" (end of the text to the left: completing a word being typed) or "after" (start of the token: hover). */
  toRewritten(pos: number, bias: "before" | "after" = "after"): number {
    let candidate: number | undefined;
    for (const s of this.segments) {
      if (!s.copied) continue;
      if (pos > s.oStart && pos < s.oEnd) return s.rStart + (pos - s.oStart);
      if (pos === s.oStart && bias === "after") return s.rStart;
      if (pos === s.oEnd && bias === "before") return s.rEnd;
      if (pos === s.oStart || pos === s.oEnd) candidate ??= pos === s.oStart ? s.rStart : s.rEnd;
    }
    if (candidate !== undefined) return candidate;
    // The position lies in a replaced region (an operator): the start of its replacement.
    for (const s of this.segments) if (!s.copied && pos >= s.oStart && pos <= s.oEnd) return s.rStart;
    return pos;
  }
}
