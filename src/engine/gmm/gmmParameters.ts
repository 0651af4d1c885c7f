/**
 * Gaussian mixture parameters in scikit-learn's layouts (GaussianMixture's weights_, means_,
 * covariances_), plus the factors the E-step needs, computed once per iteration:
 *
 *   log N(x | mu_k, S_k) = -D/2 log(2 pi) - 1/2 log|S_k| - 1/2 |L_k^{-1} (x - mu_k)|^2,   S_k = L_k L_k^T
 *
 * (scikit-learn's _estimate_log_gaussian_prob, written with the Cholesky factor of the
 * covariance rather than of the precision; the two agree to rounding).
 */
import type { CovarianceType } from '../../shared/modelSpec';
import type { GaussianMixtureParametersJSON } from '../../shared/results';
import { choleskyInPlace, logDetOfFactor } from './denseCholesky';

export const LOG_2PI = Math.log(2 * Math.PI);

/** Length of the covariance array of each type. */
export function covarianceLength(type: CovarianceType, k: number, d: number): number {
  switch (type) {
    case 'full':
      return k * d * d;
    case 'tied':
      return d * d;
    case 'diag':
      return k * d;
    case 'spherical':
      return k;
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
}

/** The free parameters of the mixture: weights, means, covariances in scikit-learn's layouts. */
export interface GmmCore {
  readonly covariance: CovarianceType;
  readonly k: number;
  readonly d: number;
  /** K, summing to 1. */
  readonly weights: Float64Array;
  /** K x D, row-major. */
  readonly means: Float64Array;
  /** full: K x D x D | tied: D x D | diag: K x D | spherical: K (variances). */
  readonly covariances: Float64Array;
}

/** Parameters with their E-step factors. Plain typed arrays: they can cross a thread boundary. */
export interface GmmParameters extends GmmCore {
  /**
   * full: K x D x D lower Cholesky factors L_k of S_k | tied: D x D factor L of S |
   * diag and spherical: K x D inverse standard deviations 1/sqrt(S_k,dd) (spherical expanded over D).
   */
  readonly factors: Float64Array;
  /** full: K x D, tied: D: 1 / L_rr (the triangular solve multiplies instead of dividing). Empty for diag/spherical. */
  readonly inverseDiagonals: Float64Array;
  /** K: log w_k - D/2 log(2 pi) - 1/2 log|S_k|, the row-independent part of log w_k N(x | k). */
  readonly logNormalizers: Float64Array;
  /** K: 1 where the M-step had to repair component k (empty, or a covariance that was not positive definite). */
  readonly repaired: Uint8Array;
}

/** Why factors could not be computed: component (0-based; -1 = the tied covariance). */
export interface FactorFailure {
  readonly component: number;
}

/**
 * The E-step factors of `core`, or the first component whose covariance is not positive
 * definite, or has a (conditional) variance below `minVariance[j]` for column j (when given:
 * the M-step passes a rounding-level floor, so that 1/variance cannot overflow).
 * Cost: K D^3 / 6 for full, D^3 / 6 for tied, K D otherwise.
 */
export function computeFactors(core: GmmCore, repaired = new Uint8Array(core.k), minVariance?: Float64Array): GmmParameters | FactorFailure {
  const { k, d, covariance: type, covariances, weights } = core;
  const logNormalizers = new Float64Array(k);
  let factors: Float64Array;
  let inverseDiagonals: Float64Array;
  switch (type) {
    case 'full':
    case 'tied': {
      factors = covariances.slice();
      const blocks = type === 'full' ? k : 1;
      inverseDiagonals = new Float64Array(blocks * d);
      for (let b = 0; b < blocks; b++) {
        if (!choleskyInPlace(factors, b * d * d, d)) return { component: type === 'full' ? b : -1 };
        for (let r = 0; r < d; r++) {
          const pivot = factors[b * d * d + r * d + r];
          if (minVariance !== undefined && !(pivot * pivot >= minVariance[r])) return { component: type === 'full' ? b : -1 };
          inverseDiagonals[b * d + r] = 1 / pivot;
        }
      }
      for (let c = 0; c < k; c++) {
        const b = type === 'full' ? c : 0;
        logNormalizers[c] = Math.log(weights[c]) - 0.5 * d * LOG_2PI - logDetOfFactor(factors, b * d * d, d);
      }
      break;
    }
    case 'diag':
    case 'spherical': {
      factors = new Float64Array(k * d);
      inverseDiagonals = new Float64Array(0);
      for (let c = 0; c < k; c++) {
        let halfLogDet = 0;
        for (let j = 0; j < d; j++) {
          const v = type === 'diag' ? covariances[c * d + j] : covariances[c];
          if (!(v > 0) || !Number.isFinite(v) || (minVariance !== undefined && !(v >= minVariance[j]))) return { component: c };
          factors[c * d + j] = 1 / Math.sqrt(v);
          halfLogDet += 0.5 * Math.log(v);
        }
        logNormalizers[c] = Math.log(weights[c]) - 0.5 * d * LOG_2PI - halfLogDet;
      }
      break;
    }
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
  return { ...core, factors, inverseDiagonals, logNormalizers, repaired };
}

export function isFactorFailure(x: GmmParameters | FactorFailure): x is FactorFailure {
  return (x as GmmParameters).factors === undefined;
}

/** Covariance of component c as a full D x D matrix, written into out[offset ..] (any type). */
export function fullCovarianceOf(p: GmmCore, c: number, out: Float64Array, offset = 0): void {
  const d = p.d;
  switch (p.covariance) {
    case 'full':
      out.set(p.covariances.subarray(c * d * d, (c + 1) * d * d), offset);
      return;
    case 'tied':
      out.set(p.covariances, offset);
      return;
    case 'diag':
    case 'spherical':
      out.fill(0, offset, offset + d * d);
      for (let j = 0; j < d; j++) out[offset + j * d + j] = p.covariance === 'diag' ? p.covariances[c * d + j] : p.covariances[c];
      return;
    default: {
      const never: never = p.covariance;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
}

/**
 * Number of free parameters, as scikit-learn's GaussianMixture._n_parameters:
 * covariances (full K D(D+1)/2, diag K D, tied D(D+1)/2, spherical K) + means K D + weights K - 1.
 */
export function gmmFreeParameters(type: CovarianceType, k: number, d: number): number {
  let cov: number;
  switch (type) {
    case 'full':
      cov = (k * d * (d + 1)) / 2;
      break;
    case 'diag':
      cov = k * d;
      break;
    case 'tied':
      cov = (d * (d + 1)) / 2;
      break;
    case 'spherical':
      cov = k;
      break;
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
  return cov + k * d + k - 1;
}

/**
 * The canonical component order: ascending by the first coordinate of the mean, ties by
 * descending weight, then by the current index (a stable sort). Returns the permutation
 * order[newIndex] = oldIndex.
 */
export function canonicalOrder(p: GmmCore): number[] {
  const order = Array.from({ length: p.k }, (_, i) => i);
  order.sort((a, b) => p.means[a * p.d] - p.means[b * p.d] || p.weights[b] - p.weights[a] || a - b);
  return order;
}

/** The parameters with components in the order `order` (order[newIndex] = oldIndex). */
export function permuteComponents(p: GmmParameters, order: readonly number[]): GmmParameters {
  const { k, d } = p;
  const take = (src: Float64Array, width: number): Float64Array => {
    const out = new Float64Array(k * width);
    for (let c = 0; c < k; c++) out.set(src.subarray(order[c] * width, (order[c] + 1) * width), c * width);
    return out;
  };
  const perComponentCov = p.covariance === 'full' ? d * d : p.covariance === 'diag' ? d : p.covariance === 'spherical' ? 1 : 0;
  const repaired = new Uint8Array(k);
  for (let c = 0; c < k; c++) repaired[c] = p.repaired[order[c]];
  return {
    covariance: p.covariance,
    k,
    d,
    weights: take(p.weights, 1),
    means: take(p.means, d),
    covariances: perComponentCov > 0 ? take(p.covariances, perComponentCov) : p.covariances.slice(),
    factors: p.covariance === 'tied' ? p.factors.slice() : take(p.factors, p.covariance === 'full' ? d * d : d),
    inverseDiagonals: p.covariance === 'full' ? take(p.inverseDiagonals, d) : p.inverseDiagonals.slice(),
    logNormalizers: take(p.logNormalizers, 1),
    repaired,
  };
}

/** The results shape of DESIGN.md: covariances nested as full [K][D][D] | diag [K][D] | spherical [K] | tied [D][D]. */
export function gmmToJSON(p: GmmCore, columns: readonly string[]): GaussianMixtureParametersJSON {
  const { k, d } = p;
  const rows = (a: Float64Array, offset: number, r: number, c: number): number[][] => Array.from({ length: r }, (_, i) => Array.from(a.subarray(offset + i * c, offset + (i + 1) * c)));
  let covariances: number[] | number[][] | number[][][];
  switch (p.covariance) {
    case 'full':
      covariances = Array.from({ length: k }, (_, c) => rows(p.covariances, c * d * d, d, d));
      break;
    case 'tied':
      covariances = rows(p.covariances, 0, d, d);
      break;
    case 'diag':
      covariances = rows(p.covariances, 0, k, d);
      break;
    case 'spherical':
      covariances = Array.from(p.covariances);
      break;
    default: {
      const never: never = p.covariance;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
  return { weights: Array.from(p.weights), means: rows(p.means, 0, k, d), covariances, covariance: p.covariance, columns: columns.slice() };
}
