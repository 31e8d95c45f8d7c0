// WebAssembly SIMD elementwise kernels over large arrays: exp in f64 and f32 (vectorized, range-reduced polynomial).
//
// f64: exp(x) = 2^n · 2^(j/64) · exp(r) with k = 64n + j = round(x · 64/ln 2) and r = x - k ln2/64 (ln 2 split in two
// parts so r is exact to a few ulp), |r| <= ln2/128; 2^(j/64) from a table of double-doubles (exp2_table.h, written
// by exp2_table.mjs at build time), exp(r) - 1 by a degree-5 Taylor polynomial (truncation below 4e-17).
// f32: exp(x) = 2^n · exp(r), n = round(x / ln 2), |r| <= ln2/2, degree-7 polynomial.
// 2^n is applied as two exponent-field multiplies, so results that overflow to inf or underflow into subnormals come
// out right. Max error about 1 ulp (f64) / 2 ulp (f32).
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
  v128_t thi = wasm_f64x2_make(EXP2_TABLE[2 * j0], EXP2_TABLE[2 * j1]);
  v128_t tlo = wasm_f64x2_make(EXP2_TABLE[2 * j0 + 1], EXP2_TABLE[2 * j1 + 1]);
  // 2^(j/64) · (1 + p) = hi + (hi·p + lo), the small terms first.
  v128_t e = wasm_f64x2_add(thi, wasm_f64x2_add(wasm_f64x2_mul(thi, p), tlo));
  return scale_f64(e, wasm_i64x2_shr(k, 6));
}

EXPORT("exp_f64")
void exp_f64(const double *x, double *out, int len) {
  int i = 0;
  for (; i + 2 <= len; i += 2) wasm_v128_store(out + i, exp_f64x2(wasm_v128_load(x + i)));
  if (i < len) {
    v128_t v = exp_f64x2(wasm_f64x2_splat(x[i]));
    out[i] = wasm_f64x2_extract_lane(v, 0);
  }
}

static inline v128_t scale_f32(v128_t e, v128_t n) {
  v128_t h = wasm_i32x4_shr(n, 1);
  v128_t bias = wasm_i32x4_splat(127);
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(h, bias), 23);
  v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(n, h), bias), 23);
  return wasm_f32x4_mul(wasm_f32x4_mul(e, s1), s2);
}

static inline v128_t exp_f32x4(v128_t x) {
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, wasm_f32x4_splat(-104.0f)), wasm_f32x4_splat(89.0f));
  v128_t kd = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504f)), wasm_f32x4_splat(SHIFT_F32));
  v128_t n = wasm_i32x4_sub(kd, wasm_f32x4_splat(SHIFT_F32));
  v128_t nd = wasm_f32x4_sub(kd, wasm_f32x4_splat(SHIFT_F32));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(nd, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(nd, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.0f / 5040.0f);
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f / 720.0f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f / 120.0f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f / 24.0f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f / 6.0f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(0.5f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(r, p));
  v128_t e = wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(r, p));
  return scale_f32(e, n);
}

EXPORT("exp_f32")
void exp_f32(const float *x, float *out, int len) {
  int i = 0;
  for (; i + 4 <= len; i += 4) wasm_v128_store(out + i, exp_f32x4(wasm_v128_load(x + i)));
  for (; i < len; i++) out[i] = wasm_f32x4_extract_lane(exp_f32x4(wasm_f32x4_splat(x[i])), 0);
}
