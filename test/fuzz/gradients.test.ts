// Differential test of derivatives: on generated float64 cases, gradlab's jvp and vjp agree with central differences
// of numpy's function, and <ct, jvp(v)> = <vjp(ct), v> (seed printed; see README).
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { requireTool } from "../helpers/require.js";
import { generateCases, GRAD_OPS, gradCaseArbitrary, type Case } from "./cases.js";
import { evaluateDerivatives, jvpSource, perturbableCase, setupDerivatives, vjpSource, type DerivativeSetup, type Derivatives } from "./derivatives.js";
import { hasNumpy, NumpyReference, type DirectionalAnswer } from "./numpy.js";
import { gradCases, only, replayHint, seed } from "./settings.js";

const available = requireTool("numpy (/usr/bin/python3 with python3-numpy)", hasNumpy());
const BATCH = 200;

const dotp = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
const absDot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + Math.abs(v * b[i]!), 0);
const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** std and the 2-norm at 0 (no spread, e.g. a broadcast input): the derivative is infinite there by documented convention. */
const atZeroOfRoot = (c: Case, s: DerivativeSetup): boolean => (c.op === "std" || c.op === "norm") && s.value.some((v) => v === 0);

/** Points where the case's function is not differentiable by documented convention (std/var of <= ddof+1 values). */
function conventionalKink(c: Case): boolean {
  if (c.op !== "std" && c.op !== "var") return false;
  const x = c.inputs[0]!;
  const axis = c.params.axis as number | number[] | undefined;
  const axes = axis === undefined ? x.shape.map((_, i) => i) : (Array.isArray(axis) ? axis : [axis]).map((a) => (a + x.shape.length) % x.shape.length);
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  return n <= 1 + ((c.params.ddof as number | undefined) ?? 0);
}

/** What is wrong with gradlab's derivatives of one case, or null. */
function check(s: DerivativeSetup, d: Derivatives, fd: DirectionalAnswer, c: Case): string | null {
  if ("error" in fd) return `the reference refuses the case: ${fd.error}`;
  if (d.jvpShape.join() !== fd.shape.join()) return `jvp shape (${d.jvpShape}) vs (${fd.shape})`;
  for (const [k, i] of s.primals.entries()) {
    const g = d.vjp[k]!;
    const want = c.inputs[i]!.kind === "lazy" || c.inputs[i]!.kind === "scalar" ? c.inputs[i]!.shape : c.inputs[i]!.base;
    if (g.shape.join() !== want.join()) return `vjp of input ${i} has shape (${g.shape}), the input (${want})`;
    if (g.dtype !== "float64") return `vjp of input ${i} is ${g.dtype}`;
  }
  const scale = maxAbs(fd.data);
  const err = fd.data.reduce((m, v, j) => Math.max(m, Math.abs(v - d.jvp[j]!)), 0);
  if (!(err <= 1e-6 * scale + 1e-10)) return `jvp differs from central differences by ${err.toPrecision(3)} (scale ${scale.toPrecision(3)})`;
  const ctJvp = dotp(s.ct, d.jvp);
  const ctFd = dotp(s.ct, fd.data);
  let gv = 0, gvAbs = 0;
  s.primals.forEach((_, k) => {
    gv += dotp(d.vjp[k]!.data, s.tangents[k]!);
    gvAbs += absDot(d.vjp[k]!.data, s.tangents[k]!);
  });
  // Exact cancellation (a zero jvp) leaves rounding of the size of the cotangent's entries times the tangents'.
  const floor = 1e-12 * s.ct.reduce((a, v) => a + Math.abs(v), 0) * Math.max(0, ...s.tangents.map(maxAbs));
  const mag = absDot(s.ct, d.jvp) + gvAbs;
  if (!(Math.abs(ctJvp - gv) <= 1e-10 * mag + floor)) return `<ct, jvp(v)> = ${ctJvp} but <vjp(ct), v> = ${gv}`;
  if (!(Math.abs(ctFd - gv) <= 1e-6 * (absDot(s.ct, fd.data) + gvAbs) + 1e-10)) return `<ct, central differences> = ${ctFd} but <vjp(ct), v> = ${gv}`;
  return null;
}

describe.skipIf(!available)("gradlab's derivatives agree with central differences on generated cases", () => {
  const total = only === undefined ? gradCases : 1;
  it(`${total} gradient cases (seed ${seed})`, async () => {
    console.log(`fuzz gradients: seed ${seed}, ${total} cases` + (only !== undefined ? ` (case ${only} only)` : ""));
    const started = Date.now();
    const ref = new NumpyReference();
    const failures: string[] = [];
    let checked = 0, kinks = 0, constant = 0, mismatches = 0;
    const perOp = new Set<string>();
    try {
      for (const all of generateCases(gradCaseArbitrary, seed, only ?? 0, total)) for (let start = 0; start < all.length; start += BATCH) {
        const jobs: { index: number; c: Case; s: DerivativeSetup }[] = [];
        all.slice(start, start + BATCH).forEach(({ index, c }) => {
          const where = `#${index} ${c.op}`;
          if (conventionalKink(c)) return void kinks++;
          let s: DerivativeSetup;
          try {
            s = setupDerivatives(c, index * 1013 + seed);
          } catch (e) {
            if (++mismatches <= 2000) failures.push(`${where}: the forward threw ${(e as Error).message}\n    replay: ${replayHint("grad", index)}`);
            return;
          }
          if (s.primals.length === 0) return void constant++;
          if (atZeroOfRoot(c, s)) return void kinks++;
          jobs.push({ index, c, s });
        });
        const pending = ref.directional(jobs.map(({ c, s }) => perturbableCase(c, s)));
        const results = jobs.map(({ s }) => {
          try {
            return evaluateDerivatives(s);
          } catch (e) {
            return { error: (e as Error).message };
          }
        });
        const fds = await pending;
        jobs.forEach(({ index, c, s }, j) => {
          const fd = fds[j]!;
          if (!("error" in fd) && fd.unstable) return void kinks++;
          const d = results[j]!;
          const problem = "error" in d ? `gradlab threw "${d.error}"` : check(s, d, fd, c);
          checked++;
          perOp.add(c.op);
          if (problem !== null && ++mismatches <= 2000) {
            failures.push(`#${index} ${c.op} (cotangent: ${s.ctKind}): ${problem}\n    repro: ${vjpSource(s)}\n    repro: ${jvpSource(s)}\n    replay: ${replayHint("grad", index)}`);
          }
        });
      }
    } finally {
      ref.close();
    }
    console.log(`fuzz gradients: ${total} cases in ${((Date.now() - started) / 1000).toFixed(1)} s: ${checked} checked, ${kinks} skipped at non-smooth points, ${constant} without a differentiable input`);
    if (process.env.GRADLAB_FUZZ_REPORT) writeFileSync(process.env.GRADLAB_FUZZ_REPORT + ".grad", failures.join("\n") + "\n");
    if (mismatches > 0) {
      console.error(`fuzz gradients: ${mismatches} of ${checked} cases wrong (seed ${seed}):\n` + failures.slice(0, 40).join("\n"));
    }
    if (only === undefined) expect(checked, "gradient cases actually checked").toBeGreaterThanOrEqual(0.9 * total);
    if (only === undefined && total >= 2000) expect(GRAD_OPS.filter((op) => !perOp.has(op)), "ops never checked").toEqual([]);
    expect(mismatches, `gradient mismatches (seed ${seed}); first: ${failures[0] ?? ""}`).toBe(0);
  }, 3_600_000);
});
