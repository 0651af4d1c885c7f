/**
 * What the inspector panel needs from the rest of the host: the runs, live progress, and
 * posterior rows in pages (a million rows are never sent whole). Implemented by the host's
 * run controller; the inspector depends only on this interface.
 */
import type * as vscode from 'vscode';
import type { FitResult } from '../shared/results';
import type { FitProgress, PosteriorPage, RunRecord } from '../shared/runs';
import type { DataSample } from '../shared/inspectorProtocol';

export interface PosteriorPageRequest {
  readonly modelPath: string;
  readonly runId: string;
  readonly offset: number;
  readonly limit: number;
  /** Sort by this column (index into PosteriorPage.columns), descending if `descending`. */
  readonly sortColumn?: number;
  readonly descending?: boolean;
}

/** How a fit of a model file ended (onDidEndFit). */
export interface FitEnd {
  readonly modelPath: string;
  /** "run": Run EM; "compare": the missing-data comparison; "recompute": posteriors of a stored run. */
  readonly purpose: 'run' | 'compare' | 'recompute';
  /** "succeeded": a Run EM's new run was announced by onDidChangeRun first; else the last run is unchanged. */
  readonly outcome: 'succeeded' | 'failed' | 'cancelled';
  /** failed, cancelled: why, for the user (no stack). */
  readonly message?: string;
}

export interface InspectorDataSource {
  /** The last run of a model file, if any. */
  getRun(modelPath: string): RunRecord | undefined;
  /** Every model file that has a run. */
  listRuns(): readonly RunRecord[];
  /** Fires when a run finishes (or is loaded from the store). */
  readonly onDidChangeRun: vscode.Event<RunRecord>;
  /** Fires after every iteration of a running fit. */
  readonly onProgress: vscode.Event<FitProgress>;
  /**
   * Fires when a fit ends, whatever the outcome (not for a fit refused because another one
   * runs): without it a failed fit would look like one still running.
   */
  readonly onDidEndFit: vscode.Event<FitEnd>;
  /** Why the last Run EM of a model failed, if it did (cleared by its next success). */
  lastFailure(modelPath: string): string | undefined;
  /**
   * One page of per-row posteriors of a finished run. When they must be recomputed (a refit),
   * `token` ends this request's wait (the panel closed), and the refit is cancelled when no
   * request waits for it any more.
   */
  getPosteriorPage(request: PosteriorPageRequest, token?: vscode.CancellationToken): Promise<PosteriorPage>;
  /**
   * Fit the model under each missing-data strategy (the tutorial's example 1: drop,
   * fill-mode, em) and return the three results, for the side-by-side view.
   */
  compareMissingData(modelPath: string): Promise<Readonly<Record<'drop' | 'fill-mode' | 'em', FitResult>>>;
  /**
   * Optional: up to `maxPoints` data rows of a run's dataset (an even stride over the rows
   * when there are more, always in data order), with the values of `columns`, the row weights
   * and each row's most probable component/class/state. The inspector's scatter plot (colour
   * by component) and its pattern table at the fitted parameters use it; without it they are
   * not shown. `token`: as for getPosteriorPage.
   */
  getDataSample?(modelPath: string, runId: string, columns: readonly string[], maxPoints: number, token?: vscode.CancellationToken): Promise<DataSample>;
}
