/**
 * The CSV grammar of csvReader.ts read straight from bytes, for speed: a million-row file has
 * millions of cells, and making a string of each one (as a general CSV parser must) costs more
 * than everything else together.
 *
 * What it reads, exactly as csv-parse reads it with the reader's options (csvReader.ts):
 * - a UTF-8 byte order mark at the very start is skipped;
 * - records end at \r\n, \n or \r; an empty line is a blank line (a record of one empty field);
 * - fields are separated by the delimiter (one or more bytes, matched left to right);
 * - a field that starts with a quote is quoted: up to the closing quote, `""` stands for a
 *   quote, delimiters and line breaks are text; the closing quote must be followed by a
 *   delimiter, a line break or the end of the input;
 * - a field's text is its bytes decoded as UTF-8 (with U+FFFD for invalid sequences).
 * Anything else about quotes (a quote inside an unquoted field, text after a closing quote, a
 * quote never closed) is an error or an oddity in csv-parse; the scanner throws
 * NeedsCsvParse there and the reader reads the file with csv-parse instead, so the message
 * and its position come from the one place that has always produced them.
 *
 * Two ways through a record:
 * - The fast path, for data rows on one line without quotes: each field is read where it lies
 *   in the buffer and stored through its builder's route (columnBuilders.ts): a number parsed
 *   from the bytes (byteDecimal.ts) goes into the Float64Array, a categorical token whose
 *   bytes were seen before gets its level code from a small cache keyed by those bytes. No
 *   string is made for such a cell. Cells the route does not cover go to the builder's `add`
 *   as text, as before.
 * - The general path, for everything else (the header, quoted fields, a record with a wrong
 *   number of fields, a cell with a problem, rows past a row limit): the record's fields as
 *   strings to DatasetAssembler.onRecord, which makes every decision and every message. The
 *   fast path hands a record over to it whenever it meets something it does not handle, even
 *   half-way through (re-adding a row's cells gives the builders the same state).
 *
 * The caller feeds the bytes in chunks (streaming): `scan` reads the complete records and says
 * where the incomplete last one starts; the caller gives those bytes again with the next chunk.
 */
import { ByteDecimalReader } from './byteDecimal';
import { type CellRoute, type CellSink, ROUTE_CODE, ROUTE_COUNT, ROUTE_NONE, ROUTE_NUMBER, ROUTE_NUMBER_AND_CODE, ROUTE_TEXT } from './columnBuilders';
import type { DatasetAssembler } from './datasetAssembler';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** The bytes need csv-parse: a quote csv-parse rejects (or reads in its own way). Read the file with csv-parse. */
export class NeedsCsvParse extends Error {
  constructor(readonly offset: number) {
    super(`a quote the byte scanner leaves to csv-parse at byte ${offset}`);
    this.name = 'NeedsCsvParse';
  }
}

/** `scan`'s answer when the assembler wants no more records. */
export const SCAN_STOPPED = -1;

/**
 * Longest token whose bytes key the level-code cache: up to 6 bytes fit exactly in a double
 * (key = length * 2^48 + bytes as a base-256 number; distinct tokens, distinct keys).
 */
const CACHED_TOKEN_BYTES = 6;
const LENGTH_RADIX = 2 ** 48;
/** Past this many distinct cached tokens a column's cache stops growing (it is a cache, not the dictionary). */
const CACHE_LIMIT = 1 << 16;

/** Where the cells of one field go: one sink, its current route and arrays; `next` for a second sink on the same field. */
class FieldTarget {
  route: CellRoute = ROUTE_TEXT;
  numbers: Float64Array = new Float64Array(0);
  codes: Int32Array = new Int32Array(0);
  /** Token bytes (as a key, see CACHED_TOKEN_BYTES) -> the level code the sink gave that token. */
  readonly codeOfKey = new Map<number, number>();

  constructor(
    readonly sink: CellSink,
    readonly next: FieldTarget | undefined,
  ) {}

  /** Re-reads the sink's route and arrays (after `add`, which may change both, or to make room for `row`). */
  refresh(row: number): void {
    const route = this.sink.route;
    if (route !== this.route) this.codeOfKey.clear();
    this.route = route;
    if (route === ROUTE_NUMBER || route === ROUTE_COUNT || route === ROUTE_NUMBER_AND_CODE) this.numbers = this.sink.numberCells(row);
    if (route === ROUTE_CODE || route === ROUTE_NUMBER_AND_CODE) this.codes = this.sink.codeCells(row);
  }

  /** Rows the arrays of the current route have room for. */
  get capacity(): number {
    switch (this.route) {
      case ROUTE_NUMBER:
      case ROUTE_COUNT:
        return this.numbers.length;
      case ROUTE_CODE:
        return this.codes.length;
      case ROUTE_NUMBER_AND_CODE:
        return Math.min(this.numbers.length, this.codes.length);
      case ROUTE_TEXT:
      case ROUTE_NONE:
        return Infinity;
      default: {
        const unhandled: never = this.route;
        throw new Error(`unknown route ${String(unhandled)}`);
      }
    }
  }

  remember(key: number, code: number): void {
    if (this.codeOfKey.size < CACHE_LIMIT) this.codeOfKey.set(key, code);
  }
}

/** True if byte `b` can appear inside a decimal literal (then a delimiter starting with it rules out the fused number read). */
function isLiteralByte(b: number): boolean {
  return (b >= 48 && b <= 57) || b === 43 || b === 45 || b === 46 || b === 101 || b === 69;
}

export class ByteRecordScanner {
  private readonly delimiter: Buffer;
  /** First byte of the delimiter, and its length in bytes. */
  private readonly d0: number;
  private readonly dlen: number;
  /** False when the delimiter starts with a byte a number can contain: numbers then go through `add`. */
  private readonly numbersFromBytes: boolean;
  private bomChecked = false;
  /** By field index, after the header: where the field's cells go (undefined: not read). */
  private targets: (FieldTarget | undefined)[] | undefined;
  private fieldCount = 0;
  /** Rows every target has room for without asking its sink. */
  private capacity = 0;
  private readonly decimal = new ByteDecimalReader();
  /** After `parseRecord`: index just past the record's line break. */
  private recordEnd = 0;

  constructor(
    private readonly assembler: DatasetAssembler,
    delimiter: string,
  ) {
    this.delimiter = Buffer.from(delimiter, 'utf8');
    this.d0 = this.delimiter[0];
    this.dlen = this.delimiter.length;
    this.numbersFromBytes = !isLiteralByte(this.d0);
  }

  /**
   * Reads the records in bytes[start, end). Returns the index where the first record not read
   * starts (an incomplete one: give its bytes again, followed by the next chunk), or
   * SCAN_STOPPED when the assembler wants no more records.
   * With `atEnd` the bytes are the rest of the input and must end with \n (the caller appends
   * one when the input does not): then everything is read.
   */
  scan(bytes: Buffer, start: number, end: number, atEnd: boolean): number {
    let pos = start;
    if (!this.bomChecked) {
      if (end - pos < 3 && !atEnd) return pos;
      if (bytes[pos] === 0xef && bytes[pos + 1] === 0xbb && bytes[pos + 2] === 0xbf && end - pos >= 3) pos += 3;
      this.bomChecked = true;
    }
    if (pos >= end) return pos;
    // Every record read here ends at a line break at or before `safeEnd`. A \r as the last byte
    // of a chunk may be the first half of \r\n, so it waits for the next chunk.
    let safeEnd: number;
    if (atEnd) safeEnd = end - 1;
    else {
      safeEnd = Math.max(bytes.lastIndexOf(LF, end - 1), end >= 2 ? bytes.lastIndexOf(CR, end - 2) : -1);
      if (safeEnd < pos) return pos;
    }
    const assembler = this.assembler;
    while (pos <= safeEnd) {
      const c = bytes[pos];
      if (c === LF) {
        assembler.blankLine();
        pos++;
        continue;
      }
      if (c === CR) {
        assembler.blankLine();
        pos += bytes[pos + 1] === LF ? 2 : 1;
        continue;
      }
      if (this.targets !== undefined) {
        const row = assembler.fastRow();
        if (row >= 0) {
          const next = this.fastRecord(bytes, pos, row);
          if (next >= 0) {
            pos = next;
            continue;
          }
        }
      }
      const fields = this.parseRecord(bytes, pos, safeEnd, atEnd);
      if (fields === undefined) return pos; // incomplete: a quoted field goes on in the next chunk
      if (!assembler.onRecord(fields)) return SCAN_STOPPED;
      pos = this.recordEnd;
      if (this.targets === undefined && assembler.fieldCount > 0) this.startTargets();
    }
    return pos;
  }

  /**
   * About `rows` data rows will come in all: the builders reserve room for them (through the
   * assembler). Their arrays move, so every target re-reads them before the next row.
   */
  expectRows(rows: number): void {
    this.assembler.expectRows(rows);
    this.capacity = 0;
  }

  private startTargets(): void {
    const sinks = this.assembler.fieldSinks();
    this.fieldCount = sinks.length;
    this.targets = sinks.map((list) => {
      let target: FieldTarget | undefined;
      for (let k = list.length - 1; k >= 0; k--) target = new FieldTarget(list[k], target);
      return target;
    });
    this.capacity = 0;
  }

  /** Makes every target's arrays hold row `row`. */
  private makeRoom(row: number): void {
    let capacity = Infinity;
    for (const first of this.targets as (FieldTarget | undefined)[]) {
      for (let t = first; t !== undefined; t = t.next) {
        t.refresh(row);
        capacity = Math.min(capacity, t.capacity);
      }
    }
    this.capacity = capacity;
  }

  /** True if the delimiter starts at `p` (its first byte already matched when dlen is 1). */
  private delimiterAt(bytes: Buffer, p: number): boolean {
    const d = this.delimiter;
    for (let k = 0; k < this.dlen; k++) if (bytes[p + k] !== d[k]) return false;
    return true;
  }

  /** True if a field ends at `p`: a delimiter or a line break starts there. */
  private endsField(bytes: Buffer, p: number): boolean {
    const c = bytes[p];
    return c === LF || c === CR || (c === this.d0 && (this.dlen === 1 || this.delimiterAt(bytes, p)));
  }

  /**
   * Index where the unquoted field starting at `p` ends (a delimiter or a line break), or -1 if
   * a quote comes first. A line break is known to come, so there is no bounds check.
   */
  private fieldEnd(bytes: Buffer, p: number): number {
    const d0 = this.d0;
    for (;;) {
      const c = bytes[p];
      if (c === d0) {
        if (this.dlen === 1 || this.delimiterAt(bytes, p)) return p;
      } else if (c === LF || c === CR) return p;
      else if (c === QUOTE) return -1;
      p++;
    }
  }

  /**
   * One data row on one line without quotes, stored through the routes. Returns the index just
   * past the line break, or -1 to leave the record to the general path (a quote, a wrong number
   * of fields, a cell whose builder reported a problem).
   */
  private fastRecord(bytes: Buffer, pos: number, row: number): number {
    if (row >= this.capacity) this.makeRoom(row);
    const targets = this.targets as (FieldTarget | undefined)[];
    const fieldCount = this.fieldCount;
    const decimal = this.decimal;
    const numbersFromBytes = this.numbersFromBytes;
    const d0 = this.d0;
    const dlen = this.dlen;
    let p = pos;
    let field = 0;
    for (;;) {
      let q = -1; // where the field ends
      let target = field < fieldCount ? targets[field] : undefined;
      if (target === undefined) q = this.fieldEnd(bytes, p);
      for (; target !== undefined; target = target.next) {
        const route = target.route;
        if ((route === ROUTE_NUMBER || route === ROUTE_COUNT) && numbersFromBytes) {
          // the value goes straight into the column; a cell that turns out not to be a number
          // is overwritten by `add` below
          const numbers = target.numbers;
          const e = decimal.parseInto(bytes, p, numbers, row);
          const v = numbers[row];
          const c = bytes[e];
          if (v - v === 0 && (c === d0 ? dlen === 1 || this.delimiterAt(bytes, e) : c === LF || c === CR) && (route === ROUTE_NUMBER || v >= 0)) {
            if (route === ROUTE_COUNT) numbers[row] = v + 0; // a count of "-0" is 0
            q = e;
            continue;
          }
        } else if (route === ROUTE_CODE) {
          const e = this.codeFromCache(target, bytes, p, row);
          if (e >= 0) {
            q = e;
            continue;
          }
        } else if (route === ROUTE_NUMBER_AND_CODE && numbersFromBytes) {
          const numbers = target.numbers;
          const e = decimal.parseInto(bytes, p, numbers, row);
          const v = numbers[row];
          if (v - v === 0 && e - p <= CACHED_TOKEN_BYTES && this.endsField(bytes, e)) {
            const code = target.codeOfKey.get(tokenKey(bytes, p, e));
            if (code !== undefined) {
              target.codes[row] = code;
              q = e;
              continue;
            }
          }
        } else if (route === ROUTE_NONE) {
          if (q < 0) q = this.fieldEnd(bytes, p);
          if (q < 0) return -1;
          continue;
        }
        // Through the builder's `add`, as text.
        if (q < 0) q = this.fieldEnd(bytes, p);
        if (q < 0) return -1; // a quote: the general path reads this record
        if (!this.addText(target, bytes, p, q, row)) return -1;
      }
      if (q < 0) return -1;
      field++;
      if (bytes[q] === this.d0) {
        // a delimiter (the field ends only at a whole delimiter or a line break, and d0 is neither \r nor \n)
        p = q + this.dlen;
        continue;
      }
      // a line break: the record ends
      if (field !== fieldCount) return -1;
      this.assembler.commitFastRow();
      return bytes[q] === CR && bytes[q + 1] === LF ? q + 2 : q + 1;
    }
  }

  /**
   * ROUTE_CODE: the code of the token at `p` from the cache, written to the row; returns where
   * the token ends, or -1 when the cache cannot say (a long or new token, or a quote).
   */
  private codeFromCache(target: FieldTarget, bytes: Buffer, p: number, row: number): number {
    const d0 = this.d0;
    let key = 0;
    let q = p;
    for (;;) {
      const c = bytes[q];
      if (c === d0) {
        if (this.dlen === 1 || this.delimiterAt(bytes, q)) break;
      } else if (c === LF || c === CR) break;
      else if (c === QUOTE) return -1;
      if (q - p === CACHED_TOKEN_BYTES) return -1;
      key = key * 256 + c;
      q++;
    }
    const code = target.codeOfKey.get(key + (q - p) * LENGTH_RADIX);
    if (code === undefined) return -1;
    target.codes[row] = code;
    return q;
  }

  /** The cell [p, q) through the builder's `add`; false if the builder reports a problem. */
  private addText(target: FieldTarget, bytes: Buffer, p: number, q: number, row: number): boolean {
    const token = q === p ? '' : bytes.toString('utf8', p, q);
    if (target.sink.add(token, row) !== undefined) return false;
    const before = target.route;
    target.refresh(row);
    this.capacity = Math.min(this.capacity, target.capacity);
    // Remember the code the builder gave these bytes, if the route caches codes.
    const route = target.route;
    if (route === before && q - p <= CACHED_TOKEN_BYTES) {
      if (route === ROUTE_CODE) target.remember(tokenKey(bytes, p, q), target.codes[row]);
      else if (route === ROUTE_NUMBER_AND_CODE && target.codes[row] >= 0) {
        // only numbers are cached on this route (a missing token's value is not its parse)
        const v = this.numbersFromBytes ? this.decimal.parse(bytes, p) : NaN;
        if (v - v === 0 && this.decimal.end === q) target.remember(tokenKey(bytes, p, q), target.codes[row]);
      }
    }
    return true;
  }

  /**
   * The fields of the record starting at `pos` as strings, with quoted fields read as csv-parse
   * reads them; `recordEnd` is set past its line break. Undefined if the record goes on past
   * `safeEnd` (more bytes are needed). Throws NeedsCsvParse for any quote csv-parse would
   * reject (or read unusually).
   */
  private parseRecord(bytes: Buffer, pos: number, safeEnd: number, atEnd: boolean): string[] | undefined {
    const fields: string[] = [];
    let p = pos;
    for (;;) {
      let q: number; // where the field ends (at a delimiter or a line break)
      if (bytes[p] === QUOTE) {
        const pieces: Buffer[] = [];
        let s = p + 1;
        for (;;) {
          const close = bytes.indexOf(QUOTE, s);
          if (close < 0 || close >= safeEnd) {
            if (atEnd) throw new NeedsCsvParse(p); // a quote never closed
            return undefined;
          }
          if (bytes[close + 1] === QUOTE) {
            pieces.push(bytes.subarray(s, close + 1)); // `""` is one quote
            s = close + 2;
            continue;
          }
          if (!this.endsField(bytes, close + 1)) throw new NeedsCsvParse(close + 1); // text after a closing quote
          pieces.push(bytes.subarray(s, close));
          q = close + 1;
          break;
        }
        fields.push(pieces.length === 1 ? pieces[0].toString('utf8') : Buffer.concat(pieces).toString('utf8'));
      } else {
        q = this.fieldEnd(bytes, p);
        if (q < 0) throw new NeedsCsvParse(p); // a quote inside an unquoted field
        fields.push(q === p ? '' : bytes.toString('utf8', p, q));
      }
      const c = bytes[q];
      if (c === LF || c === CR) {
        this.recordEnd = c === CR && bytes[q + 1] === LF ? q + 2 : q + 1;
        return fields;
      }
      p = q + this.dlen;
    }
  }
}

/** The cache key of bytes [p, q) (at most CACHED_TOKEN_BYTES of them). */
function tokenKey(bytes: Buffer, p: number, q: number): number {
  let key = 0;
  for (let i = p; i < q; i++) key = key * 256 + bytes[i];
  return key + (q - p) * LENGTH_RADIX;
}
