/**
 * The k-means++ screening panel's data (beside the convergence chart): how a Gaussian
 * mixture's start was chosen before iteration 0 (results.ts StartScreening). Each candidate's
 * log-likelihood after its seeding's M-step and after each short EM iteration, divided by the
 * screening's weighted rows, so that a 20,000-row sample and the whole data read on one
 * per-row scale; the chosen candidate's last value is the start the convergence curve begins at.
 */
import type { FitResult, StartScreening } from '../../../src/shared/results';
import { describeScreeningRows, groupDigits, perSampleRow, rankScreening } from '../../../src/shared/startScreening';
import { bestRestart } from './convergenceSeries';
import { formatLogLikelihood } from './numberFormat';
import { textCell, type TableModel } from './tableModel';

export interface ScreeningLine {
  /** 0-based candidate index. */
  readonly candidate: number;
  readonly label: string;
  readonly chosen: boolean;
  readonly repaired: boolean;
  /** values[t]: log-likelihood per sample row after t short iterations (t = 0: after the seeding); null where not finite. */
  readonly values: readonly (number | null)[];
}

export interface ScreeningSeries {
  /** 0-based restart whose start this screening chose. */
  readonly restart: number;
  readonly seed: number;
  /** Several restarts: the title names this one. */
  readonly ofRestarts: number;
  readonly screening: StartScreening;
  /** "k-means++ screening: 10 candidates, 10 EM iterations each on 20,000 sampled rows; the best became the start" */
  readonly title: string;
  /** Short iterations 0..iterations (0 = after the seeding's M-step). */
  readonly x: readonly number[];
  /** One line per candidate, in candidate order. */
  readonly lines: readonly ScreeningLine[];
  /** What the panel says under its title: the scale, and where the start lands on the main curve. */
  readonly note: string;
}

export const SCREENING_Y_LABEL = 'log-likelihood per row';

/**
 * A log-likelihood per row: six decimals, as a total over N rows with four decimals would need
 * about log10(N) + 4 of them; candidates that part late differ only there.
 */
export function formatPerRow(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e5 ? x.toExponential(6) : x.toFixed(6);
}
export const SCREENING_X_LABEL = 'screening iteration';

/**
 * The screening of `restart` (default: the best restart, the one whose parameters the fit
 * returned), or undefined when that start was not screened (explicit or "random" starts,
 * other model kinds, a result from before the field existed).
 */
export function screeningSeries(result: FitResult | undefined, restart?: number): ScreeningSeries | undefined {
  if (!result || result.restarts.length === 0) return undefined;
  const r = restart ?? bestRestart(result);
  const summary = result.restarts[r];
  const s = summary?.screening;
  if (!s || s.candidates.length === 0) return undefined;
  const n = s.candidates.length;
  const x = Array.from({ length: s.iterations + 1 }, (_, t) => t);
  const lines: ScreeningLine[] = s.candidates.map((c, i) => ({
    candidate: i,
    label: `candidate ${i + 1}${i === s.chosen ? ' (the start)' : c.repaired ? ' (repaired)' : ''}`,
    chosen: i === s.chosen,
    repaired: c.repaired,
    values: x.map((t) => (t < c.logLikelihoods.length ? perSampleRow(s, c.logLikelihoods[t]) : null)),
  }));
  const title = `k-means++ screening: ${n} candidate${n === 1 ? '' : 's'}, ${s.iterations} EM iteration${s.iterations === 1 ? '' : 's'} each on ${describeScreeningRows(s)}; the best became the start`;
  return { restart: r, seed: summary.seed, ofRestarts: result.restarts.length, screening: s, title, x, lines, note: screeningNote(result, r, s) };
}

function screeningNote(result: FitResult, restart: number, s: StartScreening): string {
  const scale = `Log-likelihood per row of ${describeScreeningRows(s)} (the sum divided by ${groupDigits(Number(s.sampleWeightedRows.toPrecision(12)))}), not the total that the convergence curve shows. Iteration 0 is each candidate right after its k-means++ seeding and one M-step; the thick line is the candidate that became the start.`;
  const which = result.restarts.length > 1 ? ` of restart ${restart + 1} (seed ${result.restarts[restart].seed})` : '';
  const start = result.restarts[restart].history[0];
  if (start === undefined || !(result.rows > 0)) return scale;
  const whole = s.sampled
    ? ` On all ${groupDigits(Number(result.rows.toPrecision(12)))} rows the start${which} has ${formatPerRow(start / result.rows)} per row (${formatLogLikelihood(start)} in total: iteration 0 of the convergence curve).`
    : ` Its last value is the start${which}: iteration 0 of the convergence curve (${formatLogLikelihood(start)} in total).`;
  const rank = rankScreening(s);
  const repaired = rank.repaired > 0 ? ` ${rank.repaired} candidate${rank.repaired === 1 ? '' : 's'} needed a covariance repair and ranked last whatever its value.` : '';
  return scale + whole + repaired;
}

/** The chart's table alternative: one row per candidate, one column per screening iteration. */
export function screeningTable(series: ScreeningSeries): TableModel {
  const rank = rankScreening(series.screening);
  return {
    caption: `k-means++ screening${series.ofRestarts > 1 ? ` of restart ${series.restart + 1} (seed ${series.seed})` : ''}: ${SCREENING_Y_LABEL} on ${describeScreeningRows(series.screening)}`,
    header: ['candidate', 'after seeding', ...series.x.slice(1).map((t) => `iteration ${t}`), ''],
    rowHeaders: true,
    rows: series.lines.map((l) => [
      textCell(String(l.candidate + 1), { emphasis: l.chosen }),
      ...l.values.map((v, t) => textCell(v === null ? '' : formatPerRow(v), {
        numeric: true,
        emphasis: l.chosen && t === l.values.length - 1,
        ...(v !== null ? { title: String(v) } : {}),
        key: `screening|${l.candidate}|${t}`,
      })),
      textCell(l.chosen ? 'the start' : l.repaired ? 'repaired: ranked last' : l.candidate === rank.runnerUp ? 'next best' : '', { emphasis: l.chosen }),
    ]),
    key: 'screening',
  };
}
