/**
 * From a `gaussian-mixture` model file and its dataset to a fit the driver can run, for one K
 * (a list of K is fitted by the caller, once per K).
 *
 * - Columns: `data.columns`, or every numeric column except the weight and sequence columns.
 * - Rows: weighted by the dataset's weights; rows with missing cells are marginalized
 *   (`fit.missingData: "em"`, the default) or left out (`"drop"`, complete-case analysis).
 * - Initial parameters: explicit `fit.init` parameters (the model file's `init`) for the first
 *   start; k-means++ (default) or random responsibilities for the others.
 */
import { InputError } from '../../shared/errors';
import type { ModelFile } from '../../shared/modelSpec';
import type { PreparedFit } from '../registry';
import { gaussianMixtureFamily } from './gaussianMixtureFamily';
import type { GmmData, NumericTable } from './gmmData';
import { prepareGmmData } from './gmmData';
import type { GmmParameters } from './gmmParameters';
import { computeFactors, isFactorFailure } from './gmmParameters';
import type { GmmStats } from './gmmStats';
import { parseGivenParameters } from './givenParameters';

/** Largest memory for dense covariance blocks (see the check in prepareGaussianMixture). */
const MAX_COVARIANCE_BYTES = 2 ** 30;

export function prepareGaussianMixture(model: ModelFile, dataset: NumericTable, components: number): PreparedFit<GmmData, GmmParameters, GmmStats> {
  const spec = model.model;
  if (spec.kind !== 'gaussian-mixture') throw new Error(`prepareGaussianMixture called for a "${spec.kind}" model`);
  const file = model.file;
  if (!Number.isInteger(components) || components < 1) throw new InputError(`model.components must be a whole number >= 1, not ${components}`, { file });
  const regularization = model.fit.regularization;
  if (!(regularization >= 0) || !Number.isFinite(regularization)) throw new InputError(`fit.regularization must be a finite number >= 0, not ${regularization}`, { file });
  const strategy = model.fit.missingData;
  let missingData: 'em' | 'drop';
  switch (strategy) {
    case 'em':
    case 'drop':
      missingData = strategy;
      break;
    case 'fill-mode':
      throw new InputError('fit.missingData "fill-mode" fills categorical cells with their most frequent value; for a Gaussian mixture use "em" (marginalize missing cells, the default) or "drop"', { file });
    default: {
      const never: never = strategy;
      throw new InputError(`unknown fit.missingData ${JSON.stringify(never)}`, { file });
    }
  }
  const exclude = [model.data.weight, model.data.sequence].filter((c): c is string => c !== undefined);
  const data = prepareGmmData(dataset, { columns: model.data.columns, exclude, missingData, modelFile: file });
  // Covariances are held as dense D x D blocks (one per component for "full", and a D x D work
  // matrix for the marginals in every case): past ~1 GiB the fit would die allocating them.
  const denseBlocks = (spec.covariance === 'full' ? components : 1) + 1;
  const covarianceBytes = denseBlocks * data.d * data.d * 8;
  if (covarianceBytes > MAX_COVARIANCE_BYTES) {
    const gb = (covarianceBytes / 2 ** 30).toFixed(1);
    throw new InputError(
      `${data.d} columns are too many for a Gaussian mixture here: the ${data.d} x ${data.d} covariance matrices would take ${gb} GiB; choose the columns to model with data.columns${spec.covariance === 'full' && components > 1 ? ', or use "covariance": "diag"' : ''}`,
      { file },
    );
  }
  if (data.units < components) {
    throw new InputError(`${components} components need at least ${components} rows with observed values; ${dataset.file.split(/[\\/]/).pop()} has ${data.units}: use fewer components`, { file });
  }

  let initialParameters: GmmParameters | undefined;
  if (model.fit.init === 'given' || model.init !== undefined) {
    if (model.init === undefined) throw new InputError('fit.init is "given" but the model file has no initial parameters { "weights", "means", "covariances" }', { file });
    const core = parseGivenParameters(model.init, spec.covariance, components, data.columns, file);
    const factored = computeFactors(core);
    if (isFactorFailure(factored)) throw new InputError(`fit.init.covariances${factored.component >= 0 ? `[${factored.component}]` : ''} is not positive definite`, { file });
    initialParameters = factored;
  }

  const warnings: string[] = [];
  if (model.data.columns === undefined) {
    // Columns chosen by type: say which were left out, so a stray "3,6" that made a column text is seen.
    for (const c of dataset.columns) {
      if (c.kind !== 'categorical' || exclude.includes(c.name)) continue;
      const example = c.levels.find((l) => !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(l)) ?? c.levels[0] ?? '';
      warnings.push(`column "${c.name}" is not numeric (it holds ${JSON.stringify(example)}) and is not modelled; to model it, fix that value; to silence this, list the columns to model in data.columns`);
    }
  }
  if (data.emptyRows > 0) {
    warnings.push(`${data.emptyRows} row${data.emptyRows === 1 ? ' has' : 's have'} no observed value in ${data.columns.join(', ')} and contribute${data.emptyRows === 1 ? 's' : ''} nothing to the fit (their posteriors are the mixing weights)`);
  }
  for (let j = 0; j < data.d; j++) {
    if (data.variance[j] === 0) warnings.push(`column "${data.columns[j]}" is constant: every component's variance along it is fit.regularization alone (${regularization}); leave it out of data.columns`);
  }
  if (data.droppedRows > 0) {
    warnings.push(`${data.droppedRows} row${data.droppedRows === 1 ? '' : 's'} with missing cells ${data.droppedRows === 1 ? 'was' : 'were'} left out (fit.missingData "drop"); "em" would use ${data.droppedRows === 1 ? 'it' : 'them'}`);
  }
  const family = gaussianMixtureFamilyFor(model, components, data.columns);
  return { family, data, ...(initialParameters ? { initialParameters } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * The family of a `gaussian-mixture` model file for K = `components`, from the model file alone
 * (and the modelled columns' names, for toJSON): prepareGaussianMixture and registry.ts's
 * familyFor (the E-step pool's threads) build it here, the same way.
 */
export function gaussianMixtureFamilyFor(model: ModelFile, components: number, columns: readonly string[]): ReturnType<typeof gaussianMixtureFamily> {
  const spec = model.model;
  if (spec.kind !== 'gaussian-mixture') throw new Error(`gaussianMixtureFamilyFor called for a "${spec.kind}" model`);
  return gaussianMixtureFamily({
    components,
    covariance: spec.covariance,
    regularization: model.fit.regularization,
    init: model.fit.init === 'random' ? 'random' : 'kmeans++',
    columns,
  });
}
