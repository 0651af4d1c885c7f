/**
 * The M-step from centred statistics (gmmStats.ts), with scikit-learn's formulas
 * (sklearn/mixture/_gaussian_mixture.py, _estimate_gaussian_parameters and friends):
 *
 *   nk'_k  = nk_k + 10 eps                      (eps = 2^-52: keeps an empty component finite)
 *   mu_k   = sum_i r_ik xhat_ik / nk'_k         = (s1_k + nk_k ref_k) / nk'_k
 *   w_k    = nk'_k / sum_j nk'_j
 *   full:       S_k = sum_i r_ik (xhat - mu_k)(xhat - mu_k)^T / nk'_k + reg I
 *   diag:       S_k = diag of the same + reg
 *   spherical:  s_k = mean over d of the diag variances (reg included)
 *   tied:       S   = sum_k sum_i r_ik (xhat - mu_k)(xhat - mu_k)^T / sum_k nk'_k + reg I
 * With e_k = mu_k - ref_k, the centred scatter about mu_k is s2 - s1 e^T - e s1^T + nk e e^T:
 * exact algebra, and small numbers because ref_k is the previous mean.
 *
 * A covariance that is not positive definite even after `reg` (reg = 0 and a component on
 * fewer than D + 1 distinct points, or non-finite statistics) is repaired, never passed on:
 * its diagonal is raised until the Cholesky factorization succeeds, and the component is
 * flagged so that the fit warns.
 */
import type { GmmData } from './gmmData';
import type { GmmCore, GmmParameters } from './gmmParameters';
import { computeFactors, covarianceLength, isFactorFailure } from './gmmParameters';
import type { GmmStats } from './gmmStats';

/** scikit-learn's 10 * np.finfo(float).eps added to every N_k. */
export const NK_GUARD = 10 * Number.EPSILON;

/** No (conditional) variance may fall below this fraction of its column's variance: below it, only rounding is left. */
export const MIN_RELATIVE_VARIANCE = 1e-15;

export function estimateParameters(stats: GmmStats, regularization: number, data: GmmData): GmmParameters {
  const { k, d, nk, s1, s2, reference } = stats;
  const type = stats.covariance;
  const nkg = new Float64Array(k);
  let totalMass = 0;
  for (let c = 0; c < k; c++) {
    nkg[c] = nk[c] + NK_GUARD;
    totalMass += nkg[c];
  }
  const weights = new Float64Array(k);
  for (let c = 0; c < k; c++) weights[c] = nkg[c] / totalMass;
  const means = new Float64Array(k * d);
  const shift = new Float64Array(k * d); // e_k = mu_k - ref_k
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      const i = c * d + j;
      means[i] = (s1[i] + nk[c] * reference[i]) / nkg[c];
      shift[i] = means[i] - reference[i];
    }
  }
  const covariances = new Float64Array(covarianceLength(type, k, d));
  switch (type) {
    case 'full':
      for (let c = 0; c < k; c++) centredScatter(covariances, c * d * d, s2, c * d * d, s1, shift, c, nk[c], d, 1 / nkg[c], regularization, true);
      break;
    case 'tied': {
      covariances.set(s2);
      for (let c = 0; c < k; c++) centredScatter(covariances, 0, covariances, 0, s1, shift, c, nk[c], d, 1, 0, c === k - 1);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) covariances[a * d + b] = covariances[a * d + b] / totalMass + (a === b ? regularization : 0);
      break;
    }
    case 'diag':
    case 'spherical':
      for (let c = 0; c < k; c++) {
        let mean = 0;
        for (let j = 0; j < d; j++) {
          const i = c * d + j;
          const v = (s2[i] - 2 * shift[i] * s1[i] + nk[c] * shift[i] * shift[i]) / nkg[c] + regularization;
          if (type === 'diag') covariances[i] = v;
          mean += v;
        }
        if (type === 'spherical') covariances[c] = mean / d;
      }
      break;
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
  return withRepairedFactors({ covariance: type, k, d, weights, means, covariances }, regularization, data);
}

/**
 * out[outOff ..] = scale * (s2 - s1_c e_c^T - e_c s1_c^T + nk e_c e_c^T) + reg I for the D x D
 * block, reading s2's upper triangle; `mirror` copies the result onto the lower triangle.
 */
function centredScatter(out: Float64Array, outOff: number, s2: Float64Array, s2Off: number, s1: Float64Array, shift: Float64Array, c: number, nk: number, d: number, scale: number, reg: number, mirror: boolean): void {
  const o = c * d;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = s2[s2Off + a * d + b] - s1[o + a] * shift[o + b] - shift[o + a] * s1[o + b] + nk * shift[o + a] * shift[o + b];
      out[outOff + a * d + b] = v * scale + (a === b ? reg : 0);
    }
  }
  if (mirror) for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) out[outOff + b * d + a] = out[outOff + a * d + b];
}

/**
 * Factors of `core`; a covariance that cannot be factorized gets its diagonal raised
 * (to at least `reg`, then 1e-10, 1e-9, ... of the data's variance per column; the data's
 * variances themselves when the statistics were not finite) and the component flagged.
 * Non-finite weights or means (statistics that overflowed) fall back to 1/K and the data
 * centre. Nothing that is not finite leaves this function.
 */
export function withRepairedFactors(core: GmmCore, regularization: number, data: GmmData): GmmParameters {
  const { k, d } = core;
  const repaired = new Uint8Array(k);
  const { weights, means } = core;
  let weightSum = 0;
  for (let c = 0; c < k; c++) {
    if (!(weights[c] >= 0) || !Number.isFinite(weights[c])) {
      weights[c] = 1 / k;
      repaired[c] = 1;
    }
    weightSum += weights[c];
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(means[c * d + j])) {
        means[c * d + j] = data.center[j];
        repaired[c] = 1;
      }
    }
  }
  if (weightSum !== 1) for (let c = 0; c < k; c++) weights[c] /= weightSum;
  const cov = core.covariances;
  // a rounding-level floor on every (conditional) variance keeps 1/variance finite
  const minVariance = new Float64Array(d);
  for (let j = 0; j < d; j++) minVariance[j] = MIN_RELATIVE_VARIANCE * data.variance[j];
  for (let attempt = 0; ; attempt++) {
    const out = computeFactors(core, repaired, minVariance);
    if (!isFactorFailure(out)) return out;
    if (attempt > 40) throw new Error('could not repair a covariance matrix');
    const c = out.component === -1 ? 0 : out.component; // -1: the tied covariance
    if (out.component === -1) repaired.fill(1);
    else repaired[c] = 1;
    const lift = (j: number): number => Math.max(regularization, (data.variance[j] || 1) * 1e-10 * Math.pow(10, attempt));
    switch (core.covariance) {
      case 'full':
      case 'tied': {
        const off = core.covariance === 'full' ? c * d * d : 0;
        let finite = true;
        for (let i = 0; i < d * d; i++) if (!Number.isFinite(cov[off + i])) finite = false;
        if (!finite) {
          cov.fill(0, off, off + d * d);
          for (let j = 0; j < d; j++) cov[off + j * d + j] = data.variance[j] || 1;
        } else {
          for (let j = 0; j < d; j++) cov[off + j * d + j] += lift(j);
        }
        break;
      }
      case 'diag':
        for (let j = 0; j < d; j++) {
          const i = c * d + j;
          if (!Number.isFinite(cov[i])) cov[i] = data.variance[j] || 1;
          else if (!(cov[i] > 0) || cov[i] < minVariance[j]) cov[i] = Math.max(cov[i], 0) + lift(j);
        }
        break;
      case 'spherical': {
        let mean = 0;
        for (let j = 0; j < d; j++) mean += data.variance[j] || 1;
        mean /= d;
        cov[c] = Number.isFinite(cov[c]) ? Math.max(cov[c], 0) + Math.max(regularization, mean * 1e-10 * Math.pow(10, attempt)) : mean;
        break;
      }
      default: {
        const never: never = core.covariance;
        throw new Error(`unknown covariance type ${String(never)}`);
      }
    }
  }
}
