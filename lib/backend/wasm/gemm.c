// WebAssembly SIMD GEMM kernels (f32 and f64): packed panels, register-blocked micro-kernels, strided operands.
//
// C[m,n] = A[m,k] · B[k,n]. A element (i,p) sits at a[i*rsa + p*csa], B element (p,j) at b[p*rsb + j*csb], so a
// transposed operand is just a swap of its two strides. C is row-major with leading dimension ldc. Every buffer,
// including the packing scratch, is passed in by the caller: the kernels touch no static data and no shadow stack,
// which keeps them safe to run from several threads over one shared memory.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

// Cache blocking: an A micro-panel (MR x KC) and a B micro-panel (KC x NR) stay in L1, the packed A block (MC x KC)
// in L2, the packed B block (KC x NC) in L2/L3.
#define KC 256
#define MC 96
#define NC_F32 2048
#define NC_F64 1024

// Micro-kernel shape: V8 allocates at most ~14 xmm registers to wasm code, so 8 accumulators (4 rows x 2 vectors) plus
// 2 B vectors and 1 broadcast A value fit without spills; a 6-row kernel spills and runs at half the speed.
// ---------------------------------------------------------------- f32: 4 x 8 micro-kernel (8 f32x4 accumulators)
#define MR32 4
#define NR32 8
_Static_assert(MC % MR32 == 0, "packed A block must hold whole micro-panels");

// Whole micro-panels of a row-major A (csa == 1) go through 4x4 transposes of vector loads, and of a transposed A
// (rsa == 1) are vector copies: element by element, packing took 3 % of a 256^3 product and half of a 256x256x8 one.
static void pack_a_f32(int mc, int kc, const float *a, int rsa, int csa, float *ap) {
  for (int i0 = 0; i0 < mc; i0 += MR32) {
    int rows = mc - i0 < MR32 ? mc - i0 : MR32;
    int p = 0;
    if (rows == MR32 && csa == 1) {
      const float *r0 = a + (long)i0 * rsa, *r1 = r0 + rsa, *r2 = r1 + rsa, *r3 = r2 + rsa;
      for (; p + 4 <= kc; p += 4) {
        v128_t x0 = wasm_v128_load(r0 + p), x1 = wasm_v128_load(r1 + p);
        v128_t x2 = wasm_v128_load(r2 + p), x3 = wasm_v128_load(r3 + p);
        v128_t lo01 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5), lo23 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
        v128_t hi01 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7), hi23 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
        wasm_v128_store(ap, wasm_i64x2_shuffle(lo01, lo23, 0, 2));
        wasm_v128_store(ap + 4, wasm_i64x2_shuffle(lo01, lo23, 1, 3));
        wasm_v128_store(ap + 8, wasm_i64x2_shuffle(hi01, hi23, 0, 2));
        wasm_v128_store(ap + 12, wasm_i64x2_shuffle(hi01, hi23, 1, 3));
        ap += 4 * MR32;
      }
    } else if (rows == MR32 && rsa == 1) {
      for (; p < kc; p++, ap += MR32) wasm_v128_store(ap, wasm_v128_load(a + i0 + (long)p * csa));
    }
    for (; p < kc; p++) {
      const float *src = a + (long)i0 * rsa + (long)p * csa;
      int i = 0;
      for (; i < rows; i++) ap[i] = src[(long)i * rsa];
      for (; i < MR32; i++) ap[i] = 0.0f;
      ap += MR32;
    }
  }
}

// ---------------------------------------------------------------- f64: 4 x 4 micro-kernel (8 f64x2 accumulators)
#define MR64 4
#define NR64 4
_Static_assert(MC % MR64 == 0, "packed A block must hold whole micro-panels");

// Vector paths for whole micro-panels as in pack_a_f32 (2x2 transposes).
static void pack_a_f64(int mc, int kc, const double *a, int rsa, int csa, double *ap) {
  for (int i0 = 0; i0 < mc; i0 += MR64) {
    int rows = mc - i0 < MR64 ? mc - i0 : MR64;
    int p = 0;
    if (rows == MR64 && csa == 1) {
      const double *r0 = a + (long)i0 * rsa, *r1 = r0 + rsa, *r2 = r1 + rsa, *r3 = r2 + rsa;
      for (; p + 2 <= kc; p += 2) {
        v128_t x0 = wasm_v128_load(r0 + p), x1 = wasm_v128_load(r1 + p);
        v128_t x2 = wasm_v128_load(r2 + p), x3 = wasm_v128_load(r3 + p);
        wasm_v128_store(ap, wasm_i64x2_shuffle(x0, x1, 0, 2));
        wasm_v128_store(ap + 2, wasm_i64x2_shuffle(x2, x3, 0, 2));
        wasm_v128_store(ap + 4, wasm_i64x2_shuffle(x0, x1, 1, 3));
        wasm_v128_store(ap + 6, wasm_i64x2_shuffle(x2, x3, 1, 3));
        ap += 2 * MR64;
      }
    } else if (rows == MR64 && rsa == 1) {
      for (; p < kc; p++, ap += MR64) {
        const double *src = a + i0 + (long)p * csa;
        wasm_v128_store(ap, wasm_v128_load(src));
        wasm_v128_store(ap + 2, wasm_v128_load(src + 2));
      }
    }
    for (; p < kc; p++) {
      const double *src = a + (long)i0 * rsa + (long)p * csa;
      int i = 0;
      for (; i < rows; i++) ap[i] = src[(long)i * rsa];
      for (; i < MR64; i++) ap[i] = 0.0;
      ap += MR64;
    }
  }
}

// Per type (T, its vector ops VEC and broadcast load, MR x NR micro-kernel, NC columns of B per block), the same code:
// the packing of B (whole NR-column panels of a row-major B are two vector copies per row), the micro-kernel, and the
// blocked driver. Only the packing of A differs between the types (its transposes), so it is written out above.
#define GEMM_FOR_TYPE(T, SUFFIX, VEC, LOAD_SPLAT, MR, NR, NC)                                                          \
  static void pack_b_##SUFFIX(int kc, int nc, const T *b, int rsb, int csb, T *bp) {                                   \
    for (int j0 = 0; j0 < nc; j0 += NR) {                                                                              \
      int cols = nc - j0 < NR ? nc - j0 : NR;                                                                          \
      if (cols == NR && csb == 1) {                                                                                    \
        for (int p = 0; p < kc; p++) {                                                                                 \
          const T *src = b + (long)p * rsb + j0;                                                                       \
          wasm_v128_store(bp, wasm_v128_load(src));                                                                    \
          wasm_v128_store(bp + NR / 2, wasm_v128_load(src + NR / 2));                                                  \
          bp += NR;                                                                                                    \
        }                                                                                                              \
        continue;                                                                                                      \
      }                                                                                                                \
      for (int p = 0; p < kc; p++) {                                                                                   \
        const T *src = b + (long)p * rsb + (long)j0 * csb;                                                             \
        int j = 0;                                                                                                     \
        for (; j < cols; j++) bp[j] = src[(long)j * csb];                                                              \
        for (; j < NR; j++) bp[j] = (T)0;                                                                              \
        bp += NR;                                                                                                      \
      }                                                                                                                \
    }                                                                                                                  \
  }                                                                                                                    \
                                                                                                                       \
  /* Accumulates (or overwrites when first) the MR x NR product of two packed micro-panels into c (leading dim ldc). */\
  static void ukernel_##SUFFIX(int kc, const T *ap, const T *bp, T *c, int ldc, int first) {                           \
    v128_t acc[MR][2];                                                                                                 \
    _Pragma("clang loop unroll(full)")                                                                                 \
    for (int i = 0; i < MR; i++) { acc[i][0] = wasm_##VEC##_splat(0); acc[i][1] = acc[i][0]; }                         \
    _Pragma("clang loop unroll(disable)")                                                                              \
    for (int p = 0; p < kc; p++) {                                                                                     \
      v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + NR / 2);                                                \
      _Pragma("clang loop unroll(full)")                                                                               \
      for (int i = 0; i < MR; i++) {                                                                                   \
        v128_t a = LOAD_SPLAT(ap + i);                                                                                 \
        acc[i][0] = wasm_##VEC##_add(acc[i][0], wasm_##VEC##_mul(a, b0));                                              \
        acc[i][1] = wasm_##VEC##_add(acc[i][1], wasm_##VEC##_mul(a, b1));                                              \
      }                                                                                                                \
      ap += MR; bp += NR;                                                                                              \
    }                                                                                                                  \
    _Pragma("clang loop unroll(full)")                                                                                 \
    for (int i = 0; i < MR; i++) {                                                                                     \
      T *row = c + (long)i * ldc;                                                                                      \
      if (first) { wasm_v128_store(row, acc[i][0]); wasm_v128_store(row + NR / 2, acc[i][1]); }                        \
      else { wasm_v128_store(row, wasm_##VEC##_add(wasm_v128_load(row), acc[i][0]));                                   \
             wasm_v128_store(row + NR / 2, wasm_##VEC##_add(wasm_v128_load(row + NR / 2), acc[i][1])); }              \
    }                                                                                                                  \
  }                                                                                                                    \
                                                                                                                       \
  /* C = A * B with B packed block by block into scratch, or read from bwhole (packed whole, GEMM_EXPORTS' layout) if  \
     not null. Scratch layout (elements): packed A block [MC*KC], packed B block [KC*NC], edge tile [MR*NR]. */         \
  static void gemm_##SUFFIX(int m, int k, int n, const T *a, int rsa, int csa, const T *b, int rsb, int csb,           \
                            const T *bwhole, T *c, int ldc, T *scratch) {                                              \
    T *apack = scratch, *bpack = scratch + MC * KC, *tile = bpack + KC * NC;                                           \
    long npad = (n + NR - 1) / NR * NR;                                                                                \
    if (k == 0) {                                                                                                      \
      for (int i = 0; i < m; i++)                                                                                      \
        for (int j = 0; j < n; j++) c[(long)i * ldc + j] = (T)0;                                                       \
      return;                                                                                                          \
    }                                                                                                                  \
    for (int jc = 0; jc < n; jc += NC) {                                                                               \
      int nc = n - jc < NC ? n - jc : NC;                                                                              \
      for (int pc = 0; pc < k; pc += KC) {                                                                             \
        int kc = k - pc < KC ? k - pc : KC;                                                                            \
        int first = pc == 0;                                                                                           \
        const T *bblock = bwhole ? bwhole + pc * npad + (long)jc * kc : bpack;                                         \
        if (!bwhole) pack_b_##SUFFIX(kc, nc, b + (long)pc * rsb + (long)jc * csb, rsb, csb, bpack);                    \
        for (int ic = 0; ic < m; ic += MC) {                                                                           \
          int mc = m - ic < MC ? m - ic : MC;                                                                          \
          pack_a_##SUFFIX(mc, kc, a + (long)ic * rsa + (long)pc * csa, rsa, csa, apack);                               \
          for (int jr = 0; jr < nc; jr += NR) {                                                                        \
            int cols = nc - jr < NR ? nc - jr : NR;                                                                    \
            const T *bp = bblock + (long)jr * kc;                                                                      \
            for (int ir = 0; ir < mc; ir += MR) {                                                                      \
              int rows = mc - ir < MR ? mc - ir : MR;                                                                  \
              const T *ap = apack + (long)ir * kc;                                                                     \
              T *cij = c + (long)(ic + ir) * ldc + jc + jr;                                                            \
              if (rows == MR && cols == NR) {                                                                          \
                ukernel_##SUFFIX(kc, ap, bp, cij, ldc, first);                                                         \
              } else {                                                                                                 \
                ukernel_##SUFFIX(kc, ap, bp, tile, NR, 1);                                                             \
                for (int i = 0; i < rows; i++)                                                                         \
                  for (int j = 0; j < cols; j++) {                                                                     \
                    T v = tile[i * NR + j];                                                                            \
                    cij[(long)i * ldc + j] = first ? v : cij[(long)i * ldc + j] + v;                                   \
                  }                                                                                                    \
              }                                                                                                        \
            }                                                                                                          \
          }                                                                                                            \
        }                                                                                                              \
      }                                                                                                                \
    }                                                                                                                  \
  }

GEMM_FOR_TYPE(float, f32, f32x4, wasm_v128_load32_splat, MR32, NR32, NC_F32)
GEMM_FOR_TYPE(double, f64, f64x2, wasm_v128_load64_splat, MR64, NR64, NC_F64)

// Per type: B packed whole as the blocked driver reads it (the KC-row block starting at row pc holds panels of NR
// columns, each kc x NR; npad = n rounded up to NR columns, so block pc begins at pc * npad), so that threads splitting
// C into row slabs share one copy instead of each packing all of B again; and the exported entry points: the product,
// the packing of B (into gemm_packed_b_bytes), and the product with B already packed.
#define GEMM_EXPORTS(T, P, SUFFIX, NR)                                                                                 \
  EXPORT(#P "gemm")                                                                                                    \
  void P##gemm(int m, int k, int n, const T *a, int rsa, int csa, const T *b, int rsb, int csb, T *c, int ldc,         \
               T *scratch) {                                                                                           \
    gemm_##SUFFIX(m, k, n, a, rsa, csa, b, rsb, csb, 0, c, ldc, scratch);                                              \
  }                                                                                                                    \
  EXPORT(#P "gemm_pack_b")                                                                                             \
  void P##gemm_pack_b(int k, int n, const T *b, int rsb, int csb, T *bp) {                                             \
    long npad = (n + NR - 1) / NR * NR;                                                                                \
    for (int pc = 0; pc < k; pc += KC) {                                                                               \
      int kc = k - pc < KC ? k - pc : KC;                                                                              \
      pack_b_##SUFFIX(kc, n, b + (long)pc * rsb, rsb, csb, bp + pc * npad);                                            \
    }                                                                                                                  \
  }                                                                                                                    \
  EXPORT(#P "gemm_packed_b")                                                                                           \
  void P##gemm_packed_b(int m, int k, int n, const T *a, int rsa, int csa, const T *bp, T *c, int ldc, T *scratch) {   \
    gemm_##SUFFIX(m, k, n, a, rsa, csa, 0, 0, 0, bp, c, ldc, scratch);                                                 \
  }

GEMM_EXPORTS(float, s, f32, NR32)
GEMM_EXPORTS(double, d, f64, NR64)

// Scratch sizes in bytes, so the JavaScript side never hard-codes the blocking constants.
EXPORT("gemm_scratch_bytes")
int gemm_scratch_bytes(void) {
  int f32 = (MC * KC + KC * NC_F32 + MR32 * NR32) * 4;
  int f64 = (MC * KC + KC * NC_F64 + MR64 * NR64) * 8;
  return f32 > f64 ? f32 : f64;
}

// Bytes of B packed whole (sgemm_pack_b, dgemm_pack_b): k rows of n columns rounded up to whole panels. A double,
// since big float64 operands pass 2 GiB.
EXPORT("gemm_packed_b_bytes")
double gemm_packed_b_bytes(int k, int n, int f64) {
  int nr = f64 ? NR64 : NR32;
  return (double)k * ((n + nr - 1) / nr * nr) * (f64 ? 8 : 4);
}
