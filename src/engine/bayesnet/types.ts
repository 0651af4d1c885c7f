/**
 * The shapes the bayesnet family works on: its prepared data, its parameters and its E-step
 * statistics. Plain data (typed arrays), so they can be sent to a worker.
 */
import type { BayesNetwork } from './network';
import type { JunctionTree } from './junctionTree';

/**
 * Distinct patterns of the observed variables (the shape of src/data/patterns.ts, restated
 * here because the engine does not import the data layer).
 */
export interface ObservedPatterns {
  /** Observed variables' data columns, C of them, in the network's observed order. */
  readonly columns: readonly string[];
  readonly cardinalities: Int32Array;
  /** P x C, row-major: the state of each observed variable in each pattern; -1 = missing. */
  readonly codes: Int32Array;
  /** P: summed row weights. */
  readonly counts: Float64Array;
  /** N: the pattern of each data row. */
  readonly rowToPattern: Int32Array;
}

export interface BayesNetData {
  readonly network: BayesNetwork;
  readonly tree: JunctionTree;
  /** The patterns EM runs on (after the missing-data strategy: dropped rows weigh 0, filled cells are filled). */
  readonly patterns: ObservedPatterns;
  /**
   * The patterns of the rows as read (the posterior table's evidence): the same object as
   * `patterns` except with "fill-mode", where posteriors use the cells actually observed.
   */
  readonly rowPatterns: ObservedPatterns;
  /** Rows removed by missingData "drop" (1 = dropped: empty posterior row), when any. */
  readonly droppedRows?: Uint8Array;
  /** Sum of the weights of the rows EM runs on. */
  readonly weightedRows: number;
}

export interface BayesNetParameters {
  readonly network: BayesNetwork;
  /** All CPTs, flat: see network.ts for the layout (cptOffset, rows x states). */
  readonly theta: Float64Array;
}

export interface BayesNetStats {
  /**
   * Expected counts of every CPT cell under q (the tutorial's "fill in with distribution"):
   * sum over patterns of count x p(family = cell | pattern), in the CPT layout.
   */
  readonly expectedCounts: Float64Array;
  /** sum over patterns of count x H(q(z | pattern)): the entropy term of L(q, theta). */
  entropy: number;
}
