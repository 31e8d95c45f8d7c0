// CPU matmul kernels behind one seam: C[m,n] = A[m,k] · B[k,n], contiguous row-major, same float type throughout.
// Placeholder loop until the WebAssembly SIMD kernels land; callers depend only on these signatures.

export type FloatArray = Float64Array | Float32Array;

export function matmulInto(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const bRow = p * n;
      const oRow = i * n;
      for (let j = 0; j < n; j++) out[oRow + j]! += aip * b[bRow + j]!;
    }
  }
}
