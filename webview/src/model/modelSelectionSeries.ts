/**
 * BIC and AIC against the number of components K, when a list of K was fitted; the best
 * model (as the engine marked it) stands out in the chart and the table.
 */
import type { ModelSelectionRow } from '../../../src/shared/results';
import { formatLogLikelihood } from './numberFormat';
import { textCell, type TableModel } from './tableModel';

export interface ModelSelectionSeries {
  /** K, ascending. */
  readonly k: number[];
  readonly bic: number[];
  readonly aic: number[];
  /** The best model's BIC at its K, null elsewhere (one marker). */
  readonly bestMarker: (number | null)[];
  readonly bestK: number | undefined;
}

export function modelSelectionSeries(rows: readonly ModelSelectionRow[]): ModelSelectionSeries {
  const sorted = rows.slice().sort((a, b) => a.components - b.components);
  const best = sorted.find((r) => r.best);
  return {
    k: sorted.map((r) => r.components),
    bic: sorted.map((r) => r.bic),
    aic: sorted.map((r) => r.aic),
    bestMarker: sorted.map((r) => (r.best ? r.bic : null)),
    bestK: best?.components,
  };
}

export function modelSelectionTable(rows: readonly ModelSelectionRow[]): TableModel {
  const sorted = rows.slice().sort((a, b) => a.components - b.components);
  return {
    caption: 'Model selection (lower BIC / AIC is better)',
    header: ['K', 'log-likelihood', 'free parameters', 'BIC', 'AIC', ''],
    rowHeaders: true,
    rows: sorted.map((r) => [
      textCell(String(r.components), { emphasis: r.best }),
      textCell(formatLogLikelihood(r.logLikelihood), { numeric: true, title: String(r.logLikelihood) }),
      textCell(String(r.freeParameters), { numeric: true }),
      textCell(formatLogLikelihood(r.bic), { numeric: true, emphasis: r.best, title: String(r.bic), key: `bic|${r.components}` }),
      textCell(formatLogLikelihood(r.aic), { numeric: true, title: String(r.aic), key: `aic|${r.components}` }),
      textCell(r.best ? 'best' : '', { emphasis: r.best }),
    ]),
    key: 'model-selection',
  };
}
