/**
 * The E-step as the tutorial lays it out (example 2): one row per distinct pattern of the
 * observed variables, its count `#`, and the posterior of each hidden variable given the
 * row, Pr(H | D, theta). A missing observed cell shows `?` with its imputed distribution
 * (example 1's "0.7, 0  0.3, 1").
 */
import type { BayesNetParametersJSON } from '../../../src/shared/results';
import { literal, trueStateIndex } from './cptTables';
import { formatCount, formatProbability } from './numberFormat';
import { textCell, type Cell, type TableModel } from './tableModel';

/** The bayesnet family's E-step view (IterationSnapshot.eStep, FitResult.finalEStep). */
export interface BayesNetEStepView {
  readonly observed: readonly string[];
  readonly hidden: readonly string[];
  readonly patterns: readonly EStepPattern[];
  /** States of every variable, for headers (when the engine gives them). */
  readonly states?: Readonly<Record<string, readonly string[]>>;
  /** Distinct patterns in all (more than `patterns.length` when truncated). */
  readonly totalPatterns?: number;
  readonly truncated?: boolean;
}

export interface EStepPattern {
  /** The observed values in `observed` order; null = missing. */
  readonly values: readonly (string | null)[];
  /** Weighted number of rows with this pattern. */
  readonly count: number;
  /** posteriors[H][s] = P(H = state s | pattern). */
  readonly posteriors: Readonly<Record<string, readonly number[]>>;
  /** imputed[X][s] = P(X = state s | pattern) for an observed X missing in the pattern. */
  readonly imputed?: Readonly<Record<string, readonly number[]>>;
}

const isStringArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((v) => typeof v === 'string');
const isNumberArray = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number');
const isRecordOfNumberArrays = (x: unknown): x is Record<string, number[]> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every(isNumberArray);

/** The view if `x` has the bayesnet E-step shape (other families give other shapes or none). */
export function asBayesNetEStep(x: unknown): BayesNetEStepView | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const v = x as Record<string, unknown>;
  if (!isStringArray(v.observed) || !isStringArray(v.hidden) || !Array.isArray(v.patterns)) return undefined;
  const n = v.observed.length;
  const ok = v.patterns.every((p: unknown) => {
    if (typeof p !== 'object' || p === null) return false;
    const q = p as Record<string, unknown>;
    return Array.isArray(q.values) && q.values.length === n && q.values.every((c) => c === null || typeof c === 'string')
      && typeof q.count === 'number' && isRecordOfNumberArrays(q.posteriors) && (q.imputed === undefined || isRecordOfNumberArrays(q.imputed));
  });
  return ok ? (v as unknown as BayesNetEStepView) : undefined;
}

/** True when some pattern has a missing observed cell. */
export function hasMissingCells(view: BayesNetEStepView): boolean {
  return view.patterns.some((p) => p.values.some((v) => v === null));
}

interface PosteriorColumn {
  readonly header: string;
  readonly hidden: string;
  readonly state: number;
  readonly stateName: string;
}

/**
 * The posterior columns: a binary false/true hidden variable gets one column, P(H | A, B)
 * (the probability of its true state, as the tutorial prints it); any other gets one column
 * per state, P(H=s | row).
 */
function posteriorColumns(view: BayesNetEStepView, params: BayesNetParametersJSON | undefined): PosteriorColumn[] {
  const cols: PosteriorColumn[] = [];
  const given = view.observed.join(', ');
  for (const h of view.hidden) {
    const states = view.states?.[h] ?? params?.cpts[h]?.states ?? view.patterns[0]?.posteriors[h]?.map((_, i) => String(i)) ?? [];
    const t = trueStateIndex(states);
    if (t !== undefined) cols.push({ header: `P(${h} | ${given})`, hidden: h, state: t, stateName: states[t] });
    else states.forEach((s, i) => cols.push({ header: `P(${h}=${s} | ${given})`, hidden: h, state: i, stateName: s }));
  }
  return cols;
}

/** A missing cell: `?` and the imputed distribution over the variable's states. */
function missingCellText(variable: string, imputed: readonly number[] | undefined, states: readonly string[] | undefined): Cell {
  if (!imputed) return textCell('?', { title: `${variable} is missing in these rows` });
  states ??= imputed.map((_, i) => String(i));
  const parts = imputed.map((p, i) => `${states[i]}: ${formatProbability(p)}`);
  return textCell(`? (${parts.join(', ')})`, { title: `${variable} is missing; filled in with the distribution ${imputed.map((p, i) => `P(${literal(variable, states[i], states)}) = ${p}`).join(', ')}` });
}

/** Key of a pattern for tests and the e2e run: `A=0,B=?`. */
export function patternKey(view: BayesNetEStepView, pattern: EStepPattern): string {
  return view.observed.map((o, i) => `${o}=${pattern.values[i] ?? '?'}`).join(',');
}

/** The tutorial's E-step table. `params` supplies state names (theta under which it was computed). */
export function eStepTable(view: BayesNetEStepView, params: BayesNetParametersJSON | undefined, caption: string, key = 'estep'): TableModel {
  const cols = posteriorColumns(view, params);
  const rows: Cell[][] = view.patterns.map((p) => {
    const pk = patternKey(view, p);
    return [
      ...view.observed.map((o, i) => (p.values[i] === null ? missingCellText(o, p.imputed?.[o], view.states?.[o] ?? params?.cpts[o]?.states) : textCell(p.values[i] as string))),
      textCell(formatCount(p.count), { numeric: true }),
      ...cols.map((c) => {
        const v = p.posteriors[c.hidden]?.[c.state] ?? NaN;
        return textCell(formatProbability(v), { numeric: true, title: `P(${c.hidden}=${c.stateName} | ${pk}) = ${v}`, key: `${key}|${pk}|${c.hidden}=${c.stateName}` });
      }),
    ];
  });
  const shown = view.truncated && view.totalPatterns !== undefined ? ` (the first ${view.patterns.length} of ${view.totalPatterns} patterns)` : '';
  return { caption: caption + shown, header: [...view.observed, '#', ...cols.map((c) => c.header)], rowHeaders: false, rows, key };
}

/** At most this many rows of a per-row E-step view are shown in the step-through. */
export const GENERIC_E_STEP_ROWS = 200;

/**
 * The E-step views of the other families as a table: a posterior table `{ columns, rows }`
 * (HMM: sequence, t, P(state=k), ...) or `{ rows, responsibilities }` (Gaussian mixture:
 * 1-based data rows and their K responsibilities). Undefined for any other shape.
 */
export function genericEStepTable(x: unknown, caption: string, key = 'estep'): TableModel | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const v = x as Record<string, unknown>;
  const cell = (value: unknown, column: string): Cell => {
    if (typeof value === 'number') return textCell(column.startsWith('P(') ? formatProbability(value) : Number.isInteger(value) ? String(value) : formatProbability(value), { numeric: true, title: String(value) });
    return textCell(typeof value === 'string' ? value : '');
  };
  const more = (n: number): string => (n > GENERIC_E_STEP_ROWS ? ` (the first ${GENERIC_E_STEP_ROWS} of ${n} rows)` : '');
  if (isStringArray(v.columns) && Array.isArray(v.rows) && v.rows.every((r) => Array.isArray(r))) {
    const columns = v.columns;
    const rows = (v.rows as unknown[][]).slice(0, GENERIC_E_STEP_ROWS).map((r) => columns.map((c, j) => cell(r[j], c)));
    return { caption: caption + more(v.rows.length), header: columns, rowHeaders: false, rows, key };
  }
  if (isNumberArray(v.rows) && Array.isArray(v.responsibilities) && v.responsibilities.every((r) => Array.isArray(r))) {
    const resp = v.responsibilities as unknown[][];
    const k = resp.reduce((m, r) => Math.max(m, r.length), 0);
    const header = ['row', ...Array.from({ length: k }, (_, j) => `P(component=${j + 1})`)];
    const rows = (v.rows as number[]).slice(0, GENERIC_E_STEP_ROWS).map((row, i) => [textCell(String(row), { numeric: true }), ...Array.from({ length: k }, (_, j) => cell(resp[i]?.[j], 'P('))]);
    return { caption: caption + more(v.rows.length), header, rowHeaders: false, rows, key };
  }
  return undefined;
}
