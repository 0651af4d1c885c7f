/**
 * Small numerical helpers shared by the families. Everything that multiplies probabilities
 * works in log space and normalizes with log-sum-exp, so nothing underflows on long data.
 */

/**
 * log(sum_i exp(x_i)) over x[offset .. offset+n), stable for any magnitudes:
 * subtracting the maximum keeps every exp() in [0, 1]. Returns -Infinity when every term is.
 */
export function logSumExp(x: ArrayLike<number>, offset = 0, n = x.length - offset): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (x[offset + i] > max) max = x[offset + i];
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(x[offset + i] - max);
  return max + Math.log(sum);
}

/**
 * In place: x[offset..offset+n) <- exp(x - logSumExp(x)), a normalized distribution.
 * Returns the log normalizer.
 */
export function normalizeLogInPlace(x: Float64Array, offset = 0, n = x.length - offset): number {
  const lse = logSumExp(x, offset, n);
  for (let i = 0; i < n; i++) x[offset + i] = Math.exp(x[offset + i] - lse);
  return lse;
}

/** Neumaier's compensated sum: accurate to the last bits even for a million terms. */
export class CompensatedSum {
  private sum = 0;
  private c = 0;
  add(v: number): void {
    const t = this.sum + v;
    if (Math.abs(this.sum) >= Math.abs(v)) this.c += this.sum - t + v;
    else this.c += v - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.c;
  }
}

/** x * log(x) with the convention 0 log 0 = 0 (entropy terms). */
export function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}
