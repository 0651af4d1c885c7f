/**
 * The words a model file may use: kinds, enumerations and the keys each object knows. The
 * parser checks against these, and a unit test checks that the JSON schema
 * (media/em-model.schema.json) offers the same, so the two cannot drift apart.
 */
import type { CovarianceType, MissingDataStrategy, ModelKind } from '../shared/modelSpec';

export const MODEL_KINDS: readonly ModelKind[] = ['bayesnet', 'latent-class', 'gaussian-mixture', 'hmm'];
export const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'diag', 'spherical', 'tied'];
export const MISSING_DATA_STRATEGIES: readonly MissingDataStrategy[] = ['em', 'drop', 'fill-mode'];
export const HMM_EMISSIONS: readonly ('gaussian' | 'categorical')[] = ['gaussian', 'categorical'];
/** `fit.init` as a word; an object of explicit parameters is the third form. */
export const INIT_METHODS: readonly ('kmeans++' | 'random')[] = ['kmeans++', 'random'];

export const TOP_LEVEL_KEYS = ['$schema', 'name', 'data', 'model', 'init', 'fit'] as const;
export const DATA_KEYS = ['path', 'columns', 'weight', 'missing', 'sequence', 'delimiter'] as const;
export const FIT_KEYS = ['maxIterations', 'tolerance', 'restarts', 'seed', 'missingData', 'threads', 'regularization', 'init'] as const;
export const VARIABLE_KEYS = ['states', 'hidden', 'column'] as const;
export const MODEL_KEYS: Readonly<Record<ModelKind, readonly string[]>> = {
  bayesnet: ['kind', 'variables', 'parents', 'prior'],
  'latent-class': ['kind', 'classes', 'columns', 'prior'],
  'gaussian-mixture': ['kind', 'components', 'covariance'],
  hmm: ['kind', 'states', 'emission', 'covariance', 'prior'],
};

/** Default covariance type: scikit-learn's GaussianMixture ('full') and hmmlearn's GaussianHMM ('diag'). */
export const DEFAULT_COVARIANCE: Readonly<Record<'gaussian-mixture' | 'hmm', CovarianceType>> = {
  'gaussian-mixture': 'full',
  hmm: 'diag',
};

/** Probabilities in `init` must sum to 1 within this. */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;

/**
 * Largest number of states, classes, components or HMM states a model file may ask for. Past it
 * no model can be fitted (the engine's exact inference holds at most 2^23 table entries), and
 * the parser itself must not build a list of billions of state names from one number.
 */
export const MAX_COUNT = 100_000;

/** Parent configurations the init check enumerates by name; past this it counts them instead. */
export const MAX_LISTED_CONFIGURATIONS = 10_000;
