/**
 * The E-step's Gaussian emission statistics, one implementation for the dense kernel
 * (gaussianEmission.ts) and the diagonal one (diagonalGaussianEmission.ts): for every step t
 * with an observed cell and every state k with gamma_t(k) > 0,
 *   weight_k += gamma_t(k),  sum_k += gamma_t(k) y,  outer_k += gamma_t(k) y y'
 * with y = E[x_t | x_t,o, z_t = k] - center: the numerators of Rabiner's eq. 53-54 in the
 * expected-statistics form of Ghahramani & Jordan (1994) for missing cells. The observed cells
 * of y are the data; the missing ones are the kernel's conditional mean (`fillMissing`). The
 * conditional covariance of the missing cells is per pattern, not per step: the kernels add it
 * in finish() from the pattern's `weight`, which this accumulation fills.
 */
import type { EmissionKernel } from './emissionKernel';
import { ALL_MISSING, COMPLETE, type GaussianObservations } from './hmmData';

/** What the accumulation reads of a partly observed pattern. */
export interface PartlyObservedPattern {
  readonly observed: Int32Array; // d coordinates
  readonly missing: Int32Array; // D - d coordinates, ascending
  /** K: sum of gamma over the steps of this pattern in this E-step (the kernel's finish() reads and resets it). */
  readonly weight: Float64Array;
}

/**
 * Which part of each state's D x D `outer` is accumulated: the upper triangle (a <= b), or
 * only the diagonal (all the M-step reads for diag and spherical covariances).
 */
export type OuterPart = 'upper' | 'diagonal';

/**
 * Writes y[m] = E[x_m | x_o, z = k] - center[m] for every missing coordinate m of pattern `pp`,
 * the step's cells being values[x .. x + D).
 */
export type FillMissing<P extends PartlyObservedPattern> = (pp: P, k: number, x: number, y: Float64Array) => void;

/**
 * The kernel's `accumulate` over `obs`: `partial[p]` describes partly observed pattern p
 * (undefined at COMPLETE). Allocates its scratch vector once; the per-step loops allocate nothing.
 */
export function gaussianAccumulate<P extends PartlyObservedPattern>(
  obs: GaussianObservations,
  states: number,
  outerPart: OuterPart,
  partial: readonly (P | undefined)[],
  fillMissing: FillMissing<P>,
): EmissionKernel['accumulate'] {
  const K = states;
  const D = obs.dim;
  const DD = D * D;
  const values = obs.values;
  const pattern = obs.pattern;
  const center = obs.center;
  const diagonalOnly = outerPart === 'diagonal';
  const y = new Float64Array(D); // E[x | x_o, z = k] - center, reused by every step

  /** sum_k += g y; outer_k += g y y' on the accumulated part. */
  const addWeighted = (sum: Float64Array, outer: Float64Array, k: number, g: number): void => {
    const sk = k * D;
    const ok = k * DD;
    if (diagonalOnly) {
      for (let a = 0; a < D; a++) {
        const ga = g * y[a];
        sum[sk + a] += ga;
        outer[ok + a * D + a] += ga * y[a];
      }
    } else {
      for (let a = 0; a < D; a++) {
        const ga = g * y[a];
        sum[sk + a] += ga;
        for (let b = a; b < D; b++) outer[ok + a * D + b] += ga * y[b];
      }
    }
  };

  return (first, length, gamma, stats) => {
    if (stats.kind !== 'gaussian') throw new Error('gaussian kernel given categorical statistics');
    const { weight, sum, outer } = stats;
    for (let t = 0; t < length; t++) {
      const step = first + t;
      const p = pattern[step];
      if (p === ALL_MISSING) continue;
      const x = step * D;
      const row = t * K;
      if (p === COMPLETE) {
        for (let a = 0; a < D; a++) y[a] = values[x + a] - center[a];
        for (let k = 0; k < K; k++) {
          const g = gamma[row + k];
          if (g === 0) continue;
          weight[k] += g;
          addWeighted(sum, outer, k, g);
        }
      } else {
        const pp = partial[p] as P;
        const o = pp.observed;
        for (let r = 0; r < o.length; r++) y[o[r]] = values[x + o[r]] - center[o[r]];
        for (let k = 0; k < K; k++) {
          const g = gamma[row + k];
          if (g === 0) continue;
          fillMissing(pp, k, x, y);
          weight[k] += g;
          pp.weight[k] += g;
          addWeighted(sum, outer, k, g);
        }
      }
    }
  };
}
