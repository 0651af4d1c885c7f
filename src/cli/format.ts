/**
 * Readable text for a fit, in the tutorial's layout for small models: CPTs as tables, the
 * E-step's posterior table per distinct pattern, each iteration's M-step estimates.
 */
import type {
  BayesNetParametersJSON,
  FitResult,
  GaussianMixtureParametersJSON,
  HmmParametersJSON,
  IterationSnapshot,
  ParametersJSON,
  StartScreening,
} from '../shared/results';
import { describeScreeningRows, distinguishingDecimals, rankScreening } from '../shared/startScreening';

/** A number for a table: 4 decimals for probabilities, more significant digits for others. */
export function num(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-4)) return x.toExponential(digits - 1);
  return x.toFixed(digits);
}

/** Rows of cells -> aligned text (first column left-aligned, the rest right-aligned). */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => indent + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

function isBayesNet(p: ParametersJSON): p is BayesNetParametersJSON {
  return 'cpts' in p;
}
function isMixture(p: ParametersJSON): p is GaussianMixtureParametersJSON {
  return 'weights' in p && 'means' in p;
}
function isHmm(p: ParametersJSON): p is HmmParametersJSON {
  return 'transitions' in p;
}

export function formatParameters(p: ParametersJSON): string {
  if (isBayesNet(p)) return formatCpts(p);
  if (isMixture(p)) return formatMixture(p);
  if (isHmm(p)) return formatHmm(p);
  return JSON.stringify(p, null, 2);
}

function formatCpts(p: BayesNetParametersJSON): string {
  const out: string[] = [];
  for (const [name, cpt] of Object.entries(p.cpts)) {
    const title = cpt.parents.length ? `P(${name} | ${cpt.parents.join(', ')})` : `P(${name})`;
    const header = [cpt.parents.length ? cpt.parents.join(',') : '', ...cpt.states.map((s) => `${name}=${s}`)];
    const rows = Object.entries(cpt.rows).map(([key, probs]) => [key, ...probs.map((x) => num(x))]);
    out.push(`${title}\n${table([header, ...rows])}`);
  }
  return out.join('\n\n');
}

function matrix(m: readonly (readonly number[])[], rowLabel: (i: number) => string, colLabels: readonly string[]): string {
  return table([['', ...colLabels], ...m.map((r, i) => [rowLabel(i), ...r.map((x) => num(x))])]);
}

function formatCovariances(kind: string, cov: unknown, columns: readonly string[], k: number, unit = 'component'): string {
  const c = cov as number[] | number[][] | number[][][];
  switch (kind) {
    case 'full':
      return (c as number[][][]).map((m, i) => `${unit} ${i + 1}\n${matrix(m, (j) => columns[j], columns)}`).join('\n');
    case 'diag':
      return matrix(c as number[][], (i) => `${unit} ${i + 1}`, columns);
    case 'spherical':
      return table([['', 'variance'], ...(c as number[]).map((v, i) => [`${unit} ${i + 1}`, num(v)])]);
    case 'tied':
      return `shared by all ${k} ${unit}s\n${matrix(c as number[][], (j) => columns[j], columns)}`;
    default:
      return JSON.stringify(cov);
  }
}

function formatMixture(p: GaussianMixtureParametersJSON): string {
  const k = p.weights.length;
  const rows = p.means.map((m, i) => [`component ${i + 1}`, num(p.weights[i]), ...m.map((x) => num(x))]);
  return `weights and means\n${table([['', 'weight', ...p.columns], ...rows])}\n\ncovariances (${p.covariance})\n${formatCovariances(p.covariance, p.covariances, p.columns, k)}`;
}

function formatHmm(p: HmmParametersJSON): string {
  const k = p.startProbabilities.length;
  const states = Array.from({ length: k }, (_, i) => `state ${i + 1}`);
  const parts = [
    `start probabilities\n${table([states, p.startProbabilities.map((x) => num(x))])}`,
    `transitions (row: from, column: to)\n${matrix(p.transitions, (i) => states[i], states)}`,
  ];
  const e = p.emission;
  if (e.kind === 'categorical') parts.push(`emission probabilities (${e.column})\n${matrix(e.probabilities, (i) => states[i], e.symbols)}`);
  else parts.push(`emission means\n${matrix(e.means, (i) => states[i], e.columns)}\n\nemission covariances (${e.covariance})\n${formatCovariances(e.covariance, e.covariances, e.columns, k, 'state')}`);
  return parts.join('\n\n');
}

/** The bayesnet family's E-step view (IterationSnapshot.eStep). */
interface PatternTable {
  readonly observed: readonly string[];
  readonly hidden: readonly string[];
  readonly patterns: readonly {
    readonly values: readonly (string | null)[];
    readonly count: number;
    readonly posteriors: Readonly<Record<string, readonly number[]>>;
    readonly imputed?: Readonly<Record<string, readonly number[]>>;
  }[];
  readonly states?: Readonly<Record<string, readonly string[]>>;
  readonly truncated?: boolean;
}

function isPatternTable(v: unknown): v is PatternTable {
  return typeof v === 'object' && v !== null && Array.isArray((v as PatternTable).patterns) && Array.isArray((v as PatternTable).observed);
}

/** The tutorial's E-step table: one line per distinct pattern, its count `#` and P(hidden | pattern). */
export function formatEStep(view: unknown, parameters?: ParametersJSON): string {
  if (!isPatternTable(view)) return '  (no per-pattern view for this model)';
  const statesOf = (v: string): readonly string[] => view.states?.[v] ?? (parameters && isBayesNet(parameters) ? parameters.cpts[v]?.states : undefined) ?? [];
  const postCols: { label: string; get: (p: PatternTable['patterns'][number]) => string }[] = [];
  for (const h of view.hidden) {
    const states = statesOf(h);
    const shown = states.length === 2 ? [1] : states.map((_, i) => i);
    for (const s of shown) postCols.push({ label: `P(${h}=${states[s] ?? s} | row)`, get: (p) => num(p.posteriors[h]?.[s] ?? NaN) });
  }
  const imputedVars = [...new Set(view.patterns.flatMap((p) => Object.keys(p.imputed ?? {})))];
  for (const v of imputedVars) {
    const states = statesOf(v);
    states.forEach((s, i) => postCols.push({ label: `P(${v}=${s} | row)`, get: (p) => (p.imputed?.[v] ? num(p.imputed[v][i]) : '') }));
  }
  const header = [...view.observed, '#', ...postCols.map((c) => c.label)];
  const rows = view.patterns.map((p) => [...p.values.map((v) => v ?? '?'), num(p.count, p.count % 1 === 0 ? 0 : 3), ...postCols.map((c) => c.get(p))]);
  const [first, ...rest] = header;
  return table([[first, ...rest], ...rows]) + (view.truncated ? '\n  (first patterns only)' : '');
}

export function formatIterations(result: FitResult, which: 'all' | readonly number[]): string {
  const snaps: readonly IterationSnapshot[] = result.snapshots ?? [];
  const wanted = which === 'all' ? snaps : snaps.filter((s) => which.includes(s.iteration));
  const out: string[] = [];
  for (const s of wanted) {
    const after = result.history[s.iteration];
    out.push(
      `Iteration ${s.iteration}: E-step (posteriors under the estimate of iteration ${s.iteration - 1}; log-likelihood ${num(s.logLikelihoodBefore, 6)})\n` +
        formatEStep(s.eStep, s.parameters) +
        `\n\nIteration ${s.iteration}: M-step (parameters re-estimated${after !== undefined ? `; log-likelihood ${num(after, 6)}` : ''}${s.lowerBoundAfterMStep !== undefined ? `; lower bound L(q, theta) ${num(s.lowerBoundAfterMStep, 6)}` : ''})\n` +
        formatParameters(s.parameters),
    );
  }
  if (which !== 'all') {
    const missing = which.filter((t) => !snaps.some((s) => s.iteration === t));
    if (missing.length) out.push(`(iteration ${missing.join(', ')} not reached: the fit stopped after ${result.iterations})`);
  }
  return out.join('\n\n');
}

/**
 * How a screened start was chosen, in one phrase: "best of 10 k-means++ candidates after 10 EM
 * iterations on 20,000 sampled rows (log-likelihood per row -1.42, next best -1.45)". The
 * per-row values are on the screening's rows, not on the whole data.
 */
export function formatScreening(s: StartScreening): string {
  const rank = rankScreening(s);
  const n = s.candidates.length;
  const head = `best of ${n} k-means++ candidate${n === 1 ? '' : 's'} after ${s.iterations} EM iteration${s.iterations === 1 ? '' : 's'} on ${describeScreeningRows(s)}`;
  if (rank.repaired === n) return `${head} (every candidate needed a covariance repair; the first was kept)`;
  const values: string[] = [];
  if (rank.chosenPerRow !== null) {
    const decimals = distinguishingDecimals(rank.chosenPerRow, rank.runnerUpPerRow);
    values.push(`log-likelihood per row ${rank.chosenPerRow.toFixed(decimals)}`);
    if (rank.runnerUpPerRow !== undefined) {
      const runnerUp = rank.runnerUpPerRow.toFixed(decimals);
      // candidates that reached the same point print alike: say so rather than print a tie
      values.push(runnerUp === rank.chosenPerRow.toFixed(decimals) ? `next best the same to ${decimals} decimals` : `next best ${runnerUp}`);
    }
  }
  if (rank.repaired > 0) values.push(`${rank.repaired} ranked last: a covariance needed repair`);
  return values.length > 0 ? `${head} (${values.join(', ')})` : head;
}

/** One line per screened start: "start: ..." for a single start, "start (seed 4): ..." for several. */
function formatStarts(result: FitResult): string[] {
  const several = result.restarts.length > 1;
  return result.restarts.flatMap((r) => (r.screening ? [`start${several ? ` (seed ${r.seed})` : ''}: ${formatScreening(r.screening)}`] : []));
}

export function formatResult(result: FitResult, dataLabel: string): string {
  const lines: string[] = [];
  lines.push(`${result.name ? result.name + '  ' : ''}(${result.kind}, ${num(result.rows, result.rows % 1 === 0 ? 0 : 2)} rows, ${dataLabel})`);
  const how = result.converged ? 'converged' : `stopped: ${result.stopReason}`;
  lines.push(`log-likelihood ${num(result.logLikelihood, 6)} after ${result.iterations} iteration${result.iterations === 1 ? '' : 's'} (${how})`);
  lines.push(`BIC ${num(result.bic, 4)}  AIC ${num(result.aic, 4)}  free parameters ${result.freeParameters}  ${result.seconds.toFixed(3)} s${result.missingData ? `  missing data: ${result.missingData}` : ''}`);
  if (result.restarts.length > 1) {
    lines.push('', 'restarts');
    // the driver keeps the first start with the highest value
    const best = result.restarts.findIndex((r) => r.logLikelihood === result.logLikelihood);
    lines.push(table([['seed', 'log-likelihood', 'iterations', 'stop'], ...result.restarts.map((r, i) => [String(r.seed) + (i === best ? ' *' : ''), num(r.logLikelihood, 6), String(r.iterations), r.stopReason])]));
  }
  const starts = formatStarts(result);
  if (starts.length > 0) lines.push('', ...starts);
  if (result.modelSelection) {
    lines.push('', 'model selection (lower BIC is better)');
    lines.push(table([['components', 'log-likelihood', 'parameters', 'BIC', 'AIC'], ...result.modelSelection.map((m) => [String(m.components) + (m.best ? ' *' : ''), num(m.logLikelihood, 4), String(m.freeParameters), num(m.bic, 4), num(m.aic, 4)])]));
  }
  lines.push('', formatParameters(result.parameters));
  if (result.warnings?.length) lines.push('', ...result.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n');
}

/** The tutorial's example 1: the three ways of handling missing cells, side by side. */
export function formatMissingDataComparison(results: Readonly<Record<'drop' | 'fill-mode' | 'em', FitResult>>): string {
  const strategies = ['drop', 'fill-mode', 'em'] as const;
  const first = results.em.parameters;
  const out: string[] = ['missing data, three ways: drop = ignore incomplete rows; fill-mode = fill in the best guess; em = fill in with a distribution (soft EM)'];
  if (isBayesNet(first)) {
    const rows: string[][] = [['', ...strategies]];
    for (const [name, cpt] of Object.entries(first.cpts)) {
      for (const key of Object.keys(cpt.rows)) {
        cpt.states.forEach((s, i) => {
          const label = `P(${name}=${s}${key ? ' | ' + key : ''})`;
          rows.push([label, ...strategies.map((st) => {
            const p = results[st].parameters as BayesNetParametersJSON;
            return num(p.cpts[name]?.rows[key]?.[i] ?? NaN);
          })]);
        });
      }
    }
    const joint = strategies.map((st) => jointOf(results[st].parameters as BayesNetParametersJSON));
    if (joint.every((j) => j !== undefined)) {
      rows.push(['', '', '', '']);
      for (const key of Object.keys(joint[0]!)) rows.push([`P(${key})`, ...joint.map((j) => num(j![key]))]);
    }
    out.push(table(rows));
  } else {
    for (const st of strategies) out.push(`${st}:\n${formatParameters(results[st].parameters)}`);
  }
  out.push(table([['log-likelihood', ...strategies.map((st) => num(results[st].logLikelihood, 6))], ['rows', ...strategies.map((st) => num(results[st].rows, 0))]]));
  return out.join('\n');
}

/**
 * The joint distribution of a small network's variables (the tutorial's 2x2 table), by
 * multiplying the CPTs over every joint state; undefined when that is more than 64 states.
 */
export function jointOf(p: BayesNetParametersJSON): Record<string, number> | undefined {
  const names = Object.keys(p.cpts);
  const size = names.reduce((s, n) => s * p.cpts[n].states.length, 1);
  if (size > 64) return undefined;
  const out: Record<string, number> = {};
  const idx = new Array<number>(names.length).fill(0);
  for (let t = 0; t < size; t++) {
    let prob = 1;
    names.forEach((n, i) => {
      const cpt = p.cpts[n];
      const key = cpt.parents.map((q) => `${q}=${p.cpts[q].states[idx[names.indexOf(q)]]}`).join(',');
      prob *= cpt.rows[key]?.[idx[i]] ?? NaN;
    });
    out[names.map((n, i) => `${n}=${p.cpts[n].states[idx[i]]}`).join(',')] = prob;
    for (let i = names.length - 1; i >= 0; i--) {
      if (++idx[i] < p.cpts[names[i]].states.length) break;
      idx[i] = 0;
    }
  }
  return out;
}
