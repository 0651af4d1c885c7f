/**
 * Hidden Markov models as a model family of the EM driver: Baum-Welch (Rabiner 1989,
 * section III.C; Baum et al. 1970) with start, transition and emission parameters.
 *
 * - Units = sequences: eStep(range of sequences) returns statistics that mergeHmmStats adds.
 * - M-step with a Dirichlet pseudo-count p on start, transition and categorical emission rows
 *   (Rabiner eq. 40a-40c with counts + p), so the objective the driver climbs is the log
 *   posterior: log-likelihood + logPrior, logPrior = p * sum log(probabilities) (the Dirichlet(p+1)
 *   log density up to its constant). Gaussian emissions take `fit.regularization` on the
 *   covariance diagonals instead (gaussianEmission.ts).
 * - Canonical state order (applied to every parameter consistently): Gaussian emissions sort
 *   states by their mean, first coordinate first (then the next coordinates, then the start
 *   probability, descending); categorical ones by their emission row, highest P(first symbol)
 *   first (ties by the next symbols, then the start probability).
 * - Posteriors: one line per data row in data order: `sequence` (the id as in the file; 1
 *   when there is no sequence column), `t`
 *   (1-based position in its sequence), `P(state=1)`..`P(state=K)` (states 1-based, in the
 *   order of the parameter arrays), `viterbi` (the row's state on the sequence's Viterbi path,
 *   1-based), `label` (the most probable state of that row, 1-based).
 */
import { InputError } from '../../shared/errors';
import type { HmmParametersJSON } from '../../shared/results';
import type { EStepOutput, ModelFamily, PosteriorTable, UnitRange } from '../family';
import type { Rng } from '../rng';
import { categoricalKernel, categoricalMStep, normalizeRowsWithPrior, permuteCategorical } from './categoricalEmission';
import { diagonalGaussianKernel } from './diagonalGaussianEmission';
import type { EmissionKernel } from './emissionKernel';
import { ForwardBackwardWorkspace, forwardBackward } from './forwardBackward';
import { covariancesToJSON, gaussianFreeParameters, gaussianKernel, gaussianMStep, permuteGaussian } from './gaussianEmission';
import type { HmmData } from './hmmData';
import { initializeHmm } from './hmmInitialization';
import { createHmmStats, mergeHmmStats, type EmissionParameters, type HmmParameters, type HmmStats } from './hmmParameters';
import { ViterbiWorkspace, viterbiPath } from './viterbi';
import { hmmWarnings } from './hmmWarnings';

/** The driver's hooks plus `decode` (posteriors and Viterbi states of every step, as arrays). */
export type HmmFamily = ModelFamily<HmmData, HmmParameters, HmmStats> & {
  decode(data: HmmData, params: HmmParameters): HmmDecoding;
};

export interface HmmFamilyOptions {
  /** Dirichlet pseudo-count p (the model's `prior`); logPrior needs it. */
  readonly prior: number;
}

/** The emission kernel for one E-step under `params`. */
function emissionKernel(data: HmmData, params: HmmParameters): EmissionKernel {
  const obs = data.observations;
  const e = params.emission;
  if (obs.kind === 'gaussian' && e.kind === 'gaussian') {
    // diagonal and spherical: O(D) per step, not the dense kernel's O(D^2) (and O(D^3) factors)
    if (e.covariance === 'diag' || e.covariance === 'spherical') return diagonalGaussianKernel(obs, e, params.states, data.modelFile);
    return gaussianKernel(obs, e, params.states, data.modelFile);
  }
  if (obs.kind === 'categorical' && e.kind === 'categorical') return categoricalKernel(obs, e, params.states);
  throw new Error(`HMM parameters with ${e.kind} emissions for ${obs.kind} observations`);
}

function impossibleSequence(data: HmmData, s: number): InputError {
  const seq = data.sequences;
  const which = data.sequenceColumn !== undefined ? `sequence ${JSON.stringify(seq.ids[s])}` : 'the sequence';
  return new InputError(
    `${which} has probability 0 under the parameters (an observation no reachable state can emit, e.g. a symbol whose probability is 0 in every such state); give every symbol a positive probability or set "prior" above 0`,
    { file: data.modelFile },
  );
}

/** Per-step posteriors and Viterbi states of every sequence, in step order. */
export interface HmmDecoding {
  /** N x K: gamma_t(k) in step order. */
  readonly posteriors: Float64Array;
  /** N: 0-based Viterbi state in step order. */
  readonly viterbi: Int32Array;
  /** log p(x) summed over sequences. */
  readonly logLikelihood: number;
}

export function createHmmFamily(options: HmmFamilyOptions): HmmFamily {
  const prior = options.prior;
  // Reused across sequences and E-steps (one family per thread: eStep is synchronous).
  let workspace: ForwardBackwardWorkspace | undefined;
  const workspaceFor = (K: number, steps: number): ForwardBackwardWorkspace => {
    if (workspace === undefined || workspace.states !== K) workspace = new ForwardBackwardWorkspace(K);
    workspace.ensure(steps);
    return workspace;
  };

  const decode = (data: HmmData, params: HmmParameters): HmmDecoding => {
    const K = params.states;
    const seq = data.sequences;
    const N = data.rowCount;
    const posteriors = new Float64Array(N * K);
    const viterbi = new Int32Array(N);
    const kernel = emissionKernel(data, params);
    const ws = workspaceFor(K, seq.maxLength);
    const vws = new ViterbiWorkspace(K);
    const scratch = createHmmStats(params);
    let logLikelihood = 0;
    for (let s = 0; s < seq.count; s++) {
      const first = seq.offsets[s];
      const T = seq.offsets[s + 1] - first;
      kernel.logDensities(first, T, ws.emission);
      viterbiPath(params, ws.emission, T, vws, viterbi, first);
      const ll = forwardBackward(params, kernel, first, T, ws, scratch.start, scratch.transitions);
      if (ll === -Infinity) throw impossibleSequence(data, s);
      logLikelihood += ll;
      posteriors.set(ws.alpha.subarray(0, T * K), first * K);
    }
    return { posteriors, viterbi, logLikelihood };
  };

  const family: HmmFamily = {
    kind: 'hmm',

    units: (data) => data.sequences.count,

    weightedRows: (data) => data.rowCount,

    initialize: (data: HmmData, rng: Rng) => initializeHmm(data, rng),

    eStep(data: HmmData, params: HmmParameters, range?: UnitRange): EStepOutput<HmmStats> {
      const seq = data.sequences;
      const from = range?.start ?? 0;
      const to = range?.end ?? seq.count;
      const stats = createHmmStats(params);
      const kernel = emissionKernel(data, params);
      let longest = 0;
      for (let s = from; s < to; s++) longest = Math.max(longest, seq.offsets[s + 1] - seq.offsets[s]);
      const ws = workspaceFor(params.states, longest);
      let logLikelihood = 0;
      for (let s = from; s < to; s++) {
        const first = seq.offsets[s];
        const T = seq.offsets[s + 1] - first;
        const ll = forwardBackward(params, kernel, first, T, ws, stats.start, stats.transitions);
        if (ll === -Infinity) throw impossibleSequence(data, s);
        kernel.accumulate(first, T, ws.alpha, stats.emission);
        logLikelihood += ll;
      }
      kernel.finish(stats.emission);
      return { logLikelihood, stats };
    },

    merge: mergeHmmStats,

    mStep(stats: HmmStats, previous: HmmParameters, data: HmmData): HmmParameters {
      const K = previous.states;
      const start = new Float64Array(K);
      normalizeRowsWithPrior(stats.start, 1, K, prior, previous.start, start);
      const transitions = new Float64Array(K * K);
      normalizeRowsWithPrior(stats.transitions, K, K, prior, previous.transitions, transitions);
      const e = previous.emission;
      const se = stats.emission;
      const obs = data.observations;
      let emission: EmissionParameters;
      if (e.kind === 'gaussian' && se.kind === 'gaussian' && obs.kind === 'gaussian') emission = gaussianMStep(se, e, obs, K);
      else if (e.kind === 'categorical' && se.kind === 'categorical') emission = categoricalMStep(se, e, K, prior);
      else throw new Error(`HMM statistics of ${se.kind} emissions for ${e.kind} parameters`);
      return { states: K, start, transitions, emission };
    },

    logPrior(params: HmmParameters): number {
      if (prior === 0) return 0;
      let s = 0;
      for (const p of params.start) s += Math.log(p);
      for (const p of params.transitions) s += Math.log(p);
      if (params.emission.kind === 'categorical') for (const p of params.emission.probabilities) s += Math.log(p);
      return prior * s;
    },

    freeParameters(params: HmmParameters): number {
      const K = params.states;
      const e = params.emission;
      let emission: number;
      switch (e.kind) {
        case 'gaussian':
          emission = gaussianFreeParameters(e, K);
          break;
        case 'categorical':
          emission = K * (e.symbols.length - 1);
          break;
        default: {
          const never: never = e;
          throw new Error(`unknown emission ${JSON.stringify(never)}`);
        }
      }
      return K - 1 + K * (K - 1) + emission;
    },

    toJSON: hmmParametersToJSON,

    // one more forward-backward and Viterbi pass over the data, once per fit
    warnings: (params: HmmParameters, data: HmmData) => hmmWarnings(params, data, decode(data, params)),

    canonicalize(params: HmmParameters): HmmParameters {
      return permuteStates(params, canonicalStateOrder(params));
    },

    snapshotEStep(data: HmmData, params: HmmParameters): HmmEStepSnapshot | undefined {
      // The step-through shows per-step posteriors; only for small data (the inspector's case):
      // they need a pass over whole sequences, so a prefix would cost as much as everything.
      if (data.rowCount > SNAPSHOT_ROWS) return undefined;
      const table = family.posteriors(data, params);
      return { columns: table.columns, rows: Array.from({ length: table.rowCount }, (_, i) => table.row(i)) };
    },

    posteriors(data: HmmData, params: HmmParameters): PosteriorTable {
      const K = params.states;
      const { posteriors, viterbi } = decode(data, params);
      const seq = data.sequences;
      const columns = ['sequence', 't', ...Array.from({ length: K }, (_, k) => `P(state=${k + 1})`), 'viterbi', 'label'];
      return {
        columns,
        rowCount: data.rowCount,
        row(i: number): readonly (number | string | undefined)[] {
          const step = seq.stepOfRow[i];
          const s = seq.sequenceOfRow[i];
          const out: (number | string | undefined)[] = [seq.ids[s], step - seq.offsets[s] + 1];
          let best = 0;
          for (let k = 0; k < K; k++) {
            const p = posteriors[step * K + k];
            out.push(p);
            if (p > posteriors[step * K + best]) best = k;
          }
          out.push(viterbi[step] + 1, best + 1);
          return out;
        },
      };
    },

    decode,
  };
  return family;
}

/**
 * The E-step view of the step-through (IterationSnapshot.eStep, FitResult.finalEStep): the
 * posterior table of every data row, in data order, with the columns of `posteriors` (without
 * `row`: rows[i] is data row i + 1).
 */
export interface HmmEStepSnapshot {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (number | string | undefined)[])[];
}

/** Data rows up to which snapshotEStep returns the per-step posteriors. */
const SNAPSHOT_ROWS = 2000;

export function hmmParametersToJSON(params: HmmParameters): HmmParametersJSON {
  const K = params.states;
  const rows = (a: Float64Array, n: number): number[][] => Array.from({ length: a.length / n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
  const e = params.emission;
  let emission: HmmParametersJSON['emission'];
  switch (e.kind) {
    case 'gaussian':
      emission = { kind: 'gaussian', columns: [...e.columns], covariance: e.covariance, means: rows(e.means, e.dim), covariances: covariancesToJSON(e, K) };
      break;
    case 'categorical':
      emission = { kind: 'categorical', column: e.column, symbols: [...e.symbols], probabilities: rows(e.probabilities, e.symbols.length) };
      break;
    default: {
      const never: never = e;
      throw new Error(`unknown emission ${JSON.stringify(never)}`);
    }
  }
  return { startProbabilities: Array.from(params.start), transitions: rows(params.transitions, K), emission };
}

/** The canonical order of the states (see the file comment): order[i] = the old index of new state i. */
export function canonicalStateOrder(params: HmmParameters): number[] {
  const K = params.states;
  const e = params.emission;
  const key = (k: number): Float64Array => {
    switch (e.kind) {
      case 'gaussian':
        return e.means.subarray(k * e.dim, (k + 1) * e.dim);
      case 'categorical': {
        const M = e.symbols.length;
        // descending probabilities: compare negated values ascending
        return e.probabilities.subarray(k * M, (k + 1) * M).map((p) => -p);
      }
      default: {
        const never: never = e;
        throw new Error(`unknown emission ${JSON.stringify(never)}`);
      }
    }
  };
  const order = Array.from({ length: K }, (_, k) => k);
  order.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    if (params.start[a] !== params.start[b]) return params.start[b] - params.start[a];
    return a - b;
  });
  return order;
}

/** The same model with states relabeled: new state i = old state order[i] (start, both sides of A, emissions). */
export function permuteStates(params: HmmParameters, order: readonly number[]): HmmParameters {
  const K = params.states;
  const start = new Float64Array(K);
  const transitions = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    start[i] = params.start[order[i]];
    for (let j = 0; j < K; j++) transitions[i * K + j] = params.transitions[order[i] * K + order[j]];
  }
  const e = params.emission;
  let emission: EmissionParameters;
  switch (e.kind) {
    case 'gaussian':
      emission = permuteGaussian(e, order);
      break;
    case 'categorical':
      emission = permuteCategorical(e, order);
      break;
    default: {
      const never: never = e;
      throw new Error(`unknown emission ${JSON.stringify(never)}`);
    }
  }
  return { states: K, start, transitions, emission };
}
