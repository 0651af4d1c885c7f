// Property tests of the dataset reader (fast-check):
// 1. any table of strings, written out with proper quoting (any delimiter, any mix of line
//    endings, with or without a BOM and a final line break), reads back identically, with
//    the right line for every row; in memory and streamed in random chunk sizes;
// 2. any text, and any bytes, either read or fail with an InputError at a real position:
//    never another exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDataset, readDataset, type ReadOptions } from '../../src/data/csvReader';
import type { Dataset } from '../../src/data/dataset';
import { InputError } from '../../src/shared/errors';
import { DEFAULT_MISSING_TOKENS } from '../../src/shared/modelSpec';
import { tempFile } from './dataTestSupport';

const RUNS = 2000;
const STREAM_RUNS = 200;

/** One character: mostly the ones CSV treats specially, else any code point. */
const char = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(',', '"', '\r', '\n', '\t', ';', '|', ':', ' ', '\uFEFF', 'é', '😀', 'a', '1', '.', '-', 'e') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const cell = (minLength: number) => fc.string({ unit: char, minLength, maxLength: 8 });

const table = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    rows: fc.integer({ min: 1, max: 10 }),
    delimiter: fc.constantFrom(',', '\t', ';', '|', '::'),
    bom: fc.boolean(),
    finalBreak: fc.boolean(),
  })
  .chain((shape) => {
    // A record that is one empty field is a blank line (skipped), so one-column cells are non-empty.
    const minLength = shape.columns === 1 ? 1 : 0;
    return fc.record({
      shape: fc.constant(shape),
      header: fc.uniqueArray(cell(minLength), { minLength: shape.columns, maxLength: shape.columns }),
      cells: fc.array(fc.array(cell(minLength), { minLength: shape.columns, maxLength: shape.columns }), { minLength: shape.rows, maxLength: shape.rows }),
      breaks: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: shape.rows + 1, maxLength: shape.rows + 1 }),
    });
  });

type Table = typeof table extends fc.Arbitrary<infer T> ? T : never;

/** RFC 4180 writing: quote a field that holds any delimiter character, a quote, a line break or a BOM. */
function writeField(field: string, delimiter: string): string {
  const needsQuotes = /["\r\n\uFEFF]/.test(field) || [...delimiter].some((d) => field.includes(d));
  return needsQuotes ? `"${field.replace(/"/g, '""')}"` : field;
}

function lineBreaks(s: string): number {
  return (s.match(/\r\n|\r|\n/g) ?? []).length;
}

/** The file text and the line where each data row starts. */
function write(t: Table): { text: string; lines: number[] } {
  const { delimiter } = t.shape;
  const records = [t.header, ...t.cells].map((r) => r.map((f) => writeField(f, delimiter)).join(delimiter));
  let text = t.shape.bom ? '\uFEFF' : '';
  let line = 1;
  const lines: number[] = [];
  records.forEach((r, i) => {
    if (i > 0) lines.push(line);
    const last = i === records.length - 1;
    const end = last && !t.shape.finalBreak ? '' : t.breaks[i];
    text += r + end;
    line += lineBreaks(r) + lineBreaks(end);
  });
  return { text, lines };
}

function options(t: Table): ReadOptions {
  return { delimiter: t.shape.delimiter, missing: [], categorical: Object.fromEntries(t.header.map((h) => [h, undefined])) };
}

function checkRoundTrip(ds: Dataset, t: Table, lines: number[]): void {
  assert.deepEqual(ds.header, t.header);
  assert.equal(ds.rowCount, t.cells.length);
  assert.deepEqual(Array.from(ds.lines), lines);
  ds.columns.forEach((c, j) => {
    assert.ok(c.kind === 'categorical');
    assert.deepEqual(
      Array.from(c.codes, (code) => c.levels[code]),
      t.cells.map((row) => row[j]),
    );
  });
}

test('a table written with proper quoting reads back identically (in memory)', () => {
  fc.assert(
    fc.property(table, (t) => {
      const { text, lines } = write(t);
      checkRoundTrip(parseDataset(text, 'table.csv', options(t)), t, lines);
    }),
    { numRuns: RUNS },
  );
});

test('a table written with proper quoting reads back identically (streamed in random chunk sizes)', async () => {
  await fc.assert(
    fc.asyncProperty(table, fc.integer({ min: 1, max: 16 }), async (t, chunkBytes) => {
      const { text, lines } = write(t);
      const ds = await readDataset(tempFile('table.csv', text), { ...options(t), chunkBytes });
      checkRoundTrip(ds, t, lines);
    }),
    { numRuns: STREAM_RUNS },
  );
});

test('numbers written by String() read back as the same doubles', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 10 }), (rows) => {
      const text = 'x,y\n' + rows.map((r) => r.map(String).join(',')).join('\n');
      const ds = parseDataset(text, 'n.csv', { missing: [] });
      ds.columns.forEach((c, j) => {
        assert.ok(c.kind === 'numeric');
        assert.deepEqual(Array.from(c.values), rows.map((r) => r[j] + 0)); // String(-0) is "0"
      });
    }),
    { numRuns: RUNS },
  );
});

/** Reading `read()` either succeeds or throws an InputError at a position inside the text. */
function readsOrInputError(read: () => unknown, text: string): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const lineCount = lineBreaks(text) + 1;
    assert.ok(e.line >= 1 && e.line <= lineCount, `line ${e.line} of ${lineCount}: ${e.format()}`);
    assert.ok(e.column >= 1 && e.endColumn >= e.column, `columns ${e.column}-${e.endColumn}: ${e.format()}`);
  }
}

const anyOptions: fc.Arbitrary<ReadOptions> = fc.record({
  missing: fc.constantFrom<readonly string[]>(DEFAULT_MISSING_TOKENS, [], ['?', '-1']),
  delimiter: fc.constantFrom(',', '\t', ';'),
  numeric: fc.constantFrom<readonly string[] | undefined>(undefined, ['a']),
  weight: fc.constantFrom<string | undefined>(undefined, 'b'),
  categorical: fc.constantFrom<Readonly<Record<string, readonly string[] | undefined>> | undefined>(undefined, { c: ['0', '1'] }),
});

const csvish = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '0', '1', '-', '.', 'e', ',', ';', '\t', '"', '\r', '\n', '?', ' ', 'é'), maxLength: 40 });

test('any text either reads or fails with an InputError at a real position', () => {
  fc.assert(
    fc.property(fc.oneof(csvish, fc.string({ unit: char, maxLength: 40 }), csvish.map((s) => `a,b,c\n${s}`)), anyOptions, (text, opts) => {
      readsOrInputError(() => parseDataset(text, 'random.csv', opts), text);
    }),
    { numRuns: RUNS },
  );
});

test('any bytes either read or fail with an InputError (in memory and streamed)', async () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
      const text = Buffer.from(bytes).toString('utf8');
      readsOrInputError(() => parseDataset(text, 'bytes.csv', { missing: DEFAULT_MISSING_TOKENS }), text);
    }),
    { numRuns: RUNS },
  );
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 60 }), fc.integer({ min: 1, max: 8 }), async (bytes, chunkBytes) => {
      const path = tempFile('bytes.csv', Buffer.from(bytes));
      try {
        await readDataset(path, { missing: DEFAULT_MISSING_TOKENS, chunkBytes });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        assert.ok(e.line >= 1 && e.column >= 1, e.format());
      }
    }),
    { numRuns: STREAM_RUNS },
  );
});
