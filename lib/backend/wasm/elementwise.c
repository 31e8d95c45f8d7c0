// WebAssembly SIMD kernels for the unary elementwise ops over large arrays (unary_f64, unary_f32, one op code per
// function): exp, log, log1p, tanh, sigmoid, softplus, sin, cos, tan by range reduction and polynomials (there is no
// libm in this build), and the exactly rounded ones (neg, abs, square, sqrt, relu, sign). Special values follow
// scalar.ts.
//
// exp, f64: exp(x) = 2^n · 2^(j/64) · exp(r) with k = 64n + j = round(x · 64/ln 2) and r = x - k ln2/64 (ln 2 split in
// two parts so r is exact to a few ulp), |r| <= ln2/128; 2^(j/64) from a table of double-doubles (exp2_table.h, written
// by exp2_table.mjs at build time), exp(r) - 1 by a degree-5 Taylor polynomial (truncation below 4e-17).
// exp, f32: exp(x) = 2^n · exp(r), n = round(x / ln 2), |r| <= ln2/2, exp(r) by a degree-6 polynomial fitted for least
// maximum relative error (2e-9, far below the rounding errors of evaluating it in f32).
// 2^n is applied as two exponent-field multiplies, so results that overflow to inf or underflow into subnormals come
// out right; a vector whose lanes all give normal results (|x| < 708 in f64, < 86 in f32) adds n to the exponent field
// instead, which is the same product. Max error about 1 ulp (f64) / 2 ulp (f32).
//
// log: u = 2^k · m with m in [sqrt(2)/2, sqrt(2)), f = m - 1 (exact), s = f / (2 + f), log(m) = 2 atanh(s) =
// 2s + s·R(s²) with R a polynomial of degree 7 fitted to the series (|s| <= 0.172), written as f - (f²/2 - s(f²/2 + R))
// so the large terms stay exact; k·ln 2 in two parts. log1p: the same on u = 1 + x, plus the rounding error of that
// sum (recovered exactly) divided by u. tanh by an odd polynomial below |x| = 0.55 and from exp(-2|x|) above, sign
// copied from x. sigmoid = (x >= 0 ? 1 : e) / (1 + e), e = exp(-|x|), softplus = max(x, 0) + log1p(exp(-|x|)):
// neither overflows. sin, cos, tan: see sincos_reduced below. These f32 ops compute in f64 and round once, so they are
// within 1 ulp of the rounded f64 result; the f32 tanh, sigmoid and softplus take a cheaper exp for that (see
// expm1_reduced_for_f32), and tanh one formula on the whole range, which made them twice as fast.
#include <wasm_simd128.h>
#include "exp2_table.h"

#define EXPORT(name) __attribute__((export_name(name)))

// Rounding by the magic constant 1.5·2^52 (f64) / 1.5·2^23 (f32) leaves round(x/ln2) as an integer in the low bits,
// which become exponent fields with integer lane ops only (a float-to-int lane conversion gets scalarized by clang).
#define SHIFT_F64 6755399441055744.0
#define SHIFT_F32 12582912.0f

// Multiplies e by 2^n in two halves, so results in the subnormal and overflow ranges round and saturate correctly.
static inline v128_t scale_f64(v128_t e, v128_t n) {
  v128_t h = wasm_i64x2_shr(n, 1);
  v128_t bias = wasm_i64x2_splat(1023);
  v128_t s1 = wasm_i64x2_shl(wasm_i64x2_add(h, bias), 52);
  v128_t s2 = wasm_i64x2_shl(wasm_i64x2_add(wasm_i64x2_sub(n, h), bias), 52);
  return wasm_f64x2_mul(wasm_f64x2_mul(e, s1), s2);
}

static inline v128_t exp_f64x2(v128_t x) {
  // pmax/pmin keep a NaN x as NaN and map to single instructions (min/max with NaN rules do not).
  x = wasm_f64x2_pmin(wasm_f64x2_pmax(x, wasm_f64x2_splat(-746.0)), wasm_f64x2_splat(710.0));
  v128_t kd = wasm_f64x2_add(wasm_f64x2_mul(x, wasm_f64x2_splat(64 * 1.4426950408889634)), wasm_f64x2_splat(SHIFT_F64));
  v128_t k = wasm_i64x2_sub(kd, wasm_f64x2_splat(SHIFT_F64));
  v128_t kf = wasm_f64x2_sub(kd, wasm_f64x2_splat(SHIFT_F64));
  // ln2/64 in two parts; the first has 32 significant bits, so kf times it is exact for |k| < 2^21.
  v128_t r = wasm_f64x2_sub(x, wasm_f64x2_mul(kf, wasm_f64x2_splat(6.93147180369123816490e-01 / 64)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(kf, wasm_f64x2_splat(1.90821492927058770002e-10 / 64)));
  // p = exp(r) - 1 = r + r^2 (1/2 + r/6 + r^2/24 + r^3/120), the bracket in powers of r².
  v128_t r2 = wasm_f64x2_mul(r, r);
#define PAIR(c0, c1) wasm_f64x2_add(wasm_f64x2_splat(c0), wasm_f64x2_mul(r, wasm_f64x2_splat(c1)))
  v128_t q = wasm_f64x2_add(PAIR(0.5, 1.0 / 6.0), wasm_f64x2_mul(r2, PAIR(1.0 / 24.0, 1.0 / 120.0)));
#undef PAIR
  v128_t p = wasm_f64x2_add(r, wasm_f64x2_mul(r2, q));
  // The table index is masked, so even a NaN lane reads inside the table.
  v128_t j = wasm_v128_and(k, wasm_i64x2_splat(63));
  int j0 = (int)wasm_i64x2_extract_lane(j, 0), j1 = (int)wasm_i64x2_extract_lane(j, 1);
  // Each entry's (hi, lo) pair is one aligned vector: two loads and two shuffles instead of four scalar loads.
  v128_t t0 = wasm_v128_load(&EXP2_TABLE[2 * j0]), t1 = wasm_v128_load(&EXP2_TABLE[2 * j1]);
  v128_t thi = wasm_i64x2_shuffle(t0, t1, 0, 2), tlo = wasm_i64x2_shuffle(t0, t1, 1, 3);
  // 2^(j/64) · (1 + p) = hi + (hi·p + lo), the small terms first.
  v128_t e = wasm_f64x2_add(thi, wasm_f64x2_add(wasm_f64x2_mul(thi, p), tlo));
  // When both results are normal (|x| < 708, so |n| <= 1021 and e within [0.99, 2)), 2^n is an integer add to the
  // exponent field: the same exact product as scale_f64's two multiplies, in one lane op. n << 52 is (k - j) << 46,
  // since k - j = 64n: a logical shift, where n = k >> 6 would need an arithmetic i64 shift (several SSE instructions).
  if (wasm_i64x2_all_true(wasm_f64x2_lt(wasm_f64x2_abs(x), wasm_f64x2_splat(708.0)))) {
    return wasm_i64x2_add(e, wasm_i64x2_shl(wasm_i64x2_sub(k, j), 46));
  }
  return scale_f64(e, wasm_i64x2_shr(k, 6));
}

static inline v128_t scale_f32(v128_t e, v128_t n) {
  v128_t h = wasm_i32x4_shr(n, 1);
  v128_t bias = wasm_i32x4_splat(127);
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(h, bias), 23);
  v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(n, h), bias), 23);
  return wasm_f32x4_mul(wasm_f32x4_mul(e, s1), s2);
}

// exp(r) for x = n ln2 + r, |r| <= ln2/2; n as integer lanes in *n.
static inline v128_t exp_f32x4_reduced(v128_t x, v128_t *n) {
  v128_t kd = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504f)), wasm_f32x4_splat(SHIFT_F32));
  *n = wasm_i32x4_sub(kd, wasm_f32x4_splat(SHIFT_F32));
  v128_t nd = wasm_f32x4_sub(kd, wasm_f32x4_splat(SHIFT_F32));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(nd, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(nd, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.38750521e-3f);
  p = wasm_f32x4_add(wasm_f32x4_splat(8.37282930e-3f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(4.16676924e-2f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.66664794e-1f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(4.99999940e-1f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(r, p));
  return wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(r, p));
}

static inline v128_t exp_f32x4(v128_t x) {
  v128_t n;
  // |x| >= 86, inf and NaN compare above 86 as integers (sign bit cleared), so they take the general path.
  v128_t big = wasm_i32x4_gt(wasm_v128_and(x, wasm_i32x4_splat(0x7fffffff)), wasm_f32x4_splat(86.0f));
  if (!wasm_v128_any_true(big)) {
    v128_t e = exp_f32x4_reduced(x, &n);
    return wasm_i32x4_add(e, wasm_i32x4_shl(n, 23));
  }
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, wasm_f32x4_splat(-104.0f)), wasm_f32x4_splat(89.0f));
  v128_t e = exp_f32x4_reduced(x, &n);
  return scale_f32(e, n);
}


// log(u) + c for finite u > 0 (subnormals included) and a correction c far below ulp(log u); other u give garbage that
// the callers replace.
static inline v128_t log_plus_f64x2(v128_t u, v128_t c) {
  // Subnormals: scaled by 2^54 into the normal range, 54 taken off k below.
  v128_t sub = wasm_f64x2_lt(u, wasm_f64x2_splat(0x1p-1022));
  u = wasm_v128_bitselect(wasm_f64x2_mul(u, wasm_f64x2_splat(0x1p54)), u, sub);
  // The bits of u minus those of sqrt(2)/2 have k in their exponent field; taking k back off the exponent of u leaves m.
  v128_t ix = wasm_i64x2_sub(u, wasm_i64x2_splat(0x3fe6a09e667f3bcdLL));
  v128_t k = wasm_i64x2_shr(ix, 52);
  v128_t m = wasm_i64x2_sub(u, wasm_i64x2_shl(k, 52));
  k = wasm_i64x2_sub(k, wasm_v128_and(sub, wasm_i64x2_splat(54)));
  // |k| < 1100 fits the low 32 bits, which convert to double in one instruction (i64 lanes would be scalarized).
  v128_t kf = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(k, k, 0, 2, 0, 2));
  v128_t f = wasm_f64x2_sub(m, wasm_f64x2_splat(1.0));
  v128_t s = wasm_f64x2_div(f, wasm_f64x2_add(wasm_f64x2_splat(2.0), f));
  v128_t z = wasm_f64x2_mul(s, s);
  // R(z) = sum 2 z^i / (2i + 1) as z times a degree-6 polynomial fitted to R(z)/z on z <= 0.0295 (a Chebyshev fit in
  // 200-bit mpmath; log(m) within 5e-18 relatively with these doubles, where the series needed ten terms).
  static const double rc[7] = {0.666666666666667, 0.39999999999899505, 0.28571428625975487, 0.2222221113479508,
                               0.18182889125261723, 0.15331721600556042, 0.14616449685043406};
  v128_t R = wasm_f64x2_splat(rc[6]);
  for (int i = 5; i >= 0; i--) R = wasm_f64x2_add(wasm_f64x2_splat(rc[i]), wasm_f64x2_mul(z, R));
  R = wasm_f64x2_mul(z, R);
  v128_t hfsq = wasm_f64x2_mul(wasm_f64x2_splat(0.5), wasm_f64x2_mul(f, f));
  v128_t low = wasm_f64x2_add(wasm_f64x2_mul(kf, wasm_f64x2_splat(1.90821492927058770002e-10)), c);
  v128_t tail = wasm_f64x2_add(wasm_f64x2_mul(s, wasm_f64x2_add(hfsq, R)), low);
  v128_t logm = wasm_f64x2_sub(f, wasm_f64x2_sub(hfsq, tail));
  return wasm_f64x2_add(wasm_f64x2_mul(kf, wasm_f64x2_splat(6.93147180369123816490e-01)), logm);
}

#define F64(v) wasm_f64x2_splat(v)

// log(x); log(0) = -inf, log(x < 0) = NaN, log(inf) = inf, NaN stays.
static inline v128_t log_f64x2(v128_t x) {
  v128_t r = log_plus_f64x2(x, F64(0.0));
  v128_t special = wasm_v128_bitselect(F64(-__builtin_inf()), wasm_v128_bitselect(F64(__builtin_nan("")), x,
    wasm_f64x2_lt(x, F64(0.0))), wasm_f64x2_eq(x, F64(0.0)));
  v128_t use = wasm_v128_or(wasm_v128_not(wasm_f64x2_gt(x, F64(0.0))), wasm_f64x2_eq(x, F64(__builtin_inf())));
  return wasm_v128_bitselect(special, r, use);
}

// log(1 + x); ±0 stays, log1p(-1) = -inf, log1p(x < -1) = NaN, log1p(inf) = inf.
static inline v128_t log1p_f64x2(v128_t x) {
  v128_t u = wasm_f64x2_add(F64(1.0), x);
  // (1 + x) - u exactly (Fast2Sum with the larger operand first).
  v128_t small = wasm_f64x2_le(wasm_f64x2_abs(x), F64(1.0));
  v128_t c = wasm_v128_bitselect(wasm_f64x2_sub(x, wasm_f64x2_sub(u, F64(1.0))),
                                 wasm_f64x2_sub(F64(1.0), wasm_f64x2_sub(u, x)), small);
  v128_t r = log_plus_f64x2(u, wasm_f64x2_div(c, u));
  v128_t special = wasm_v128_bitselect(F64(-__builtin_inf()), wasm_v128_bitselect(F64(__builtin_nan("")), x,
    wasm_f64x2_lt(x, F64(-1.0))), wasm_f64x2_eq(x, F64(-1.0)));
  v128_t use = wasm_v128_or(wasm_v128_or(wasm_v128_not(wasm_f64x2_gt(x, F64(-1.0))), wasm_f64x2_eq(x, F64(0.0))),
                            wasm_f64x2_eq(x, F64(__builtin_inf())));
  return wasm_v128_bitselect(special, r, use);
}

static inline v128_t sign_bit_f64x2(v128_t x) { return wasm_v128_and(x, F64(-0.0)); }

// tanh(|x|) = |x| + |x|³·P(x²) below 0.55, P of degree 11 fitted to tanh there (a Chebyshev fit in 200-bit mpmath;
// with its coefficients rounded to double, within 5e-18 relatively); from 0.55 up 1 - 2e / (1 + e), e = exp(-2|x|),
// where the rounding errors of the quotient shrink in the difference. Sign copied from x (so -0 and NaN pass).
static inline v128_t tanh_f64x2(v128_t x) {
  v128_t a = wasm_f64x2_abs(x);
  v128_t z = wasm_f64x2_mul(a, a);
  static const double tc[12] = {-0.3333333333333333, 0.1333333333333331, -0.05396825396822037, 0.021869488534073906,
                                -0.0088632354631468, 0.0035921267699626346, -0.001455819097151351,
                                0.0005899052969492733, -0.0002384727248015252, 9.455133052924858e-05,
                                -3.372080112046316e-05, 7.874274345344419e-06};
  v128_t P = F64(tc[11]);
  for (int i = 10; i >= 0; i--) P = wasm_f64x2_add(F64(tc[i]), wasm_f64x2_mul(z, P));
  v128_t small = wasm_f64x2_add(a, wasm_f64x2_mul(wasm_f64x2_mul(z, a), P));
  v128_t e = exp_f64x2(wasm_f64x2_mul(F64(-2.0), a));
  v128_t large = wasm_f64x2_sub(F64(1.0), wasm_f64x2_div(wasm_f64x2_add(e, e), wasm_f64x2_add(F64(1.0), e)));
  return wasm_v128_or(wasm_v128_bitselect(small, large, wasm_f64x2_lt(a, F64(0.55))), sign_bit_f64x2(x));
}

// sigmoid and softplus from e = exp(-|x|), however it was computed (the f32 ops take a cheaper exp, below).
static inline v128_t sigmoid_from(v128_t x, v128_t e) {
  v128_t num = wasm_v128_bitselect(F64(1.0), e, wasm_f64x2_ge(x, F64(0.0)));
  return wasm_f64x2_div(num, wasm_f64x2_add(F64(1.0), e));
}

static inline v128_t sigmoid_f64x2(v128_t x) { return sigmoid_from(x, exp_f64x2(wasm_f64x2_neg(wasm_f64x2_abs(x)))); }

// x > 0 ? x : NaN stays NaN : 0, as scalar.ts: pmax keeps NaN and -0, adding +0 turns -0 into +0. (Masking x with its
// compares instead was rewritten by clang, in the scalar tail, into a select that gave -0.)
static inline v128_t relu_f64x2(v128_t x) { return wasm_f64x2_add(wasm_f64x2_pmax(x, F64(0.0)), F64(0.0)); }

static inline v128_t softplus_from(v128_t x, v128_t e) { return wasm_f64x2_add(relu_f64x2(x), log1p_f64x2(e)); }

static inline v128_t softplus_f64x2(v128_t x) { return softplus_from(x, exp_f64x2(wasm_f64x2_neg(wasm_f64x2_abs(x)))); }

// 1, -1, 0 (also for -0), or NaN: the compare masks are disjoint, so or-ing the masked values picks one.
static inline v128_t sign_f64x2(v128_t x) {
  return wasm_v128_or(wasm_v128_or(wasm_v128_and(wasm_f64x2_gt(x, F64(0.0)), F64(1.0)),
                                   wasm_v128_and(wasm_f64x2_lt(x, F64(0.0)), F64(-1.0))),
                      wasm_v128_and(wasm_f64x2_ne(x, x), x));
}

static inline v128_t square_f64x2(v128_t x) { return wasm_f64x2_mul(x, x); }

// sin, cos, tan for |x| <= 16384: x = k·π/2 + r, |r| <= π/4, with π/2 = P1 + P2 + P3 (32, 32 and 53 bits): k·P1
// and k·P2 are exact for k < 2^14, x - k·P1 is exact, and r keeps its rounding error in rlo. Over every double in range
// the reduction is within 2^-56.8 of r relatively (checked with mpmath over all k, the doubles nearest k·π/2
// included). sin(r), cos(r) by Taylor series to r^17 / r^16 (|r| <= π/4: truncation below 1e-17 relative), then the
// quadrant of k picks ±sin or ±cos. Larger |x| (which would need Payne-Hanek reduction) come out wrong here and are
// recomputed by the caller with Math (TRIG_MAX in elementwise.ts).

// sin(r + rlo) and cos(r + rlo) for |r| <= π/4, rlo below ulp(r).
static inline void sincos_reduced(v128_t r, v128_t rlo, v128_t *sin_r, v128_t *cos_r) {
  v128_t z = wasm_f64x2_mul(r, r);
  static const double sc[8] = {-1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800, 1.0 / 6227020800,
                               -1.0 / 1307674368000, 1.0 / 355687428096000};
  v128_t S = F64(sc[7]);
  for (int i = 6; i >= 0; i--) S = wasm_f64x2_add(F64(sc[i]), wasm_f64x2_mul(z, S));
  // sin(r + rlo) = sin r + rlo·cos r, and rlo·(cos r - 1) is below 0.2 ulp: rlo alone.
  *sin_r = wasm_f64x2_add(r, wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_mul(z, r), S), rlo));
  static const double cc[7] = {1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800, 1.0 / 479001600,
                               -1.0 / 87178291200, 1.0 / 20922789888000};
  v128_t C = F64(cc[6]);
  for (int i = 5; i >= 0; i--) C = wasm_f64x2_add(F64(cc[i]), wasm_f64x2_mul(z, C));
  // cos = w + ((1 - w) - z/2 + z²C - r·rlo) with w = 1 - z/2 rounded: the rounding of w recovered exactly.
  v128_t hz = wasm_f64x2_mul(F64(0.5), z);
  v128_t w = wasm_f64x2_sub(F64(1.0), hz);
  v128_t tail = wasm_f64x2_sub(wasm_f64x2_mul(wasm_f64x2_mul(z, z), C), wasm_f64x2_mul(r, rlo));
  *cos_r = wasm_f64x2_add(w, wasm_f64x2_add(wasm_f64x2_sub(wasm_f64x2_sub(F64(1.0), w), hz), tail));
}

// r, rlo and k (integer lanes) with x = k·π/2 + r + rlo.
static inline v128_t reduce_pio2(v128_t x, v128_t *rlo, v128_t *k) {
  v128_t kd = wasm_f64x2_add(wasm_f64x2_mul(x, F64(0.63661977236758134)), F64(SHIFT_F64));
  *k = wasm_i64x2_sub(kd, F64(SHIFT_F64));
  v128_t kf = wasm_f64x2_sub(kd, F64(SHIFT_F64));
  v128_t r1 = wasm_f64x2_sub(x, wasm_f64x2_mul(kf, F64(0x1.921fb544p+0)));
  v128_t r2 = wasm_f64x2_sub(r1, wasm_f64x2_mul(kf, F64(0x1.0b4611a6p-34)));
  v128_t k3 = wasm_f64x2_mul(kf, F64(0x1.3198a2e037073p-69));
  v128_t r = wasm_f64x2_sub(r2, k3);
  *rlo = wasm_f64x2_sub(wasm_f64x2_sub(r2, r), k3);
  return r;
}

// Below 2^-27, sin x and tan x round to x (this also keeps -0 and subnormals exact).
static inline v128_t tiny_f64x2(v128_t x) { return wasm_f64x2_lt(wasm_f64x2_abs(x), F64(0x1p-27)); }

static inline v128_t odd_lane(v128_t k) {
  return wasm_i64x2_eq(wasm_v128_and(k, wasm_i64x2_splat(1)), wasm_i64x2_splat(1));
}

// Bit 1 of an integer lane moved to the sign bit, to flip the sign of a result in quadrants 2 and 3.
static inline v128_t sign_of_bit1(v128_t k) { return wasm_i64x2_shl(wasm_v128_and(k, wasm_i64x2_splat(2)), 62); }

static inline v128_t sin_f64x2(v128_t x) {
  v128_t rlo, k, s, c;
  v128_t r = reduce_pio2(x, &rlo, &k);
  sincos_reduced(r, rlo, &s, &c);
  v128_t v = wasm_v128_xor(wasm_v128_bitselect(c, s, odd_lane(k)), sign_of_bit1(k));
  return wasm_v128_bitselect(x, v, tiny_f64x2(x));
}

static inline v128_t cos_f64x2(v128_t x) {
  v128_t rlo, k, s, c;
  v128_t r = reduce_pio2(x, &rlo, &k);
  sincos_reduced(r, rlo, &s, &c);
  return wasm_v128_xor(wasm_v128_bitselect(s, c, odd_lane(k)), sign_of_bit1(wasm_i64x2_add(k, wasm_i64x2_splat(1))));
}

// tan = sin r / cos r for even k, -cos r / sin r for odd k.
static inline v128_t tan_f64x2(v128_t x) {
  v128_t rlo, k, s, c;
  v128_t r = reduce_pio2(x, &rlo, &k);
  v128_t odd = odd_lane(k);
  sincos_reduced(r, rlo, &s, &c);
  v128_t v = wasm_f64x2_div(wasm_v128_bitselect(wasm_f64x2_neg(c), s, odd), wasm_v128_bitselect(s, c, odd));
  return wasm_v128_bitselect(x, v, tiny_f64x2(x));
}

#define F32(v) wasm_f32x4_splat(v)

static inline v128_t relu_f32x4(v128_t x) { return wasm_f32x4_add(wasm_f32x4_pmax(x, F32(0.0f)), F32(0.0f)); }

static inline v128_t sign_f32x4(v128_t x) {
  return wasm_v128_or(wasm_v128_or(wasm_v128_and(wasm_f32x4_gt(x, F32(0.0f)), F32(1.0f)),
                                   wasm_v128_and(wasm_f32x4_lt(x, F32(0.0f)), F32(-1.0f))),
                      wasm_v128_and(wasm_f32x4_ne(x, x), x));
}

static inline v128_t square_f32x4(v128_t x) { return wasm_f32x4_mul(x, x); }

typedef v128_t (*vec_fn)(v128_t);

// An f64 function on four f32 lanes: widened, computed, rounded once (as JS does when storing into a Float32Array).
static inline __attribute__((always_inline)) v128_t via_f64(vec_fn f, v128_t x) {
  v128_t lo = f(wasm_f64x2_promote_low_f32x4(x));
  v128_t hi = f(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 2, 3)));
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// For f32 results an f64 value within 2^-36 relatively is enough: it rounds to within 1 ulp of the rounded exact
// value. So the f32 activations take an exp in f64 lanes without exp_f64x2's table and with a shorter polynomial:
// x = k ln2 + r, |r| <= ln2/2, ln 2 in one constant (|k| <= 160 here: kf·ln2 is off by at most 2^-46 absolutely), and
// exp(r) - 1 by its Taylor polynomial to r^9 (truncation below 2^-35 relatively). Returns exp(r) - 1 and 2^k in *s;
// for |x| <= 110, where 2^k is a normal double. A NaN x gives a NaN result.
static inline v128_t expm1_reduced_for_f32(v128_t x, v128_t *s) {
  v128_t kd = wasm_f64x2_add(wasm_f64x2_mul(x, F64(1.4426950408889634)), F64(SHIFT_F64));
  v128_t k = wasm_i64x2_sub(kd, F64(SHIFT_F64));
  v128_t r = wasm_f64x2_sub(x, wasm_f64x2_mul(wasm_f64x2_sub(kd, F64(SHIFT_F64)), F64(0.6931471805599453)));
  static const double ec[8] = {1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
                               1.0 / 362880};
  v128_t q = F64(ec[7]);
  for (int i = 6; i >= 0; i--) q = wasm_f64x2_add(F64(ec[i]), wasm_f64x2_mul(r, q));
  *s = wasm_i64x2_shl(wasm_i64x2_add(k, wasm_i64x2_splat(1023)), 52);
  return wasm_f64x2_add(r, wasm_f64x2_mul(wasm_f64x2_mul(r, r), q));
}

// tanh|x| = t / (t + 2), t = expm1(2|x|) = 2^k·p + (2^k - 1): every term positive, so no cancellation anywhere, and
// tiny x come out as x. |x| is capped at 20, where tanh rounds to 1 in f64 already; NaN stays NaN, the sign is x's.
static inline v128_t tanh_f64x2_for_f32(v128_t x) {
  v128_t a = wasm_f64x2_pmin(wasm_f64x2_abs(x), F64(20.0));
  v128_t s, p = expm1_reduced_for_f32(wasm_f64x2_add(a, a), &s);
  v128_t t = wasm_f64x2_add(wasm_f64x2_mul(s, p), wasm_f64x2_sub(s, F64(1.0)));
  return wasm_v128_or(wasm_f64x2_div(t, wasm_f64x2_add(t, F64(2.0))), sign_bit_f64x2(x));
}

// exp(-|x|) for f32 callers, -|x| floored at -110 (below it every f32 result these callers make is the same).
static inline v128_t exp_neg_abs_for_f32(v128_t x) {
  v128_t s, p = expm1_reduced_for_f32(wasm_f64x2_pmax(wasm_f64x2_neg(wasm_f64x2_abs(x)), F64(-110.0)), &s);
  return wasm_f64x2_add(wasm_f64x2_mul(s, p), s);
}

static inline v128_t sigmoid_f64x2_for_f32(v128_t x) { return sigmoid_from(x, exp_neg_abs_for_f32(x)); }
static inline v128_t softplus_f64x2_for_f32(v128_t x) { return softplus_from(x, exp_neg_abs_for_f32(x)); }

static inline v128_t log_f32x4(v128_t x) { return via_f64(log_f64x2, x); }
static inline v128_t log1p_f32x4(v128_t x) { return via_f64(log1p_f64x2, x); }
static inline v128_t tanh_f32x4(v128_t x) { return via_f64(tanh_f64x2_for_f32, x); }
static inline v128_t sigmoid_f32x4(v128_t x) { return via_f64(sigmoid_f64x2_for_f32, x); }
static inline v128_t softplus_f32x4(v128_t x) { return via_f64(softplus_f64x2_for_f32, x); }
static inline v128_t sin_f32x4(v128_t x) { return via_f64(sin_f64x2, x); }
static inline v128_t cos_f32x4(v128_t x) { return via_f64(cos_f64x2, x); }
static inline v128_t tan_f32x4(v128_t x) { return via_f64(tan_f64x2, x); }

// The op codes of unary_f64/unary_f32, the same as UNARY_OPS in elementwise.ts.
enum {
  U_EXP, U_NEG, U_ABS, U_SQUARE, U_SQRT, U_RELU, U_SIGN, U_LOG, U_LOG1P, U_TANH, U_SIGMOID, U_SOFTPLUS,
  U_SIN, U_COS, U_TAN
};

// Always inlined with a constant f, so every op gets its own loop with the math inlined (no indirect calls).
static inline __attribute__((always_inline)) void map_f64(vec_fn f, const double *x, double *out, int len) {
  int i = 0;
  for (; i + 2 <= len; i += 2) wasm_v128_store(out + i, f(wasm_v128_load(x + i)));
  if (i < len) out[i] = wasm_f64x2_extract_lane(f(wasm_f64x2_splat(x[i])), 0);
}

static inline __attribute__((always_inline)) void map_f32(vec_fn f, const float *x, float *out, int len) {
  int i = 0;
  for (; i + 4 <= len; i += 4) wasm_v128_store(out + i, f(wasm_v128_load(x + i)));
  for (; i < len; i++) out[i] = wasm_f32x4_extract_lane(f(wasm_f32x4_splat(x[i])), 0);
}

// One exported switch per type; each case's loop inlines its function (names by lane type: exp_f64x2, wasm_f32x4_neg).
#define UNARY(T, SUFFIX, VEC)                                                                                          \
  EXPORT("unary_" #SUFFIX)                                                                                             \
  void unary_##SUFFIX(int op, const T *x, T *out, int len) {                                                           \
    switch (op) {                                                                                                      \
      case U_EXP: map_##SUFFIX(exp_##VEC, x, out, len); break;                                                         \
      case U_NEG: map_##SUFFIX(wasm_##VEC##_neg, x, out, len); break;                                                  \
      case U_ABS: map_##SUFFIX(wasm_##VEC##_abs, x, out, len); break;                                                  \
      case U_SQUARE: map_##SUFFIX(square_##VEC, x, out, len); break;                                                   \
      case U_SQRT: map_##SUFFIX(wasm_##VEC##_sqrt, x, out, len); break;                                                \
      case U_RELU: map_##SUFFIX(relu_##VEC, x, out, len); break;                                                       \
      case U_SIGN: map_##SUFFIX(sign_##VEC, x, out, len); break;                                                       \
      case U_LOG: map_##SUFFIX(log_##VEC, x, out, len); break;                                                         \
      case U_LOG1P: map_##SUFFIX(log1p_##VEC, x, out, len); break;                                                     \
      case U_TANH: map_##SUFFIX(tanh_##VEC, x, out, len); break;                                                       \
      case U_SIGMOID: map_##SUFFIX(sigmoid_##VEC, x, out, len); break;                                                 \
      case U_SOFTPLUS: map_##SUFFIX(softplus_##VEC, x, out, len); break;                                               \
      case U_SIN: map_##SUFFIX(sin_##VEC, x, out, len); break;                                                         \
      case U_COS: map_##SUFFIX(cos_##VEC, x, out, len); break;                                                         \
      default: map_##SUFFIX(tan_##VEC, x, out, len); break;                                                           \
    }                                                                                                                  \
  }

UNARY(double, f64, f64x2)
UNARY(float, f32, f32x4)
