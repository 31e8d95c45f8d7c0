// WebAssembly SIMD kernels for a whole optimizer step over one parameter, in one pass: Adam (with optional coupled or
// decoupled weight decay), the learning rate, and the sum with the parameter.
//
// They give bit for bit what the chain of transforms in lib/optim gives element by element: every expression below is
// that chain's, in its order and in double (float32 parameters and gradients widen exactly, and the new parameter is
// rounded once, as a Float32Array store rounds). The state m and v is float64 whatever the parameter's dtype.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

enum { COUPLED_DECAY = 1, DECOUPLED_DECAY = 2 };

// One loop per decay variant with the variant as a literal, so each is a plain vectorizable expression.
#define ADAM_LOOP(T, NAME, COUPLED, DECOUPLED)                                                                         \
  static void NAME(const T *restrict p, const T *restrict g, double *restrict m, double *restrict v, T *restrict out,   \
                   int n, double b1, double c1, double b2, double c2, double inv_bc1, double inv_sqrt_bc2, double eps,  \
                   double factor, double wd_grad, double wd_update) {                                                  \
    for (int i = 0; i < n; i++) {                                                                                      \
      double pi = p[i];                                                                                                \
      double gi = g[i];                                                                                                \
      if (COUPLED) gi = gi + wd_grad * pi;                                                                             \
      double mi = b1 * m[i] + c1 * gi;                                                                                 \
      double vi = b2 * v[i] + c2 * gi * gi;                                                                            \
      m[i] = mi;                                                                                                       \
      v[i] = vi;                                                                                                       \
      double u = (mi * inv_bc1) / (__builtin_sqrt(vi) * inv_sqrt_bc2 + eps);                                           \
      if (DECOUPLED) u = u + wd_update * pi;                                                                           \
      out[i] = (T)(pi + factor * u);                                                                                   \
    }                                                                                                                  \
  }

// c holds the step's constants in AdamCoefficients' order (lib/backend/backend.ts): b1, c1, b2, c2, 1/(1-b1^t),
// 1/sqrt(1-b2^t), eps, -lr, coupled decay, decoupled decay. Passed through memory, so worker threads can run chunks.
#define ADAM(T, SUFFIX)                                                                                                \
  ADAM_LOOP(T, adam_plain_##SUFFIX, 0, 0)                                                                              \
  ADAM_LOOP(T, adam_coupled_##SUFFIX, 1, 0)                                                                            \
  ADAM_LOOP(T, adam_decoupled_##SUFFIX, 0, 1)                                                                          \
  ADAM_LOOP(T, adam_both_##SUFFIX, 1, 1)                                                                               \
  EXPORT("adam_" #SUFFIX)                                                                                              \
  void adam_##SUFFIX(const T *p, const T *g, double *m, double *v, T *out, int n, int decay, const double *c) {        \
    switch (decay) {                                                                                                   \
      case 0: adam_plain_##SUFFIX(p, g, m, v, out, n, ADAM_ARGS(c)); break;                                            \
      case COUPLED_DECAY: adam_coupled_##SUFFIX(p, g, m, v, out, n, ADAM_ARGS(c)); break;                              \
      case DECOUPLED_DECAY: adam_decoupled_##SUFFIX(p, g, m, v, out, n, ADAM_ARGS(c)); break;                          \
      default: adam_both_##SUFFIX(p, g, m, v, out, n, ADAM_ARGS(c)); break;                                            \
    }                                                                                                                  \
  }

#define ADAM_ARGS(c) c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]

ADAM(double, f64)
ADAM(float, f32)
