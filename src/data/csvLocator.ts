/**
 * Where a cell is in the file: 1-based line and column (UTF-16 code units, as editors count)
 * of a data cell, or of a byte offset the parser reported.
 *
 * csv-parse reports records, not the offsets of their fields, and tracking offsets for every
 * cell would slow the reader down for the rare file that has an error. So this runs on the
 * error path only: it walks the bytes again from the start of the file to the record's line
 * and steps over the fields with the same rules the parser used (RFC 4180 quoting, `""` for a
 * quote inside quotes; line breaks \r\n, \n or \r). Line 1 starts after a UTF-8 byte order mark.
 */
import { fstatSync, readSync } from 'node:fs';

/** Random access to the bytes of a file or a text, synchronously (error path only). */
export interface ByteSource {
  readonly size: number;
  /** Bytes [start, end), clamped to the source. */
  read(start: number, end: number): Buffer;
  close(): void;
}

export function bufferByteSource(bytes: Buffer): ByteSource {
  return { size: bytes.length, read: (start, end) => bytes.subarray(start, Math.min(end, bytes.length)), close: () => undefined };
}

/**
 * The bytes of an open file (by descriptor; not closed by `close`): the reader locates an error in
 * the very file it read, not in whatever the path names by now (a rename may have replaced it).
 */
export function descriptorByteSource(fd: number): ByteSource {
  const size = fstatSync(fd).size;
  return {
    size,
    read(start, end) {
      const length = Math.max(0, Math.min(end, size) - start);
      const buf = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buf, done, length - done, start + done);
        if (n === 0) break;
        done += n;
      }
      return buf.subarray(0, done);
    },
    close: () => undefined,
  };
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const CHUNK = 1 << 16;

/** Sequential reads with one buffered chunk. */
class ByteCursor {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;

  constructor(private readonly source: ByteSource) {}

  /** The byte at `p`, or -1 past the end. */
  at(p: number): number {
    if (p >= this.source.size || p < 0) return -1;
    if (p < this.chunkStart || p >= this.chunkStart + this.chunk.length) {
      this.chunkStart = p;
      this.chunk = this.source.read(p, p + CHUNK);
    }
    return this.chunk[p - this.chunkStart];
  }
}

function bomLength(cursor: ByteCursor): number {
  return cursor.at(0) === 0xef && cursor.at(1) === 0xbb && cursor.at(2) === 0xbf ? 3 : 0;
}

/** Length in bytes of the line break at `p` (2 for \r\n), or 0. */
function lineBreakAt(cursor: ByteCursor, p: number): number {
  const b = cursor.at(p);
  if (b === LF) return 1;
  if (b === CR) return cursor.at(p + 1) === LF ? 2 : 1;
  return 0;
}

/** Byte offset where 1-based `line` starts, or undefined past the end of the source. */
function lineStart(cursor: ByteCursor, line: number): number | undefined {
  let p = bomLength(cursor);
  for (let current = 1; current < line; current++) {
    for (;;) {
      const b = cursor.at(p);
      if (b === -1) return undefined;
      const br = lineBreakAt(cursor, p);
      p += br || 1;
      if (br) break;
    }
  }
  return p;
}

/** Column (1-based, UTF-16 units) of byte `offset` on the line starting at byte `start`. */
function columnOf(source: ByteSource, start: number, offset: number): number {
  return source.read(start, offset).toString('utf8').length + 1;
}

/** Byte offset of the end of the line that contains `p` (before its line break). */
function lineEnd(cursor: ByteCursor, p: number): number {
  while (cursor.at(p) !== -1 && !lineBreakAt(cursor, p)) p++;
  return p;
}

export interface CellPosition {
  readonly line: number;
  readonly column: number;
  /** Exclusive end column on `line`. */
  readonly endColumn: number;
}

/** Line and column of byte `offset` (a zero-width position, widened to `width` bytes on its line). */
export function positionOfByte(source: ByteSource, offset: number, width = 0): CellPosition {
  const cursor = new ByteCursor(source);
  let p = bomLength(cursor);
  offset = Math.max(offset, p);
  let line = 1;
  let start = p;
  while (p < offset) {
    const br = lineBreakAt(cursor, p);
    if (br) {
      p += br;
      line++;
      start = p;
    } else {
      if (cursor.at(p) === -1) break;
      p++;
    }
  }
  const column = columnOf(source, start, offset);
  const end = Math.min(offset + width, lineEnd(cursor, offset));
  return { line, column, endColumn: end > offset ? columnOf(source, start, end) : column };
}

/** Line and column span of the whole line `line` (1-based). */
export function lineSpan(source: ByteSource, line: number): CellPosition {
  const cursor = new ByteCursor(source);
  const start = lineStart(cursor, line);
  if (start === undefined) return { line, column: 1, endColumn: 1 };
  return { line, column: 1, endColumn: columnOf(source, start, lineEnd(cursor, start)) };
}

/**
 * The span of field `fieldIndex` (0-based) of the record that starts on `line`; if the record has
 * fewer fields, the zero-width position at the end of the record (where the missing field should be).
 * A field that runs onto later lines (a quoted line break) ends, for the span, at its first line's end.
 */
export function locateField(source: ByteSource, line: number, fieldIndex: number, delimiter: string): CellPosition {
  const cursor = new ByteCursor(source);
  const start = lineStart(cursor, line);
  if (start === undefined) return { line, column: 1, endColumn: 1 };
  const delim = Buffer.from(delimiter, 'utf8');
  const isDelimiterAt = (p: number): boolean => {
    for (let k = 0; k < delim.length; k++) if (cursor.at(p + k) !== delim[k]) return false;
    return delim.length > 0;
  };
  let currentLine = line;
  let currentLineStart = start;
  let p = start;
  for (let field = 0; ; field++) {
    const fieldStart = p;
    const fieldLine = currentLine;
    const fieldLineStart = currentLineStart;
    if (cursor.at(p) === QUOTE) {
      p++;
      for (;;) {
        const b = cursor.at(p);
        if (b === -1) break;
        if (b === QUOTE) {
          if (cursor.at(p + 1) === QUOTE) {
            p += 2;
            continue;
          }
          p++;
          break;
        }
        const br = lineBreakAt(cursor, p);
        if (br) {
          p += br;
          currentLine++;
          currentLineStart = p;
        } else p++;
      }
    }
    while (cursor.at(p) !== -1 && !lineBreakAt(cursor, p) && !isDelimiterAt(p)) p++;
    if (field === fieldIndex) {
      const column = columnOf(source, fieldLineStart, fieldStart);
      const end = currentLine === fieldLine ? p : lineEnd(cursor, fieldStart);
      return { line: fieldLine, column, endColumn: columnOf(source, fieldLineStart, end) };
    }
    if (isDelimiterAt(p)) {
      p += delim.length;
      continue;
    }
    // The record ended before field `fieldIndex`: point at its end.
    const column = columnOf(source, currentLineStart, p);
    return { line: currentLine, column, endColumn: column };
  }
}
