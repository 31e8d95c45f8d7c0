// Comparing two computed results: shape, dtype, NaN positions, infinities with sign, finite values within tolerance.
import type { Outcome } from "./cases.js";

export type Result = Outcome | { error: string };
/** A reference result: an outcome with the absolute error allowed per element (NaN: not compared), or a refusal. */
export type Reference = (Outcome & { allowed?: Float64Array }) | { error: string };

const fmtShape = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`);
const fmt = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/** null when `got` agrees with `want`, else what differs. Signed zeros compare equal (numpy is not consistent there). */
export function compare(got: Result, want: Reference): string | null {
  if ("error" in want) return "error" in got ? null : `the reference refuses this input (${want.error}) but gradlab returned shape ${fmtShape(got.shape)}`;
  if ("error" in got) return `gradlab threw "${got.error}"; the reference gives shape ${fmtShape(want.shape)} ${want.dtype}`;
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    return `shape ${fmtShape(got.shape)}, expected ${fmtShape(want.shape)}`;
  }
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, expected ${want.dtype}`;
  if (got.data.length !== want.data.length) return `${got.data.length} values for shape ${fmtShape(got.shape)}`;
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!, w = want.data[i]!;
    const tol = want.allowed ? want.allowed[i]! : 0;
    if (tol !== tol) continue;
    const ok = w !== w ? g !== g : !Number.isFinite(w) ? g === w : Number.isFinite(g) && Math.abs(g - w) <= tol;
    if (!ok) {
      if (bad.length < 4) bad.push(`[${i}] ${fmt(g)} vs ${fmt(w)}${tol > 0 ? ` (allowed ±${tol.toPrecision(2)})` : ""}`);
      count++;
    }
  }
  return count === 0 ? null : `${count} of ${want.data.length} values differ (gradlab vs reference, flat index): ${bad.join(", ")}`;
}
