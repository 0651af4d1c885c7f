/**
 * HMM parameters and the Baum-Welch sufficient statistics, as plain data (typed arrays), so
 * they cross worker boundaries and statistics of shards of sequences add up (`mergeHmmStats`).
 * The notation follows Rabiner (1989), "A tutorial on hidden Markov models": pi (start),
 * A (transitions), b_k (emissions).
 */
import type { CovarianceType } from '../../shared/modelSpec';

export interface GaussianEmissionParameters {
  readonly kind: 'gaussian';
  readonly columns: readonly string[];
  /** D */
  readonly dim: number;
  readonly covariance: CovarianceType;
  /** K x D, row-major. */
  readonly means: Float64Array;
  /**
   * K x D x D, row-major, always as full matrices: tied = the same matrix in every state,
   * diag = zero off the diagonal, spherical = c_k I. `covariance` says which entries are free.
   */
  readonly covariances: Float64Array;
}

export interface CategoricalEmissionParameters {
  readonly kind: 'categorical';
  readonly column: string;
  /** M symbol names. */
  readonly symbols: readonly string[];
  /** K x M, row-major: probabilities[k*M + m] = P(x = symbol m | state k). */
  readonly probabilities: Float64Array;
}

export type EmissionParameters = GaussianEmissionParameters | CategoricalEmissionParameters;

export interface HmmParameters {
  /** K */
  readonly states: number;
  /** K: pi_k = P(z_1 = k). */
  readonly start: Float64Array;
  /** K x K, row-major: transitions[i*K + j] = a_ij = P(z_{t+1} = j | z_t = i). */
  readonly transitions: Float64Array;
  readonly emission: EmissionParameters;
}

export interface GaussianEmissionStats {
  readonly kind: 'gaussian';
  /** K: sum_t gamma_t(k) over observed steps. */
  readonly weight: Float64Array;
  /** K x D: sum_t gamma_t(k) (x_t - center), missing cells filled by their conditional mean. */
  readonly sum: Float64Array;
  /**
   * K x D x D: sum_t gamma_t(k) E[(x_t - center)(x_t - center)' | x_obs, z_t = k]; only the
   * upper triangle (a <= b) is accumulated.
   */
  readonly outer: Float64Array;
}

export interface CategoricalEmissionStats {
  readonly kind: 'categorical';
  /** K x M: sum_t gamma_t(k) [x_t = m]. */
  readonly counts: Float64Array;
}

export type EmissionStats = GaussianEmissionStats | CategoricalEmissionStats;

export interface HmmStats {
  /** K: sum over sequences of gamma_1(k). */
  readonly start: Float64Array;
  /** K x K: sum over sequences and t of xi_t(i, j) = P(z_t = i, z_{t+1} = j | x). */
  readonly transitions: Float64Array;
  readonly emission: EmissionStats;
}

/** Zeroed statistics shaped for `params`. */
export function createHmmStats(params: HmmParameters): HmmStats {
  const k = params.states;
  const e = params.emission;
  let emission: EmissionStats;
  switch (e.kind) {
    case 'gaussian':
      emission = { kind: 'gaussian', weight: new Float64Array(k), sum: new Float64Array(k * e.dim), outer: new Float64Array(k * e.dim * e.dim) };
      break;
    case 'categorical':
      emission = { kind: 'categorical', counts: new Float64Array(k * e.symbols.length) };
      break;
    default: {
      const never: never = e;
      throw new Error(`unknown emission ${JSON.stringify(never)}`);
    }
  }
  return { start: new Float64Array(k), transitions: new Float64Array(k * k), emission };
}

function addInto(a: Float64Array, b: Float64Array): void {
  if (a.length !== b.length) throw new Error('merging HMM statistics of different shapes');
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/** a += b (statistics of two shards of sequences); returns a. */
export function mergeHmmStats(a: HmmStats, b: HmmStats): HmmStats {
  addInto(a.start, b.start);
  addInto(a.transitions, b.transitions);
  const ea = a.emission;
  const eb = b.emission;
  switch (ea.kind) {
    case 'gaussian':
      if (eb.kind !== 'gaussian') throw new Error('merging gaussian with categorical HMM statistics');
      addInto(ea.weight, eb.weight);
      addInto(ea.sum, eb.sum);
      addInto(ea.outer, eb.outer);
      break;
    case 'categorical':
      if (eb.kind !== 'categorical') throw new Error('merging categorical with gaussian HMM statistics');
      addInto(ea.counts, eb.counts);
      break;
    default: {
      const never: never = ea;
      throw new Error(`unknown emission statistics ${JSON.stringify(never)}`);
    }
  }
  return a;
}
