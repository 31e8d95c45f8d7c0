// WebAssembly sums in f64 and f32: of a whole array, over one axis of (outer, len, inner) blocks, and of each row.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

// The sum of len values in double for both types: eight partial sums (four f64x2 accumulators) added in a fixed order.
EXPORT("sum_f64")
double sum_f64(const double *x, int len) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0, s2 = s0, s3 = s0;
  int i = 0;
  for (; i + 8 <= len; i += 8) {
    s0 = wasm_f64x2_add(s0, wasm_v128_load(x + i));
    s1 = wasm_f64x2_add(s1, wasm_v128_load(x + i + 2));
    s2 = wasm_f64x2_add(s2, wasm_v128_load(x + i + 4));
    s3 = wasm_f64x2_add(s3, wasm_v128_load(x + i + 6));
  }
  v128_t s = wasm_f64x2_add(wasm_f64x2_add(s0, s1), wasm_f64x2_add(s2, s3));
  double total = wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
  for (; i < len; i++) total += x[i];
  return total;
}

EXPORT("sum_f32")
double sum_f32(const float *x, int len) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0, s2 = s0, s3 = s0;
  int i = 0;
  for (; i + 8 <= len; i += 8) {
    v128_t lo = wasm_v128_load(x + i), hi = wasm_v128_load(x + i + 4);
    s0 = wasm_f64x2_add(s0, wasm_f64x2_promote_low_f32x4(lo));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(lo, lo, 1, 0)));
    s2 = wasm_f64x2_add(s2, wasm_f64x2_promote_low_f32x4(hi));
    s3 = wasm_f64x2_add(s3, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(hi, hi, 1, 0)));
  }
  v128_t s = wasm_f64x2_add(wasm_f64x2_add(s0, s1), wasm_f64x2_add(s2, s3));
  double total = wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
  for (; i < len; i++) total += x[i];
  return total;
}

// Sums over the middle axis of (outer, len, inner) blocks:
// out[o*inner + i] = x[(o*len + 0)*inner + i] + x[(o*len + 1)*inner + i] + ... in that order, accumulated in the
// element type, exactly as the JS loop does (so results are identical), the columns side by side in SIMD lanes. Four
// rows are added per pass over out, in the same order, so out is loaded and stored a quarter as often.
#define SUM_AXIS(T, SUFFIX)                                                                                            \
  EXPORT("sum_axis_" #SUFFIX)                                                                                          \
  void sum_axis_##SUFFIX(const T *x, int outer, int len, int inner, T *out) {                                          \
    for (int o = 0; o < outer; o++) {                                                                                  \
      T *restrict dst = out + (long)o * inner;                                                                         \
      const T *src = x + (long)o * len * inner;                                                                        \
      for (int i = 0; i < inner; i++) dst[i] = 0;                                                                      \
      int l = 0;                                                                                                       \
      for (; l + 4 <= len; l += 4) {                                                                                   \
        const T *restrict r0 = src + (long)l * inner, *restrict r1 = r0 + inner;                                       \
        const T *restrict r2 = r1 + inner, *restrict r3 = r2 + inner;                                                  \
        for (int i = 0; i < inner; i++) dst[i] = (((dst[i] + r0[i]) + r1[i]) + r2[i]) + r3[i];                         \
      }                                                                                                                \
      for (; l < len; l++) {                                                                                           \
        const T *restrict row = src + (long)l * inner;                                                                 \
        for (int i = 0; i < inner; i++) dst[i] += row[i];                                                              \
      }                                                                                                                \
    }                                                                                                                  \
  }

SUM_AXIS(double, f64)
SUM_AXIS(float, f32)

// Sums of each of `rows` contiguous rows of len values (the last axis, inner = 1): out[r] = x[r*len] + x[r*len + 1] +
// ... in that order, in the element type, as the JS loop does. Each sum is a chain of dependent adds, so four rows go
// side by side to keep four chains in flight.
#define SUM_ROWS(T, SUFFIX)                                                                                            \
  EXPORT("sum_rows_" #SUFFIX)                                                                                          \
  void sum_rows_##SUFFIX(const T *x, int rows, int len, T *out) {                                                      \
    int r = 0;                                                                                                         \
    for (; r + 4 <= rows; r += 4) {                                                                                    \
      const T *x0 = x + (long)r * len, *x1 = x0 + len, *x2 = x1 + len, *x3 = x2 + len;                                 \
      T s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                                                                \
      for (int l = 0; l < len; l++) {                                                                                  \
        s0 += x0[l];                                                                                                   \
        s1 += x1[l];                                                                                                   \
        s2 += x2[l];                                                                                                   \
        s3 += x3[l];                                                                                                   \
      }                                                                                                                \
      out[r] = s0;                                                                                                     \
      out[r + 1] = s1;                                                                                                 \
      out[r + 2] = s2;                                                                                                 \
      out[r + 3] = s3;                                                                                                 \
    }                                                                                                                  \
    for (; r < rows; r++) {                                                                                            \
      const T *row = x + (long)r * len;                                                                                \
      T s = 0;                                                                                                         \
      for (int l = 0; l < len; l++) s += row[l];                                                                       \
      out[r] = s;                                                                                                      \
    }                                                                                                                  \
  }

SUM_ROWS(double, f64)
SUM_ROWS(float, f32)
