/**
 * The hooks a model family fills in; the driver (driver.ts) owns the loop, as scikit-learn's
 * BaseMixture.fit does. D = the family's prepared data, P = parameters, S = sufficient statistics.
 *
 * The E-step over a range of units (rows, distinct patterns or sequences) returns sufficient
 * statistics that `merge` can add, so shards of units can be E-stepped in parallel and
 * reduced (map/reduce), in one thread or many.
 */
import type { ModelKind } from '../shared/modelSpec';
import type { ParametersJSON, StartScreening } from '../shared/results';
import type { Rng } from './rng';

/** Half-open range [start, end) of units. */
export interface UnitRange {
  readonly start: number;
  readonly end: number;
}

export interface EStepOutput<S> {
  /** log p(x | params) over the units in the range, weighted by row counts. Natural log. */
  readonly logLikelihood: number;
  readonly stats: S;
}

export interface ModelFamily<D, P, S> {
  readonly kind: ModelKind;
  /** Number of E-step units in `data` (rows, patterns or sequences): what shards split. */
  units(data: D): number;
  /** Weighted number of rows (the tutorial's 12 for example 2): tolerance and BIC use it. */
  weightedRows(data: D): number;
  /** Random initial parameters from `rng` (deterministic given the rng's seed). */
  initialize(data: D, rng: Rng): P;
  /**
   * How `initialize` chose `initial` when it screened candidate starts (recorded as it ran, so
   * asking costs no E-step and changes no number); undefined for parameters it did not make
   * (explicit ones) or made without screening. The driver puts it on the start's RestartSummary.
   */
  startScreening?(initial: P): StartScreening | undefined;
  /** E-step over `range` (default: all units) under `params`. Must not modify `params`. */
  eStep(data: D, params: P, range?: UnitRange): EStepOutput<S>;
  /** Sum of two shards' statistics (may reuse `a`'s storage). */
  merge(a: S, b: S): S;
  /** M-step: the parameters that maximize the expected complete log-likelihood (plus log prior). */
  mStep(stats: S, previous: P, data: D): P;
  /**
   * A fall of the objective (relative) that this family's M-step can cause without a bug: 0 for
   * exact EM. A regularized M-step (covariance + regularization * I, as scikit-learn's reg_covar)
   * is not an exact maximizer, so near convergence the log-likelihood may dip by about that much;
   * such a dip ends the fit as converged instead of as "decreased".
   */
  readonly decreaseTolerance?: number;
  /** log prior density of `params` (0 for plain maximum likelihood): the MAP objective adds it. */
  logPrior?(params: P): number;
  /** Number of free parameters, for BIC/AIC. */
  freeParameters(params: P): number;
  /** Parameters in the results shape of DESIGN.md. */
  toJSON(params: P): ParametersJSON;
  /** A canonical order (e.g. components sorted by a fixed rule); applied to the returned result. */
  canonicalize?(params: P, data: D): P;
  /** Family-specific view of the E-step for the step-through (small data only). */
  snapshotEStep?(data: D, params: P): unknown;
  /** L(q, theta) of the tutorial: expected complete log-likelihood under q plus q's entropy. */
  lowerBound?(stats: S, params: P): number;
  /** Warnings about the fitted parameters (collapsed components, zero probabilities needed later...). */
  warnings?(params: P, data: D): string[];
  /** Per-data-row posteriors under `params` (the `--posteriors` CSV, dataset hovers, the inspector). */
  posteriors(data: D, params: P): PosteriorTable;
}

/**
 * Posteriors of every data row, in data order, computed lazily where that is cheap (per distinct
 * pattern, per row) so that a million rows need not be materialized as strings.
 */
export interface PosteriorTable {
  /** Column headers after `row`: `P(H=0)`, `P(H=1)`, ..., `label` / `viterbi`, `sequence`, `t`. */
  readonly columns: readonly string[];
  /** Number of data rows (including dropped ones, which give empty cells). */
  readonly rowCount: number;
  /** Values of 0-based data row i, one per column; `undefined` = empty cell (e.g. a dropped row). */
  row(i: number): readonly (number | string | undefined)[];
}

/** Something that can run the E-step over all units: in this thread, or sharded over a pool. */
export interface EStepExecutor<P, S> {
  eStep(params: P): Promise<EStepOutput<S>> | EStepOutput<S>;
}
