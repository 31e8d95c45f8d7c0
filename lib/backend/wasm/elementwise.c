// WebAssembly SIMD elementwise kernels over large arrays: exp in f64 and f32 (vectorized, range-reduced polynomial).
//
// exp(x) = 2^n · exp(r) with n = round(x / ln 2) and r = x - n ln 2 (ln 2 split in two parts so r is exact to a few
// ulp), exp(r) by a Taylor polynomial on |r| <= ln2/2, and 2^n applied as two exponent-field multiplies so results
// that overflow to inf or underflow into subnormals come out right. Max error about 1 ulp (f64) / 2 ulp (f32).
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

static inline v128_t pow2_f64(v128_t n) {
  // n holds small integral doubles in [-1080, 1080]; 2^n = 2^h · 2^(n-h) keeps both factors normal.
  v128_t h = wasm_f64x2_trunc(wasm_f64x2_mul(n, wasm_f64x2_splat(0.5)));
  v128_t hi = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(h));
  v128_t lo = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(wasm_f64x2_sub(n, h)));
  v128_t bias = wasm_i64x2_splat(1023);
  v128_t s1 = wasm_i64x2_shl(wasm_i64x2_add(hi, bias), 52);
  v128_t s2 = wasm_i64x2_shl(wasm_i64x2_add(lo, bias), 52);
  return wasm_f64x2_mul(s1, s2);
}

static inline v128_t exp_f64x2(v128_t x) {
  x = wasm_f64x2_min(wasm_f64x2_max(x, wasm_f64x2_splat(-746.0)), wasm_f64x2_splat(710.0));
  v128_t n = wasm_f64x2_nearest(wasm_f64x2_mul(x, wasm_f64x2_splat(1.4426950408889634)));
  v128_t r = wasm_f64x2_sub(x, wasm_f64x2_mul(n, wasm_f64x2_splat(6.93147180369123816490e-01)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(n, wasm_f64x2_splat(1.90821492927058770002e-10)));
  // Taylor coefficients 1/k! up to k = 13, evaluated as Estrin-ish pairs to shorten the dependency chain.
  v128_t r2 = wasm_f64x2_mul(r, r);
  v128_t p = wasm_f64x2_splat(1.0 / 6227020800.0);
  p = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_splat(1.0 / 39916800.0), wasm_f64x2_mul(r, wasm_f64x2_splat(1.0 / 479001600.0))),
                     wasm_f64x2_mul(r2, p));
  p = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_splat(1.0 / 362880.0), wasm_f64x2_mul(r, wasm_f64x2_splat(1.0 / 3628800.0))),
                     wasm_f64x2_mul(r2, p));
  p = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_splat(1.0 / 5040.0), wasm_f64x2_mul(r, wasm_f64x2_splat(1.0 / 40320.0))),
                     wasm_f64x2_mul(r2, p));
  p = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_splat(1.0 / 120.0), wasm_f64x2_mul(r, wasm_f64x2_splat(1.0 / 720.0))),
                     wasm_f64x2_mul(r2, p));
  p = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_splat(1.0 / 6.0), wasm_f64x2_mul(r, wasm_f64x2_splat(1.0 / 24.0))),
                     wasm_f64x2_mul(r2, p));
  p = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_splat(1.0), wasm_f64x2_mul(r, wasm_f64x2_splat(0.5))),
                     wasm_f64x2_mul(r2, p));
  // exp(r) = 1 + r·p(r) where p(r) = 1 + r/2 + r²/6 + ...; adding 1 last keeps the small term's precision.
  v128_t e = wasm_f64x2_add(wasm_f64x2_splat(1.0), wasm_f64x2_mul(r, p));
  return wasm_f64x2_mul(e, pow2_f64(n));
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

static inline v128_t pow2_f32(v128_t n) {
  v128_t h = wasm_f32x4_trunc(wasm_f32x4_mul(n, wasm_f32x4_splat(0.5f)));
  v128_t hi = wasm_i32x4_trunc_sat_f32x4(h);
  v128_t lo = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_sub(n, h));
  v128_t bias = wasm_i32x4_splat(127);
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(hi, bias), 23);
  v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(lo, bias), 23);
  return wasm_f32x4_mul(s1, s2);
}

static inline v128_t exp_f32x4(v128_t x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-104.0f)), wasm_f32x4_splat(89.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.0f / 5040.0f);
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f / 720.0f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f / 120.0f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f / 24.0f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f / 6.0f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(0.5f), wasm_f32x4_mul(r, p));
  p = wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(r, p));
  v128_t e = wasm_f32x4_add(wasm_f32x4_splat(1.0f), wasm_f32x4_mul(r, p));
  return wasm_f32x4_mul(e, pow2_f32(n));
}

EXPORT("exp_f32")
void exp_f32(const float *x, float *out, int len) {
  int i = 0;
  for (; i + 4 <= len; i += 4) wasm_v128_store(out + i, exp_f32x4(wasm_v128_load(x + i)));
  for (; i < len; i++) out[i] = wasm_f32x4_extract_lane(exp_f32x4(wasm_f32x4_splat(x[i])), 0);
}
