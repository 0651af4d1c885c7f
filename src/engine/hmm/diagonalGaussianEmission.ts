/**
 * The Gaussian emission kernel for diagonal and spherical covariances: the same model and the
 * same numbers as gaussianKernel (gaussianEmission.ts), without its dense D x D work.
 *
 * With Sigma_k = diag(s_k1 .. s_kD) the Cholesky factor is diag(sqrt(s_ka)), so
 *   log b_k(x) = -1/2 (d log 2 pi + sum_a log s_ka + sum_a (x_a - mu_ka)^2 / s_ka)   over the observed a,
 * and the missing cells are independent of the observed ones (Ghahramani & Jordan 1994 with
 * Sigma_mo = 0): E[x_m | x_o] = mu_m, Cov[x_m | x_o] = diag(s_km). Each quantity is computed
 * as the dense kernel computes it for a diagonal Sigma (1 / L_aa with L_aa = sqrt(s_ka), the
 * log-determinant as 2 sum log L_aa in ascending order; every further term the dense kernel
 * adds is an exact zero), so both kernels give bit-identical results. Cost per step and state:
 * O(D) instead of O(D^2), and per E-step O(K D) instead of O(K D^3) for the factors.
 *
 * Only the diagonal of the statistics' `outer` is accumulated: for these types the M-step
 * (gaussianMStep) reads nothing else.
 */
import type { EmissionKernel } from './emissionKernel';
import { gaussianAccumulate, type PartlyObservedPattern } from './gaussianAccumulation';
import { singularCovariance } from './gaussianEmission';
import { ALL_MISSING, COMPLETE, type GaussianObservations } from './hmmData';
import type { EmissionStats, GaussianEmissionParameters } from './hmmParameters';

const LOG_2PI = Math.log(2 * Math.PI);

/** Per-pattern quantities of a partly observed pattern (its `weight` multiplies s_km in finish()). */
interface DiagonalPattern extends PartlyObservedPattern {
  /** K: -0.5 (d log 2 pi + log det Sigma_oo). */
  readonly logNormalizer: Float64Array;
}

/** The kernel for one E-step under `params` (covariance "diag" or "spherical"); throws InputError when a variance is not positive. */
export function diagonalGaussianKernel(obs: GaussianObservations, params: GaussianEmissionParameters, states: number, modelFile: string): EmissionKernel {
  const K = states;
  const D = obs.dim;
  const DD = D * D;
  const means = params.means;
  const variances = new Float64Array(K * D); // s_ka, the diagonal of the K x D x D covariances
  const invSd = new Float64Array(K * D); // 1 / sqrt(s_ka)
  const logSd = new Float64Array(K * D); // log sqrt(s_ka)
  const logNormalizer = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let halfLogDet = 0;
    for (let a = 0; a < D; a++) {
      const v = params.covariances[k * DD + a * D + a];
      if (!(v > 0) || !Number.isFinite(v)) throw singularCovariance(k, modelFile);
      const sd = Math.sqrt(v);
      variances[k * D + a] = v;
      invSd[k * D + a] = 1 / sd;
      logSd[k * D + a] = Math.log(sd);
      halfLogDet += logSd[k * D + a];
    }
    logNormalizer[k] = -0.5 * (D * LOG_2PI + 2 * halfLogDet);
  }
  const partial: (DiagonalPattern | undefined)[] = obs.patterns.map((observed, p) => {
    if (p === COMPLETE) return undefined;
    const isObserved = new Uint8Array(D);
    for (const a of observed) isObserved[a] = 1;
    const missing = new Int32Array(D - observed.length);
    for (let a = 0, r = 0; a < D; a++) if (!isObserved[a]) missing[r++] = a;
    const norm = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let halfLogDet = 0;
      for (const a of observed) halfLogDet += logSd[k * D + a];
      norm[k] = -0.5 * (observed.length * LOG_2PI + 2 * halfLogDet);
    }
    return { observed, missing, logNormalizer: norm, weight: new Float64Array(K) };
  });
  const values = obs.values;
  const pattern = obs.pattern;

  return {
    logDensities(first: number, length: number, out: Float64Array): void {
      for (let t = 0; t < length; t++) {
        const step = first + t;
        const p = pattern[step];
        const row = t * K;
        const x = step * D;
        if (p === COMPLETE) {
          for (let k = 0; k < K; k++) {
            const mk = k * D;
            let q = 0;
            for (let a = 0; a < D; a++) {
              const y = invSd[mk + a] * (values[x + a] - means[mk + a]);
              q += y * y;
            }
            out[row + k] = logNormalizer[k] - 0.5 * q;
          }
        } else if (p === ALL_MISSING) {
          for (let k = 0; k < K; k++) out[row + k] = 0;
        } else {
          const pp = partial[p] as DiagonalPattern;
          const o = pp.observed;
          for (let k = 0; k < K; k++) {
            const mk = k * D;
            let q = 0;
            for (let r = 0; r < o.length; r++) {
              const a = o[r];
              const y = invSd[mk + a] * (values[x + a] - means[mk + a]);
              q += y * y;
            }
            out[row + k] = pp.logNormalizer[k] - 0.5 * q;
          }
        }
      }
    },

    // E[x_m | x_o, z = k] = mu_km
    accumulate: gaussianAccumulate(obs, K, 'diagonal', partial, (pp, k, _x, y) => {
      const mi = pp.missing;
      for (let r = 0; r < mi.length; r++) y[mi[r]] = means[k * D + mi[r]] - obs.center[mi[r]];
    }),

    finish(stats: EmissionStats): void {
      if (stats.kind !== 'gaussian') throw new Error('gaussian kernel given categorical statistics');
      for (const pp of partial) {
        if (pp === undefined) continue;
        const mi = pp.missing;
        for (let k = 0; k < K; k++) {
          const w = pp.weight[k];
          pp.weight[k] = 0;
          if (w === 0) continue;
          // Cov[x_m | x_o, z = k] = diag(s_km)
          for (let r = 0; r < mi.length; r++) stats.outer[k * DD + mi[r] * D + mi[r]] += w * variances[k * D + mi[r]];
        }
      }
    },
  };
}
