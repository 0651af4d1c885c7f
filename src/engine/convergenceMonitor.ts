/**
 * Keeps the log-likelihood history of one start and decides when to stop, as hmmlearn's
 * ConvergenceMonitor does. EM's log-likelihood (or, with a prior, log posterior) never falls
 * (the tutorial: "each iteration increases the log likelihood"); a fall larger than rounding
 * is reported as the stop reason "decreased", because it means the numbers can't be trusted.
 */
import type { StopReason } from '../shared/results';

/** A fall of the objective smaller than this (relative) is rounding, not a decrease. */
export const DECREASE_TOLERANCE = 1e-9;

export interface MonitorOptions {
  readonly maxIterations: number;
  /** Stop when the gain per weighted row falls below this. */
  readonly tolerance: number;
  /** Weighted row count that the gain is divided by. */
  readonly weightedRows: number;
  /** A larger relative fall that still counts as rounding (see ModelFamily.decreaseTolerance). */
  readonly decreaseTolerance?: number;
}

export class ConvergenceMonitor {
  /** Log-likelihood after each iteration; history[0] at the initial parameters. */
  readonly history: number[] = [];
  /** The objective EM climbs (log-likelihood plus log prior); equal to history without a prior. */
  readonly objective: number[] = [];
  /** Iterations (0-based index into history) where the objective fell beyond rounding. */
  readonly decreases: number[] = [];

  constructor(private readonly options: MonitorOptions) {}

  /** Number of completed EM iterations (M-steps) so far. */
  get iterations(): number {
    return Math.max(0, this.history.length - 1);
  }

  /**
   * Record the values at the current parameters and say whether to stop before another
   * M-step: the reason, or undefined to go on.
   */
  report(logLikelihood: number, objective = logLikelihood): StopReason | undefined {
    this.history.push(logLikelihood);
    this.objective.push(objective);
    const n = this.objective.length;
    if (n >= 2) {
      const prev = this.objective[n - 2];
      const gain = objective - prev;
      if (gain < -Math.max(DECREASE_TOLERANCE, this.options.decreaseTolerance ?? 0) * Math.max(1, Math.abs(prev))) {
        this.decreases.push(n - 1);
        return 'decreased';
      }
      if (gain / Math.max(this.options.weightedRows, 1e-300) < this.options.tolerance) return 'tolerance';
    }
    if (this.iterations >= this.options.maxIterations) return 'maxIterations';
    return undefined;
  }
}
