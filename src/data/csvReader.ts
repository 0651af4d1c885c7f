/**
 * Reading CSV/TSV datasets into typed columns (see dataset.ts).
 *
 * - `readDataset(path, options)` streams the file in chunks through the byte scanner
 *   (byteRecordScanner.ts), which stores numbers and level codes straight from the bytes;
 *   `parseDataset(text, file, options)` runs the same scanner over text already in memory (an
 *   editor's buffer). Memory holds the typed columns and one chunk, never the whole text.
 * - csv-parse is the reference grammar: where the scanner meets a quote it does not read the
 *   way csv-parse would (csv-parse's errors: a quote inside an unquoted field, text after a
 *   closing quote, a quote never closed), the file is read again with csv-parse (its stream
 *   Parser, or its synchronous parser for text in memory), which reports the error. Both hand
 *   records to the same DatasetAssembler, so both read every file the same way (the property
 *   tests in test/unit/dataFastPath*.test.ts compare them).
 * - The format: a header row, then data rows with as many fields; RFC 4180 quoting (fields
 *   may hold the delimiter, `""` for a quote, and line breaks); \n, \r\n or \r line endings,
 *   mixed freely; a UTF-8 byte order mark is skipped; blank lines are skipped. UTF-16 files
 *   are refused with a message (save as UTF-8).
 * - Every problem is an InputError naming the file, the 1-based line and column of the cell
 *   (columns count UTF-16 code units, as editors do) and its end column.
 * - A file is read through one open handle from start to end, every pass and the locating of an
 *   error included, and a file written to during the read is refused (openDataFile.ts): a read
 *   gives one version of a file that is replaced or rewritten meanwhile, or an InputError.
 */
import { createReadStream, read } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { parse as parseCsvStream, type Options as CsvOptions } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { InputError } from '../shared/errors';
import type { Dataset } from './dataset';
import { type AssembledDataset, type AssemblyLimits, CategoricalRereadNeeded, CellProblem, DatasetAssembler } from './datasetAssembler';
import { ByteRecordScanner, NeedsCsvParse, SCAN_STOPPED } from './byteRecordScanner';
import { FileChunks } from './fileChunks';
import { type ByteSource, bufferByteSource, lineSpan, locateField, positionOfByte } from './csvLocator';
import { type OpenDataFile, fileSystemError, withDataFile } from './openDataFile';
import { defaultDelimiter, type ReadOptions } from './readOptions';

export type { ReadOptions } from './readOptions';

const DEFAULT_CHUNK_BYTES = 1 << 16;
const LF = 10;
/** Bytes read before the row count is estimated from the bytes per row so far (columnStore.ts). */
const ESTIMATE_AFTER_BYTES = 1 << 16;

/** Options shared by the streaming and the in-memory parser: the same grammar for both. */
function csvOptions(delimiter: string): CsvOptions {
  return {
    delimiter,
    quote: '"',
    escape: '"',
    // All three line endings, in this order so that \r\n is one break, not two.
    record_delimiter: ['\r\n', '\n', '\r'],
    bom: true,
    encoding: 'utf8',
    // Ragged rows and blank lines are the assembler's to judge (it knows where they are).
    relax_column_count: true,
    skip_empty_lines: false,
  };
}

function checkDelimiter(delimiter: string, file: string): void {
  if (delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
    throw new InputError(`the field delimiter ${JSON.stringify(delimiter)} cannot be used: it must be non-empty and hold no quote or line break`, { file });
  }
}

/** What csv-parse attaches to its errors (CsvError copies the parser's info onto itself). */
interface CsvParseError extends Error {
  readonly code: string;
  /** Byte offset where the parser last ended a field or a record. */
  readonly bytes?: number;
  /** Fields completed in the failing record. */
  readonly index?: number;
  /** Records completed before the failing one. */
  readonly records?: number;
  /** The bytes read so far of the failing field (INVALID_OPENING_QUOTE). */
  readonly field?: { readonly length: number };
}

function isCsvParseError(e: unknown): e is CsvParseError {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE');
}

/** Byte offset just past the closing quote of the quoted field starting at `start`. */
function afterClosingQuote(source: ByteSource, start: number): number {
  const bytes = source.read(start, source.size);
  let p = 1;
  while (p < bytes.length) {
    if (bytes[p] === 34) {
      if (bytes[p + 1] === 34) p += 2;
      else return start + p + 1;
    } else p++;
  }
  return start + bytes.length;
}

/** A csv-parse error as an InputError at the cell it is about. */
function csvErrorToInputError(e: CsvParseError, file: string, source: ByteSource, delimiter: string): InputError {
  const bytes = e.bytes ?? 0;
  // csv-parse's `bytes` is where it last ended a field (at a delimiter) or a record (just past
  // its line break): the failing field starts there, after the delimiter if it is not the first.
  const fieldStart = (e.index ?? 0) === 0 ? bytes : bytes + Buffer.byteLength(delimiter);
  const at = (offset: number, message: string): InputError => {
    const p = positionOfByte(source, offset, 1);
    return new InputError(message, { file, line: p.line, column: p.column, endColumn: p.endColumn });
  };
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return at(fieldStart, 'this quoted field is never closed: a closing quote (") is missing');
    case 'CSV_INVALID_CLOSING_QUOTE':
      return at(afterClosingQuote(source, fieldStart), 'unexpected text after a closing quote: a quoted field must end at its closing quote (write "" for a quote inside quotes)');
    case 'INVALID_OPENING_QUOTE':
      return at(fieldStart + (e.field?.length ?? 0), 'a quote inside an unquoted field: quote the whole field and double the quotes inside ("a""b")');
    default:
      return at(fieldStart, `cannot parse this line: ${e.message}`);
  }
}

/** Any error from reading as an InputError where it is the input's fault; internal errors pass through. */
function toInputError(e: unknown, file: string, openSource: () => ByteSource, delimiter: string): unknown {
  if (e instanceof InputError) return e;
  if (e instanceof CellProblem || isCsvParseError(e)) {
    const source = openSource();
    try {
      if (e instanceof CellProblem) {
        const p = e.field === 'line' ? lineSpan(source, e.line) : locateField(source, e.line, e.field, delimiter);
        return new InputError(e.message, { file, line: p.line, column: p.column, endColumn: p.endColumn });
      }
      return csvErrorToInputError(e, file, source, delimiter);
    } finally {
      source.close();
    }
  }
  return fileSystemError(e, file);
}

/** Thrown from csv-parse's on_record to stop the synchronous parser early. */
class StopReading extends Error {}

/** The in-memory path on csv-parse's synchronous parser, records handed over one by one in file order. */
function assembleBufferWithCsvParse(bytes: Buffer, file: string, options: ReadOptions, limits: AssemblyLimits): AssembledDataset {
  const delimiter = options.delimiter ?? defaultDelimiter(file);
  checkDelimiter(delimiter, file);
  for (let attempt = options; ; ) {
    const assembler = new DatasetAssembler(file, attempt, limits);
    try {
      try {
        parseCsvSync(bytes, {
          ...csvOptions(delimiter),
          on_record: (record: string[]) => {
            if (!assembler.onRecord(record)) throw new StopReading();
            return null;
          },
        });
      } catch (e) {
        if (!(e instanceof StopReading)) throw e;
      }
      return assembler.finish();
    } catch (e) {
      if (e instanceof CategoricalRereadNeeded) {
        attempt = withCategorical(attempt, e.columns);
        continue;
      }
      throw toInputError(e, file, () => bufferByteSource(bytes), delimiter);
    }
  }
}

function withCategorical(options: ReadOptions, columns: readonly string[]): ReadOptions {
  const categorical: Record<string, readonly string[] | undefined> = { ...options.categorical };
  for (const c of columns) categorical[c] = undefined;
  return { ...options, categorical };
}

/** A failed stream: the first error, and how many records reached `onRecord` before it. */
class StreamFailure {
  constructor(
    readonly error: unknown,
    readonly recordsSeen: number,
  ) {}
}

/**
 * The streaming path: the file through csv-parse's Parser, each record to `onRecord` as it is
 * parsed. Resolves when the file ends or `onRecord` returns false; rejects with a StreamFailure.
 */
function streamRecords(file: OpenDataFile, delimiter: string, chunkBytes: number, onRecord: (fields: string[]) => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // The open file's descriptor from byte 0 (positional reads). A read stream closes its
    // descriptor when destroyed, whatever autoClose says: its `close` is a no-op here, because
    // the file stays open for the rest of the read and is closed by its owner (withDataFile).
    const input = createReadStream('', {
      fd: file.handle.fd,
      start: 0,
      highWaterMark: chunkBytes,
      autoClose: false,
      fs: { read, open: () => undefined, close: (_fd: number, done: (e: null) => void) => done(null) },
    });
    const parser = parseCsvStream(csvOptions(delimiter));
    let settled = false;
    let seen = 0;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      input.destroy();
      parser.destroy();
      if (error === undefined) resolve();
      else reject(new StreamFailure(error, seen));
    };
    input.on('error', (e) => settle(e));
    parser.on('error', (e) => settle(e));
    parser.on('data', (fields: string[]) => {
      if (settled) return;
      seen++;
      try {
        if (!onRecord(fields)) settle();
      } catch (e) {
        settle(e);
      }
    });
    parser.on('end', () => settle());
    input.pipe(parser);
  });
}

/** The streaming path on csv-parse's Parser, over a file already open. */
async function assembleOpenFileWithCsvParse(file: OpenDataFile, options: ReadOptions, limits: AssemblyLimits): Promise<AssembledDataset> {
  const path = file.path;
  const delimiter = options.delimiter ?? defaultDelimiter(path);
  checkDelimiter(delimiter, path);
  const chunkBytes = Math.max(1, Math.floor(options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
  for (let attempt = options; ; ) {
    const assembler = new DatasetAssembler(path, attempt, limits);
    try {
      await file.refuseUtf16();
      await streamRecords(file, delimiter, chunkBytes, (fields) => assembler.onRecord(fields));
      const assembled = assembler.finish();
      await file.assertUnchanged();
      return assembled;
    } catch (failure) {
      const e = failure instanceof StreamFailure ? failure.error : failure;
      if (e instanceof CategoricalRereadNeeded) {
        attempt = withCategorical(attempt, e.columns);
        continue;
      }
      if (failure instanceof StreamFailure && isCsvParseError(e) && failure.recordsSeen !== (e.records ?? 0)) {
        // Records parsed before the error never reached the assembler (a stream that buffered
        // them): read the file in memory, where records and errors come strictly in file order,
        // so that the FIRST problem in the file is the one reported.
        const bytes = await file.readAll();
        await file.assertUnchanged();
        return assembleBufferWithCsvParse(bytes, path, { ...attempt, delimiter }, limits);
      }
      // located in the bytes of this file; a problem in bytes that changed under the reader
      // (during the read or while it was located) is not a problem of the file
      const located = toInputError(e, path, () => file.byteSource(), delimiter);
      await file.assertUnchanged();
      throw located;
    }
  }
}

/** The streaming path on csv-parse's Parser. */
function assembleFileWithCsvParse(path: string, options: ReadOptions, limits: AssemblyLimits): Promise<AssembledDataset> {
  return withDataFile(path, (file) => assembleOpenFileWithCsvParse(file, options, limits));
}

/** Tells the builders how many rows to expect, once, from the bytes per row read so far. */
class RowEstimate {
  private done = false;

  constructor(
    private readonly assembler: DatasetAssembler,
    private readonly scanner: ByteRecordScanner,
    private readonly totalBytes: number,
  ) {}

  afterBytes(consumed: number): void {
    // half the first part: the incomplete record at its end is not consumed yet
    if (this.done || consumed < ESTIMATE_AFTER_BYTES / 2) return;
    const rows = this.assembler.rowsRead;
    if (rows === 0) return;
    this.done = true;
    this.scanner.expectRows(Math.ceil((rows * this.totalBytes) / consumed));
  }
}

/** Text in memory through the byte scanner. */
function scanBuffer(text: Buffer, assembler: DatasetAssembler, delimiter: string): void {
  // The scanner wants the input to end with a line break: a copy with one appended if needed.
  let bytes = text;
  if (text.length > 0 && text[text.length - 1] !== LF) {
    bytes = Buffer.allocUnsafe(text.length + 1);
    text.copy(bytes);
    bytes[text.length] = LF;
  }
  const scanner = new ByteRecordScanner(assembler, delimiter);
  const estimate = new RowEstimate(assembler, scanner, bytes.length);
  // A first part, so that the builders can reserve the rows before the rest is read.
  const firstEnd = Math.min(bytes.length, ESTIMATE_AFTER_BYTES);
  let next = 0;
  if (firstEnd < bytes.length) {
    next = scanner.scan(bytes, 0, firstEnd, false);
    if (next === SCAN_STOPPED) return;
    estimate.afterBytes(next);
  }
  scanner.scan(bytes, next, bytes.length, true);
}

/** The in-memory path: the byte scanner, or csv-parse where the scanner leaves a quote to it. */
function assembleBuffer(bytes: Buffer, file: string, options: ReadOptions, limits: AssemblyLimits): AssembledDataset {
  const delimiter = options.delimiter ?? defaultDelimiter(file);
  checkDelimiter(delimiter, file);
  for (let attempt = options; ; ) {
    const assembler = new DatasetAssembler(file, attempt, limits);
    try {
      scanBuffer(bytes, assembler, delimiter);
      return assembler.finish();
    } catch (e) {
      if (e instanceof CategoricalRereadNeeded) {
        attempt = withCategorical(attempt, e.columns);
        continue;
      }
      if (e instanceof NeedsCsvParse) return assembleBufferWithCsvParse(bytes, file, { ...attempt, delimiter }, limits);
      throw toInputError(e, file, () => bufferByteSource(bytes), delimiter);
    }
  }
}

/** The file through the byte scanner, chunk by chunk (fileChunks.ts: one read ahead). */
async function scanFile(handle: FileHandle, assembler: DatasetAssembler, delimiter: string, chunkBytes: number | undefined): Promise<void> {
  const size = (await handle.stat()).size;
  const scanner = new ByteRecordScanner(assembler, delimiter);
  const estimate = new RowEstimate(assembler, scanner, size);
  const chunks = new FileChunks(handle, chunkBytes);
  try {
    let carry: Buffer = Buffer.alloc(0); // an incomplete record, read again with the next chunk
    for (;;) {
      const chunk = await chunks.next(carry);
      const { bytes, start, atEnd } = chunk;
      let end = chunk.end;
      if (atEnd && end > start && bytes[end - 1] !== LF) bytes[end++] = LF; // the scanner wants a final line break
      const next = scanner.scan(bytes, start, end, atEnd);
      if (next === SCAN_STOPPED || atEnd) return;
      estimate.afterBytes(chunk.filePosition - (end - next));
      carry = bytes.subarray(next, end);
    }
  } finally {
    await chunks.settle();
  }
}

/** The streaming path: the byte scanner, or csv-parse where the scanner leaves a quote to it. */
async function assembleFile(path: string, options: ReadOptions, limits: AssemblyLimits): Promise<AssembledDataset> {
  const delimiter = options.delimiter ?? defaultDelimiter(path);
  checkDelimiter(delimiter, path);
  const chunkBytes = options.chunkBytes !== undefined ? Math.max(1, Math.floor(options.chunkBytes)) : undefined;
  return withDataFile(path, async (file) => {
    for (let attempt = options; ; ) {
      const assembler = new DatasetAssembler(path, attempt, limits);
      try {
        await file.refuseUtf16();
        await scanFile(file.handle, assembler, delimiter, chunkBytes);
        const assembled = assembler.finish();
        await file.assertUnchanged();
        return assembled;
      } catch (e) {
        if (e instanceof CategoricalRereadNeeded) {
          attempt = withCategorical(attempt, e.columns);
          continue;
        }
        if (e instanceof NeedsCsvParse) return assembleOpenFileWithCsvParse(file, { ...attempt, delimiter }, limits);
        // located in the bytes of this file; a problem in bytes that changed under the reader
        // (during the read or while it was located) is not a problem of the file
        const located = toInputError(e, path, () => file.byteSource(), delimiter);
        await file.assertUnchanged();
        throw located;
      }
    }
  });
}

function toDataset(a: AssembledDataset): Dataset {
  const { file, header, columns, rowCount, weights, lines } = a;
  return weights ? { file, header, columns, rowCount, weights, lines } : { file, header, columns, rowCount, lines };
}

/** Reads the dataset at `path` (streaming). Rejects with an InputError on bad input. */
export async function readDataset(path: string, options: ReadOptions): Promise<Dataset> {
  return toDataset(await assembleFile(path, options, {}));
}

/** Reads a dataset from text in memory; `file` names it in errors and picks the default delimiter. */
export function parseDataset(text: string, file: string, options: ReadOptions): Dataset {
  return toDataset(assembleBuffer(Buffer.from(text, 'utf8'), file, options, {}));
}

export interface HeaderOptions {
  readonly delimiter?: string;
}

/** The column names of the header row of the file at `path` (reads no further). */
export async function readHeader(path: string, options: HeaderOptions = {}): Promise<readonly string[]> {
  return (await assembleFile(path, { missing: [], delimiter: options.delimiter, columns: [] }, { headerOnly: true })).header;
}

/** The column names of the header row of `text`. */
export function parseHeader(text: string, file: string, options: HeaderOptions = {}): readonly string[] {
  return assembleBuffer(Buffer.from(text, 'utf8'), file, { missing: [], delimiter: options.delimiter, columns: [] }, { headerOnly: true }).header;
}

/** Internal to src/data: reading with limits (the sniffer). */
export async function readAssembled(path: string, options: ReadOptions, limits: AssemblyLimits): Promise<AssembledDataset> {
  return assembleFile(path, options, limits);
}

/** Internal to src/data: parsing text with limits (the sniffer). */
export function parseAssembled(text: string, file: string, options: ReadOptions, limits: AssemblyLimits): AssembledDataset {
  return assembleBuffer(Buffer.from(text, 'utf8'), file, options, limits);
}

/** Internal (tests, bench): readDataset on csv-parse alone, the reference the byte scanner must agree with. */
export async function readDatasetWithCsvParse(path: string, options: ReadOptions): Promise<Dataset> {
  return toDataset(await assembleFileWithCsvParse(path, options, {}));
}

/** Internal (tests, bench): parseDataset on csv-parse alone, the reference the byte scanner must agree with. */
export function parseDatasetWithCsvParse(text: string, file: string, options: ReadOptions): Dataset {
  return toDataset(assembleBufferWithCsvParse(Buffer.from(text, 'utf8'), file, options, {}));
}
