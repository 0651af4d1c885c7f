/**
 * The HMM's prepared data: the dataset's rows regrouped into sequences, and the observations
 * the emissions read, in "step order" (sequence by sequence, time order within each), so that
 * each sequence is one contiguous block the forward-backward pass walks without indirection.
 *
 * Sequences (DESIGN.md `data.sequence`): rows with the same sequence id form one sequence, in
 * the order they appear in the file; sequences are numbered by the first appearance of their
 * id, so the rows of different sequences may interleave in the file. Without `data.sequence`
 * the whole file is one sequence. Plain data (typed arrays and strings).
 */
import type { CovarianceType } from '../../shared/modelSpec';

export interface HmmSequences {
  /** S: number of sequences, the units the engine shards over. */
  readonly count: number;
  /** S + 1 offsets: the steps of sequence s are [offsets[s], offsets[s+1]) in step order. */
  readonly offsets: Int32Array;
  /** S ids as written in the sequence column (a number when the column is numeric); [1] without one (the file is sequence 1). */
  readonly ids: readonly (string | number)[];
  /** N: the 0-based data row of each step. */
  readonly rowOfStep: Int32Array;
  /** N: the step of each 0-based data row (inverse of rowOfStep). */
  readonly stepOfRow: Int32Array;
  /** N: the sequence of each 0-based data row. */
  readonly sequenceOfRow: Int32Array;
  /** Length of the longest sequence: the forward-backward buffers are sized by it. */
  readonly maxLength: number;
}

/** Pattern code of a step whose every emission column is missing: no emission term (factor 1). */
export const ALL_MISSING = -1;
/** Pattern code of a fully observed step. */
export const COMPLETE = 0;

export interface GaussianObservations {
  readonly kind: 'gaussian';
  /** The D numeric columns the emission reads. */
  readonly columns: readonly string[];
  readonly dim: number;
  readonly covariance: CovarianceType;
  /** `fit.regularization`, added to covariance diagonals in the M-step. */
  readonly regularization: number;
  /** N x D, row-major, step order; NaN = missing cell. */
  readonly values: Float64Array;
  /** N: ALL_MISSING, COMPLETE, or p > 0, the index in `patterns` of a partly observed step. */
  readonly pattern: Int32Array;
  /** patterns[p] = the observed coordinates of pattern p; patterns[COMPLETE] = 0..D-1. */
  readonly patterns: readonly Int32Array[];
  /**
   * D: the mean of each column's observed values. Second moments are accumulated around it,
   * so that E[xx'] - mu mu' does not lose digits when the data sit far from the origin.
   */
  readonly center: Float64Array;
  /** Number of steps whose emission columns are all missing. */
  readonly missingSteps: number;
}

export interface CategoricalObservations {
  readonly kind: 'categorical';
  /** The one column the emission reads. */
  readonly column: string;
  /** M symbols: the column's levels (or the order the explicit init gave). */
  readonly symbols: readonly string[];
  /** N codes in step order, an index into `symbols`; -1 = missing. */
  readonly codes: Int32Array;
  readonly missingSteps: number;
}

export type HmmObservations = GaussianObservations | CategoricalObservations;

/** How initial parameters are drawn for restarts (Gaussian emissions; categorical ones always draw Dirichlet rows). */
export type HmmInitMethod = 'kmeans++' | 'random';

export interface HmmData {
  /** Model file path, for error messages. */
  readonly modelFile: string;
  /** K hidden states. */
  readonly states: number;
  /** Dirichlet pseudo-count on start, transition and categorical emission rows. */
  readonly prior: number;
  readonly initMethod: HmmInitMethod;
  readonly sequences: HmmSequences;
  readonly observations: HmmObservations;
  /** N data rows (= steps). */
  readonly rowCount: number;
  /** Name of the sequence-id column, if any. */
  readonly sequenceColumn?: string;
}
