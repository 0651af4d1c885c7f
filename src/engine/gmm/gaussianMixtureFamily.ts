/**
 * The Gaussian mixture as a model family of the EM driver (family.ts): scikit-learn's
 * GaussianMixture (weights_, means_, covariances_ with covariance_type full | diag |
 * spherical | tied, reg_covar), extended to rows with missing cells by exact EM.
 *
 * Iteration t (driver.ts): gmmEStep under theta_{t-1} gives log p(X | theta_{t-1}) and the
 * centred sufficient statistics; estimateParameters (the M-step) gives theta_t with its
 * Cholesky factors and log-determinants, so each E-step factorizes nothing for complete rows.
 */
import type { CovarianceType } from '../../shared/modelSpec';
import type { StartScreening } from '../../shared/results';
import type { EStepOutput, ModelFamily, PosteriorTable, UnitRange } from '../family';
import type { Rng } from '../rng';
import type { GmmData } from './gmmData';
import { gmmEStep } from './gmmEStep';
import type { InitMethod } from './gmmInitialization';
import { initialParameters } from './gmmInitialization';
import { estimateParameters } from './gmmMStep';
import type { GmmParameters } from './gmmParameters';
import { canonicalOrder, gmmFreeParameters, gmmToJSON, permuteComponents } from './gmmParameters';
import { gmmPosteriors } from './gmmPosteriors';
import type { GmmStats } from './gmmStats';
import { mergeStats } from './gmmStats';
import { gmmWarnings } from './gmmWarnings';

export interface GaussianMixtureOptions {
  /** K */
  readonly components: number;
  readonly covariance: CovarianceType;
  /** Added to every covariance estimate's diagonal (scikit-learn's reg_covar). */
  readonly regularization: number;
  /** How random starts are initialized (explicit parameters go to the driver as initialParameters). */
  readonly init: InitMethod;
  /** Names of the D modelled columns (GmmData.columns), for the results' `columns`. */
  readonly columns: readonly string[];
}

/** E-step view for the step-through: responsibilities of the first rows (at most this many). */
export const SNAPSHOT_ROWS = 200;

export interface GmmEStepSnapshot {
  /** 1-based data rows shown. */
  readonly rows: readonly number[];
  /** rows x K responsibilities (undefined where the row is not used). */
  readonly responsibilities: readonly (readonly (number | undefined)[])[];
}

export type GaussianMixtureFamily = ModelFamily<GmmData, GmmParameters, GmmStats>;

export function gaussianMixtureFamily(options: GaussianMixtureOptions): GaussianMixtureFamily {
  const { components: k, covariance, regularization, init, columns } = options;
  // the screening record of each start this family made, keyed by the start itself (a given
  // start or a "random" one has none); weak, so a start that is dropped takes its record along
  const screenings = new WeakMap<GmmParameters, StartScreening>();
  return {
    kind: 'gaussian-mixture',
    // regularization * I added to each covariance makes the M-step inexact: allow a dip of that order
    ...(regularization > 0 ? { decreaseTolerance: 1e-6 } : {}),
    units: (data: GmmData): number => data.units,
    weightedRows: (data: GmmData): number => data.weightedRows,
    initialize: (data: GmmData, rng: Rng): GmmParameters => {
      let screening: StartScreening | undefined;
      const start = initialParameters(data, k, covariance, regularization, init, rng, (s) => (screening = s));
      if (screening !== undefined) screenings.set(start, screening);
      return start;
    },
    startScreening: (initial: GmmParameters): StartScreening | undefined => screenings.get(initial),
    eStep: (data: GmmData, params: GmmParameters, range?: UnitRange): EStepOutput<GmmStats> => gmmEStep(data, params, range),
    merge: mergeStats,
    mStep: (stats: GmmStats, _previous: GmmParameters, data: GmmData): GmmParameters => estimateParameters(stats, regularization, data),
    freeParameters: (params: GmmParameters): number => gmmFreeParameters(params.covariance, params.k, params.d),
    toJSON: (params: GmmParameters) => gmmToJSON(params, columns),
    canonicalize: (params: GmmParameters): GmmParameters => permuteComponents(params, canonicalOrder(params)),
    warnings: (params: GmmParameters, data: GmmData): string[] => gmmWarnings(params, data, regularization),
    posteriors: (data: GmmData, params: GmmParameters): PosteriorTable => gmmPosteriors(data, params),
    snapshotEStep: (data: GmmData, params: GmmParameters): GmmEStepSnapshot => {
      const table = gmmPosteriors(data, params);
      const n = Math.min(SNAPSHOT_ROWS, data.rowCount);
      const rows: number[] = [];
      const responsibilities: (number | undefined)[][] = [];
      for (let i = 0; i < n; i++) {
        rows.push(i + 1);
        responsibilities.push(table.row(i).slice(0, k) as (number | undefined)[]);
      }
      return { rows, responsibilities };
    },
  };
}
