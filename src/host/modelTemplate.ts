/**
 * "New EM Model from Dataset...": a model file prefilled from a dataset's columns, for each
 * kind. The columns are profiled from the head of the file (which columns are numbers, how many
 * distinct values they have, which one is a count or a row index), and each kind takes the
 * columns it can model. Pure (no vscode): unit tests check that every template is a valid
 * model file for its dataset.
 */
import type { Dataset } from '../data/dataset';
import type { ModelKind } from '../shared/modelSpec';

export interface ColumnProfile {
  readonly name: string;
  /** Every non-missing value is a number. */
  readonly numeric: boolean;
  /** Distinct non-missing values (in the profiled rows). */
  readonly distinct: number;
  /** Numeric and every value a whole number. */
  readonly integer: boolean;
  /** Numeric, whole numbers, strictly increasing: a row index or a time step, not a measurement. */
  readonly increasing: boolean;
  /** Some cell is missing. */
  readonly hasMissing: boolean;
}

/** Column names that mean "this row stands for that many rows" (the tutorial's `#`). */
const COUNT_NAMES = /^(#|n|count|counts|freq|frequency|weight|weights)$/i;
/** Whole-number columns with at most this many values are read as categories. */
const MAX_CATEGORICAL_LEVELS = 10;

export function profileColumns(ds: Dataset): ColumnProfile[] {
  return ds.columns.map((c): ColumnProfile => {
    switch (c.kind) {
      case 'numeric': {
        const seen = new Set<number>();
        let integer = true;
        let increasing = true;
        let previous = -Infinity;
        let hasMissing = false;
        for (const v of c.values) {
          if (Number.isNaN(v)) {
            hasMissing = true;
            increasing = false;
            continue;
          }
          if (seen.size <= 1000) seen.add(v);
          if (!Number.isInteger(v)) integer = false;
          if (!(v > previous)) increasing = false;
          previous = v;
        }
        return { name: c.name, numeric: true, distinct: seen.size, integer, increasing: integer && increasing && c.values.length > 2, hasMissing };
      }
      case 'categorical': {
        let hasMissing = false;
        for (const code of c.codes) if (code < 0) hasMissing = true;
        return { name: c.name, numeric: false, distinct: c.levels.length, integer: false, increasing: false, hasMissing };
      }
      default: {
        const never: never = c;
        throw new Error(`unknown column ${JSON.stringify(never)}`);
      }
    }
  });
}

/** How the profiled columns split: a count column, categorical ones, numeric measurements. */
export function classifyColumns(profiles: readonly ColumnProfile[]): { weight?: string; categorical: string[]; numeric: string[] } {
  const weight = profiles.find((p) => p.numeric && p.integer && COUNT_NAMES.test(p.name))?.name;
  const categorical: string[] = [];
  const numeric: string[] = [];
  for (const p of profiles) {
    if (p.name === weight || p.increasing) continue;
    if (!p.numeric || (p.integer && p.distinct <= MAX_CATEGORICAL_LEVELS)) {
      if (p.distinct >= 2 || p.hasMissing) categorical.push(p.name);
    } else numeric.push(p.name);
  }
  return { ...(weight !== undefined ? { weight } : {}), categorical, numeric };
}

/** The kind that fits the columns best: categories -> latent classes, measurements -> a mixture. */
export function suggestKind(profiles: readonly ColumnProfile[]): ModelKind {
  const { categorical, numeric } = classifyColumns(profiles);
  return categorical.length > numeric.length ? 'latent-class' : 'gaussian-mixture';
}

/** Kinds that the columns can feed, with why not for the others. */
export function kindAvailability(profiles: readonly ColumnProfile[]): Record<ModelKind, string | undefined> {
  const { categorical, numeric } = classifyColumns(profiles);
  const noCategories = 'needs categorical columns (text, or whole numbers with few values)';
  return {
    'latent-class': categorical.length >= 1 ? undefined : noCategories,
    bayesnet: categorical.length >= 1 ? undefined : noCategories,
    'gaussian-mixture': numeric.length >= 1 ? undefined : 'needs numeric columns',
    hmm: numeric.length >= 1 || categorical.length >= 1 ? undefined : 'needs a numeric or a categorical column',
  };
}

/**
 * The model file text for `kind` on a dataset with these columns. `dataPath` is the dataset's
 * path relative to where the model file will be (usually its bare name: side by side).
 */
export function modelTemplate(kind: ModelKind, profiles: readonly ColumnProfile[], dataPath: string, datasetName: string): string {
  const { weight, categorical, numeric } = classifyColumns(profiles);
  const fit = { maxIterations: 500, tolerance: 1e-8, restarts: 5, seed: 1 };
  let doc: Record<string, unknown>;
  switch (kind) {
    case 'latent-class':
      doc = {
        name: `${datasetName}: two latent classes`,
        data: { path: dataPath, ...(weight ? { weight } : {}) },
        model: { kind, classes: 2, columns: categorical },
        fit,
      };
      break;
    case 'bayesnet': {
      // the simplest network with a hidden cause: H -> every categorical column
      const hidden = categorical.includes('H') ? 'Hidden' : 'H';
      const variables: Record<string, unknown> = { [hidden]: { states: ['0', '1'], hidden: true } };
      const parents: Record<string, string[]> = {};
      for (const c of categorical) {
        variables[c] = {};
        parents[c] = [hidden];
      }
      doc = {
        name: `${datasetName}: a hidden binary cause`,
        data: { path: dataPath, ...(weight ? { weight } : {}) },
        model: { kind, variables, parents },
        fit,
      };
      break;
    }
    case 'gaussian-mixture':
      doc = {
        name: `${datasetName}: a Gaussian mixture`,
        data: { path: dataPath, columns: numeric, ...(weight ? { weight } : {}) },
        model: { kind, components: 2, covariance: 'full' },
        fit,
      };
      break;
    case 'hmm': {
      const gaussian = numeric.length > 0;
      doc = {
        name: `${datasetName}: a two-state hidden Markov model`,
        data: { path: dataPath, columns: gaussian ? numeric : categorical.slice(0, 1) },
        model: { kind, states: 2, emission: gaussian ? 'gaussian' : 'categorical', ...(gaussian ? { covariance: 'diag' } : {}) },
        fit,
      };
      break;
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${JSON.stringify(never)}`);
    }
  }
  return JSON.stringify(doc, null, 2) + '\n';
}
