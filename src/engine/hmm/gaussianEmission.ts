/**
 * Multivariate Gaussian emissions b_k(x) = N(x; mu_k, Sigma_k), with the covariance types of
 * scikit-learn / hmmlearn (full, diag, spherical, tied).
 *
 * Missing cells: a step with some cells missing contributes the marginal density of its
 * observed cells, and the M-step uses the expected sufficient statistics given the observed
 * cells (Ghahramani & Jordan 1994, "Supervised learning from incomplete data via an EM
 * approach"): with o the observed and m the missing coordinates, under state k
 *   E[x_m | x_o]            = mu_m + B (x_o - mu_o),   B = Sigma_mo Sigma_oo^{-1}
 *   Cov[x_m | x_o]          = C = Sigma_mm - B Sigma_om
 * so sum gamma x and sum gamma x x' use the filled-in x plus C on the (m, m) block.
 * A step with every cell missing contributes no emission term (factor 1), as in depmixS4.
 */
import type { CovarianceType } from '../../shared/modelSpec';
import { InputError } from '../../shared/errors';
import { choleskyInPlace, invertLowerInPlace, logDetFromCholesky } from './denseMatrix';
import type { EmissionKernel } from './emissionKernel';
import { gaussianAccumulate, type PartlyObservedPattern } from './gaussianAccumulation';
import { ALL_MISSING, COMPLETE, type GaussianObservations } from './hmmData';
import type { EmissionStats, GaussianEmissionParameters, GaussianEmissionStats } from './hmmParameters';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A state whose expected number of observed steps is below this holds no data: the M-step
 * keeps its previous mean and covariance (still a generalized EM step, since the expected
 * complete log-likelihood separates by state), as pomegranate does for a distribution
 * without summaries.
 */
export const MIN_STATE_WEIGHT = 1e-10;

/** Per-pattern, per-state quantities of a partly observed pattern (see the file comment); its `weight` multiplies C in finish(). */
interface PartialPattern extends PartlyObservedPattern {
  /** K x d x d: L_oo^{-1}, inverse Cholesky factor of Sigma_oo. */
  readonly inverseFactor: Float64Array;
  /** K: -0.5 (d log 2 pi + log det Sigma_oo). */
  readonly logNormalizer: Float64Array;
  /** K x (D-d) x d: B = Sigma_mo Sigma_oo^{-1}. */
  readonly regression: Float64Array;
  /** K x (D-d) x (D-d): C = Sigma_mm - B Sigma_om. */
  readonly conditionalCovariance: Float64Array;
}

export function singularCovariance(k: number, modelFile: string): InputError {
  return new InputError(
    `the covariance of state ${k + 1} is not positive definite (a state collapsed onto too few distinct observations); try fewer states, a larger "fit.regularization", or scaled data`,
    { file: modelFile },
  );
}

/**
 * The Gaussian emission kernel for one E-step under `params`; throws InputError when a
 * covariance is singular. Dense (O(D^2) per step and state): diagonal and spherical
 * covariances go to diagonalGaussianKernel (diagonalGaussianEmission.ts) instead.
 */
export function gaussianKernel(obs: GaussianObservations, params: GaussianEmissionParameters, states: number, modelFile: string): EmissionKernel {
  const K = states;
  const D = obs.dim;
  const DD = D * D;
  const means = params.means;
  // Complete steps: L_k^{-1} and the normalizing constant of each state.
  const inverseFactor = params.covariances.slice(); // K x D x D
  const logNormalizer = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    if (!choleskyInPlace(inverseFactor, D, k * DD)) throw singularCovariance(k, modelFile);
    logNormalizer[k] = -0.5 * (D * LOG_2PI + logDetFromCholesky(inverseFactor, D, k * DD));
    invertLowerInPlace(inverseFactor, D, k * DD);
  }
  const partial: (PartialPattern | undefined)[] = obs.patterns.map((observed, p) => (p === COMPLETE ? undefined : partialPattern(observed, D, K, params.covariances, modelFile)));
  const diff = new Float64Array(D); // x - mu, reused by every step
  const values = obs.values;
  const pattern = obs.pattern;

  return {
    logDensities(first: number, length: number, out: Float64Array): void {
      for (let t = 0; t < length; t++) {
        const step = first + t;
        const p = pattern[step];
        const row = t * K;
        if (p === COMPLETE) {
          const x = step * D;
          for (let k = 0; k < K; k++) {
            const mk = k * D;
            for (let a = 0; a < D; a++) diff[a] = values[x + a] - means[mk + a];
            // q = |L^{-1} (x - mu)|^2 = (x - mu)' Sigma^{-1} (x - mu)
            const lk = k * DD;
            let q = 0;
            for (let a = 0; a < D; a++) {
              let y = 0;
              for (let b = 0; b <= a; b++) y += inverseFactor[lk + a * D + b] * diff[b];
              q += y * y;
            }
            out[row + k] = logNormalizer[k] - 0.5 * q;
          }
        } else if (p === ALL_MISSING) {
          for (let k = 0; k < K; k++) out[row + k] = 0;
        } else {
          const pp = partial[p] as PartialPattern;
          const o = pp.observed;
          const d = o.length;
          const x = step * D;
          for (let k = 0; k < K; k++) {
            const mk = k * D;
            for (let a = 0; a < d; a++) diff[a] = values[x + o[a]] - means[mk + o[a]];
            const lk = k * d * d;
            let q = 0;
            for (let a = 0; a < d; a++) {
              let y = 0;
              for (let b = 0; b <= a; b++) y += pp.inverseFactor[lk + a * d + b] * diff[b];
              q += y * y;
            }
            out[row + k] = pp.logNormalizer[k] - 0.5 * q;
          }
        }
      }
    },

    // E[x_m | x_o, z = k] = mu_m + B (x_o - mu_o)
    accumulate: gaussianAccumulate(obs, K, 'upper', partial, (pp, k, x, y) => {
      const o = pp.observed;
      const mi = pp.missing;
      const d = o.length;
      const dm = mi.length;
      const mk = k * D;
      const bk = k * dm * d;
      for (let r = 0; r < dm; r++) {
        let v = means[mk + mi[r]];
        for (let s = 0; s < d; s++) v += pp.regression[bk + r * d + s] * (values[x + o[s]] - means[mk + o[s]]);
        y[mi[r]] = v - obs.center[mi[r]];
      }
    }),

    finish(stats: EmissionStats): void {
      if (stats.kind !== 'gaussian') throw new Error('gaussian kernel given categorical statistics');
      for (const pp of partial) {
        if (pp === undefined) continue;
        const mi = pp.missing;
        const dm = mi.length;
        for (let k = 0; k < K; k++) {
          const w = pp.weight[k];
          pp.weight[k] = 0;
          if (w === 0) continue;
          const ck = k * dm * dm;
          for (let r = 0; r < dm; r++) {
            for (let s = r; s < dm; s++) stats.outer[k * DD + mi[r] * D + mi[s]] += w * pp.conditionalCovariance[ck + r * dm + s];
          }
        }
      }
    },
  };
}

function partialPattern(observed: Int32Array, D: number, K: number, covariances: Float64Array, modelFile: string): PartialPattern {
  const d = observed.length;
  const isObserved = new Uint8Array(D);
  for (const a of observed) isObserved[a] = 1;
  const missing = new Int32Array(D - d);
  for (let a = 0, r = 0; a < D; a++) if (!isObserved[a]) missing[r++] = a;
  const dm = missing.length;
  const inverseFactor = new Float64Array(K * d * d);
  const logNormalizer = new Float64Array(K);
  const regression = new Float64Array(K * dm * d);
  const conditionalCovariance = new Float64Array(K * dm * dm);
  const precision = new Float64Array(d * d);
  for (let k = 0; k < K; k++) {
    const c = k * D * D;
    const l = k * d * d;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) inverseFactor[l + a * d + b] = covariances[c + observed[a] * D + observed[b]];
    if (!choleskyInPlace(inverseFactor, d, l)) throw singularCovariance(k, modelFile);
    logNormalizer[k] = -0.5 * (d * LOG_2PI + logDetFromCholesky(inverseFactor, d, l));
    invertLowerInPlace(inverseFactor, d, l);
    // Sigma_oo^{-1} = L^{-T} L^{-1}
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let j = a; j < d; j++) s += inverseFactor[l + j * d + a] * inverseFactor[l + j * d + b];
        precision[a * d + b] = s;
        precision[b * d + a] = s;
      }
    }
    const bk = k * dm * d;
    for (let r = 0; r < dm; r++) {
      for (let s = 0; s < d; s++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += covariances[c + missing[r] * D + observed[j]] * precision[j * d + s];
        regression[bk + r * d + s] = v;
      }
    }
    const ck = k * dm * dm;
    for (let r = 0; r < dm; r++) {
      for (let s = 0; s < dm; s++) {
        let v = covariances[c + missing[r] * D + missing[s]];
        for (let j = 0; j < d; j++) v -= regression[bk + r * d + j] * covariances[c + observed[j] * D + missing[s]];
        conditionalCovariance[ck + r * dm + s] = v;
      }
    }
  }
  return { observed, missing, inverseFactor, logNormalizer, regression, conditionalCovariance, weight: new Float64Array(K) };
}

/**
 * M-step of the emissions: mu_k = sum gamma x / sum gamma (Rabiner eq. 53), Sigma_k the
 * gamma-weighted scatter around the new mean (eq. 54), projected on the covariance type as
 * scikit-learn's `_estimate_gaussian_covariances_*` do, plus `regularization` on the diagonal.
 * States below MIN_STATE_WEIGHT keep their previous mean and covariance.
 */
export function gaussianMStep(stats: GaussianEmissionStats, previous: GaussianEmissionParameters, obs: GaussianObservations, states: number): GaussianEmissionParameters {
  const K = states;
  const D = obs.dim;
  const DD = D * D;
  const reg = obs.regularization;
  const center = obs.center;
  const means = previous.means.slice();
  const covariances = previous.covariances.slice();
  const active = new Uint8Array(K);
  // scatter[k] = sum_t gamma_t(k) (x_t - mu_k)(x_t - mu_k)' / N_k, around the new mean
  const scatter = new Float64Array(K * DD);
  const m = new Float64Array(D); // new mean, centered
  for (let k = 0; k < K; k++) {
    const n = stats.weight[k];
    if (!(n >= MIN_STATE_WEIGHT)) continue;
    active[k] = 1;
    for (let a = 0; a < D; a++) {
      m[a] = stats.sum[k * D + a] / n;
      means[k * D + a] = center[a] + m[a];
    }
    // diag and spherical read only the diagonal (and their kernel accumulates only that)
    const diagonalOnly = obs.covariance === 'diag' || obs.covariance === 'spherical';
    for (let a = 0; a < D; a++) {
      for (let b = a; b < (diagonalOnly ? a + 1 : D); b++) {
        const v = stats.outer[k * DD + a * D + b] / n - m[a] * m[b];
        scatter[k * DD + a * D + b] = v;
        scatter[k * DD + b * D + a] = v;
      }
    }
  }
  switch (obs.covariance) {
    case 'full':
      for (let k = 0; k < K; k++) {
        if (!active[k]) continue;
        for (let i = 0; i < DD; i++) covariances[k * DD + i] = scatter[k * DD + i];
        for (let a = 0; a < D; a++) covariances[k * DD + a * D + a] += reg;
      }
      break;
    case 'diag':
      for (let k = 0; k < K; k++) {
        if (!active[k]) continue;
        covariances.fill(0, k * DD, (k + 1) * DD);
        for (let a = 0; a < D; a++) covariances[k * DD + a * D + a] = scatter[k * DD + a * D + a] + reg;
      }
      break;
    case 'spherical':
      for (let k = 0; k < K; k++) {
        if (!active[k]) continue;
        let v = 0;
        for (let a = 0; a < D; a++) v += scatter[k * DD + a * D + a];
        v = v / D + reg;
        covariances.fill(0, k * DD, (k + 1) * DD);
        for (let a = 0; a < D; a++) covariances[k * DD + a * D + a] = v;
      }
      break;
    case 'tied': {
      // Sigma = sum_k sum_t gamma_t(k) (x_t - mu_k)(x_t - mu_k)' / sum_k N_k, with mu_k the
      // means used (new ones, or the kept ones of inactive states): the exact conditional maximum.
      const pooled = new Float64Array(DD);
      let total = 0;
      for (let k = 0; k < K; k++) {
        const n = stats.weight[k];
        if (!(n > 0)) continue;
        total += n;
        for (let a = 0; a < D; a++) m[a] = means[k * D + a] - center[a];
        for (let a = 0; a < D; a++) {
          for (let b = a; b < D; b++) {
            const v = stats.outer[k * DD + a * D + b] - stats.sum[k * D + a] * m[b] - m[a] * stats.sum[k * D + b] + n * m[a] * m[b];
            pooled[a * D + b] += v;
          }
        }
      }
      if (total >= MIN_STATE_WEIGHT) {
        for (let a = 0; a < D; a++) {
          for (let b = a; b < D; b++) {
            const v = pooled[a * D + b] / total + (a === b ? reg : 0);
            for (let k = 0; k < K; k++) {
              covariances[k * DD + a * D + b] = v;
              covariances[k * DD + b * D + a] = v;
            }
          }
        }
      }
      break;
    }
    default: {
      const never: never = obs.covariance;
      throw new Error(`unknown covariance type ${JSON.stringify(never)}`);
    }
  }
  return { ...previous, means, covariances };
}

/** Free emission parameters: K D means plus the covariance type's count (as scikit-learn's `_n_parameters`). */
export function gaussianFreeParameters(params: GaussianEmissionParameters, states: number): number {
  const K = states;
  const D = params.dim;
  return K * D + covarianceParameterCount(params.covariance, K, D);
}

export function covarianceParameterCount(type: CovarianceType, K: number, D: number): number {
  switch (type) {
    case 'full':
      return (K * D * (D + 1)) / 2;
    case 'diag':
      return K * D;
    case 'spherical':
      return K;
    case 'tied':
      return (D * (D + 1)) / 2;
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${JSON.stringify(never)}`);
    }
  }
}

/** Covariances in the results shape of the type: full [K][D][D] | diag [K][D] | spherical [K] | tied [D][D]. */
export function covariancesToJSON(params: GaussianEmissionParameters, states: number): unknown {
  const D = params.dim;
  const DD = D * D;
  const c = params.covariances;
  const matrix = (k: number): number[][] => Array.from({ length: D }, (_, a) => Array.from(c.subarray(k * DD + a * D, k * DD + (a + 1) * D)));
  switch (params.covariance) {
    case 'full':
      return Array.from({ length: states }, (_, k) => matrix(k));
    case 'diag':
      return Array.from({ length: states }, (_, k) => Array.from({ length: D }, (_, a) => c[k * DD + a * D + a]));
    case 'spherical':
      return Array.from({ length: states }, (_, k) => c[k * DD]);
    case 'tied':
      return matrix(0);
    default: {
      const never: never = params.covariance;
      throw new Error(`unknown covariance type ${JSON.stringify(never)}`);
    }
  }
}

/** The same emissions with states reordered: new state i = old state order[i]. */
export function permuteGaussian(params: GaussianEmissionParameters, order: readonly number[]): GaussianEmissionParameters {
  const D = params.dim;
  const DD = D * D;
  const means = new Float64Array(params.means.length);
  const covariances = new Float64Array(params.covariances.length);
  order.forEach((old, i) => {
    means.set(params.means.subarray(old * D, (old + 1) * D), i * D);
    covariances.set(params.covariances.subarray(old * DD, (old + 1) * DD), i * DD);
  });
  return { ...params, means, covariances };
}
