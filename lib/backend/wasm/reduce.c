// WebAssembly reductions in f64 and f32: sums of a whole array, maxima and minima of a whole array, and sums, products,
// maxima and minima over one axis of (outer, len, inner) blocks and of each row.
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

// Maximum and minimum as IEEE 754-2019 defines them (and wasm's f64.max, which V8 compiles to a branchy sequence): NaN
// if either operand is NaN, +0 above -0. Written as compares and bit selects, which clang keeps branch-free and
// vectorizes: equal operands combine by their bits (AND for the maximum: +0 if either zero is +0; OR for the minimum),
// and a NaN operand gives a + b, a NaN. Commutative and associative, so lanes and passes may combine in any order and
// still give the JS loops' bits (lib/tensor/reduce.ts).
#define ADD(a, b) ((a) + (b))
#define MUL(a, b) ((a) * (b))
#define EXTREMUM(T, U, NAME, CMP, JOIN)                                                                                \
  static inline T NAME(T a, T b) {                                                                                     \
    U ab = __builtin_bit_cast(U, a), bb = __builtin_bit_cast(U, b);                                                    \
    T pick = a CMP b ? a : b;                                                                                          \
    T same = __builtin_bit_cast(T, (U)(ab JOIN bb));                                                                   \
    T r = a == b ? same : pick;                                                                                        \
    return ((a != a) | (b != b)) ? a + b : r;                                                                          \
  }
EXTREMUM(double, unsigned long long, MAX_F64, >, &)
EXTREMUM(double, unsigned long long, MIN_F64, <, |)
EXTREMUM(float, unsigned int, MAX_F32, >, &)
EXTREMUM(float, unsigned int, MIN_F32, <, |)

// Reductions over the middle axis of (outer, len, inner) blocks:
// out[o*inner + i] = x[(o*len + 0)*inner + i] op x[(o*len + 1)*inner + i] op ... in that order, from the op's identity,
// in the element type, exactly as the JS loop does (so results are identical), the columns side by side in SIMD lanes.
// Four rows are combined per pass over out, in the same order, so out is loaded and stored a quarter as often.
#define REDUCE_AXIS(T, SUFFIX, NAME, INIT, OP)                                                                         \
  EXPORT(#NAME "_axis_" #SUFFIX)                                                                                       \
  void NAME##_axis_##SUFFIX(const T *x, int outer, int len, int inner, T *out) {                                       \
    for (int o = 0; o < outer; o++) {                                                                                  \
      T *restrict dst = out + (long)o * inner;                                                                         \
      const T *src = x + (long)o * len * inner;                                                                        \
      for (int i = 0; i < inner; i++) dst[i] = INIT;                                                                   \
      int l = 0;                                                                                                       \
      for (; l + 4 <= len; l += 4) {                                                                                   \
        const T *restrict r0 = src + (long)l * inner, *restrict r1 = r0 + inner;                                       \
        const T *restrict r2 = r1 + inner, *restrict r3 = r2 + inner;                                                  \
        for (int i = 0; i < inner; i++) dst[i] = OP(OP(OP(OP(dst[i], r0[i]), r1[i]), r2[i]), r3[i]);                   \
      }                                                                                                                \
      for (; l < len; l++) {                                                                                           \
        const T *restrict row = src + (long)l * inner;                                                                 \
        for (int i = 0; i < inner; i++) dst[i] = OP(dst[i], row[i]);                                                   \
      }                                                                                                                \
    }                                                                                                                  \
  }

// Reductions of each of `rows` contiguous rows of len values (the last axis, inner = 1): out[r] = x[r*len] op
// x[r*len + 1] op ... in that order, from the op's identity, in the element type, as the JS loop does. Each is a chain
// of dependent operations, so four rows go side by side to keep four chains in flight.
#define REDUCE_ROWS(T, SUFFIX, NAME, INIT, OP)                                                                         \
  EXPORT(#NAME "_rows_" #SUFFIX)                                                                                       \
  void NAME##_rows_##SUFFIX(const T *x, int rows, int len, T *out) {                                                   \
    int r = 0;                                                                                                         \
    for (; r + 4 <= rows; r += 4) {                                                                                    \
      const T *x0 = x + (long)r * len, *x1 = x0 + len, *x2 = x1 + len, *x3 = x2 + len;                                 \
      T s0 = INIT, s1 = INIT, s2 = INIT, s3 = INIT;                                                                    \
      for (int l = 0; l < len; l++) {                                                                                  \
        s0 = OP(s0, x0[l]);                                                                                            \
        s1 = OP(s1, x1[l]);                                                                                            \
        s2 = OP(s2, x2[l]);                                                                                            \
        s3 = OP(s3, x3[l]);                                                                                            \
      }                                                                                                                \
      out[r] = s0;                                                                                                     \
      out[r + 1] = s1;                                                                                                 \
      out[r + 2] = s2;                                                                                                 \
      out[r + 3] = s3;                                                                                                 \
    }                                                                                                                  \
    for (; r < rows; r++) {                                                                                            \
      const T *row = x + (long)r * len;                                                                                \
      T s = INIT;                                                                                                      \
      for (int l = 0; l < len; l++) s = OP(s, row[l]);                                                                 \
      out[r] = s;                                                                                                      \
    }                                                                                                                  \
  }

#define REDUCTIONS(T, SUFFIX, MAX, MIN)                                                                                \
  REDUCE_AXIS(T, SUFFIX, sum, 0, ADD)                                                                                  \
  REDUCE_AXIS(T, SUFFIX, prod, 1, MUL)                                                                                 \
  REDUCE_AXIS(T, SUFFIX, max, -__builtin_inf(), MAX)                                                                   \
  REDUCE_AXIS(T, SUFFIX, min, __builtin_inf(), MIN)                                                                    \
  REDUCE_ROWS(T, SUFFIX, sum, 0, ADD)                                                                                  \
  REDUCE_ROWS(T, SUFFIX, prod, 1, MUL)                                                                                 \
  REDUCE_ROWS(T, SUFFIX, max, -__builtin_inf(), MAX)                                                                   \
  REDUCE_ROWS(T, SUFFIX, min, __builtin_inf(), MIN)

REDUCTIONS(double, f64, MAX_F64, MIN_F64)
REDUCTIONS(float, f32, MAX_F32, MIN_F32)

// The maximum (or minimum) of len values: four vectors of lanes side by side (the combining op is a chain of several
// instructions), folded by shuffles at the end (the order does not matter, see above; shuffles rather than a lane
// array, which would need the stack the kernels do not have).
#define VEXTREMUM(NAME, VEC, CMP, JOIN)                                                                                \
  static inline v128_t NAME(v128_t a, v128_t b) {                                                                      \
    v128_t pick = wasm_v128_bitselect(a, b, VEC##_##CMP(a, b));                                                        \
    v128_t r = wasm_v128_bitselect(JOIN(a, b), pick, VEC##_eq(a, b));                                                 \
    v128_t nan = wasm_v128_or(VEC##_ne(a, a), VEC##_ne(b, b));                                                         \
    return wasm_v128_bitselect(VEC##_add(a, b), r, nan);                                                               \
  }
VEXTREMUM(vmax_f64, wasm_f64x2, gt, wasm_v128_and)
VEXTREMUM(vmin_f64, wasm_f64x2, lt, wasm_v128_or)
VEXTREMUM(vmax_f32, wasm_f32x4, gt, wasm_v128_and)
VEXTREMUM(vmin_f32, wasm_f32x4, lt, wasm_v128_or)

#define EXTREMUM_ALL(T, SUFFIX, VEC, LANES, NAME, INIT, VOP, OP)                                                       \
  EXPORT(#NAME "_" #SUFFIX)                                                                                            \
  double NAME##_##SUFFIX(const T *x, int len) {                                                                        \
    v128_t a = VEC##_splat(INIT), b = a, c = a, d = a;                                                                 \
    int i = 0;                                                                                                         \
    for (; i + 4 * LANES <= len; i += 4 * LANES) {                                                                     \
      a = VOP(a, wasm_v128_load(x + i));                                                                               \
      b = VOP(b, wasm_v128_load(x + i + LANES));                                                                       \
      c = VOP(c, wasm_v128_load(x + i + 2 * LANES));                                                                   \
      d = VOP(d, wasm_v128_load(x + i + 3 * LANES));                                                                   \
    }                                                                                                                  \
    a = VOP(VOP(a, b), VOP(c, d));                                                                                     \
    a = VOP(a, wasm_i64x2_shuffle(a, a, 1, 0));                                                                        \
    if (LANES == 4) a = VOP(a, wasm_i32x4_shuffle(a, a, 1, 0, 3, 2));                                                  \
    T m = VEC##_extract_lane(a, 0);                                                                                    \
    for (; i < len; i++) m = OP(m, x[i]);                                                                              \
    return m;                                                                                                          \
  }

EXTREMUM_ALL(double, f64, wasm_f64x2, 2, max, -__builtin_inf(), vmax_f64, MAX_F64)
EXTREMUM_ALL(double, f64, wasm_f64x2, 2, min, __builtin_inf(), vmin_f64, MIN_F64)
EXTREMUM_ALL(float, f32, wasm_f32x4, 4, max, -__builtin_inff(), vmax_f32, MAX_F32)
EXTREMUM_ALL(float, f32, wasm_f32x4, 4, min, __builtin_inff(), vmin_f32, MIN_F32)
