/**
 * Small dense symmetric-matrix routines for the HMM's Gaussian emissions (D is small: a few
 * columns), on row-major Float64Array views `m[off + i*n + j]`. Pure functions, no allocation
 * unless the name says so.
 */

/**
 * In place Cholesky factorization A = L L' (Golub & Van Loan, Algorithm 4.2.1): the lower
 * triangle of a[off .. off+n*n) becomes L, the strict upper triangle is zeroed.
 * Returns false (leaving `a` partly overwritten) when A is not numerically positive definite.
 * Cost n^3/3.
 */
export function choleskyInPlace(a: Float64Array, n: number, off = 0): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[off + j * n + j];
    for (let k = 0; k < j; k++) d -= a[off + j * n + k] * a[off + j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    a[off + j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[off + i * n + j];
      for (let k = 0; k < j; k++) s -= a[off + i * n + k] * a[off + j * n + k];
      a[off + i * n + j] = s / ljj;
    }
    for (let i = 0; i < j; i++) a[off + i * n + j] = 0;
  }
  return true;
}

/** log det(A) = 2 sum_i log L_ii, from the Cholesky factor L of A. */
export function logDetFromCholesky(l: Float64Array, n: number, off = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[off + i * n + i]);
  return 2 * s;
}

/**
 * In place inverse of a lower-triangular L (row-major, n x n): L <- L^{-1}, again lower
 * triangular. Column by column forward substitution; cost n^3/3.
 */
export function invertLowerInPlace(l: Float64Array, n: number, off = 0): void {
  for (let j = 0; j < n; j++) {
    l[off + j * n + j] = 1 / l[off + j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[off + i * n + k] * l[off + k * n + j];
      l[off + i * n + j] = s / l[off + i * n + i];
    }
  }
}

/** out = M^{-1} for symmetric positive definite M (n x n), via its Cholesky factor; false if not PD. */
export function invertSpd(m: Float64Array, n: number, out: Float64Array): boolean {
  const l = m.slice(0, n * n);
  if (!choleskyInPlace(l, n)) return false;
  invertLowerInPlace(l, n);
  // M^{-1} = L^{-T} L^{-1}
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += l[k * n + i] * l[k * n + j];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return true;
}

/** True when the n x n matrix at m[off..] is symmetric to `tolerance` (relative to its largest entry). */
export function isSymmetric(m: ArrayLike<number>, n: number, tolerance = 1e-9, off = 0): boolean {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(m[off + i]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(m[off + i * n + j] - m[off + j * n + i]) > tolerance * Math.max(scale, 1e-300)) return false;
    }
  }
  return true;
}
