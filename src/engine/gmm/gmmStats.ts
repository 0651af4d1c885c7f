/**
 * Sufficient statistics of the Gaussian mixture's E-step, centred on reference points so that
 * the covariance M-step subtracts small numbers, not large ones (a one-pass scatter about a
 * point near the mean keeps the digits that sum(r x x^T) - N mu mu^T would cancel; Chan, Golub
 * & LeVeque, "Algorithms for computing the sample variance", 1983).
 *
 * For component k with responsibilities r_ik (times row weights) and completed rows
 * xhat_ik (x_i itself when complete; else the conditional expectation of the missing cells):
 *   nk[k]  = sum_i r_ik
 *   s1[k]  = sum_i r_ik (xhat_ik - ref_k)
 *   s2[k]  = sum_i r_ik [ (xhat_ik - ref_k)(xhat_ik - ref_k)^T + Cmiss_ik ]
 * where Cmiss_ik is the conditional covariance of the missing cells (zero elsewhere):
 * E[(x - ref)(x - ref)^T | x_obs, k] for incomplete data (Ghahramani & Jordan 1994, eq. 11-13).
 * Only the upper triangle of full scatters is filled (the M-step mirrors it). Tied
 * covariances keep one scatter summed over components, all centred on the data's centre.
 */
import type { CovarianceType } from '../../shared/modelSpec';

export interface GmmStats {
  readonly covariance: CovarianceType;
  readonly k: number;
  readonly d: number;
  /** K */
  readonly nk: Float64Array;
  /** K x D: the points s1 and s2 are centred on (the E-step's means; for tied, the data centre for every k). */
  readonly reference: Float64Array;
  /** K x D */
  readonly s1: Float64Array;
  /** full: K x D x D (upper triangle) | tied: D x D (upper triangle) | diag, spherical: K x D. */
  readonly s2: Float64Array;
}

export function scatterLength(type: CovarianceType, k: number, d: number): number {
  switch (type) {
    case 'full':
      return k * d * d;
    case 'tied':
      return d * d;
    case 'diag':
    case 'spherical':
      return k * d;
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
}

/** Zeroed statistics centred on `reference` (K x D, copied). */
export function emptyStats(type: CovarianceType, k: number, d: number, reference: Float64Array): GmmStats {
  return { covariance: type, k, d, nk: new Float64Array(k), reference: reference.slice(), s1: new Float64Array(k * d), s2: new Float64Array(scatterLength(type, k, d)) };
}

/** The reference points of an E-step under means `means` (K x D): the means, or for tied the data centre. */
export function referencePoints(type: CovarianceType, k: number, d: number, means: Float64Array, center: Float64Array): Float64Array {
  if (type !== 'tied') return means.slice();
  const ref = new Float64Array(k * d);
  for (let c = 0; c < k; c++) ref.set(center, c * d);
  return ref;
}

/** a += b (shards of one E-step share their reference points). Returns a. */
export function mergeStats(a: GmmStats, b: GmmStats): GmmStats {
  if (a.k !== b.k || a.d !== b.d || a.covariance !== b.covariance) throw new Error('merging statistics of different mixtures');
  for (let i = 0; i < a.reference.length; i++) if (a.reference[i] !== b.reference[i]) throw new Error('merging statistics centred on different points');
  for (let i = 0; i < a.nk.length; i++) a.nk[i] += b.nk[i];
  for (let i = 0; i < a.s1.length; i++) a.s1[i] += b.s1[i];
  for (let i = 0; i < a.s2.length; i++) a.s2[i] += b.s2[i];
  return a;
}
