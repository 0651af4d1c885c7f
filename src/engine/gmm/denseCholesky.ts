/**
 * Small dense linear algebra for the Gaussian mixture: the Cholesky factorization of a
 * symmetric positive-definite matrix and the triangular solve that turns x - mu into the
 * whitened vector z = L^{-1} (x - mu), whose squared length is the Mahalanobis distance.
 *
 * Matrices are row-major Float64Arrays addressed by an offset, so that K factors can live in
 * one K x D x D block without allocation (Golub & Van Loan, "Matrix Computations", 4.2.5,
 * the outer-product-free "gaxpy" Cholesky; cost n^3 / 6 multiply-adds).
 */

/**
 * In place: the n x n symmetric matrix at `a[offset ..]` (row-major; only the lower triangle
 * is read) becomes its lower Cholesky factor L (A = L L^T); the strict upper triangle is
 * zeroed. Returns false (leaving `a` partly overwritten) when A is not numerically
 * positive definite: a pivot that is not > 0 or not finite.
 */
export function choleskyInPlace(a: Float64Array, offset: number, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = offset + j * n;
    let pivot = a[rowJ + j];
    for (let p = 0; p < j; p++) pivot -= a[rowJ + p] * a[rowJ + p];
    if (!(pivot > 0) || !Number.isFinite(pivot)) return false;
    const ljj = Math.sqrt(pivot);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = offset + i * n;
      let s = a[rowI + j];
      for (let p = 0; p < j; p++) s -= a[rowI + p] * a[rowJ + p];
      a[rowI + j] = s / ljj;
    }
    for (let i = j + 1; i < n; i++) a[rowJ + i] = 0;
  }
  return true;
}

/** sum_i log L_ii of the n x n lower factor at `l[offset ..]`: half the log-determinant of A. */
export function logDetOfFactor(l: Float64Array, offset: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[offset + i * n + i]);
  return s;
}

/**
 * Forward substitution: out[outOff .. +n) = L^{-1} b[bOff .. +n) for the n x n lower factor
 * at `l[lOff ..]`. `out` may be `b` with the same offset.
 */
export function forwardSolve(l: Float64Array, lOff: number, n: number, b: ArrayLike<number>, bOff: number, out: Float64Array, outOff: number): void {
  for (let r = 0; r < n; r++) {
    const row = lOff + r * n;
    let s = b[bOff + r];
    for (let c = 0; c < r; c++) s -= l[row + c] * out[outOff + c];
    out[outOff + r] = s / l[row + r];
  }
}

/** Copy the upper triangle of the n x n matrix at `a[offset ..]` onto its lower triangle. */
export function symmetrizeFromUpper(a: Float64Array, offset: number, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[offset + j * n + i] = a[offset + i * n + j];
}
