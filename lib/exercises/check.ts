// Checked exercises: `check(name, value, options)` compares a learner's answer with a reference (or a predicate) and
// displays a green or red verdict with a hint. The output never contains the reference: a learner who reads the
// output of a failed check learns what to reconsider, not what to type.
import { escapeHtml } from "../display/html.js";
import { DISPLAY, type Displayable, type MimeBundle } from "../display/mime.js";

/** The verdict's own MIME type, so tests and tools read the status without parsing HTML. */
export const CHECK_MIME = "application/vnd.gradlab.check+json";

export type CheckStatus = "correct" | "incorrect" | "unanswered";

/** Numbers, lists of numbers, or anything with `toArray()` (a Tensor) are compared elementwise. */
type Numeric = number | readonly number[] | { toArray(): unknown };

export interface CheckOptions {
  /** The reference answer, compared within `atol + rtol * |expected|` per element. */
  expected?: Numeric;
  /** A predicate instead of (or on top of) `expected`, for answers with many right forms. */
  test?: (value: any) => boolean;
  /** Default 1e-6. */
  atol?: number;
  /** Default 1e-6. */
  rtol?: number;
  /** Shown when the answer is wrong or missing: what to reconsider, never the answer itself. */
  hint?: string;
}

function flatNumbers(v: unknown): number[] | undefined {
  if (typeof v === "number") return [v];
  if (v !== null && typeof v === "object" && typeof (v as { toArray?: unknown }).toArray === "function") {
    return flatNumbers((v as { toArray(): unknown }).toArray());
  }
  if (Array.isArray(v)) {
    const parts = v.map(flatNumbers);
    return parts.every((p) => p !== undefined) ? (parts as number[][]).flat() : undefined;
  }
  return undefined;
}

/** Why a numeric answer is wrong, in words that do not give the reference away. */
function compare(value: unknown, expected: Numeric, atol: number, rtol: number): string | undefined {
  const got = flatNumbers(value);
  const want = flatNumbers(expected) ?? [];
  if (got === undefined) return "the answer should be a number or a list of numbers";
  if (got.length !== want.length) return `the answer should have ${want.length} number${want.length === 1 ? "" : "s"}, it has ${got.length}`;
  if (got.some((g) => !Number.isFinite(g))) return "the answer holds NaN or an infinite value";
  const wrong = got.filter((g, i) => Math.abs(g - want[i]!) > atol + rtol * Math.abs(want[i]!)).length;
  if (wrong === 0) return undefined;
  return want.length === 1 ? "not this value" : `${wrong} of ${want.length} numbers are off`;
}

const STYLE: Record<CheckStatus, { mark: string; colour: string; background: string; word: string }> = {
  correct: { mark: "✓", colour: "#1a7f37", background: "#dafbe1", word: "correct" },
  incorrect: { mark: "✗", colour: "#cf222e", background: "#ffebe9", word: "not yet" },
  unanswered: { mark: "…", colour: "#57606a", background: "#f6f8fa", word: "no answer yet" },
};

/** A verdict that displays itself; `passed` lets a cell or a test act on it. */
export class Check implements Displayable {
  constructor(
    readonly name: string,
    readonly status: CheckStatus,
    /** Why the answer is wrong, without the reference; empty when correct or unanswered. */
    readonly reason: string,
    readonly hint: string,
  ) {}

  get passed(): boolean {
    return this.status === "correct";
  }

  /** One line: the mark, the exercise's name, the verdict, and for wrong or missing answers the reason and hint. */
  get message(): string {
    const { mark, word } = STYLE[this.status];
    const detail = this.passed ? "" : [this.reason, this.hint && `hint: ${this.hint}`].filter(Boolean).join("; ");
    return `${mark} ${this.name}: ${word}${detail ? ` (${detail})` : ""}`;
  }

  [DISPLAY](): MimeBundle {
    const { mark, colour, background, word } = STYLE[this.status];
    const detail = this.passed ? "" : [this.reason && escapeHtml(this.reason), this.hint && `<em>Hint:</em> ${escapeHtml(this.hint)}`]
      .filter(Boolean).map((s) => `<div style="margin-top:2px">${s}</div>`).join("");
    const html = `<div class="gradlab-check gradlab-check-${this.status}" style="border-left:4px solid ${colour};background:${background};` +
      `padding:6px 10px;margin:4px 0;font-family:sans-serif;color:#24292f"><strong style="color:${colour}">${mark} ${escapeHtml(this.name)}: ${word}</strong>${detail}</div>`;
    return { [CHECK_MIME]: { name: this.name, status: this.status }, "text/html": html, "text/plain": this.message };
  }
}

/**
 * Checks an exercise answer. `undefined` or `null` means "not answered yet" (shown grey, with the hint); otherwise
 * the answer must match `expected` within the tolerances and satisfy `test`, when given.
 */
export function check(name: string, value: unknown, options: CheckOptions = {}): Check {
  const hint = options.hint ?? "";
  if (value === undefined || value === null) return new Check(name, "unanswered", "", hint);
  if (options.expected === undefined && options.test === undefined) throw new Error(`check("${name}"): give expected or test`);
  let reason: string | undefined;
  if (options.expected !== undefined) reason = compare(value, options.expected, options.atol ?? 1e-6, options.rtol ?? 1e-6);
  if (reason === undefined && options.test !== undefined) {
    let ok = false;
    try {
      ok = options.test(value);
    } catch {
      ok = false;
    }
    if (!ok) reason = "the answer does not pass the test";
  }
  return new Check(name, reason === undefined ? "correct" : "incorrect", reason ?? "", hint);
}
