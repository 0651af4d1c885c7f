/**
 * An even sample of a run's data rows for the inspector's scatter plot and pattern table:
 * values of the asked columns, the row weights, and each row's most probable component /
 * class / state under the run's parameters.
 */
import type { Dataset } from '../data/dataset';
import type { PosteriorTable } from '../engine/family';
import { InputError } from '../shared/errors';
import type { DataSample } from '../shared/inspectorProtocol';

/**
 * The posterior columns of the single hidden variable (the first block `P(X=...)` of the
 * table) when the table has a `label` column, i.e. when there is exactly one hidden variable;
 * undefined otherwise. Its argmax is the row's label as a 0-based index.
 */
export function labelBlock(table: PosteriorTable): { start: number; end: number } | undefined {
  if (!table.columns.includes('label')) return undefined;
  const first = /^P\((.*)=/.exec(table.columns[0] ?? '');
  if (!first) return undefined;
  const prefix = `P(${first[1]}=`;
  let end = 0;
  while (end < table.columns.length && table.columns[end].startsWith(prefix)) end++;
  return { start: 0, end };
}

/** Row indices 0..n-1 at an even stride, at most `maxPoints` of them, ascending. */
export function sampleRows(n: number, maxPoints: number): number[] {
  const take = Math.max(0, Math.min(n, Math.floor(maxPoints)));
  const rows: number[] = [];
  for (let k = 0; k < take; k++) rows.push(Math.floor((k * n) / take));
  return rows;
}

export function dataSample(dataset: Dataset, table: PosteriorTable | undefined, columns: readonly string[], maxPoints: number): DataSample {
  const picked = columns.map((name) => {
    const column = dataset.columns.find((c) => c.name === name);
    if (!column) throw new InputError(`the run's dataset has no column "${name}" (it has ${dataset.columns.map((c) => c.name).join(', ')})`, { file: dataset.file });
    return column;
  });
  const rows = sampleRows(dataset.rowCount, maxPoints);
  const values = picked.map((column) =>
    rows.map((i): number | string | null => {
      switch (column.kind) {
        case 'numeric': {
          const v = column.values[i];
          return Number.isNaN(v) ? null : v;
        }
        case 'categorical': {
          const code = column.codes[i];
          return code < 0 ? null : column.levels[code];
        }
        default: {
          const never: never = column;
          throw new Error(`unknown column kind ${JSON.stringify(never)}`);
        }
      }
    }),
  );
  const weights = dataset.weights;
  const block = table && table.rowCount === dataset.rowCount ? labelBlock(table) : undefined;
  let labels: (number | null)[] | undefined;
  if (table && block) {
    labels = rows.map((i) => {
      const r = table.row(i);
      let best = -1;
      for (let k = block.start; k < block.end; k++) {
        const v = r[k];
        if (typeof v === 'number' && (best < 0 || v > (r[best] as number))) best = k;
      }
      return best < 0 ? null : best - block.start;
    });
  }
  return {
    columns: [...columns],
    total: dataset.rowCount,
    rows: rows.map((i) => i + 1),
    values,
    ...(weights ? { weights: rows.map((i) => weights[i]) } : {}),
    ...(labels ? { labels } : {}),
  };
}
