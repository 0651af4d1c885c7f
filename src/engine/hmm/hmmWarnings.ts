/**
 * Warnings about a fitted HMM that the user can act on (the HMM counterpart of gmmWarnings.ts):
 *
 * - a state that lost all its weight: its expected occupancy sum_t gamma_t(k) (Rabiner eq. 27
 *   summed over t) is below EMPTY_STATE_STEPS of the N steps; its emission is whatever it
 *   started with (the M-step keeps it, gaussianEmission.ts), so it describes nothing;
 * - a Gaussian state whose variance along some column has fallen onto the regularization
 *   floor (a state on too few distinct points, a constant column, or collinear columns): for
 *   full and tied covariances the variance of the column given the columns before it (the
 *   squared Cholesky pivot), as gmmWarnings.ts does;
 * - a state that holds weight but is never on a Viterbi path: no step is best explained by it,
 *   so a model with fewer states may describe the data as well.
 *
 * States are numbered 1-based in the order of the returned parameters. Each warning says what
 * to try, as the mixture's do.
 */
import { choleskyInPlace } from './denseMatrix';
import type { GaussianObservations, HmmData } from './hmmData';
import type { GaussianEmissionParameters, HmmParameters } from './hmmParameters';

export const STATE_ADVICE = 'Try fewer states, a larger fit.regularization, or scaled data.';

/** A state whose expected occupancy is below this many steps is reported as empty. */
export const EMPTY_STATE_STEPS = 1e-3;

/** What the warnings need from a decoding of the data under the parameters (HmmDecoding). */
export interface StateUsage {
  /** N x K: gamma_t(k) in step order. */
  readonly posteriors: Float64Array;
  /** N: 0-based Viterbi state in step order. */
  readonly viterbi: Int32Array;
}

export function hmmWarnings(params: HmmParameters, data: HmmData, usage: StateUsage): string[] {
  const K = params.states;
  const N = data.rowCount;
  const occupancy = new Float64Array(K); // sum_t gamma_t(k)
  const viterbiSteps = new Float64Array(K);
  for (let t = 0; t < N; t++) {
    for (let k = 0; k < K; k++) occupancy[k] += usage.posteriors[t * K + k];
    viterbiSteps[usage.viterbi[t]]++;
  }
  const e = params.emission;
  const obs = data.observations;
  const gaussian = e.kind === 'gaussian' && obs.kind === 'gaussian' ? { e, obs, columnVariance: columnVariances(obs) } : undefined;
  const describe = (k: number): string => {
    if (gaussian === undefined) return `state ${k + 1}`;
    const D = gaussian.e.dim;
    const coords = gaussian.e.columns.slice(0, 3).map((name, a) => `${name}=${formatNumber(gaussian.e.means[k * D + a])}`);
    return `state ${k + 1} (mean ${coords.join(', ')}${D > 3 ? ', ...' : ''})`;
  };
  const out: string[] = [];
  let tiedReported = false;
  for (let k = 0; k < K; k++) {
    if (occupancy[k] < EMPTY_STATE_STEPS) {
      out.push(`${describe(k)} is empty: its expected occupancy is ${formatNumber(occupancy[k])} of ${N} steps, so no step is explained by it (no sequence reaches it). ${STATE_ADVICE}`);
      continue;
    }
    if (gaussian !== undefined && !(gaussian.e.covariance === 'tied' && tiedReported)) {
      const at = collapsedAlong(gaussian.e, k, (a) => 2 * gaussian.obs.regularization + 1e-10 * gaussian.columnVariance[a]);
      if (at !== undefined) {
        const floor = `${formatNumber(at.variance)}${gaussian.obs.regularization > 0 ? `, about what the regularization adds (fit.regularization = ${gaussian.obs.regularization})` : ''}`;
        if (gaussian.e.covariance === 'tied') {
          tiedReported = true;
          out.push(`the shared (tied) covariance collapsed: its variance along "${at.column}" given the columns before it is ${floor}; the states sit on too few distinct points or some columns are constant or collinear. ${STATE_ADVICE}`);
        } else {
          out.push(`${describe(k)} collapsed: its variance along "${at.column}" is ${floor}; it sits on too few distinct points, or the column is constant or collinear with others. ${STATE_ADVICE}`);
        }
        continue;
      }
    }
    if (viterbiSteps[k] === 0) {
      out.push(`${describe(k)} is never on the Viterbi path: no step is most likely explained by it (expected occupancy ${formatNumber(occupancy[k])} of ${N} steps); a model with fewer states may describe the data as well. Try fewer states.`);
    }
  }
  return out;
}

/** The first column along which state k's covariance is at or below floor(column), with that variance. */
function collapsedAlong(e: GaussianEmissionParameters, k: number, floor: (column: number) => number): { column: string; variance: number } | undefined {
  const D = e.dim;
  const DD = D * D;
  switch (e.covariance) {
    case 'diag':
    case 'spherical':
      for (let a = 0; a < D; a++) {
        const v = e.covariances[k * DD + a * D + a];
        if (v <= floor(a)) return { column: e.columns[a], variance: v };
      }
      return undefined;
    case 'full':
    case 'tied': {
      // squared pivots of the Cholesky factor: the variance of column a given the columns before it
      const l = e.covariances.slice(k * DD, (k + 1) * DD);
      const factored = choleskyInPlace(l, D);
      for (let a = 0; a < D; a++) {
        const v = factored ? l[a * D + a] ** 2 : e.covariances[k * DD + a * D + a];
        if (v <= floor(a)) return { column: e.columns[a], variance: v };
      }
      return undefined;
    }
    default: {
      const never: never = e.covariance;
      throw new Error(`unknown covariance type ${JSON.stringify(never)}`);
    }
  }
}

/** D: the variance of each column's observed values about its mean (obs.center). */
function columnVariances(obs: GaussianObservations): Float64Array {
  const D = obs.dim;
  const sum = new Float64Array(D);
  const count = new Float64Array(D);
  for (let i = 0; i < obs.values.length; i++) {
    const v = obs.values[i];
    if (Number.isNaN(v)) continue;
    const a = i % D;
    sum[a] += (v - obs.center[a]) ** 2;
    count[a]++;
  }
  for (let a = 0; a < D; a++) sum[a] = count[a] > 0 ? sum[a] / count[a] : 0;
  return sum;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
}
