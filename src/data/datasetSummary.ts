/**
 * A quick look at a dataset (the first rows): its header, the kind each column would be read
 * as, and its levels with counts or its range. For "New model from dataset" (which columns are
 * categorical, how many states) and for diagnostics.
 */
import { DEFAULT_MISSING_TOKENS } from '../shared/modelSpec';
import type { AssembledDataset } from './datasetAssembler';
import { parseAssembled, readAssembled } from './csvReader';
import { defaultDelimiter } from './readOptions';

export interface LevelCount {
  readonly value: string;
  /** Rows (unweighted) with this value among the rows read. */
  readonly count: number;
}

export interface ColumnSummary {
  readonly name: string;
  /** As the reader infers it: numeric if every non-missing cell is a number, else categorical. */
  readonly kind: 'numeric' | 'categorical';
  /** Rows whose cell is missing. */
  readonly missing: number;
  /** Categorical: the levels in sorted order with their counts. */
  readonly levels?: readonly LevelCount[];
  /** Numeric: the smallest and largest value (absent when every cell is missing). */
  readonly min?: number;
  readonly max?: number;
}

export interface DatasetSummary {
  readonly file: string;
  readonly delimiter: string;
  readonly header: readonly string[];
  /** 1-based line of the header row. */
  readonly headerLine: number;
  /** Data rows read (at most `maxRows`). */
  readonly rowsRead: number;
  /** True when the file has more rows than were read. */
  readonly truncated: boolean;
  /** One per header column except the weight column. */
  readonly columns: readonly ColumnSummary[];
}

export interface SniffOptions {
  /** Rows to read at most (default 10,000). */
  readonly maxRows?: number;
  readonly delimiter?: string;
  /** Default: DEFAULT_MISSING_TOKENS. */
  readonly missing?: readonly string[];
  /** A count column to leave out of the columns (it is still checked). */
  readonly weight?: string;
}

/** The dataset to look at: a file, or text in memory named `file`. */
export type DatasetSource = { readonly path: string } | { readonly text: string; readonly file: string };

const DEFAULT_SNIFF_ROWS = 10_000;

function summarize(a: AssembledDataset, delimiter: string): DatasetSummary {
  const columns: ColumnSummary[] = a.columns.map((column) => {
    if (column.kind === 'numeric') {
      let missing = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const v of column.values) {
        if (Number.isNaN(v)) missing++;
        else {
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
      return { name: column.name, kind: 'numeric', missing, ...(missing < column.values.length ? { min, max } : {}) };
    }
    const counts = new Array<number>(column.levels.length).fill(0);
    let missing = 0;
    for (const code of column.codes) {
      if (code < 0) missing++;
      else counts[code]++;
    }
    return { name: column.name, kind: 'categorical', missing, levels: column.levels.map((value, i) => ({ value, count: counts[i] })) };
  });
  return { file: a.file, delimiter, header: a.header, headerLine: a.headerLine, rowsRead: a.rowCount, truncated: a.truncated, columns };
}

/** Reads the first `maxRows` rows of `source` with every column's kind inferred, and summarizes them. */
export async function sniffDataset(source: DatasetSource, options: SniffOptions = {}): Promise<DatasetSummary> {
  const file = 'path' in source ? source.path : source.file;
  const delimiter = options.delimiter ?? defaultDelimiter(file);
  const readOptions = { delimiter, missing: options.missing ?? DEFAULT_MISSING_TOKENS, ...(options.weight !== undefined ? { weight: options.weight } : {}) };
  const limits = { maxRows: Math.max(0, Math.floor(options.maxRows ?? DEFAULT_SNIFF_ROWS)) };
  const assembled = 'path' in source ? await readAssembled(source.path, readOptions, limits) : parseAssembled(source.text, source.file, readOptions, limits);
  return summarize(assembled, delimiter);
}
