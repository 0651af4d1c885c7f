// The byte scanner (the fast path of readDataset / parseDataset) against the csv-parse path it
// replaces: on random CSV text, both give the same Dataset (values compared bit for bit) or the
// same error at the same line and column. The text mixes numbers (short and 17-digit, exponents,
// too large), categorical tokens, missing tokens, CRLF/CR/LF, blank lines, a BOM, quoted fields
// (well-formed: read by the scanner itself) and stray quotes (the scanner hands the file to
// csv-parse), ragged rows, weight columns, declared levels; streamed in random chunk sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteRecordScanner, NeedsCsvParse } from '../../src/data/byteRecordScanner';
import { INFERENCE_DICTIONARY_LIMIT } from '../../src/data/columnBuilders';
import { parseDataset, parseDatasetWithCsvParse, readDataset, readDatasetWithCsvParse, readHeader, type ReadOptions } from '../../src/data/csvReader';
import { sniffDataset } from '../../src/data/datasetSummary';
import type { Dataset } from '../../src/data/dataset';
import { DatasetAssembler } from '../../src/data/datasetAssembler';
import { InputError } from '../../src/shared/errors';
import { DEFAULT_MISSING_TOKENS } from '../../src/shared/modelSpec';
import { tempFile } from './dataTestSupport';

const RUNS = 1500;
const STREAM_RUNS = 300;

// ---- comparing outcomes ------------------------------------------------------------------

/** A Dataset as plain data, numbers as their bytes (so that NaN, -0 and every bit count). */
function comparable(ds: Dataset): unknown {
  const bits = (a: Float64Array | Int32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  return {
    header: ds.header,
    rowCount: ds.rowCount,
    lines: Array.from(ds.lines),
    weights: ds.weights ? bits(ds.weights) : undefined,
    columns: ds.columns.map((c) => (c.kind === 'numeric' ? { kind: c.kind, name: c.name, values: bits(c.values) } : { kind: c.kind, name: c.name, levels: c.levels, codes: Array.from(c.codes) })),
  };
}

/** What reading gave: the dataset, or the error with its place. */
async function outcome(read: () => Dataset | Promise<Dataset>): Promise<unknown> {
  try {
    return { dataset: comparable(await read()) };
  } catch (e) {
    if (e instanceof InputError) return { error: e.message, line: e.line, column: e.column, endColumn: e.endColumn };
    return { unexpected: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** Runs the byte scanner alone over `text`: 'needs csv-parse' if it left the text to csv-parse. */
function scannerAlone(text: string, options: ReadOptions): 'scanned' | 'needs csv-parse' {
  const assembler = new DatasetAssembler('t.csv', options, {});
  const scanner = new ByteRecordScanner(assembler, options.delimiter ?? ',');
  const bytes = Buffer.from(text.length === 0 || text.endsWith('\n') ? text : `${text}\n`, 'utf8');
  try {
    scanner.scan(bytes, 0, bytes.length, true);
  } catch (e) {
    if (e instanceof NeedsCsvParse) return 'needs csv-parse';
    // anything else is the assembler's (a cell problem), as on the csv-parse path
  }
  return 'scanned';
}

// ---- random CSV text ---------------------------------------------------------------------

const numberToken = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.tuple(fc.integer({ min: -999999, max: 999999 }), fc.integer({ min: 0, max: 6 })).map(([m, k]) => (m / 10 ** k).toFixed(k)),
  fc.constantFrom('1e999', '-1e400', '0001', '.5', '5.', '-0', '+3', '1E3', '12345678901234567890', '0.1e-320', '4.9e-324'),
);
const missingToken = fc.constantFrom('', 'NA', '?', 'NaN', '-999');
const wordToken = fc.constantFrom('a', 'b', 'yes', 'no', 'é', '😀', 'a longer token', 'Infinity', '0x10', '1,5', ' 1', 'x y', '\t', ';', '::');
const oddToken = fc.string({ unit: fc.constantFrom('a', '1', '.', '-', 'e', ',', ';', '\t', '"', '\r', '\n', ' ', 'é', '\0', '\uFEFF'), maxLength: 6 });

/** Cells of one column: mostly numbers, mostly words, or anything. */
const columnFlavor = fc.constantFrom('numeric', 'categorical', 'mixed');
function cellOf(flavor: string): fc.Arbitrary<string> {
  if (flavor === 'numeric') return fc.oneof({ weight: 8, arbitrary: numberToken }, { weight: 1, arbitrary: missingToken }, { weight: 1, arbitrary: fc.constant('0') });
  if (flavor === 'categorical') return fc.oneof({ weight: 6, arbitrary: fc.constantFrom('a', 'b', 'yes', 'no', '0', '1') }, { weight: 2, arbitrary: wordToken }, { weight: 1, arbitrary: missingToken });
  return fc.oneof(numberToken, missingToken, wordToken, oddToken);
}

const DELIMITERS = [',', ',', '\t', ';', '::', '.', '1', 'é'];

interface CsvCase {
  readonly text: string;
  readonly options: ReadOptions;
  /** True if a stray quote was put into the text (it may need csv-parse). */
  readonly corrupted: boolean;
}

const csvCase: fc.Arbitrary<CsvCase> = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    rows: fc.integer({ min: 0, max: 25 }),
    delimiter: fc.constantFrom(...DELIMITERS),
    bom: fc.boolean(),
    finalBreak: fc.boolean(),
    quoteHeader: fc.boolean(),
  })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      header: fc.uniqueArray(fc.oneof(fc.constantFrom('x', 'y', 'z', 'w', 'A', 'B', '#'), wordToken, numberToken), { minLength: shape.columns, maxLength: shape.columns }),
      flavors: fc.array(columnFlavor, { minLength: shape.columns, maxLength: shape.columns }),
      cellSeeds: fc.array(fc.array(fc.nat(), { minLength: shape.columns, maxLength: shape.columns }), { minLength: shape.rows, maxLength: shape.rows }),
      quoteSome: fc.array(fc.boolean(), { minLength: shape.rows + 1, maxLength: shape.rows + 1 }),
      breaks: fc.array(fc.constantFrom('\n', '\n', '\r\n', '\r'), { minLength: shape.rows + 1, maxLength: shape.rows + 1 }),
      blanks: fc.array(fc.constantFrom('', '', '', '', '\n', '\r\n', '\r'), { minLength: shape.rows + 1, maxLength: shape.rows + 1 }),
      ragged: fc.array(fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, -1), { minLength: shape.rows, maxLength: shape.rows }),
      corruption: fc.option(fc.record({ at: fc.nat(), what: fc.constantFrom('"', 'x"y', '"a"b', '""', '"\n', '"\0') }), { freq: 4 }),
    }),
  )
  .chain((t) => {
    const cells = t.flavors.map((f) => cellOf(f));
    return fc.tuple(fc.constant(t), fc.tuple(...t.cellSeeds.map((row) => fc.tuple(...row.map((_, j) => cells[j])))), optionsFor(t.header));
  })
  .map(([t, rows, options]) => {
    const { delimiter } = t.shape;
    const write = (field: string, quote: boolean): string => {
      const needs = /["\r\n\uFEFF]/.test(field) || field.includes(delimiter);
      return needs || quote ? `"${field.replace(/"/g, '""')}"` : field;
    };
    const records = [t.header.map((h) => write(h, t.shape.quoteHeader)).join(delimiter)];
    rows.forEach((row, i) => {
      let cells = row.map((c, j) => write(c, t.quoteSome[i + 1] && j % 2 === 0));
      if (t.ragged[i] === 1) cells = [...cells, '9'];
      if (t.ragged[i] === -1 && cells.length > 1) cells = cells.slice(1);
      records.push(cells.join(delimiter));
    });
    let text = t.shape.bom ? '\uFEFF' : '';
    records.forEach((r, i) => {
      const last = i === records.length - 1;
      text += t.blanks[i] + r + (last && !t.shape.finalBreak ? '' : t.breaks[i]);
    });
    if (t.corruption) {
      const at = t.corruption.at % (text.length + 1);
      text = text.slice(0, at) + t.corruption.what + text.slice(at);
    }
    return { text, options: { ...options, delimiter }, corrupted: t.corruption !== null };
  });

/** Read options naming columns of `header`: numeric / categorical (declared or not) / weight / a column subset; missing tokens incl. a numeric one. */
function optionsFor(header: readonly string[]): fc.Arbitrary<ReadOptions> {
  const name = fc.constantFrom(...header);
  return fc
    .record({
      missing: fc.constantFrom<readonly string[]>(DEFAULT_MISSING_TOKENS, [], ['?', '-999'], ['NA', '']),
      numericName: fc.option(name, { nil: undefined }),
      categoricalName: fc.option(name, { nil: undefined }),
      declared: fc.option(fc.constantFrom<readonly string[]>(['a', 'b', 'yes', 'no', '0', '1'], ['0', '1']), { nil: undefined }),
      weight: fc.option(name, { freq: 3, nil: undefined }),
      columns: fc.option(fc.shuffledSubarray([...header], { minLength: 1 }), { freq: 3, nil: undefined }),
    })
    .map((o) => {
      const categorical = o.categoricalName !== undefined ? { [o.categoricalName]: o.declared } : undefined;
      const numeric = o.numericName !== undefined && o.numericName !== o.categoricalName ? [o.numericName] : undefined;
      return {
        missing: o.missing,
        ...(numeric ? { numeric } : {}),
        ...(categorical ? { categorical } : {}),
        ...(o.weight !== undefined ? { weight: o.weight } : {}),
        ...(o.columns ? { columns: o.columns } : {}),
      };
    });
}

// ---- the properties ------------------------------------------------------------------------

test('in memory: the byte scanner and csv-parse give the same dataset or the same error', async () => {
  await fc.assert(
    fc.asyncProperty(csvCase, async (c) => {
      const fast = await outcome(() => parseDataset(c.text, 't.csv', c.options));
      const reference = await outcome(() => parseDatasetWithCsvParse(c.text, 't.csv', c.options));
      assert.deepEqual(fast, reference);
      // without a stray quote the scanner reads the text itself (quoted fields included)
      if (!c.corrupted) assert.equal(scannerAlone(c.text, c.options), 'scanned', 'the scanner should not need csv-parse here');
    }),
    { numRuns: RUNS },
  );
});

test('streamed in random chunk sizes: the byte scanner and csv-parse give the same dataset or the same error', async () => {
  await fc.assert(
    fc.asyncProperty(csvCase, fc.integer({ min: 1, max: 64 }), async (c, chunkBytes) => {
      const path = tempFile('t.csv', c.text);
      const fast = await outcome(() => readDataset(path, { ...c.options, chunkBytes }));
      const reference = await outcome(() => readDatasetWithCsvParse(path, { ...c.options, chunkBytes }));
      assert.deepEqual(fast, reference);
    }),
    { numRuns: STREAM_RUNS },
  );
});

// ---- cases worth naming ----------------------------------------------------------------------

test("R's write.csv style (quoted header and strings, bare numbers) is read by the scanner itself", async () => {
  const text = '"id","group","x"\n1,"a",0.5\n2,"b, c",-1e-3\n3,"say ""hi""",NA\n';
  const options = { missing: ['NA'] };
  assert.equal(scannerAlone(text, options), 'scanned');
  const ds = parseDataset(text, 'r.csv', options);
  assert.deepEqual(comparable(ds), comparable(parseDatasetWithCsvParse(text, 'r.csv', options)));
  const group = ds.columns[1];
  assert.ok(group.kind === 'categorical');
  assert.deepEqual(Array.from(group.codes, (k) => group.levels[k]), ['a', 'b, c', 'say "hi"']);
});

test('a stray quote half-way through a file: the scanner hands over and the error is the same', async () => {
  // 20,000 rows: the quote comes several chunks into the file
  const rows = Array.from({ length: 20000 }, (_, i) => `${i},${i / 4}`);
  rows.splice(15000, 0, '7,1"5');
  const text = `a,b\n${rows.join('\n')}\n`;
  assert.equal(scannerAlone(text, { missing: [] }), 'needs csv-parse');
  const path = tempFile('stray.csv', text);
  const fast = await outcome(() => readDataset(path, { missing: [] }));
  assert.deepEqual(fast, await outcome(() => readDatasetWithCsvParse(path, { missing: [] })));
  assert.deepEqual(fast, { error: 'a quote inside an unquoted field: quote the whole field and double the quotes inside ("a""b")', line: 15002, column: 4, endColumn: 5 });
  // a problem before the stray quote is reported first, as csv-parse's path does
  const earlier = text.replace('\n3,0.75\n', '\n3,zz\n');
  assert.deepEqual(await outcome(() => parseDataset(earlier, 's.csv', { missing: [], numeric: ['b'] })), await outcome(() => parseDatasetWithCsvParse(earlier, 's.csv', { missing: [], numeric: ['b'] })));
});

test('a quoted cell longer than a chunk, with line breaks, carried from chunk to chunk', async () => {
  const long = Array.from({ length: 30000 }, (_, i) => `line ${i}, with "quotes"`).join('\r\n');
  const text = `id,note,x\n1,"${long.replace(/"/g, '""')}",2.5\n2,short,3\n`;
  const path = tempFile('long.csv', text);
  for (const chunkBytes of [undefined, 4096]) {
    const options = { missing: [], ...(chunkBytes !== undefined ? { chunkBytes } : {}) };
    const ds = await readDataset(path, options);
    assert.deepEqual(comparable(ds), comparable(parseDatasetWithCsvParse(text, 'long.csv', { missing: [] })));
    const note = ds.columns[1];
    assert.ok(note.kind === 'categorical');
    assert.equal(note.levels[note.codes[0]], long);
    assert.deepEqual(Array.from(ds.lines), [2, 30002]);
  }
});

test("csv-parse's own reading of a NUL after a closing quote is kept (the scanner hands it over)", async () => {
  const text = 'a,b\n"x"\0y,1\n';
  assert.equal(scannerAlone(text, { missing: [] }), 'needs csv-parse');
  const ds = parseDataset(text, 'nul.csv', { missing: [] });
  assert.deepEqual(comparable(ds), comparable(parseDatasetWithCsvParse(text, 'nul.csv', { missing: [] })));
  const a = ds.columns[0];
  assert.ok(a.kind === 'categorical');
  assert.deepEqual(a.levels, ['x\0y']);
});

test('delimiters a number can contain ("." or a digit) and multi-byte delimiters read like csv-parse', async () => {
  for (const [text, delimiter] of [
    ['a.b\n1.2\n3.4\n', '.'],
    ['a1b\n213\n', '1'],
    ['a::b\n1.5::2\n::\n3:::4\n', '::'],
    ['aéb\n1é2e3\n', 'é'],
  ] as const) {
    const options = { missing: [''], delimiter };
    assert.deepEqual(await outcome(() => parseDataset(text, 'd.csv', options)), await outcome(() => parseDatasetWithCsvParse(text, 'd.csv', options)), JSON.stringify(text));
  }
});

test('the weight column read also as a data column, numeric missing tokens, declared levels', async () => {
  const text = 'w,g,x\n2,a,1.5\n0,b,-999\n1.5,a,-999.0\n';
  for (const options of [
    { missing: ['-999'], weight: 'w', columns: ['w', 'g', 'x'] },
    { missing: ['-999'], weight: 'w', categorical: { g: ['b', 'a'] } },
    { missing: [], weight: 'w', numeric: ['x'] },
  ]) {
    const fast = await outcome(() => parseDataset(text, 'w.csv', options));
    assert.deepEqual(fast, await outcome(() => parseDatasetWithCsvParse(text, 'w.csv', options)));
    assert.ok('dataset' in (fast as object), JSON.stringify(fast));
  }
});

test('a numeric-looking column that turns categorical after the inference dictionary is dropped', async () => {
  const n = INFERENCE_DICTIONARY_LIMIT + 500;
  const text = 'v,w\n' + Array.from({ length: n }, (_, i) => `${i / 8},${i % 3}`).join('\n') + '\nlate,1\n';
  const path = tempFile('late.csv', text);
  const fast = await readDataset(path, { missing: [] });
  assert.deepEqual(comparable(fast), comparable(await readDatasetWithCsvParse(path, { missing: [] })));
  assert.equal(fast.columns[0].kind, 'categorical');
  assert.equal(fast.columns[1].kind, 'numeric');
});

test('a large file: columns reserved from the size, exact plain arrays returned, same as csv-parse', async () => {
  // 150,000 rows: each column's storage passes 1 MB (releasable buffers) and the row estimate is used
  const rows = 150_000;
  let text = 'x,y,g\n';
  for (let i = 0; i < rows; i++) text += `${(i * 0.37) % 11},${i % 7 === 0 ? 'NA' : -i / 3},${i % 5 === 0 ? 'u' : 'v'}\n`;
  const path = tempFile('large.csv', text);
  const options = { missing: ['NA'] };
  const fast = await readDataset(path, options);
  assert.equal(fast.rowCount, rows);
  const reference = comparable(parseDatasetWithCsvParse(text, 'large.csv', options));
  assert.deepEqual(comparable(fast), reference);
  assert.deepEqual(comparable(parseDataset(text, 'large.csv', options)), reference);
  for (const a of [fast.lines, ...fast.columns.map((c) => (c.kind === 'numeric' ? c.values : c.codes))]) {
    assert.equal(a.length, rows);
    assert.equal(a.buffer.byteLength, a.byteLength, 'an exact-size buffer');
    assert.notEqual((a.buffer as ArrayBuffer & { resizable?: boolean }).resizable, true, 'a plain (not resizable) buffer');
  }
});

test('reading stops early for the header and the sniffer: limits hold on the fast path', async () => {
  const text = 'a,b\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i}`).join('\n') + '\n1,2,3\n';
  const path = tempFile('limits.csv', text);
  const truncated = await outcome(() => readDataset(path, { missing: [] }));
  assert.deepEqual(truncated, await outcome(() => readDatasetWithCsvParse(path, { missing: [] })));
  assert.deepEqual(truncated, { error: 'this row has 3 fields, the header has 2: field 3 is one too many', line: 5002, column: 5, endColumn: 6 });
  // the bad last row is past the sniffer's row limit and past the header
  const summary = await sniffDataset({ path }, { maxRows: 100, missing: [] });
  assert.equal(summary.rowsRead, 100);
  assert.equal(summary.truncated, true);
  assert.deepEqual(summary.columns[0], { name: 'a', kind: 'numeric', missing: 0, min: 0, max: 99 });
  assert.deepEqual(await readHeader(path), ['a', 'b']);
});
