/**
 * The step-through's view of one E-step, laid out as the tutorial's tables: one line per
 * distinct pattern with its count, the posterior of every hidden variable (example 2's
 * "Pr(H^m | D^m, theta)") and, for missing cells, the distribution they are filled with
 * (example 1's "fill in with distribution").
 */
import { PatternInference } from './patternInference';
import type { BayesNetData, BayesNetParameters } from './types';

/** At most this many patterns are shown (the first ones in data order). */
export const E_STEP_VIEW_MAX_PATTERNS = 500;

export interface BayesNetEStepPattern {
  /** State of each observed variable (in `observed` order); null = missing. */
  readonly values: readonly (string | null)[];
  /** Summed row weight of the pattern. */
  readonly count: number;
  /** log p(observed cells) under the parameters of this E-step (-Infinity if impossible). */
  readonly logLikelihood: number;
  /** q(H = s | pattern) for every hidden variable H, states in declared order. */
  readonly posteriors: Readonly<Record<string, readonly number[]>>;
  /** For the pattern's missing cells: q(B = s | pattern), states in declared order. */
  readonly imputed?: Readonly<Record<string, readonly number[]>>;
}

export interface BayesNetEStepView {
  /** Observed variable names, in the order of `values`. */
  readonly observed: readonly string[];
  readonly hidden: readonly string[];
  /** States of every variable, for headers. */
  readonly states: Readonly<Record<string, readonly string[]>>;
  readonly patterns: readonly BayesNetEStepPattern[];
  /** Number of distinct patterns that carry weight (may exceed `patterns.length`). */
  readonly totalPatterns: number;
  /** True when only the first E_STEP_VIEW_MAX_PATTERNS patterns are shown. */
  readonly truncated: boolean;
  /** What the table shows, for the view's caption. */
  readonly note: string;
}

export function bayesNetEStepView(data: BayesNetData, params: BayesNetParameters): BayesNetEStepView {
  const { network, tree, patterns } = data;
  const inference = new PatternInference(network, tree, params.theta);
  const width = network.observed.length;
  const hiddenVars: number[] = [];
  for (let v = 0; v < network.names.length; v++) if (network.hidden[v]) hiddenVars.push(v);
  const rows: BayesNetEStepPattern[] = [];
  let total = 0;
  for (let p = 0; p < patterns.counts.length; p++) {
    if (patterns.counts[p] === 0) continue;
    total++;
    if (rows.length >= E_STEP_VIEW_MAX_PATTERNS) continue;
    const ll = inference.infer(patterns.codes, p, true);
    const values: (string | null)[] = [];
    const imputed: Record<string, number[]> = {};
    let anyMissing = false;
    for (let j = 0; j < width; j++) {
      const v = network.observed[j];
      const code = patterns.codes[p * width + j];
      values.push(code < 0 ? null : network.states[v][code]);
      if (code < 0) {
        anyMissing = true;
        imputed[network.names[v]] = marginal(inference, v, network.cards[v], ll);
      }
    }
    const posteriors: Record<string, number[]> = {};
    for (const v of hiddenVars) posteriors[network.names[v]] = marginal(inference, v, network.cards[v], ll);
    rows.push({ values, count: patterns.counts[p], logLikelihood: ll, posteriors, ...(anyMissing ? { imputed } : {}) });
  }
  const truncated = total > rows.length;
  return {
    observed: Array.from(network.observed, (v) => network.names[v]),
    hidden: hiddenVars.map((v) => network.names[v]),
    states: Object.fromEntries(network.names.map((name, v) => [name, network.states[v].slice()])),
    patterns: rows,
    totalPatterns: total,
    truncated,
    note: truncated
      ? `the first ${rows.length} of ${total} distinct patterns (in data order); posteriors of the hidden variables and distributions of the missing cells`
      : `all ${total} distinct patterns; posteriors of the hidden variables and distributions of the missing cells`,
  };
}

function marginal(inference: PatternInference, v: number, card: number, ll: number): number[] {
  const out = new Array<number>(card).fill(NaN);
  if (ll > -Infinity) inference.variableMarginal(v, out);
  return out;
}
