// WebAssembly SIMD kernels for the broadcasting binary ops (arithmetic, maximum/minimum, comparisons) and where, in f64
// and f32.
//
// Binary ops see their operands as rows: out[r*n + i] = a[r*ars + i*as] OP b[r*brs + i*bs] for r < rows, i < n, where
// the steps as and bs are 1 (contiguous) or 0 (one value broadcast along the row). That covers equal shapes, a scalar
// operand, a bias row added to every row of a matrix and a column added to every column; the JS side sends nothing else.
// f32 results equal JS's, which computes in double and rounds once: for + - * / of two floats the two roundings agree,
// and maximum, minimum and the comparisons return one of the operands, NaN, 0 or 1 (the same expressions as scalar.ts).
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MAXIMUM, OP_MINIMUM, OP_GREATER, OP_LESS, OP_EQUAL };

// One function per (type, op) with the op as a literal, so each inner loop is a plain vectorizable expression.
#define ROW_KERNEL(T, NAME, EXPR)                                                                                      \
  static void NAME(const T *a, int ars, int as, const T *b, int brs, int bs, T *out, int rows, int n) {                \
    for (int r = 0; r < rows; r++) {                                                                                   \
      const T *restrict ar = a + (long)r * ars;                                                                        \
      const T *restrict br = b + (long)r * brs;                                                                        \
      T *restrict o = out + (long)r * n;                                                                               \
      if (as && bs) {                                                                                                  \
        for (int i = 0; i < n; i++) { T x = ar[i], y = br[i]; o[i] = EXPR; }                                          \
      } else if (as) {                                                                                                 \
        const T y = br[0];                                                                                             \
        for (int i = 0; i < n; i++) { T x = ar[i]; o[i] = EXPR; }                                                     \
      } else if (bs) {                                                                                                 \
        const T x = ar[0];                                                                                             \
        for (int i = 0; i < n; i++) { T y = br[i]; o[i] = EXPR; }                                                     \
      } else {                                                                                                         \
        const T x = ar[0], y = br[0];                                                                                  \
        for (int i = 0; i < n; i++) o[i] = EXPR;                                                                       \
      }                                                                                                                \
    }                                                                                                                  \
  }

#define ZIP(T, SUFFIX)                                                                                                 \
  ROW_KERNEL(T, add_##SUFFIX, x + y)                                                                                   \
  ROW_KERNEL(T, sub_##SUFFIX, x - y)                                                                                   \
  ROW_KERNEL(T, mul_##SUFFIX, x * y)                                                                                   \
  ROW_KERNEL(T, div_##SUFFIX, x / y)                                                                                   \
  ROW_KERNEL(T, maximum_##SUFFIX, (x != x || y != y) ? (T)__builtin_nan("") : (x > y ? x : y))                          \
  ROW_KERNEL(T, minimum_##SUFFIX, (x != x || y != y) ? (T)__builtin_nan("") : (x < y ? x : y))                          \
  ROW_KERNEL(T, greater_##SUFFIX, x > y ? (T)1 : (T)0)                                                                 \
  ROW_KERNEL(T, less_##SUFFIX, x < y ? (T)1 : (T)0)                                                                    \
  ROW_KERNEL(T, equal_##SUFFIX, x == y ? (T)1 : (T)0)                                                                  \
  EXPORT("zip_" #SUFFIX)                                                                                               \
  void zip_##SUFFIX(int op, const T *a, int ars, int as, const T *b, int brs, int bs, T *out, int rows, int n) {       \
    switch (op) {                                                                                                      \
      case OP_ADD: add_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                          \
      case OP_SUB: sub_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                          \
      case OP_MUL: mul_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                          \
      case OP_DIV: div_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                          \
      case OP_MAXIMUM: maximum_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                  \
      case OP_MINIMUM: minimum_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                  \
      case OP_GREATER: greater_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                  \
      case OP_LESS: less_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                        \
      default: equal_##SUFFIX(a, ars, as, b, brs, bs, out, rows, n); break;                                            \
    }                                                                                                                  \
  }

ZIP(double, f64)
ZIP(float, f32)

// where(c, a, b): out[i] = c[i] != 0 ? a[i] : b[i] (NaN counts as nonzero, -0 as zero, as the JS loop's `!== 0`), with a
// and b contiguous (step 1) or one value for every element (step 0). Both operands are loaded before the choice, so
// clang vectorizes each loop into a compare and a bit select.
#define SELECT(T, SUFFIX)                                                                                              \
  EXPORT("select_" #SUFFIX)                                                                                            \
  void select_##SUFFIX(const T *c, const T *a, int as, const T *b, int bs, T *out, int n) {                            \
    const T *restrict cr = c, *restrict ar = a, *restrict br = b;                                                      \
    T *restrict o = out;                                                                                               \
    if (as && bs) {                                                                                                    \
      for (int i = 0; i < n; i++) { T x = ar[i], y = br[i]; o[i] = cr[i] != 0 ? x : y; }                              \
    } else if (as) {                                                                                                   \
      const T y = br[0];                                                                                               \
      for (int i = 0; i < n; i++) { T x = ar[i]; o[i] = cr[i] != 0 ? x : y; }                                         \
    } else if (bs) {                                                                                                   \
      const T x = ar[0];                                                                                               \
      for (int i = 0; i < n; i++) { T y = br[i]; o[i] = cr[i] != 0 ? x : y; }                                         \
    } else {                                                                                                           \
      const T x = ar[0], y = br[0];                                                                                    \
      for (int i = 0; i < n; i++) o[i] = cr[i] != 0 ? x : y;                                                          \
    }                                                                                                                  \
  }

SELECT(double, f64)
SELECT(float, f32)
