/**
 * A dataset in memory: typed columns, missing-value masks, row weights, and where each row
 * came from in the file (for error messages that name a line). Plain data (typed arrays and
 * strings), so it can cross a worker boundary or be shared through SharedArrayBuffer.
 */

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  /** One value per row; NaN = missing. */
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  /** Distinct values; for columns read without declared states: sorted (numerically when all are numbers). */
  readonly levels: readonly string[];
  /** One code per row, an index into `levels`; -1 = missing. */
  readonly codes: Int32Array;
}

export type Column = NumericColumn | CategoricalColumn;

export interface Dataset {
  /** Path of the file the data came from (as given to the reader). */
  readonly file: string;
  /** Column names of the header row, in file order. */
  readonly header: readonly string[];
  /** The columns that were read (a subset of the header, in requested order). */
  readonly columns: readonly Column[];
  readonly rowCount: number;
  /** Row weights from the weight (count) column, or undefined (every row counts 1). */
  readonly weights?: Float64Array;
  /** 1-based line in the file where each data row starts. */
  readonly lines: Int32Array;
}

export function findColumn(ds: Dataset, name: string): Column | undefined {
  return ds.columns.find((c) => c.name === name);
}

/** Sum of the row weights (the row count when there is no weight column). */
export function weightedRowCount(ds: Dataset): number {
  if (!ds.weights) return ds.rowCount;
  let s = 0;
  for (let i = 0; i < ds.weights.length; i++) s += ds.weights[i];
  return s;
}
