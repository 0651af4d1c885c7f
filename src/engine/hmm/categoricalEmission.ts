/**
 * Categorical emissions b_k(m) = P(x = symbol m | state k) over the M symbols of one column
 * (Rabiner 1989, discrete observations). A missing cell contributes no emission term.
 * The M-step with a Dirichlet pseudo-count p per cell is the MAP estimate
 *   b_k(m) = (sum_t gamma_t(k) [x_t = m] + p) / (sum_t gamma_t(k) [x_t observed] + M p)
 * (Rabiner eq. 40c with pseudo-counts; pomegranate's `emission_pseudocount`).
 */
import type { EmissionKernel } from './emissionKernel';
import type { CategoricalObservations } from './hmmData';
import type { CategoricalEmissionParameters, CategoricalEmissionStats, EmissionStats } from './hmmParameters';

export function categoricalKernel(obs: CategoricalObservations, params: CategoricalEmissionParameters, states: number): EmissionKernel {
  const K = states;
  const M = params.symbols.length;
  // Stored symbol-major (M x K) so that one step reads K consecutive log probabilities.
  const logProbability = new Float64Array(M * K);
  for (let k = 0; k < K; k++) for (let m = 0; m < M; m++) logProbability[m * K + k] = Math.log(params.probabilities[k * M + m]);
  const codes = obs.codes;
  return {
    logDensities(first: number, length: number, out: Float64Array): void {
      for (let t = 0; t < length; t++) {
        const code = codes[first + t];
        const row = t * K;
        if (code < 0) {
          for (let k = 0; k < K; k++) out[row + k] = 0;
        } else {
          const src = code * K;
          for (let k = 0; k < K; k++) out[row + k] = logProbability[src + k];
        }
      }
    },
    accumulate(first: number, length: number, gamma: Float64Array, stats: EmissionStats): void {
      if (stats.kind !== 'categorical') throw new Error('categorical kernel given gaussian statistics');
      const counts = stats.counts;
      for (let t = 0; t < length; t++) {
        const code = codes[first + t];
        if (code < 0) continue;
        const row = t * K;
        for (let k = 0; k < K; k++) counts[k * M + code] += gamma[row + k];
      }
    },
    finish(): void {
      // nothing is per E-step
    },
  };
}

/**
 * Normalize `counts[r*n .. (r+1)*n)` plus `prior` per cell into a probability row of `out`;
 * a row with no counts and no prior keeps `previous`'s row (pomegranate does the same for a
 * state never visited): the M-step leaves what the data say nothing about.
 */
export function normalizeRowsWithPrior(counts: Float64Array, rows: number, n: number, prior: number, previous: Float64Array, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += counts[r * n + j] + prior;
    if (!(total > 0)) {
      for (let j = 0; j < n; j++) out[r * n + j] = previous[r * n + j];
      continue;
    }
    for (let j = 0; j < n; j++) out[r * n + j] = (counts[r * n + j] + prior) / total;
  }
}

export function categoricalMStep(stats: CategoricalEmissionStats, previous: CategoricalEmissionParameters, states: number, prior: number): CategoricalEmissionParameters {
  const probabilities = new Float64Array(previous.probabilities.length);
  normalizeRowsWithPrior(stats.counts, states, previous.symbols.length, prior, previous.probabilities, probabilities);
  return { ...previous, probabilities };
}

/** The same emissions with states reordered: new state i = old state order[i]. */
export function permuteCategorical(params: CategoricalEmissionParameters, order: readonly number[]): CategoricalEmissionParameters {
  const M = params.symbols.length;
  const probabilities = new Float64Array(params.probabilities.length);
  order.forEach((old, i) => probabilities.set(params.probabilities.subarray(old * M, (old + 1) * M), i * M));
  return { ...params, probabilities };
}
