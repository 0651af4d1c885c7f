/**
 * The tutorial's three ways of handling missing cells (example 1), applied to the patterns
 * before EM:
 *   "em"        (default) soft EM: a missing cell is summed over, i.e. filled with its
 *               posterior distribution at every E-step ("Opt 3: fill in with distribution");
 *   "drop"      rows with any missing observed cell are left out ("Opt 1: ignore the
 *               incomplete data"): their patterns weigh 0 and their posterior rows are empty;
 *   "fill-mode" estimate the parameters from the complete rows (by EM when there are hidden
 *               variables), fill each missing cell with its most probable value given that
 *               row's observed cells under that estimate, then fit on the filled data
 *               ("Opt 2: fill in a best guessed value").
 */
import { ConvergenceMonitor } from '../convergenceMonitor';
import type { ModelFamily } from '../family';
import { PatternInference } from './patternInference';
import type { BayesNetData, BayesNetParameters, BayesNetStats, ObservedPatterns } from './types';

/** True when pattern p has a missing cell. */
export function hasMissing(patterns: ObservedPatterns, p: number): boolean {
  const width = patterns.cardinalities.length;
  for (let j = 0; j < width; j++) if (patterns.codes[p * width + j] < 0) return true;
  return false;
}

/** The patterns with every incomplete pattern's weight set to 0 (rows and patterns unchanged). */
export function withoutIncompleteRows(patterns: ObservedPatterns): ObservedPatterns {
  const counts = patterns.counts.slice();
  for (let p = 0; p < counts.length; p++) if (hasMissing(patterns, p)) counts[p] = 0;
  return { ...patterns, counts };
}

/** 1 for every row whose pattern has a missing cell. */
export function incompleteRowMask(patterns: ObservedPatterns): Uint8Array {
  const incomplete = Uint8Array.from({ length: patterns.counts.length }, (_, p) => (hasMissing(patterns, p) ? 1 : 0));
  return Uint8Array.from(patterns.rowToPattern, (p) => incomplete[p]);
}

/**
 * EM to convergence in this thread (no restarts, snapshots or cancellation): the estimate
 * from the complete rows that "fill-mode" fills from. Returns the last evaluated parameters.
 */
export function fitSynchronously(
  family: ModelFamily<BayesNetData, BayesNetParameters, BayesNetStats>,
  data: BayesNetData,
  initial: BayesNetParameters,
  maxIterations: number,
  tolerance: number,
): BayesNetParameters {
  const monitor = new ConvergenceMonitor({ maxIterations, tolerance, weightedRows: data.weightedRows });
  let params = initial;
  let previous: BayesNetParameters | undefined;
  for (;;) {
    const out = family.eStep(data, params);
    const objective = out.logLikelihood + (family.logPrior ? family.logPrior(params) : 0);
    const stop = monitor.report(out.logLikelihood, objective);
    if (stop === 'decreased' && previous !== undefined) return previous;
    if (stop !== undefined) return params;
    previous = params;
    params = family.mStep(out.stats, params, data);
  }
}

export interface FilledPatterns {
  /** The distinct patterns after filling (no missing cell among the weighted ones). */
  readonly patterns: ObservedPatterns;
  /** Missing cells filled, counted over data rows. */
  readonly cellsFilled: number;
  /** Data rows that had at least one missing cell. */
  readonly rowsFilled: number;
  /** Rows whose observed cells had probability 0 under the estimate: filled from the unconditional marginals. */
  readonly rowsWithoutEvidence: number;
}

/**
 * Fill each missing cell of `patterns` with its most probable state (lowest index on ties)
 * given the pattern's observed cells under `params`, then merge the patterns that became
 * equal. `compress` is the pattern compressor (data layer), given the filled pattern codes
 * as columns and the pattern counts as weights.
 */
export function fillWithMode(
  data: BayesNetData,
  params: BayesNetParameters,
  patterns: ObservedPatterns,
  compress: (codes: Int32Array[], cardinalities: Int32Array, names: readonly string[], weights: Float64Array) => ObservedPatterns,
): FilledPatterns {
  const { network, tree } = data;
  const width = network.observed.length;
  const patternCount = patterns.counts.length;
  const rowsPerPattern = new Float64Array(patternCount);
  for (const p of patterns.rowToPattern) rowsPerPattern[p]++;

  const inference = new PatternInference(network, tree, params.theta);
  const noEvidence = new Int32Array(width).fill(-1);
  const columns = Array.from({ length: width }, () => new Int32Array(patternCount));
  let cellsFilled = 0;
  let rowsFilled = 0;
  let rowsWithoutEvidence = 0;
  let maxCard = 1;
  for (const v of network.observed) maxCard = Math.max(maxCard, network.cards[v]);
  const marginal = new Float64Array(maxCard);
  for (let p = 0; p < patternCount; p++) {
    let missing = 0;
    for (let j = 0; j < width; j++) {
      const code = patterns.codes[p * width + j];
      columns[j][p] = code;
      if (code < 0) missing++;
    }
    if (missing === 0) continue;
    let ll = inference.infer(patterns.codes, p, true);
    if (ll === -Infinity) {
      ll = inference.infer(noEvidence, 0, true);
      rowsWithoutEvidence += rowsPerPattern[p];
    }
    for (let j = 0; j < width; j++) {
      if (columns[j][p] >= 0) continue;
      const v = network.observed[j];
      inference.variableMarginal(v, marginal);
      let best = 0;
      for (let s = 1; s < network.cards[v]; s++) if (marginal[s] > marginal[best]) best = s;
      columns[j][p] = best;
    }
    cellsFilled += missing * rowsPerPattern[p];
    rowsFilled += rowsPerPattern[p];
  }
  // distinct filled patterns; each old pattern becomes one "row" weighted by its count
  const merged = compress(columns, patterns.cardinalities, patterns.columns, patterns.counts);
  const rowToPattern = Int32Array.from(patterns.rowToPattern, (p) => merged.rowToPattern[p]);
  return { patterns: { ...merged, rowToPattern }, cellsFilled, rowsFilled, rowsWithoutEvidence };
}
