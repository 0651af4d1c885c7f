/**
 * What the forward-backward pass needs from an emission model, for one E-step under fixed
 * parameters: log densities of a block of steps, and the accumulation of the emission's
 * sufficient statistics once the state posteriors gamma of that block are known.
 * Kernels precompute what depends only on the parameters (Cholesky factors, log
 * probabilities) once per E-step, so the per-step loops allocate nothing.
 */
import type { EmissionStats } from './hmmParameters';

export interface EmissionKernel {
  /**
   * out[t*K + k] = log b_k(x_{first+t}) for t in [0, length): the log density of step
   * first+t under state k, marginal over its missing cells; 0 (factor 1) when every cell of
   * the step is missing.
   */
  logDensities(first: number, length: number, out: Float64Array): void;
  /** Add the emission statistics of steps [first, first+length) whose posteriors are gamma[t*K + k]. */
  accumulate(first: number, length: number, gamma: Float64Array, stats: EmissionStats): void;
  /** Add what is per E-step rather than per step (conditional covariances of missing cells) and reset. */
  finish(stats: EmissionStats): void;
}
