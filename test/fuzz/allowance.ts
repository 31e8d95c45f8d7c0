// How far a fast-backend result may sit from the reference backend's: the rounding a reordered or fused sum may add.
import { sizeOf, type Case, type Outcome } from "./cases.js";

/** Ops whose result sums many terms: the backends may add them in another order (wasm lanes, GEMM blocks). */
const SUMMING = new Set(["sum", "mean", "prod", "var", "std", "logsumexp", "norm", "softmax", "logSoftmax", "matmul", "dot"]);

/**
 * The reference result with the error each element may carry: 4 ulp of the value for elementwise ops (the wasm unary
 * kernels are within 3 ulp of Math's values), and for summing ops 4 ulp of (|value| + largest term * n²), the worst case of
 * reordering a sum of n terms. Where reordering (or float32 accumulation) may overflow, a non-finite element on either side is
 * not compared. A product's intermediate
 * values depend on its order (the fast backend multiplies axis by axis in the dtype, the reference flat in double), so
 * where either side over- or underflowed (a non-finite or zero result) the element is not compared.
 */
export function allowance(c: Case, want: Outcome, got: Outcome): Outcome & { allowed: Float64Array } {
  const ulp = c.dtype === "float32" ? 2 ** -23 : 2 ** -52;
  let largest = 0, terms = 1, extreme = false;
  for (const o of c.inputs) {
    terms = Math.max(terms, sizeOf(o.shape));
    for (const v of o.data) {
      if (!Number.isFinite(v)) continue;
      const a = Math.abs(v);
      if (a > largest) largest = a;
      if (a !== 0 && (a < 1e-3 || a > 1e3)) extreme = true;
    }
  }
  const summing = SUMMING.has(c.op);
  // Terms of a dot product and of a variance are products of two inputs.
  const term = c.op === "matmul" || c.op === "dot" || c.op === "var" ? largest * largest : largest;
  const mayOverflow = (summing || c.op === "prod") && term * terms * 4 > (c.dtype === "float32" ? 3.4e38 : 1.7e308);
  const allowed = new Float64Array(want.data.length);
  want.data.forEach((w, i) => {
    const g = got.data[i]!;
    // A product's intermediates depend on its order and accumulation type (the fast backend multiplies axis by axis in
    // the dtype, the reference flat in double): with factors far from 1 they may under- or overflow on one side only.
    const orderDependent = c.op === "prod" && (extreme || !Number.isFinite(w) || !Number.isFinite(g) || w === 0 || g === 0);
    // A summing op can turn a last-bit difference into a non-finite value (a variance over n - ddof = 0 elements).
    const amplified = summing && Number.isFinite(w) !== Number.isFinite(g);
    allowed[i] = orderDependent || amplified || (mayOverflow && (!Number.isFinite(w) || !Number.isFinite(g))) ? NaN
      // A product of n terms rounds n times (the fast backend may also take a uniform one as a power).
      : c.op === "prod" ? 2 * (terms + 2) * ulp * Math.abs(w)
        // Reordering a sum of n terms can move it by n roundings of the largest partial sum, n * n * term at worst.
        : 4 * ulp * (Math.abs(w) + (summing ? term * terms * terms : 0));
  });
  return { ...want, allowed };
}
