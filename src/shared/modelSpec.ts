/**
 * The model file (`*.em.json`) after parsing and validation: every default filled in,
 * every path resolved. See DESIGN.md "The model file". Plain data, no behaviour.
 */

export type MissingDataStrategy = 'em' | 'drop' | 'fill-mode';
export type CovarianceType = 'full' | 'diag' | 'spherical' | 'tied';

export interface DataSpec {
  /** Absolute path of the dataset. */
  readonly path: string;
  /** Columns to read (default: the model decides: its variables, or every numeric column). */
  readonly columns?: readonly string[];
  /** Name of a count column (the tutorial's `#`): each row stands for that many rows. */
  readonly weight?: string;
  /** Tokens that mean "missing". Default `["", "?", "NA", "NaN"]`. */
  readonly missing: readonly string[];
  /** Sequence-id column (HMMs). */
  readonly sequence?: string;
  /** Field delimiter; default from the extension (`.tsv` -> tab, else comma). */
  readonly delimiter?: string;
}

export interface VariableSpec {
  /** State names in declared order (hidden variables must declare them, or give `cardinality`). */
  readonly states?: readonly string[];
  readonly hidden: boolean;
  /** Data column this variable reads (default: its own name). Ignored for hidden variables. */
  readonly column?: string;
}

export interface BayesNetModelSpec {
  readonly kind: 'bayesnet';
  /** Variables in declaration order. */
  readonly variables: Readonly<Record<string, VariableSpec>>;
  /** parents[X] = the parents of X, in order. Missing key = no parents. */
  readonly parents: Readonly<Record<string, readonly string[]>>;
  /** Dirichlet pseudo-count added to every CPT cell (default 0). */
  readonly prior: number;
}

export interface LatentClassModelSpec {
  readonly kind: 'latent-class';
  readonly classes: number;
  readonly columns: readonly string[];
  readonly prior: number;
}

export interface GaussianMixtureModelSpec {
  readonly kind: 'gaussian-mixture';
  /** One K, or a list of K for model selection by BIC/AIC. */
  readonly components: number | readonly number[];
  readonly covariance: CovarianceType;
}

export interface HmmModelSpec {
  readonly kind: 'hmm';
  readonly states: number;
  readonly emission: 'gaussian' | 'categorical';
  readonly covariance: CovarianceType;
  /** Dirichlet pseudo-count for start, transition and categorical emission rows (default 0). */
  readonly prior: number;
}

export type ModelSpec = BayesNetModelSpec | LatentClassModelSpec | GaussianMixtureModelSpec | HmmModelSpec;
export type ModelKind = ModelSpec['kind'];

export interface FitSpec {
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly restarts: number;
  readonly seed: number;
  readonly missingData: MissingDataStrategy;
  /** 0 = the machine's available parallelism. */
  readonly threads: number;
  /** Gaussian families: added to covariance diagonals (default 1e-6). */
  readonly regularization: number;
  /** Gaussian families: "kmeans++" (default), "random", or explicit parameters (family-specific JSON). */
  readonly init: 'kmeans++' | 'random' | 'given';
}

/** A parsed, validated model file. */
export interface ModelFile {
  /** Absolute path of the model file. */
  readonly file: string;
  readonly name: string;
  readonly data: DataSpec;
  readonly model: ModelSpec;
  /** Explicit initial parameters as written in the file (family-specific JSON), if any. */
  readonly init?: unknown;
  readonly fit: FitSpec;
}

/** CLI flags / settings that override `fit` in the file. */
export type FitOverrides = Partial<Pick<FitSpec, 'maxIterations' | 'tolerance' | 'restarts' | 'seed' | 'missingData' | 'threads'>>;

export const DEFAULT_MISSING_TOKENS: readonly string[] = ['', '?', 'NA', 'NaN'];

export const DEFAULT_FIT: FitSpec = {
  maxIterations: 100,
  tolerance: 1e-8,
  restarts: 1,
  seed: 1,
  missingData: 'em',
  threads: 0,
  regularization: 1e-6,
  init: 'kmeans++',
};
