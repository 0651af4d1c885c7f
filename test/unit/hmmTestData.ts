// Model files and datasets for the HMM tests, built as plain data (the CSV reader and the
// model-file parser are tested on their own).
import type { Column, Dataset } from '../../src/data/dataset';
import { DEFAULT_FIT, DEFAULT_MISSING_TOKENS, type CovarianceType, type FitSpec, type ModelFile } from '../../src/shared/modelSpec';

export interface HmmModelOptions {
  readonly states: number;
  readonly emission: 'gaussian' | 'categorical';
  readonly covariance?: CovarianceType;
  readonly prior?: number;
  readonly sequence?: string;
  readonly columns?: readonly string[];
  readonly weight?: string;
  readonly init?: unknown;
  readonly fit?: Partial<FitSpec>;
}

export function hmmModelFile(o: HmmModelOptions): ModelFile {
  return {
    file: '/work/test/model.em.json',
    name: 'test hmm',
    data: {
      path: '/work/test/data.csv',
      missing: DEFAULT_MISSING_TOKENS,
      ...(o.sequence !== undefined ? { sequence: o.sequence } : {}),
      ...(o.columns !== undefined ? { columns: o.columns } : {}),
      ...(o.weight !== undefined ? { weight: o.weight } : {}),
    },
    model: { kind: 'hmm', states: o.states, emission: o.emission, covariance: o.covariance ?? 'full', prior: o.prior ?? 0 },
    ...(o.init !== undefined ? { init: o.init } : {}),
    fit: { ...DEFAULT_FIT, ...(o.init !== undefined ? { init: 'given' as const } : {}), ...o.fit },
  };
}

export function numeric(name: string, values: ArrayLike<number>): Column {
  return { kind: 'numeric', name, values: Float64Array.from(values) };
}

/** A categorical column from per-row values (undefined = missing); levels sorted unless given. */
export function categorical(name: string, values: readonly (string | undefined)[], levels?: readonly string[]): Column {
  const lv = levels ?? [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  const codes = Int32Array.from(values, (v) => (v === undefined ? -1 : lv.indexOf(v)));
  return { kind: 'categorical', name, levels: lv, codes };
}

/** A dataset whose row i sits on line i + 2 (line 1 is the header). */
export function dataset(columns: readonly Column[]): Dataset {
  const first = columns[0];
  const rowCount = first.kind === 'numeric' ? first.values.length : first.codes.length;
  return {
    file: '/work/test/data.csv',
    header: columns.map((c) => c.name),
    columns,
    rowCount,
    lines: Int32Array.from({ length: rowCount }, (_, i) => i + 2),
  };
}
