/**
 * The `bayesnet` and `latent-class` model families: categorical variables on a DAG with any
 * number of hidden variables and missing cells anywhere, fitted by EM over distinct data
 * patterns (the tutorial's examples 1 and 2 are the two smallest cases).
 *
 * E-step (tutorial, "Expectation step": q_{t+1}(z | x) = p(z | x, theta_t)): per distinct
 * pattern, exact junction-tree inference gives log p(x) and every family's posterior marginal;
 * weighted by the pattern's count they add up to the expected counts of every CPT cell.
 * M-step (tutorial, "Maximization step"): each CPT row is its expected counts plus the
 * Dirichlet pseudo-count `prior`, normalized, the argmax of <l_c(theta)>_q + log prior.
 */
import type { BayesNetParametersJSON, CptJSON } from '../../shared/results';
import { CompensatedSum } from '../numerics';
import type { EStepOutput, ModelFamily, PosteriorTable, UnitRange } from '../family';
import type { Rng } from '../rng';
import { freeParameterCount, rowKey, type BayesNetwork } from './network';
import { latentClassEStep, latentClassShape } from './latentClassEStep';
import { PatternInference } from './patternInference';
import { bayesNetPosteriorTable } from './posteriorTable';
import { bayesNetEStepView, type BayesNetEStepView } from './eStepView';
import type { BayesNetData, BayesNetParameters, BayesNetStats } from './types';

/** A hidden state whose expected number of rows is below this has collapsed. */
const COLLAPSED_STATE_WEIGHT = 1e-9;

/**
 * E-step over patterns [range.start, range.end) (all by default). A latent-class network (one
 * hidden root, every observed variable its child) needs no junction tree: latentClassEStep.ts
 * gives the same numbers to rounding, far sooner; any other network propagates on its tree.
 */
export function bayesNetEStep(data: BayesNetData, params: BayesNetParameters, range?: UnitRange): EStepOutput<BayesNetStats> {
  const latentClass = latentClassShape(data.network);
  if (latentClass !== undefined) return latentClassEStep(latentClass, data, params.theta, range?.start ?? 0, range?.end ?? data.patterns.counts.length);
  return junctionTreeEStep(data, params, range);
}

/** E-step over patterns [range.start, range.end) by junction-tree propagation, for any network. */
export function junctionTreeEStep(data: BayesNetData, params: BayesNetParameters, range?: UnitRange): EStepOutput<BayesNetStats> {
  const { network, tree, patterns } = data;
  const start = range?.start ?? 0;
  const end = range?.end ?? patterns.counts.length;
  const inference = new PatternInference(network, tree, params.theta);
  const expectedCounts = new Float64Array(network.cptOffset[network.names.length]);
  const logLikelihood = new CompensatedSum();
  const entropy = new CompensatedSum();
  for (let p = start; p < end; p++) {
    const weight = patterns.counts[p];
    if (weight === 0) continue; // dropped rows and zero-weight rows add nothing (and may be impossible)
    const ll = inference.infer(patterns.codes, p, true);
    if (ll === -Infinity) return { logLikelihood: -Infinity, stats: { expectedCounts, entropy: 0 } };
    logLikelihood.add(weight * ll);
    const expectedLogJoint = inference.addFamilyCounts(expectedCounts, weight);
    entropy.add(weight * (ll - expectedLogJoint));
  }
  return { logLikelihood: logLikelihood.value, stats: { expectedCounts, entropy: entropy.value } };
}

/** Sum of two shards' statistics, into `a`. */
export function mergeBayesNetStats(a: BayesNetStats, b: BayesNetStats): BayesNetStats {
  const x = a.expectedCounts;
  const y = b.expectedCounts;
  for (let i = 0; i < x.length; i++) x[i] += y[i];
  a.entropy += b.entropy;
  return a;
}

/**
 * M-step: theta[row, s] = (n[row, s] + prior) / (n[row] + S x prior), the posterior mode
 * under a Dirichlet(prior + 1) on each row. A row with no (expected) data and no prior is
 * not identified by the data: it is set to uniform.
 */
export function bayesNetMStep(stats: BayesNetStats, network: BayesNetwork, prior: number): BayesNetParameters {
  const counts = stats.expectedCounts;
  const theta = new Float64Array(counts.length);
  for (let v = 0; v < network.names.length; v++) {
    const card = network.cards[v];
    for (let r = 0; r < network.rowCount[v]; r++) {
      const off = network.cptOffset[v] + r * card;
      let total = 0;
      for (let s = 0; s < card; s++) total += counts[off + s] + prior;
      for (let s = 0; s < card; s++) theta[off + s] = total > 0 ? (counts[off + s] + prior) / total : 1 / card;
    }
  }
  return { network, theta };
}

/** Random CPT rows, each a draw from the uniform Dirichlet (alpha = 1), variables in declaration order. */
export function randomParameters(network: BayesNetwork, rng: Rng): BayesNetParameters {
  const theta = new Float64Array(network.cptOffset[network.names.length]);
  for (let v = 0; v < network.names.length; v++) {
    const card = network.cards[v];
    for (let r = 0; r < network.rowCount[v]; r++) theta.set(rng.dirichlet(card, 1), network.cptOffset[v] + r * card);
  }
  return { network, theta };
}

/** True when no variable is hidden and every pattern that carries weight has every cell. */
export function isCompleteData(data: BayesNetData): boolean {
  const { network, patterns } = data;
  if (network.observed.length !== network.names.length) return false;
  const width = network.observed.length;
  for (let p = 0; p < patterns.counts.length; p++) {
    if (patterns.counts[p] === 0) continue;
    for (let j = 0; j < width; j++) if (patterns.codes[p * width + j] < 0) return false;
  }
  return true;
}

/**
 * Initial parameters. With hidden variables or missing cells: random rows (randomParameters).
 * With complete data and no hidden variable the likelihood has a single maximum, the counting
 * estimate, which every start would reach: it is returned directly (one E-step confirms it).
 */
export function initialBayesNetParameters(data: BayesNetData, rng: Rng, prior: number): BayesNetParameters {
  if (isCompleteData(data)) return bayesNetMStep(bayesNetEStep(data, uniformParameters(data.network)).stats, data.network, prior);
  return randomParameters(data.network, rng);
}

export function uniformParameters(network: BayesNetwork): BayesNetParameters {
  const theta = new Float64Array(network.cptOffset[network.names.length]);
  for (let v = 0; v < network.names.length; v++) {
    for (let i = network.cptOffset[v]; i < network.cptOffset[v + 1]; i++) theta[i] = 1 / network.cards[v];
  }
  return { network, theta };
}

/** sum over cells of prior x log theta: the log density of the Dirichlet(prior + 1) rows, up to a constant. */
export function bayesNetLogPrior(params: BayesNetParameters, prior: number): number {
  if (prior === 0) return 0;
  let sum = 0;
  for (let i = 0; i < params.theta.length; i++) sum += prior * Math.log(params.theta[i]);
  return sum;
}

/**
 * L(q, theta) = <l_c(theta; x, z)>_q + H(q) (tutorial, "Maximization step"), with q the
 * E-step's posterior: the expected complete log-likelihood sum n_cell log theta_cell plus
 * the entropy the E-step accumulated. Without the log prior.
 */
export function bayesNetLowerBound(stats: BayesNetStats, params: BayesNetParameters): number {
  const sum = new CompensatedSum();
  const counts = stats.expectedCounts;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) sum.add(counts[i] * Math.log(params.theta[i]));
  sum.add(stats.entropy);
  return sum.value;
}

export function bayesNetToJSON(params: BayesNetParameters): BayesNetParametersJSON {
  const network = params.network;
  const cpts: Record<string, CptJSON> = {};
  for (let v = 0; v < network.names.length; v++) {
    const card = network.cards[v];
    const rows: Record<string, number[]> = {};
    for (let r = 0; r < network.rowCount[v]; r++) {
      const off = network.cptOffset[v] + r * card;
      rows[rowKey(network, v, r)] = Array.from(params.theta.subarray(off, off + card));
    }
    cpts[network.names[v]] = { parents: Array.from(network.parents[v], (p) => network.names[p]), states: network.states[v].slice(), rows };
  }
  return { cpts };
}

/**
 * Expected number of rows in each state of each hidden variable: the sum of that variable's
 * expected CPT counts over its rows. hiddenStateWeights[v][s]; empty for observed variables.
 */
export function hiddenStateWeights(stats: BayesNetStats, network: BayesNetwork): number[][] {
  return network.names.map((_, v) => {
    if (!network.hidden[v]) return [];
    const card = network.cards[v];
    const w = new Array<number>(card).fill(0);
    for (let r = 0; r < network.rowCount[v]; r++) {
      for (let s = 0; s < card; s++) w[s] += stats.expectedCounts[network.cptOffset[v] + r * card + s];
    }
    return w;
  });
}

/** Warnings about fitted parameters: collapsed hidden states; zero CPT cells under plain maximum likelihood. */
export function bayesNetWarnings(params: BayesNetParameters, data: BayesNetData, prior: number): string[] {
  const network = params.network;
  const warnings: string[] = [];
  // More states than distinct data rows: some states can only repeat others (not identified).
  let distinctRows = 0;
  for (let p = 0; p < data.patterns.counts.length; p++) if (data.patterns.counts[p] > 0) distinctRows++;
  for (let v = 0; v < network.names.length; v++) {
    if (network.hidden[v] && network.cards[v] > distinctRows) {
      warnings.push(
        `hidden variable ${network.names[v]} has ${network.cards[v]} states but the data hold only ${distinctRows} distinct row${distinctRows === 1 ? '' : 's'}: the states cannot all differ, so the fit is not identified; use at most ${distinctRows} state${distinctRows === 1 ? '' : 's'}`,
      );
    }
  }
  const { logLikelihood, stats } = bayesNetEStep(data, params);
  if (logLikelihood > -Infinity) {
    const weights = hiddenStateWeights(stats, network);
    for (let v = 0; v < network.names.length; v++) {
      weights[v].forEach((w, s) => {
        if (w < COLLAPSED_STATE_WEIGHT) {
          warnings.push(`hidden variable ${network.names[v]}: state "${network.states[v][s]}" has collapsed (expected rows ${w.toPrecision(3)}); its CPT rows are not identified: try fewer states, more restarts or a "prior"`);
        }
      });
    }
  }
  if (prior === 0) {
    let zeros = 0;
    const where = new Set<string>();
    for (let v = 0; v < network.names.length; v++) {
      for (let i = network.cptOffset[v]; i < network.cptOffset[v + 1]; i++) {
        if (params.theta[i] === 0) {
          zeros++;
          where.add(network.names[v]);
        }
      }
    }
    if (zeros > 0) {
      warnings.push(`${zeros} CPT cell${zeros === 1 ? ' is' : 's are'} exactly 0 (in ${[...where].join(', ')}): new data with such a value would have probability 0; a "prior" (e.g. 1) smooths them`);
    }
  }
  return warnings;
}

/**
 * The family hooks for `bayesnet` or `latent-class` with Dirichlet pseudo-count `prior`
 * (0 = plain maximum likelihood). `canonicalize` is the latent-class class order.
 */
export function createBayesNetFamily(
  kind: 'bayesnet' | 'latent-class',
  prior: number,
  canonicalize?: (params: BayesNetParameters, data: BayesNetData) => BayesNetParameters,
): ModelFamily<BayesNetData, BayesNetParameters, BayesNetStats> {
  return {
    kind,
    units: (data) => data.patterns.counts.length,
    weightedRows: (data) => data.weightedRows,
    initialize: (data, rng) => initialBayesNetParameters(data, rng, prior),
    eStep: bayesNetEStep,
    merge: mergeBayesNetStats,
    mStep: (stats, previous) => bayesNetMStep(stats, previous.network, prior),
    logPrior: (params) => bayesNetLogPrior(params, prior),
    freeParameters: (params) => freeParameterCount(params.network),
    toJSON: bayesNetToJSON,
    ...(canonicalize ? { canonicalize } : {}),
    snapshotEStep: (data, params): BayesNetEStepView => bayesNetEStepView(data, params),
    lowerBound: bayesNetLowerBound,
    warnings: (params, data) => bayesNetWarnings(params, data, prior),
    posteriors: (data, params): PosteriorTable => bayesNetPosteriorTable(data, params),
  };
}
