/**
 * Typed columns built while the file streams by: one `add(token, row)` per cell, straight into
 * a growing Float64Array (numeric) or Int32Array of level codes (categorical), never through an
 * array of strings per row. Storage is a Float64Store / Int32Store (columnStore.ts): it grows
 * to the row count the reader expects, and gives its memory back when the column is finished.
 *
 * `add` returns a problem message instead of throwing, so that the caller (who knows the line
 * and the field) can say where the cell is.
 *
 * The byte scanner (byteRecordScanner.ts) skips `add` for the common cells: each builder says,
 * by its `route`, what the scanner may write directly (a finite number into `numberCells`, a
 * level code it has seen this builder give the same bytes before into `codeCells`), and calls
 * `add` with the text for everything else. A builder's route changes only inside `add`.
 */
import type { CategoricalColumn, Column, NumericColumn } from './dataset';
import { Float64Store, Int32Store } from './columnStore';
import { quoteText } from './quotedText';
import { parseStrictNumber } from './strictNumber';

/**
 * What the byte scanner may do with a cell without calling `add`:
 * - ROUTE_TEXT: nothing; every cell goes to `add` as text.
 * - ROUTE_NUMBER: a finite strict number goes into `numberCells(row)[row]` as itself.
 * - ROUTE_COUNT: a finite strict number >= 0 goes into `numberCells(row)[row]` as itself + 0.
 * - ROUTE_CODE: the code `add` gave a token goes into `codeCells(row)[row]` for the same token again.
 * - ROUTE_NUMBER_AND_CODE: both of the above for a finite strict number (numbers and their codes).
 * - ROUTE_NONE: the cell is not stored at all (the column will be read again).
 * Anything else (missing tokens, non-numbers, new tokens) goes to `add`.
 */
export const ROUTE_TEXT = 0;
export const ROUTE_NUMBER = 1;
export const ROUTE_COUNT = 2;
export const ROUTE_CODE = 3;
export const ROUTE_NUMBER_AND_CODE = 4;
export const ROUTE_NONE = 5;
export type CellRoute = typeof ROUTE_TEXT | typeof ROUTE_NUMBER | typeof ROUTE_COUNT | typeof ROUTE_CODE | typeof ROUTE_NUMBER_AND_CODE | typeof ROUTE_NONE;

/** Where the byte scanner writes cells of a builder (see CellRoute). */
export interface CellSink {
  readonly name: string;
  /** Adds the cell of data row `row` as text (rows arrive in order 0, 1, 2, ...). Returns a problem message or undefined. */
  add(token: string, row: number): string | undefined;
  /** The current route; changes only inside `add`. */
  readonly route: CellRoute;
  /** ROUTE_NUMBER, ROUTE_COUNT, ROUTE_NUMBER_AND_CODE: the values array, with room for row `row`. */
  numberCells(row: number): Float64Array;
  /** ROUTE_CODE, ROUTE_NUMBER_AND_CODE: the codes array, with room for row `row`. */
  codeCells(row: number): Int32Array;
  /** About this many rows will come: reserve room for them. */
  expectRows(rows: number): void;
}

/**
 * While an inferred column still looks numeric, it also keeps a dictionary of its distinct
 * tokens, so that it can turn categorical (keeping the exact tokens as levels) if a
 * non-number shows up. Past this many distinct tokens the dictionary is dropped (a continuous
 * column would make it as large as the data); a non-number after that makes the reader read
 * the file again with the column declared categorical (see csvReader.ts).
 */
export const INFERENCE_DICTIONARY_LIMIT = 4096;

/** The tokens that mean "missing", with what the number path needs to know about them. */
export class MissingTokens {
  private readonly tokens: ReadonlySet<string>;
  /** True if some missing token is itself a number (e.g. "-999"): numbers must be checked too. */
  readonly anyNumeric: boolean;

  constructor(tokens: readonly string[]) {
    this.tokens = new Set(tokens);
    this.anyNumeric = tokens.some((t) => !Number.isNaN(parseStrictNumber(t)));
  }

  has(token: string): boolean {
    return this.tokens.has(token);
  }
}

export interface ColumnBuilder extends CellSink {
  /** The column over rows [0, rows); the builder's storage is given back (call once). */
  finish(rows: number): Column;
}

function noCells(name: string, kind: string): never {
  throw new Error(`column ${name} has no ${kind} cells on its current route`);
}

/** Why a token is not a number, with a hint for the usual culprits. */
export function notANumberMessage(token: string, column: string): string {
  let hint = '';
  if (token.trim() !== token && !Number.isNaN(parseStrictNumber(token.trim()))) hint = ' (it has spaces around it)';
  else if (/^[+-]?\d+,\d+$/.test(token)) hint = ' (the decimal separator must be ".")';
  else if (/^[+-]?(inf|infinity)$/i.test(token)) hint = ' (values must be finite)';
  else if (!/\d/.test(token)) hint = ' (if it marks a missing value, list it in "data.missing")';
  return `${quoteText(token)} in column ${quoteText(column)} is not a number${hint}`;
}

function outOfRangeMessage(token: string, column: string): string {
  return `${quoteText(token)} in column ${quoteText(column)} is too large for a double (values must be finite)`;
}

/**
 * Reads a number or a missing token. Returns the value (NaN = missing), or undefined when the
 * token is neither; `overflow` tells a too-large literal apart from a non-number.
 */
function numberOrMissing(token: string, missing: MissingTokens): number | undefined {
  if (missing.anyNumeric && missing.has(token)) return NaN;
  const v = parseStrictNumber(token);
  if (v - v === 0) return v; // finite
  if (missing.has(token)) return NaN;
  return undefined;
}

/** A column that must be numeric. */
export class NumericColumnBuilder implements ColumnBuilder {
  private readonly values = new Float64Store();
  /** A number can be stored as itself unless some missing token is a number (then its text must be compared). */
  readonly route: CellRoute;

  constructor(
    readonly name: string,
    private readonly missing: MissingTokens,
  ) {
    this.route = missing.anyNumeric ? ROUTE_TEXT : ROUTE_NUMBER;
  }

  add(token: string, row: number): string | undefined {
    const values = this.values.ensure(row);
    const v = numberOrMissing(token, this.missing);
    if (v === undefined) {
      return Number.isNaN(parseStrictNumber(token)) ? notANumberMessage(token, this.name) : outOfRangeMessage(token, this.name);
    }
    values[row] = v;
    return undefined;
  }

  numberCells(row: number): Float64Array {
    return this.values.ensure(row);
  }

  codeCells(): Int32Array {
    return noCells(this.name, 'code');
  }

  expectRows(rows: number): void {
    this.values.expect(rows);
  }

  finish(rows: number): NumericColumn {
    return { kind: 'numeric', name: this.name, values: this.values.take(rows) };
  }
}

/**
 * Level order for levels read from the data: numeric order when every level is a finite number
 * (ties such as "1" and "1.0" broken by the text), else code-unit order (the same on every
 * machine, unlike a locale's collation).
 */
export function sortLevels(levels: readonly string[]): string[] {
  const numbers = levels.map(parseStrictNumber);
  const allNumbers = numbers.every((v) => v - v === 0);
  const order = levels.map((_, i) => i);
  const byText = (a: number, b: number): number => (levels[a] < levels[b] ? -1 : levels[a] > levels[b] ? 1 : 0);
  order.sort(allNumbers ? (a, b) => numbers[a] - numbers[b] || byText(a, b) : byText);
  return order.map((i) => levels[i]);
}

/** Distinct tokens -> codes in first-seen order, remapped to sorted order at the end. */
class LevelDictionary {
  readonly codeOf = new Map<string, number>();
  readonly levels: string[] = [];

  code(token: string): number {
    let code = this.codeOf.get(token);
    if (code === undefined) {
      code = this.levels.length;
      this.codeOf.set(token, code);
      this.levels.push(token);
    }
    return code;
  }

  /** The sorted levels and codes[0..rows) rewritten to index them (in place: the codes are the store's). */
  sortedColumn(name: string, store: Int32Store, rows: number): CategoricalColumn {
    const sorted = sortLevels(this.levels);
    const newCode = new Int32Array(this.levels.length);
    sorted.forEach((level, i) => (newCode[this.codeOf.get(level) as number] = i));
    const codes = store.take(rows);
    for (let r = 0; r < rows; r++) {
      const c = codes[r];
      if (c >= 0) codes[r] = newCode[c];
    }
    return { kind: 'categorical', name, levels: sorted, codes };
  }
}

/** A categorical column: declared levels (checked) or levels from the data (sorted at the end). */
export class CategoricalColumnBuilder implements ColumnBuilder {
  private readonly codes = new Int32Store();
  private readonly dictionary = new LevelDictionary();
  private readonly declared: ReadonlyMap<string, number> | undefined;
  /** A token gets the same code every time (-1 for a missing token). */
  readonly route: CellRoute = ROUTE_CODE;

  constructor(
    readonly name: string,
    private readonly missing: MissingTokens,
    private readonly declaredLevels?: readonly string[],
  ) {
    this.declared = declaredLevels ? new Map(declaredLevels.map((level, i) => [level, i])) : undefined;
  }

  add(token: string, row: number): string | undefined {
    const codes = this.codes.ensure(row);
    if (this.missing.has(token)) {
      codes[row] = -1;
      return undefined;
    }
    if (this.declared) {
      const code = this.declared.get(token);
      if (code === undefined) {
        const states = (this.declaredLevels as readonly string[]).map((s) => quoteText(s)).join(', ');
        return `${quoteText(token)} is not a state of ${this.name} (states: ${states})`;
      }
      codes[row] = code;
      return undefined;
    }
    codes[row] = this.dictionary.code(token);
    return undefined;
  }

  numberCells(): Float64Array {
    return noCells(this.name, 'number');
  }

  codeCells(row: number): Int32Array {
    return this.codes.ensure(row);
  }

  expectRows(rows: number): void {
    this.codes.expect(rows);
  }

  finish(rows: number): CategoricalColumn {
    if (this.declaredLevels) return { kind: 'categorical', name: this.name, levels: [...this.declaredLevels], codes: this.codes.take(rows) };
    return this.dictionary.sortedColumn(this.name, this.codes, rows);
  }
}

/** A cell problem found while inferring, reported only if the column ends up numeric. */
export interface DeferredProblem {
  readonly row: number;
  readonly message: string;
}

/**
 * A column whose kind is inferred: numeric while every non-missing token is a number, else
 * categorical with the tokens as levels.
 */
export class InferredColumnBuilder implements ColumnBuilder {
  private values: Float64Store | undefined = new Float64Store();
  /** Codes of the tokens, kept while the dictionary is (see INFERENCE_DICTIONARY_LIMIT). */
  private codes: Int32Store | undefined = new Int32Store();
  private dictionary: LevelDictionary | undefined = new LevelDictionary();
  private expectedRows = 0;
  /** True once a non-number arrived after the dictionary was dropped: read again as categorical. */
  needsCategoricalRead = false;
  /** The first too-large number (an error only if the column stays numeric). */
  deferredProblem: DeferredProblem | undefined;

  constructor(
    readonly name: string,
    private readonly missing: MissingTokens,
  ) {}

  get isNumeric(): boolean {
    return this.values !== undefined;
  }

  get route(): CellRoute {
    if (this.needsCategoricalRead) return ROUTE_NONE;
    if (!this.values) return ROUTE_CODE; // categorical: a token's code never changes
    if (this.missing.anyNumeric) return ROUTE_TEXT;
    return this.dictionary ? ROUTE_NUMBER_AND_CODE : ROUTE_NUMBER;
  }

  add(token: string, row: number): string | undefined {
    if (this.needsCategoricalRead) return undefined;
    if (this.values) {
      const values = this.values.ensure(row);
      const v = numberOrMissing(token, this.missing);
      if (v !== undefined) {
        values[row] = v;
        if (this.dictionary) this.remember(Number.isNaN(v) ? undefined : token, row);
        return undefined;
      }
      if (!Number.isNaN(parseStrictNumber(token))) {
        // A number too large for a double: keep it as a token in case the column turns categorical.
        this.deferredProblem ??= { row, message: outOfRangeMessage(token, this.name) };
        values[row] = NaN;
        if (this.dictionary) this.remember(token, row);
        return undefined;
      }
      // A non-number: the column is categorical.
      this.values.take(0);
      this.values = undefined;
      this.deferredProblem = undefined;
      if (!this.dictionary) {
        this.needsCategoricalRead = true;
        this.codes?.take(0);
        this.codes = undefined;
        return undefined;
      }
      (this.codes as Int32Store).expect(this.expectedRows);
    }
    const codes = (this.codes as Int32Store).ensure(row);
    codes[row] = this.missing.has(token) ? -1 : (this.dictionary as LevelDictionary).code(token);
    return undefined;
  }

  /** While numeric: the token's code (or -1 for missing), until the dictionary grows too large. */
  private remember(token: string | undefined, row: number): void {
    const dictionary = this.dictionary as LevelDictionary;
    (this.codes as Int32Store).ensure(row)[row] = token === undefined ? -1 : dictionary.code(token);
    if (dictionary.levels.length > INFERENCE_DICTIONARY_LIMIT) {
      this.dictionary = undefined;
      this.codes?.take(0);
      this.codes = undefined;
    }
  }

  numberCells(row: number): Float64Array {
    return this.values ? this.values.ensure(row) : noCells(this.name, 'number');
  }

  codeCells(row: number): Int32Array {
    return this.codes ? this.codes.ensure(row) : noCells(this.name, 'code');
  }

  expectRows(rows: number): void {
    this.expectedRows = rows;
    this.values?.expect(rows);
    // While numeric, the codes are kept only until the dictionary is dropped (a continuous
    // column drops it within a few thousand rows): reserve them only once they are the data.
    if (!this.values) this.codes?.expect(rows);
  }

  finish(rows: number): Column {
    if (this.needsCategoricalRead) throw new Error(`column ${this.name} must be read again as categorical`);
    if (this.values) {
      this.codes?.take(0);
      return { kind: 'numeric', name: this.name, values: this.values.take(rows) };
    }
    return (this.dictionary as LevelDictionary).sortedColumn(this.name, this.codes as Int32Store, rows);
  }
}

/** The weight (count) column: finite numbers >= 0, never missing. */
export class WeightColumnBuilder implements CellSink {
  private readonly values = new Float64Store();
  /** A count can be stored as itself unless some missing token is a number (then its text must be compared). */
  readonly route: CellRoute;

  constructor(
    readonly name: string,
    private readonly missing: MissingTokens,
  ) {
    this.route = missing.anyNumeric ? ROUTE_TEXT : ROUTE_COUNT;
  }

  add(token: string, row: number): string | undefined {
    const values = this.values.ensure(row);
    const v = parseStrictNumber(token);
    if (v - v !== 0 || (this.missing.anyNumeric && this.missing.has(token))) {
      const column = quoteText(this.name);
      if (this.missing.has(token)) return `the weight in column ${column} is missing (${quoteText(token)}); every row needs a count`;
      if (Number.isNaN(v)) return `weight ${quoteText(token)} in column ${column} is not a number`;
      return outOfRangeMessage(token, this.name);
    }
    if (v < 0) return `weight ${quoteText(token)} in column ${quoteText(this.name)} is negative; weights are counts (>= 0)`;
    values[row] = v + 0; // "-0" counts 0
    return undefined;
  }

  numberCells(row: number): Float64Array {
    return this.values.ensure(row);
  }

  codeCells(): Int32Array {
    return noCells(this.name, 'code');
  }

  expectRows(rows: number): void {
    this.values.expect(rows);
  }

  finish(rows: number): Float64Array {
    return this.values.take(rows);
  }
}
