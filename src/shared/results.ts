/**
 * The one results shape shared by the CLI (`--json`), the inspector, hovers and exports.
 * See DESIGN.md "Results". Plain JSON data.
 */
import type { ModelKind } from './modelSpec';

export type StopReason = 'tolerance' | 'maxIterations' | 'cancelled' | 'decreased';

/** One CPT: rows keyed by parent configuration `"H=0,G=1"` (`""` for a root). */
export interface CptJSON {
  readonly parents: readonly string[];
  readonly states: readonly string[];
  /** Each row sums to 1, states in `states` order. */
  readonly rows: Readonly<Record<string, readonly number[]>>;
}

export interface BayesNetParametersJSON {
  readonly cpts: Readonly<Record<string, CptJSON>>;
}

export interface GaussianMixtureParametersJSON {
  readonly weights: readonly number[];
  /** K x D */
  readonly means: readonly (readonly number[])[];
  /** full [K][D][D] | diag [K][D] | spherical [K] | tied [D][D] */
  readonly covariances: unknown;
  readonly covariance: 'full' | 'diag' | 'spherical' | 'tied';
  /** Column names, D of them. */
  readonly columns: readonly string[];
}

export interface HmmParametersJSON {
  readonly startProbabilities: readonly number[];
  readonly transitions: readonly (readonly number[])[];
  readonly emission:
    | { readonly kind: 'gaussian'; readonly columns: readonly string[]; readonly covariance: 'full' | 'diag' | 'spherical' | 'tied'; readonly means: readonly (readonly number[])[]; readonly covariances: unknown }
    | { readonly kind: 'categorical'; readonly column: string; readonly symbols: readonly string[]; readonly probabilities: readonly (readonly number[])[] };
}

export type ParametersJSON = BayesNetParametersJSON | GaussianMixtureParametersJSON | HmmParametersJSON;

export interface RestartSummary {
  readonly seed: number;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly stopReason: StopReason;
  /** Log-likelihood history of this start (history[0] = at its initial parameters). */
  readonly history: readonly number[];
  /**
   * How this start's initial parameters were chosen, when they were screened from several
   * candidates (the Gaussian mixture's "kmeans++" start); absent for explicit ("given") and
   * plainly random starts. Describes work done before history[0]; not part of the fit's numbers.
   */
  readonly screening?: StartScreening;
}

/**
 * The screening of a "kmeans++" start (src/engine/gmm/gmmInitialization.ts): `candidates.length`
 * k-means++ seedings, each followed by one M-step from its hard assignment and `iterations`
 * short EM iterations on a sample of the rows; the candidate with the highest final
 * log-likelihood (among those whose covariances needed no repair) became the start.
 */
export interface StartScreening {
  readonly method: 'kmeans++';
  /** Used rows the screening ran on: a uniform random sample of them (`sampled`), or all of them. */
  readonly sampleRows: number;
  /** Sum of the sample's row weights (= sampleRows without a weight column): per-row values divide by it. */
  readonly sampleWeightedRows: number;
  /** true: a random subset of the used rows; false: every used row. */
  readonly sampled: boolean;
  /** Short EM iterations per candidate after the seeding's M-step. */
  readonly iterations: number;
  readonly candidates: readonly ScreeningCandidate[];
  /** 0-based index into `candidates` of the one that became the start. */
  readonly chosen: number;
}

export interface ScreeningCandidate {
  /**
   * log p(sample | theta), natural log summed over the sample's weighted rows (not over all
   * rows): [0] after the seeding's M-step, [t] after t short EM iterations (iterations + 1
   * values). null where the value is not finite (a degenerate candidate).
   */
  readonly logLikelihoods: readonly (number | null)[];
  /** A covariance of its final parameters had to be repaired: it ranks last whatever its value. */
  readonly repaired: boolean;
}

/**
 * One iteration for the step-through: iteration t (1-based) is the E-step under theta_{t-1}
 * followed by the M-step that gives theta_t, as the tutorial lays them out.
 */
export interface IterationSnapshot {
  readonly iteration: number;
  /** log p(x | theta_{t-1}): the log-likelihood the E-step computed. */
  readonly logLikelihoodBefore: number;
  /** Family-specific E-step view (for bayesnet: posteriors per distinct pattern). */
  readonly eStep: unknown;
  /** theta_t, the M-step's estimate. */
  readonly parameters: ParametersJSON;
  /** L(q_t, theta_t): the lower bound after the M-step, where the family can compute it. */
  readonly lowerBoundAfterMStep?: number;
}

/** Per-K summary when a list of component counts was fitted. */
export interface ModelSelectionRow {
  readonly components: number;
  readonly logLikelihood: number;
  readonly freeParameters: number;
  readonly bic: number;
  readonly aic: number;
  readonly best: boolean;
}

export interface FitResult {
  readonly kind: ModelKind;
  readonly name?: string;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly stopReason: StopReason;
  /** history[0] = at the initial parameters, history[t] = after t EM iterations (best restart). */
  readonly history: readonly number[];
  readonly restarts: readonly RestartSummary[];
  readonly parameters: ParametersJSON;
  /** The best restart's initial parameters (for "how it moved" in hovers and the inspector). */
  readonly initialParameters?: ParametersJSON;
  /** Weighted row count. */
  readonly rows: number;
  readonly freeParameters: number;
  readonly bic: number;
  readonly aic: number;
  readonly seconds: number;
  /** Human-readable warnings (collapsed component, rows dropped, ...). */
  readonly warnings?: readonly string[];
  /** Per-iteration snapshots of the best restart, when asked for. */
  readonly snapshots?: readonly IterationSnapshot[];
  /**
   * The family's E-step view (the shape of IterationSnapshot.eStep) at the returned
   * parameters, recorded with the snapshots: the inspector's posterior table for small data.
   */
  readonly finalEStep?: unknown;
  readonly modelSelection?: readonly ModelSelectionRow[];
  /** Missing-data strategy used (bayesnet/latent-class). */
  readonly missingData?: 'em' | 'drop' | 'fill-mode';
}
