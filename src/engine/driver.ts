/**
 * The EM driver: owns the loop, the restarts, cancellation, progress and snapshots, so that
 * a model family only fills in the hooks of family.ts.
 *
 * One start (tutorial, "EM: an iterative process"):
 *   theta_0 = initial parameters
 *   repeat: E-step  q_{t+1} = p(z | x, theta_t)       (also gives l(theta_t; x))
 *           stop if the gain per weighted row < tolerance, or t = maxIterations
 *           M-step  theta_{t+1} = argmax_theta L(q_{t+1}, theta)
 * The returned parameters are always the ones whose log-likelihood was computed last, so
 * `logLikelihood` is exactly the value at the returned parameters and maxIterations = 0
 * evaluates the initial parameters without a step.
 */
import type { FitResult, IterationSnapshot, RestartSummary, StopReason } from '../shared/results';
import { CancelledError } from '../shared/errors';
import { ConvergenceMonitor } from './convergenceMonitor';
import type { EStepExecutor, EStepOutput, ModelFamily } from './family';
import { Rng } from './rng';

export interface Progress {
  /** 0-based index of the current start. */
  readonly restart: number;
  readonly restarts: number;
  /** Completed iterations of the current start. */
  readonly iteration: number;
  readonly maxIterations: number;
  readonly logLikelihood: number;
}

export interface DriverOptions<P, S> {
  readonly maxIterations: number;
  readonly tolerance: number;
  /** Independent starts; the best (highest final objective) is kept, all are reported. */
  readonly restarts: number;
  /** Start r uses seed + r. */
  readonly seed: number;
  /** Explicit initial parameters for the first start (later starts are random). */
  readonly initialParameters?: P;
  /** Record per-iteration snapshots of every start (the best one's are returned). */
  readonly snapshots?: boolean;
  /** Polled between iterations: true stops the fit promptly with stop reason "cancelled". */
  readonly isCancelled?: () => boolean;
  /** Called after every E-step. */
  readonly onProgress?: (p: Progress, history: readonly number[]) => void;
  /** E-step over all units; default: the family's E-step in this thread. */
  readonly executor?: EStepExecutor<P, S>;
  readonly name?: string;
}

/** The fit plus the fitted parameters in the family's own (typed-array) form, for posteriors. */
export interface DriverOutput<P> {
  readonly result: FitResult;
  readonly parameters: P;
}

interface StartOutcome<P> {
  readonly summary: RestartSummary;
  readonly parameters: P;
  readonly initial: P;
  readonly objective: number;
  readonly snapshots?: IterationSnapshot[];
  readonly decreases: readonly number[];
}

/** Run EM with restarts; rejects with CancelledError only if no start produced any value. */
export async function runEM<D, P, S>(family: ModelFamily<D, P, S>, data: D, options: DriverOptions<P, S>): Promise<DriverOutput<P>> {
  const t0 = performance.now();
  const executor: EStepExecutor<P, S> = options.executor ?? { eStep: (p) => family.eStep(data, p) };
  const outcomes: StartOutcome<P>[] = [];
  const restarts = Math.max(1, Math.floor(options.restarts));
  let cancelled = false;
  for (let r = 0; r < restarts && !cancelled; r++) {
    const seed = options.seed + r;
    const initial = r === 0 && options.initialParameters !== undefined ? options.initialParameters : family.initialize(data, new Rng(seed));
    const outcome = await runStart(family, data, executor, initial, seed, r, restarts, options);
    if (outcome === undefined) break;
    outcomes.push(outcome);
    cancelled = outcome.summary.stopReason === 'cancelled';
  }
  if (outcomes.length === 0) throw new CancelledError();

  let best = outcomes[0];
  for (const o of outcomes) if (o.objective > best.objective) best = o;

  const parameters = family.canonicalize ? family.canonicalize(best.parameters, data) : best.parameters;
  const n = family.weightedRows(data);
  const k = family.freeParameters(parameters);
  const ll = best.summary.logLikelihood;
  const warnings = family.warnings ? family.warnings(parameters, data) : [];
  for (const o of outcomes) {
    if (o.decreases.length > 0) warnings.push(`start with seed ${o.summary.seed}: the log-likelihood fell at iteration ${o.decreases.join(', ')} beyond rounding; the fit stopped there`);
  }
  const result: FitResult = {
    kind: family.kind,
    ...(options.name !== undefined ? { name: options.name } : {}),
    logLikelihood: ll,
    iterations: best.summary.iterations,
    converged: best.summary.converged,
    stopReason: best.summary.stopReason,
    history: best.summary.history,
    restarts: outcomes.map((o) => o.summary),
    parameters: family.toJSON(parameters),
    initialParameters: family.toJSON(best.initial),
    rows: n,
    freeParameters: k,
    bic: -2 * ll + k * Math.log(n),
    aic: -2 * ll + 2 * k,
    seconds: (performance.now() - t0) / 1000,
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(best.snapshots ? { snapshots: best.snapshots } : {}),
    ...(best.snapshots && family.snapshotEStep ? { finalEStep: family.snapshotEStep(data, parameters) } : {}),
  };
  return { result, parameters };
}

async function runStart<D, P, S>(
  family: ModelFamily<D, P, S>,
  data: D,
  executor: EStepExecutor<P, S>,
  initial: P,
  seed: number,
  restart: number,
  restarts: number,
  options: DriverOptions<P, S>,
): Promise<StartOutcome<P> | undefined> {
  const monitor = new ConvergenceMonitor({
    maxIterations: Math.max(0, Math.floor(options.maxIterations)),
    tolerance: options.tolerance,
    weightedRows: family.weightedRows(data),
    ...(family.decreaseTolerance !== undefined ? { decreaseTolerance: family.decreaseTolerance } : {}),
  });
  const snapshots: IterationSnapshot[] | undefined = options.snapshots ? [] : undefined;
  let params = initial;
  let previous: P | undefined;
  let stopReason: StopReason | undefined;
  for (;;) {
    if (options.isCancelled?.()) {
      if (previous === undefined) return undefined; // nothing evaluated yet in this start
      // params came from an M-step whose log-likelihood is unknown: return the last evaluated ones
      params = previous;
      stopReason = 'cancelled';
      break;
    }
    const out: EStepOutput<S> = await executor.eStep(params);
    const ll = out.logLikelihood;
    const objective = ll + (family.logPrior ? family.logPrior(params) : 0);
    if (!Number.isFinite(ll) || !Number.isFinite(objective)) {
      throw new Error(`the log-likelihood is not finite (${ll}) at iteration ${monitor.iterations}`);
    }
    stopReason = monitor.report(ll, objective);
    options.onProgress?.({ restart, restarts, iteration: monitor.iterations, maxIterations: options.maxIterations, logLikelihood: ll }, monitor.history);
    if (stopReason === 'decreased' && previous !== undefined) {
      // keep the better parameters: the last ones before the fall
      monitor.history.pop();
      monitor.objective.pop();
      params = previous;
      break;
    }
    if (stopReason !== undefined) break;
    const next = family.mStep(out.stats, params, data);
    if (snapshots) {
      snapshots.push({
        iteration: monitor.iterations + 1,
        logLikelihoodBefore: ll,
        eStep: family.snapshotEStep ? family.snapshotEStep(data, params) : undefined,
        parameters: family.toJSON(next),
        ...(family.lowerBound ? { lowerBoundAfterMStep: family.lowerBound(out.stats, next) } : {}),
      });
    }
    previous = params;
    params = next;
  }
  if (snapshots) snapshots.length = Math.min(snapshots.length, monitor.iterations);
  const history = monitor.history.slice();
  // how the family chose this start, if it screened candidates (recorded during initialize)
  const screening = family.startScreening?.(initial);
  const summary: RestartSummary = {
    seed,
    logLikelihood: history[history.length - 1],
    iterations: monitor.iterations,
    converged: stopReason === 'tolerance',
    stopReason,
    history,
    ...(screening !== undefined ? { screening } : {}),
  };
  return { summary, parameters: params, initial, objective: monitor.objective[monitor.objective.length - 1], decreases: monitor.decreases, ...(snapshots ? { snapshots } : {}) };
}
