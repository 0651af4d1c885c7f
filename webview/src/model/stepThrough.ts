/**
 * The step-through: iteration t replays the tutorial's pair of steps,
 *   E-step  q_t = p(z | x, theta_{t-1})      (the posterior table, under the previous parameters)
 *   M-step  theta_t = argmax L(q_t, theta)   (the new parameters)
 * from the recorded snapshots (IterationSnapshot t-1 holds the E-step under theta_{t-1} and
 * theta_t). Iteration 0 shows the initial parameters theta_0.
 *
 * The lower bound (tutorial, "Auxiliary function L(q, theta)"): after the E-step the bound
 * touches the log-likelihood, L(q_t, theta_{t-1}) = log p(x | theta_{t-1}); the M-step raises
 * the bound, L(q_t, theta_t) >= L(q_t, theta_{t-1}); and the bound stays below the new
 * log-likelihood, L(q_t, theta_t) <= log p(x | theta_t).
 */
import type { FitResult, ParametersJSON } from '../../../src/shared/results';

export interface StepView {
  /** t: 0 = the initial parameters, t >= 1 = after t EM iterations. */
  readonly iteration: number;
  readonly firstIteration: number;
  readonly lastIteration: number;
  /** The E-step view under theta_{t-1} (t >= 1). */
  readonly eStep?: unknown;
  /** theta_{t-1}: the parameters the E-step used, and the reference for the M-step's changes. */
  readonly previousParameters?: ParametersJSON;
  /** theta_t. */
  readonly parameters: ParametersJSON;
  /** log p(x | theta_{t-1}), which equals L(q_t, theta_{t-1}) right after the E-step. */
  readonly logLikelihoodBefore?: number;
  /** L(q_t, theta_t), where the family computes it. */
  readonly lowerBoundAfterMStep?: number;
  /** log p(x | theta_t). */
  readonly logLikelihoodAfter?: number;
}

/** The iterations the step-through can show: [first, last]; undefined without snapshots. */
export function stepRange(result: FitResult): { readonly first: number; readonly last: number } | undefined {
  const n = result.snapshots?.length ?? 0;
  if (n === 0) return undefined;
  return { first: result.initialParameters ? 0 : 1, last: n };
}

export function clampIteration(t: number, range: { readonly first: number; readonly last: number }): number {
  if (!Number.isFinite(t)) return range.first;
  return Math.min(range.last, Math.max(range.first, Math.round(t)));
}

/** The tutorial's stops (example 2 shows iterations 1, 2, 5 and 10) that this run reaches. */
export function tutorialStops(range: { readonly first: number; readonly last: number }): number[] {
  return [1, 2, 5, 10].filter((t) => t >= range.first && t <= range.last);
}

export function stepAt(result: FitResult, t: number): StepView | undefined {
  const range = stepRange(result);
  const snapshots = result.snapshots;
  if (!range || !snapshots) return undefined;
  const iteration = clampIteration(t, range);
  const after = result.history[iteration];
  if (iteration === 0) {
    return {
      iteration, firstIteration: range.first, lastIteration: range.last,
      parameters: result.initialParameters as ParametersJSON,
      ...(after !== undefined ? { logLikelihoodAfter: after } : {}),
    };
  }
  const snap = snapshots[iteration - 1];
  const previous = iteration === 1 ? result.initialParameters : snapshots[iteration - 2].parameters;
  return {
    iteration, firstIteration: range.first, lastIteration: range.last,
    eStep: snap.eStep,
    ...(previous !== undefined ? { previousParameters: previous } : {}),
    parameters: snap.parameters,
    logLikelihoodBefore: snap.logLikelihoodBefore,
    ...(snap.lowerBoundAfterMStep !== undefined ? { lowerBoundAfterMStep: snap.lowerBoundAfterMStep } : {}),
    ...(after !== undefined ? { logLikelihoodAfter: after } : {}),
  };
}

const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';

/** `t` in subscript digits: 12 -> ₁₂. */
export function subscript(t: number): string {
  return String(t).replace(/[0-9]/g, (d) => SUBSCRIPT[Number(d)]);
}

/** θ with iteration t as a subscript, as the tutorial writes θ^(t). */
export function theta(t: number): string {
  return `θ${subscript(t)}`;
}

/** One line of the bound's story at iteration t. */
export interface BoundLine {
  readonly label: string;
  readonly value: number;
  /** How this line relates to the one before: `=` or `≤`. */
  readonly relation: '' | '=' | '≤';
  readonly note: string;
}

/**
 * log p(x | theta_{t-1}) = L(q_t, theta_{t-1}) ≤ L(q_t, theta_t) ≤ log p(x | theta_t), with the
 * values this run recorded (lines whose value is unknown are left out).
 */
export function boundLines(step: StepView): BoundLine[] {
  const t = step.iteration;
  const lines: BoundLine[] = [];
  if (t === 0) {
    if (step.logLikelihoodAfter !== undefined) lines.push({ label: `log p(x | ${theta(0)})`, value: step.logLikelihoodAfter, relation: '', note: 'log-likelihood at the initial parameters' });
    return lines;
  }
  const prev = theta(t - 1);
  const cur = theta(t);
  const q = `q${subscript(t)}`;
  if (step.logLikelihoodBefore !== undefined) {
    lines.push({ label: `log p(x | ${prev})`, value: step.logLikelihoodBefore, relation: '', note: 'log-likelihood before the step' });
    lines.push({ label: `L(${q}, ${prev})`, value: step.logLikelihoodBefore, relation: '=', note: 'after the E-step the bound touches the log-likelihood' });
  }
  if (step.lowerBoundAfterMStep !== undefined) lines.push({ label: `L(${q}, ${cur})`, value: step.lowerBoundAfterMStep, relation: '≤', note: 'the M-step raises the bound' });
  if (step.logLikelihoodAfter !== undefined) lines.push({ label: `log p(x | ${cur})`, value: step.logLikelihoodAfter, relation: '≤', note: 'the new log-likelihood lies above the bound' });
  return lines;
}

/** True when every `≤` of the chain holds up to rounding (relative 1e-9). */
export function boundChainHolds(lines: readonly BoundLine[]): boolean {
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1].value;
    const b = lines[i].value;
    const slack = 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
    if (lines[i].relation === '≤' && b < a - slack) return false;
    if (lines[i].relation === '=' && Math.abs(b - a) > slack) return false;
  }
  return true;
}
