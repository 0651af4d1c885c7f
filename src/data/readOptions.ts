/**
 * What the dataset reader is asked to read: which columns, as what, and which tokens mean
 * "missing". The model (via the registry) knows which columns are categorical and which
 * states they have; everything it leaves open is inferred from the data.
 */

export interface ReadOptions {
  /** Field delimiter (one or more characters). Default: tab for `.tsv`/`.tab` files, else comma. */
  readonly delimiter?: string;
  /** Tokens that mean "missing" (compared with the cell's text after unquoting). */
  readonly missing: readonly string[];
  /** Read only these columns, in this order. Default: every header column except `weight`. */
  readonly columns?: readonly string[];
  /**
   * Columns to read as categorical. With declared levels, a token outside them is an error and
   * the levels keep the declared order; without (undefined), the levels are the sorted distinct
   * values (numerically when all are numbers).
   */
  readonly categorical?: Readonly<Record<string, readonly string[] | undefined>>;
  /** Columns that must be numeric: a token that is not a number (or missing) is an error. */
  readonly numeric?: readonly string[];
  /** A count column: every row stands for that many rows. Finite and >= 0 (0 keeps the row with count 0). */
  readonly weight?: string;
  /** Bytes per read from disk (default: 64 KiB, growing to 1 MiB). Tests use tiny values to cross chunk boundaries. */
  readonly chunkBytes?: number;
}

/** The delimiter for `file` when none is given: tab for `.tsv` and `.tab`, else comma. */
export function defaultDelimiter(file: string): string {
  return /\.(tsv|tab)$/i.test(file) ? '\t' : ',';
}
