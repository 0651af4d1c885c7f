/**
 * Parameters of any family as tables, chosen by the result's kind (one switch, exhaustive).
 */
import type { ModelKind } from '../../../src/shared/modelSpec';
import type { BayesNetParametersJSON, GaussianMixtureParametersJSON, HmmParametersJSON, ParametersJSON } from '../../../src/shared/results';
import { cptTable, jointTable, tutorialNotation, type TutorialLine } from './cptTables';
import { gaussianMixtureTables } from './gaussianTables';
import { hmmTables } from './hmmTables';
import type { TableModel } from './tableModel';

export interface ParameterView {
  readonly tables: readonly TableModel[];
  /** The tutorial's notation (binary networks only). */
  readonly tutorial?: readonly TutorialLine[];
  /** The joint distribution of a two-variable network (the tutorial's example 1). */
  readonly joint?: TableModel;
}

export function isBayesNetParameters(p: ParametersJSON | undefined): p is BayesNetParametersJSON {
  return p !== undefined && typeof (p as BayesNetParametersJSON).cpts === 'object' && (p as BayesNetParametersJSON).cpts !== null;
}
export function isGaussianMixtureParameters(p: ParametersJSON | undefined): p is GaussianMixtureParametersJSON {
  return p !== undefined && Array.isArray((p as GaussianMixtureParametersJSON).weights) && Array.isArray((p as GaussianMixtureParametersJSON).means);
}
export function isHmmParameters(p: ParametersJSON | undefined): p is HmmParametersJSON {
  return p !== undefined && Array.isArray((p as HmmParametersJSON).startProbabilities) && Array.isArray((p as HmmParametersJSON).transitions);
}

/**
 * The tables of `params`; each value's title says how it moved from `reference` (the initial
 * parameters, or the previous iteration in the step-through). `rows` (the weighted row count)
 * lets a joint table show the tutorial's fractions.
 */
export function parameterView(kind: ModelKind, params: ParametersJSON, reference?: ParametersJSON, referenceName = 'initial', rows = 0): ParameterView {
  switch (kind) {
    case 'bayesnet':
    case 'latent-class': {
      if (!isBayesNetParameters(params)) return { tables: [] };
      const ref = isBayesNetParameters(reference) ? reference : undefined;
      const tables = Object.keys(params.cpts).map((v) => cptTable(v, params.cpts, ref, referenceName));
      const tutorial = tutorialNotation(params, ref, referenceName);
      const joint = jointTable(params, rows);
      return { tables, ...(tutorial ? { tutorial } : {}), ...(joint ? { joint } : {}) };
    }
    case 'gaussian-mixture': {
      if (!isGaussianMixtureParameters(params)) return { tables: [] };
      return { tables: gaussianMixtureTables(params, isGaussianMixtureParameters(reference) ? reference : undefined, referenceName) };
    }
    case 'hmm': {
      if (!isHmmParameters(params)) return { tables: [] };
      return { tables: hmmTables(params, isHmmParameters(reference) ? reference : undefined, referenceName) };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown model kind ${String(never)}`);
    }
  }
}
