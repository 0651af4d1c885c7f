/**
 * Typed columns built while the file streams by: one `add(token, row)` per cell, straight into
 * a growing Float64Array (numeric) or Int32Array of level codes (categorical), never through an
 * array of strings per row. Arrays grow by doubling, so n rows cost O(n) copies in total.
 *
 * `add` returns a problem message instead of throwing, so that the caller (who knows the line
 * and the field) can say where the cell is.
 */
import type { CategoricalColumn, Column, NumericColumn } from './dataset';
import { quoteText } from './quotedText';
import { parseStrictNumber } from './strictNumber';

const INITIAL_CAPACITY = 64;

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

export interface ColumnBuilder {
  readonly name: string;
  /** Adds the cell of data row `row` (rows arrive in order 0, 1, 2, ...). Returns a problem message or undefined. */
  add(token: string, row: number): string | undefined;
  /** The column over rows [0, rows). */
  finish(rows: number): Column;
}

function grownFloat64(a: Float64Array, needed: number): Float64Array {
  let capacity = a.length;
  while (capacity <= needed) capacity *= 2;
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

function grownInt32(a: Int32Array, needed: number): Int32Array {
  let capacity = a.length;
  while (capacity <= needed) capacity *= 2;
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

/** Why a token is not a number, with a hint for the usual culprits. */
export function notANumberMessage(token: string, column: string): string {
  let hint = '';
  if (token.trim() !== token && !Number.isNaN(parseStrictNumber(token.trim()))) hint = ' (it has spaces around it)';
  else if (/^[+-]?\d+,\d+$/.test(token)) hint = ' (the decimal separator must be ".")';
  else if (/^[+-]?(inf|infinity)$/i.test(token)) hint = ' (values must be finite)';
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
  private values: Float64Array = new Float64Array(INITIAL_CAPACITY);

  constructor(
    readonly name: string,
    private readonly missing: MissingTokens,
  ) {}

  add(token: string, row: number): string | undefined {
    if (row >= this.values.length) this.values = grownFloat64(this.values, row);
    const v = numberOrMissing(token, this.missing);
    if (v === undefined) {
      return Number.isNaN(parseStrictNumber(token)) ? notANumberMessage(token, this.name) : outOfRangeMessage(token, this.name);
    }
    this.values[row] = v;
    return undefined;
  }

  finish(rows: number): NumericColumn {
    return { kind: 'numeric', name: this.name, values: this.values.slice(0, rows) };
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

  /** The sorted levels and codes[0..rows) rewritten to index them. */
  sortedColumn(name: string, codes: Int32Array, rows: number): CategoricalColumn {
    const sorted = sortLevels(this.levels);
    const newCode = new Int32Array(this.levels.length);
    sorted.forEach((level, i) => (newCode[this.codeOf.get(level) as number] = i));
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const c = codes[r];
      out[r] = c < 0 ? c : newCode[c];
    }
    return { kind: 'categorical', name, levels: sorted, codes: out };
  }
}

/** A categorical column: declared levels (checked) or levels from the data (sorted at the end). */
export class CategoricalColumnBuilder implements ColumnBuilder {
  private codes: Int32Array = new Int32Array(INITIAL_CAPACITY);
  private readonly dictionary = new LevelDictionary();
  private readonly declared: ReadonlyMap<string, number> | undefined;

  constructor(
    readonly name: string,
    private readonly missing: MissingTokens,
    private readonly declaredLevels?: readonly string[],
  ) {
    this.declared = declaredLevels ? new Map(declaredLevels.map((level, i) => [level, i])) : undefined;
  }

  add(token: string, row: number): string | undefined {
    if (row >= this.codes.length) this.codes = grownInt32(this.codes, row);
    if (this.missing.has(token)) {
      this.codes[row] = -1;
      return undefined;
    }
    if (this.declared) {
      const code = this.declared.get(token);
      if (code === undefined) {
        const states = (this.declaredLevels as readonly string[]).map((s) => quoteText(s)).join(', ');
        return `${quoteText(token)} is not a state of ${this.name} (states: ${states})`;
      }
      this.codes[row] = code;
      return undefined;
    }
    this.codes[row] = this.dictionary.code(token);
    return undefined;
  }

  finish(rows: number): CategoricalColumn {
    if (this.declaredLevels) return { kind: 'categorical', name: this.name, levels: [...this.declaredLevels], codes: this.codes.slice(0, rows) };
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
  private values: Float64Array | undefined = new Float64Array(INITIAL_CAPACITY);
  /** Codes of the tokens, kept while the dictionary is (see INFERENCE_DICTIONARY_LIMIT). */
  private codes: Int32Array | undefined = new Int32Array(INITIAL_CAPACITY);
  private dictionary: LevelDictionary | undefined = new LevelDictionary();
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

  add(token: string, row: number): string | undefined {
    if (this.needsCategoricalRead) return undefined;
    if (this.values) {
      if (row >= this.values.length) this.values = grownFloat64(this.values, row);
      const v = numberOrMissing(token, this.missing);
      if (v !== undefined) {
        this.values[row] = v;
        if (this.dictionary) this.remember(Number.isNaN(v) ? undefined : token, row);
        return undefined;
      }
      if (!Number.isNaN(parseStrictNumber(token))) {
        // A number too large for a double: keep it as a token in case the column turns categorical.
        this.deferredProblem ??= { row, message: outOfRangeMessage(token, this.name) };
        this.values[row] = NaN;
        if (this.dictionary) this.remember(token, row);
        return undefined;
      }
      // A non-number: the column is categorical.
      this.values = undefined;
      this.deferredProblem = undefined;
      if (!this.dictionary) {
        this.needsCategoricalRead = true;
        this.codes = undefined;
        return undefined;
      }
    }
    const codes = row >= (this.codes as Int32Array).length ? (this.codes = grownInt32(this.codes as Int32Array, row)) : (this.codes as Int32Array);
    codes[row] = this.missing.has(token) ? -1 : (this.dictionary as LevelDictionary).code(token);
    return undefined;
  }

  /** While numeric: the token's code (or -1 for missing), until the dictionary grows too large. */
  private remember(token: string | undefined, row: number): void {
    const dictionary = this.dictionary as LevelDictionary;
    if (row >= (this.codes as Int32Array).length) this.codes = grownInt32(this.codes as Int32Array, row);
    (this.codes as Int32Array)[row] = token === undefined ? -1 : dictionary.code(token);
    if (dictionary.levels.length > INFERENCE_DICTIONARY_LIMIT) {
      this.dictionary = undefined;
      this.codes = undefined;
    }
  }

  finish(rows: number): Column {
    if (this.needsCategoricalRead) throw new Error(`column ${this.name} must be read again as categorical`);
    if (this.values) return { kind: 'numeric', name: this.name, values: this.values.slice(0, rows) };
    return (this.dictionary as LevelDictionary).sortedColumn(this.name, this.codes as Int32Array, rows);
  }
}

/** The weight (count) column: finite numbers >= 0, never missing. */
export class WeightColumnBuilder {
  private values: Float64Array = new Float64Array(INITIAL_CAPACITY);

  constructor(
    readonly name: string,
    private readonly missing: MissingTokens,
  ) {}

  add(token: string, row: number): string | undefined {
    if (row >= this.values.length) this.values = grownFloat64(this.values, row);
    const v = parseStrictNumber(token);
    if (v - v !== 0 || (this.missing.anyNumeric && this.missing.has(token))) {
      const column = quoteText(this.name);
      if (this.missing.has(token)) return `the weight in column ${column} is missing (${quoteText(token)}); every row needs a count`;
      if (Number.isNaN(v)) return `weight ${quoteText(token)} in column ${column} is not a number`;
      return outOfRangeMessage(token, this.name);
    }
    if (v < 0) return `weight ${quoteText(token)} in column ${quoteText(this.name)} is negative; weights are counts (>= 0)`;
    this.values[row] = v + 0; // "-0" counts 0
    return undefined;
  }

  finish(rows: number): Float64Array {
    return this.values.slice(0, rows);
  }
}
