/**
 * A run: one fit of one model file, as the host keeps it (result store, tree, hovers) and the
 * inspector shows it. Plain JSON.
 */
import type { FitResult } from './results';

export interface RunRecord {
  /** Unique id of the run (time-based). */
  readonly id: string;
  /** Absolute path of the model file. */
  readonly modelPath: string;
  /** Absolute path of the dataset. */
  readonly dataPath: string;
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly result: FitResult;
}

/** One page of the per-row posterior table. */
export interface PosteriorPage {
  /** Column headers: `row` first, then the posterior columns. */
  readonly columns: readonly string[];
  /** Total number of data rows. */
  readonly total: number;
  readonly offset: number;
  /** rows[i][0] is the 1-based data row number; empty cells are null. */
  readonly rows: readonly (readonly (number | string | null)[])[];
}

/** Live progress of a running fit. */
export interface FitProgress {
  readonly modelPath: string;
  readonly restart: number;
  readonly restarts: number;
  readonly iteration: number;
  readonly maxIterations: number;
  readonly logLikelihood: number;
  /** The current start's history so far. */
  readonly history: readonly number[];
}
