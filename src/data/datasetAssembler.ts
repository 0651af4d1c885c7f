/**
 * From parsed records (arrays of field strings, in file order) to a Dataset: the header, the
 * plan of which column becomes what, typed columns, weights, and the line where every row
 * starts. The same assembler serves the streaming reader and the in-memory one, so both read a
 * file the same way.
 *
 * Line numbers: each record starts on the line after the previous record ends, and a record
 * spans 1 + (line breaks inside its quoted fields) lines; csv-parse keeps those line breaks in
 * the field text. (csv-parse's own line counter counts \r\n inside quotes twice, so it is not
 * used.) A record that is one empty field is a blank line and is skipped, as pandas does.
 *
 * Problems are thrown as CellProblem (line + field index); the reader turns them into
 * InputErrors with a column by looking at the bytes again (csvLocator.ts).
 *
 * The byte scanner (byteRecordScanner.ts) bypasses `onRecord` for plain data rows: it asks
 * `fastRow()` for the row index, writes the cells through the builders' routes (`fieldSinks`)
 * and calls `commitFastRow()`; everything else (the header, quoted records, rows past the
 * limit, any row with a problem) it hands to `onRecord` as strings, so that every decision
 * and every message stays here.
 */
import type { Column, Dataset } from './dataset';
import {
  CategoricalColumnBuilder,
  type CellSink,
  type ColumnBuilder,
  InferredColumnBuilder,
  MissingTokens,
  NumericColumnBuilder,
  WeightColumnBuilder,
} from './columnBuilders';
import { Int32Store } from './columnStore';
import { quoteList, quoteText } from './quotedText';
import { parseStrictNumber } from './strictNumber';
import type { ReadOptions } from './readOptions';

/** A problem at a cell (field index on the record starting at `line`) or with a whole line. */
export class CellProblem extends Error {
  constructor(
    message: string,
    /** 1-based line where the record starts. */
    readonly line: number,
    /** 0-based field index within the record, or 'line' for the whole line. */
    readonly field: number | 'line',
  ) {
    super(message);
    this.name = 'CellProblem';
  }
}

/** Columns that turned out categorical after their token dictionary was dropped: read again. */
export class CategoricalRereadNeeded extends Error {
  constructor(readonly columns: readonly string[]) {
    super(`read again with categorical columns ${columns.join(', ')}`);
    this.name = 'CategoricalRereadNeeded';
  }
}

export interface AssemblyLimits {
  /** Stop after this many data rows (the sniffer); `truncated` tells whether more followed. */
  readonly maxRows?: number;
  /** Stop after the header (readHeader). */
  readonly headerOnly?: boolean;
}

export interface AssembledDataset extends Dataset {
  /** True if reading stopped at `maxRows` with more rows in the file. */
  readonly truncated: boolean;
  /** 1-based line of the header row. */
  readonly headerLine: number;
}

interface CellReader {
  /** Index of the field in each record. */
  readonly index: number;
  readonly builder: ColumnBuilder | WeightColumnBuilder;
}

/** The sinks that read one field (usually one; two when the weight column is also a data column). */
export type FieldSinks = readonly CellSink[];

/** Number of line breaks in `s` (\r\n counts once). */
function lineBreaksIn(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (s.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** True when every name in a header row is a number: the file most likely has no header row. */
export function headerLooksLikeData(names: readonly string[]): boolean {
  return names.length > 0 && names.every((n) => !Number.isNaN(parseStrictNumber(n.trim())));
}

export const NO_HEADER_HINT = '; the first row holds only numbers, so the file seems to have no header row: add a first line with the column names';

function hasOwn(o: object | undefined, key: string): boolean {
  return o !== undefined && Object.prototype.hasOwnProperty.call(o, key);
}

export class DatasetAssembler {
  private nextLine = 1;
  private header: string[] | undefined;
  private headerLine = 0;
  private rows = 0;
  private readonly lines = new Int32Store();
  private readers: CellReader[] = [];
  private sinksByField: FieldSinks[] | undefined;
  private columnBuilders: { builder: ColumnBuilder; index: number }[] = [];
  private weightBuilder: WeightColumnBuilder | undefined;
  private truncated = false;
  private readonly missing: MissingTokens;

  constructor(
    private readonly file: string,
    private readonly options: ReadOptions,
    private readonly limits: AssemblyLimits = {},
  ) {
    this.missing = new MissingTokens(options.missing);
  }

  /** Takes the next record. Returns false when no more records are wanted (limits reached). */
  onRecord(fields: string[]): boolean {
    const line = this.nextLine;
    let breaks = 0;
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j];
      if (f.indexOf('\n') !== -1 || f.indexOf('\r') !== -1) breaks += lineBreaksIn(f);
    }
    this.nextLine = line + 1 + breaks;
    if (fields.length === 1 && fields[0] === '') return true; // a blank line
    if (!this.header) {
      this.startHeader(fields, line);
      return !this.limits.headerOnly;
    }
    const row = this.rows;
    if (this.limits.maxRows !== undefined && row >= this.limits.maxRows) {
      this.truncated = true;
      return false;
    }
    const header = this.header;
    if (fields.length !== header.length) {
      if (fields.length > header.length) {
        const extra = fields.length - header.length === 1 ? `field ${header.length + 1} is one too many` : `fields ${header.length + 1} to ${fields.length} are too many`;
        throw new CellProblem(`this row has ${fields.length} fields, the header has ${header.length}: ${extra}`, line, header.length);
      }
      throw new CellProblem(`this row has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.length} (column ${quoteText(header[fields.length])} is missing)`, line, fields.length);
    }
    this.lines.ensure(row)[row] = line;
    const readers = this.readers;
    for (let k = 0; k < readers.length; k++) {
      const reader = readers[k];
      const problem = reader.builder.add(fields[reader.index], row);
      if (problem !== undefined) throw new CellProblem(problem, line, reader.index);
    }
    this.rows = row + 1;
    return true;
  }

  /** The byte scanner's entry for an empty line (a blank line: skipped, but it is a line). */
  blankLine(): void {
    this.nextLine++;
  }

  /**
   * The row the next record fills if the byte scanner may fill it itself (a data row below the
   * row limit), with room for its line number; -1 if the record must go to `onRecord`. (The
   * scanner makes room in the builders' arrays itself.)
   */
  fastRow(): number {
    if (!this.header) return -1;
    const row = this.rows;
    if (this.limits.maxRows !== undefined && row >= this.limits.maxRows) return -1;
    this.lines.ensure(row);
    return row;
  }

  /** The byte scanner filled row `fastRow()` from one line holding exactly the header's number of fields. */
  commitFastRow(): void {
    const row = this.rows;
    this.lines.array[row] = this.nextLine++;
    this.rows = row + 1;
  }

  /** Data rows read so far. */
  get rowsRead(): number {
    return this.rows;
  }

  /** Number of fields a data row must have (after the header; 0 before). */
  get fieldCount(): number {
    return this.header ? this.header.length : 0;
  }

  /** For each field index of the header, the sinks that read it (empty for fields not read); after the header. */
  fieldSinks(): readonly FieldSinks[] {
    if (!this.header) throw new Error('no header yet');
    if (!this.sinksByField) {
      const byField: CellSink[][] = this.header.map(() => []);
      for (const reader of this.readers) byField[reader.index].push(reader.builder);
      this.sinksByField = byField;
    }
    return this.sinksByField;
  }

  /**
   * About `rows` data rows will come in all: the builders reserve room for them. Their arrays
   * move: the byte scanner must re-read them (call ByteRecordScanner.expectRows, not this).
   */
  expectRows(rows: number): void {
    if (!this.header || this.limits.headerOnly) return;
    const capped = this.limits.maxRows !== undefined ? Math.min(rows, this.limits.maxRows) : rows;
    this.lines.expect(capped);
    for (const reader of this.readers) reader.builder.expectRows(capped);
  }

  private startHeader(names: string[], line: number): void {
    this.header = names;
    this.headerLine = line;
    const firstIndex = new Map<string, number>();
    names.forEach((name, j) => {
      const earlier = firstIndex.get(name);
      if (earlier !== undefined) throw new CellProblem(`duplicate column name ${quoteText(name)} (also column ${earlier + 1})${headerLooksLikeData(names) ? NO_HEADER_HINT : ': rename one of them'}`, line, j);
      firstIndex.set(name, j);
    });
    const { options } = this;
    const mustExist = (name: string, role: string): number => {
      const j = firstIndex.get(name);
      if (j === undefined) {
        throw new CellProblem(`${role} ${quoteText(name)} is not in the header; the columns are: ${quoteList(names)}`, line, 'line');
      }
      return j;
    };
    for (const name of options.numeric ?? []) {
      if (hasOwn(options.categorical, name)) throw new Error(`column ${name} is asked for as both numeric and categorical`);
      mustExist(name, 'numeric column');
    }
    for (const name of Object.keys(options.categorical ?? {})) mustExist(name, 'categorical column');
    if (options.weight !== undefined) {
      this.weightBuilder = new WeightColumnBuilder(options.weight, this.missing);
      this.readers.push({ index: mustExist(options.weight, 'weight column'), builder: this.weightBuilder });
    }
    const requested = options.columns ?? names.filter((n) => n !== options.weight);
    const seen = new Set<string>();
    const numeric = new Set(options.numeric ?? []);
    for (const name of requested) {
      const index = mustExist(name, 'column');
      if (seen.has(name)) throw new CellProblem(`column ${quoteText(name)} is asked for twice`, line, 'line');
      seen.add(name);
      let builder: ColumnBuilder;
      if (hasOwn(options.categorical, name)) builder = new CategoricalColumnBuilder(name, this.missing, options.categorical?.[name]);
      else if (numeric.has(name)) builder = new NumericColumnBuilder(name, this.missing);
      else builder = new InferredColumnBuilder(name, this.missing);
      this.readers.push({ index, builder });
      this.columnBuilders.push({ builder, index });
    }
  }

  /** The dataset; throws CellProblem (empty file, no rows, a deferred cell problem) or CategoricalRereadNeeded. */
  finish(): AssembledDataset {
    if (!this.header) throw new CellProblem('the file is empty: a header row is required', 1, 'line');
    if (this.rows === 0 && !this.limits.headerOnly && this.limits.maxRows !== 0) {
      throw new CellProblem('the file has a header but no data rows', this.headerLine, 'line');
    }
    const reread = this.columnBuilders.filter((c) => c.builder instanceof InferredColumnBuilder && c.builder.needsCategoricalRead).map((c) => c.builder.name);
    if (reread.length) throw new CategoricalRereadNeeded(reread);
    for (const { builder, index } of this.columnBuilders) {
      if (builder instanceof InferredColumnBuilder && builder.isNumeric && builder.deferredProblem) {
        throw new CellProblem(builder.deferredProblem.message, this.lines.array[builder.deferredProblem.row], index);
      }
    }
    const rows = this.rows;
    const columns: Column[] = this.columnBuilders.map((c) => c.builder.finish(rows));
    return {
      file: this.file,
      header: this.header,
      columns,
      rowCount: rows,
      weights: this.weightBuilder?.finish(rows),
      lines: this.lines.take(rows),
      truncated: this.truncated,
      headerLine: this.headerLine,
    };
  }
}
