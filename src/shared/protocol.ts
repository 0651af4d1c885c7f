/**
 * Every message between the extension host and the fit worker (src/worker/worker.ts): one
 * interface per message, string-literal `type` tags, readonly fields, and two unions (to the
 * worker, from the worker). Both sides switch exhaustively over their union.
 *
 * Requests carry an `id`; the worker answers each with the matching reply or `failed`, echoing
 * the id. A fit also streams `fitProgress` messages (throttled) before its `fitDone`.
 *
 * The worker keeps the last fit's posteriors and dataset per model file, so the host asks for
 * pages, single rows and samples and never holds a million rows itself.
 *
 * Cancellation does not travel as a message: a worker busy in an E-step reads no messages.
 * The host passes a SharedArrayBuffer with every fit (`cancelFlag`, an Int32Array of one
 * element); it stores 1 there with Atomics.store and the fit polls it between iterations.
 */
import type { SerializedInputError } from './errors';
import type { DataSample } from './inspectorProtocol';
import type { FitOverrides } from './modelSpec';
import type { FitResult } from './results';
import type { FitProgress, PosteriorPage } from './runs';

/** Index into the cancel flag's Int32Array; the value 1 means "cancel". */
export const CANCEL_FLAG_INDEX = 0;
/** Bytes of the SharedArrayBuffer behind a cancel flag (one Int32). */
export const CANCEL_FLAG_BYTES = 4;

/** True when a refit's log-likelihood is the stored run's (same file, data and seed: the same numbers, to 1e-9 relative). */
export function reproducesLogLikelihood(stored: number, refit: number): boolean {
  return Math.abs(refit - stored) <= 1e-9 * Math.max(1, Math.abs(stored));
}

// ---------------------------------------------------------------- host -> worker

/** Fit one model file (read from disk by the worker) with overrides of its `fit` section. */
export interface FitRequest {
  readonly type: 'fit';
  readonly id: number;
  /** Absolute path of the model file. */
  readonly modelPath: string;
  /** The run this fit becomes; pages of its posteriors are asked for by this id. */
  readonly runId: string;
  readonly overrides: FitOverrides;
  /** Record per-iteration snapshots (the inspector's step-through). */
  readonly snapshots: boolean;
  /**
   * Keep this fit's posteriors and dataset as the model's current ones (a normal run). False for
   * side fits (the missing-data comparison) that must not replace the run the user sees.
   */
  readonly keep: boolean;
  /**
   * A recompute of a stored run's posteriors (the worker lost them): with `keep`, keep this
   * fit's posteriors only when it ran to its end and reproduced the run's log-likelihood
   * (reproducesLogLikelihood), so that a request queued behind the fit never reads posteriors
   * of a cut-short or changed fit under the stored run's id.
   */
  readonly reproduces?: { readonly logLikelihood: number };
  /** Int32Array(1) over this buffer: the host stores 1 at CANCEL_FLAG_INDEX to cancel. */
  readonly cancelFlag: SharedArrayBuffer;
  /** At most one `fitProgress` per this many milliseconds (the first and the last always go). */
  readonly progressIntervalMs: number;
}

/** One page of the posteriors the worker keeps for a run. */
export interface PosteriorPageRequest {
  readonly type: 'posteriorPage';
  readonly id: number;
  readonly modelPath: string;
  readonly runId: string;
  /** First row (0-based, in the requested order). */
  readonly offset: number;
  readonly limit: number;
  /** Sort by this column (index into PosteriorPage.columns; 0 = `row`); absent = data order. */
  readonly sortColumn?: number;
  readonly descending?: boolean;
}

/** The posterior row of the data row that covers a line of the dataset file (hovers). */
export interface PosteriorAtLineRequest {
  readonly type: 'posteriorAtLine';
  readonly id: number;
  readonly modelPath: string;
  readonly runId: string;
  /** 1-based line of the dataset file. */
  readonly line: number;
}

/** Rows of the run's dataset, for the inspector's scatter plot and pattern table. */
export interface DataSampleRequest {
  readonly type: 'dataSample';
  readonly id: number;
  readonly modelPath: string;
  readonly runId: string;
  readonly columns: readonly string[];
  readonly maxPoints: number;
}

/** Write the run's posteriors as CSV (the CLI's `--posteriors` format), atomically. */
export interface ExportPosteriorsRequest {
  readonly type: 'exportPosteriors';
  readonly id: number;
  readonly modelPath: string;
  readonly runId: string;
  /** Absolute path the user chose in a save dialog. */
  readonly outPath: string;
}

/**
 * Read a model file's dataset as a fit would, only to find problems (ragged rows, a token that
 * is not a number in a numeric column, ...) for the Problems panel.
 */
export interface CheckDatasetRequest {
  readonly type: 'checkDataset';
  readonly id: number;
  readonly modelPath: string;
  /** The dataset's text from an editor with unsaved changes; absent = read the file on disk. */
  readonly text?: string;
}

/** Forget what the worker keeps for a model file (the file was deleted). No reply. */
export interface ReleaseRequest {
  readonly type: 'release';
  readonly modelPath: string;
}

export type ToWorkerMessage = FitRequest | PosteriorPageRequest | PosteriorAtLineRequest | DataSampleRequest | ExportPosteriorsRequest | CheckDatasetRequest | ReleaseRequest;

// ---------------------------------------------------------------- worker -> host

/** Progress of a running fit (after an E-step). */
export interface FitProgressMessage {
  readonly type: 'fitProgress';
  readonly id: number;
  readonly progress: FitProgress;
}

/** A fit finished (converged, hit maxIterations, was cancelled after some iterations, ...). */
export interface FitDoneMessage {
  readonly type: 'fitDone';
  readonly id: number;
  readonly result: FitResult;
  /** Absolute path of the dataset that was read. */
  readonly dataPath: string;
  /** Posterior column headers after `row` (empty when the fit was not kept). */
  readonly posteriorColumns: readonly string[];
  readonly rowCount: number;
}

export interface PosteriorPageMessage {
  readonly type: 'posteriorPage';
  readonly id: number;
  readonly page: PosteriorPage;
}

/** Answer to `posteriorAtLine`. */
export interface PosteriorAtLineMessage {
  readonly type: 'posteriorAtLine';
  readonly id: number;
  /** Undefined when the line is the header, blank, or past the last row. */
  readonly row?: PosteriorRow;
}

/** The posteriors of one data row. */
export interface PosteriorRow {
  /** 0-based data row. */
  readonly index: number;
  /** 1-based first and last line of the row in the file (they differ for quoted line breaks). */
  readonly firstLine: number;
  readonly lastLine: number;
  /** Row weight (count column), when the dataset has one. */
  readonly weight?: number;
  /** Posterior column headers (as PosteriorTable.columns) and this row's values; null = empty. */
  readonly columns: readonly string[];
  readonly values: readonly (number | string | null)[];
}

export interface DataSampleMessage {
  readonly type: 'dataSample';
  readonly id: number;
  readonly sample: DataSample;
}

export interface PosteriorsExportedMessage {
  readonly type: 'posteriorsExported';
  readonly id: number;
  readonly outPath: string;
  readonly rows: number;
}

/** Answer to `checkDataset`: the reader's first problem, if any (it stops at the first). */
export interface DatasetCheckedMessage {
  readonly type: 'datasetChecked';
  readonly id: number;
  /** Absolute path of the dataset the model file points to. */
  readonly dataPath: string;
  readonly problem?: SerializedInputError;
  /** Data rows read, when there was no problem. */
  readonly rows?: number;
}

/** Why a request failed, as plain data. */
export type WorkerFailure =
  /** Bad model file or dataset: the host shows it at file:line:col. */
  | { readonly kind: 'input'; readonly error: SerializedInputError }
  /** Cancelled before any iteration had a value. */
  | { readonly kind: 'cancelled' }
  /** The worker does not hold that run's posteriors (a later run replaced them, or the worker restarted). */
  | { readonly kind: 'notHeld'; readonly message: string }
  /** A bug or a resource problem: message and stack for the log. */
  | { readonly kind: 'internal'; readonly message: string; readonly stack?: string };

export interface FailedMessage {
  readonly type: 'failed';
  readonly id: number;
  readonly failure: WorkerFailure;
}

export type FromWorkerMessage =
  | FitProgressMessage
  | FitDoneMessage
  | PosteriorPageMessage
  | PosteriorAtLineMessage
  | DataSampleMessage
  | PosteriorsExportedMessage
  | DatasetCheckedMessage
  | FailedMessage;

/** The request types that get a reply (all but `release`). */
export type WorkerRequest = Exclude<ToWorkerMessage, ReleaseRequest>;
