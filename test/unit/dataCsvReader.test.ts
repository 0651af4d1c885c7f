// The dataset reader: the tutorial's files, the CSV grammar (quotes, line endings, BOM, TSV),
// typed columns and inference, and every input error at its exact line and column. Each case
// runs through both paths (in memory, and streamed from a file in 3-byte chunks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFERENCE_DICTIONARY_LIMIT } from '../../src/data/columnBuilders';
import { parseDataset, parseHeader, readDataset, readHeader } from '../../src/data/csvReader';
import { sniffDataset } from '../../src/data/datasetSummary';
import { InputError } from '../../src/shared/errors';
import { DEFAULT_MISSING_TOKENS } from '../../src/shared/modelSpec';
import { assertAt, categoricalValues, errorBoth, numericValues, readBoth, tempFile } from './dataTestSupport';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'data');
const fixture = (name: string): string => join(fixtures, name);
const missing = DEFAULT_MISSING_TOKENS;

// ---- the tutorial's datasets -------------------------------------------------------------

test('tutorial example 1: the "?" cell is missing; categorical levels sorted; lines name the file lines', async () => {
  const path = fixture('example1.csv');
  const options = { missing: ['?'], categorical: { A: undefined, B: undefined } };
  const ds = await readDataset(path, options);
  assert.deepEqual(ds, await readBoth(readFileSync(path, 'utf8'), path, options).then((d) => ({ ...d, file: path })));
  assert.equal(ds.rowCount, 8);
  assert.deepEqual(ds.header, ['A', 'B']);
  assert.deepEqual(categoricalValues(ds, 'A'), ['0', '0', '0', '0', '0', '1', '1', '1']);
  assert.deepEqual(categoricalValues(ds, 'B'), ['0', '0', '0', undefined, '1', '0', '1', '1']);
  const b = ds.columns[1];
  assert.ok(b.kind === 'categorical');
  assert.deepEqual(b.levels, ['0', '1']);
  assert.deepEqual(Array.from(ds.lines), [2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(ds.weights, undefined);
});

test('tutorial example 1 inferred: both columns numeric, the "?" cell NaN', async () => {
  const ds = await readBoth(readFileSync(fixture('example1.csv'), 'utf8'), 'example1.csv', { missing: ['?'] });
  assert.deepEqual(numericValues(ds, 'A'), [0, 0, 0, 0, 0, 1, 1, 1]);
  assert.deepEqual(numericValues(ds, 'B'), [0, 0, 0, NaN, 1, 0, 1, 1]);
});

test('tutorial example 2: "#" is the weight column, left out of the data columns', async () => {
  const ds = await readBoth(readFileSync(fixture('example2.csv'), 'utf8'), 'example2.csv', { missing, weight: '#', categorical: { A: undefined, B: undefined } });
  assert.deepEqual(ds.header, ['A', 'B', '#']);
  assert.deepEqual(ds.columns.map((c) => c.name), ['A', 'B']);
  assert.deepEqual(Array.from(ds.weights ?? []), [6, 1, 1, 4]);
  assert.deepEqual(categoricalValues(ds, 'B'), ['0', '1', '0', '1']);
});

// ---- the grammar ---------------------------------------------------------------------------

test('quoted fields hold delimiters, doubled quotes and CRLF line breaks; lines stay right after them', async () => {
  const text = readFileSync(fixture('quoted-crlf.csv'), 'utf8');
  assert.ok(text.includes('\r\n'), 'the fixture keeps its CRLF line endings');
  const ds = await readBoth(text, 'quoted-crlf.csv', { missing: [] });
  assert.deepEqual(categoricalValues(ds, 'comment').sort(), ['plain', 'say "hi"', 'two\r\nlines, and a comma'].sort());
  assert.deepEqual(numericValues(ds, 'score'), [0.5, 1.5, 2]);
  assert.deepEqual(Array.from(ds.lines), [2, 3, 5]);
  const bad = await errorBoth(`${text}4,"x",abc\r\n`, 'quoted-crlf.csv', { missing: [], numeric: ['score'] });
  assertAt(bad, { line: 6, column: 7, endColumn: 10 }, /"abc" in column "score" is not a number/);
});

test('LF, CRLF, CR and mixed line endings, blank lines skipped', async () => {
  const ds = await readBoth('a,b\r\n1,2\n3,4\r5,6\r\n\r\n\n7,8', 'mixed.csv', { missing: [] });
  assert.deepEqual(numericValues(ds, 'a'), [1, 3, 5, 7]);
  assert.deepEqual(Array.from(ds.lines), [2, 3, 4, 7]);
  const blank = await readBoth('\n\na,b\n\n1,2\n\n\n3,4\n\n', 'blank.csv', { missing: [] });
  assert.deepEqual(Array.from(blank.lines), [5, 8]);
  // a line break inside quotes: \r alone and \r\n both count one line
  const cr = await readBoth('a,b\r1,"x\ry"\r2,"p\r\nq"\r3,z\r', 'cr.csv', { missing: [] });
  assert.deepEqual(Array.from(cr.lines), [2, 4, 6]);
  assert.deepEqual(categoricalValues(cr, 'b'), ['x\ry', 'p\r\nq', 'z']);
});

test('a UTF-8 byte order mark is skipped; .tsv defaults to tab; an explicit delimiter is used', async () => {
  const ds = await readDataset(fixture('bom.tsv'), { missing: ['?'], weight: 'weight' });
  assert.deepEqual(ds.header, ['A', 'B', 'weight']);
  assert.deepEqual(numericValues(ds, 'B'), [1, NaN]);
  assert.deepEqual(Array.from(ds.weights ?? []), [2, 3]);
  const semi = await readBoth('x;y\n1,5;2\n', 'data.csv', { missing: [], delimiter: ';' });
  assert.deepEqual(categoricalValues(semi, 'x'), ['1,5']);
  const multi = await readBoth('x::y\n"a::b"::2\n', 'data.txt', { missing: [], delimiter: '::' });
  assert.deepEqual(categoricalValues(multi, 'x'), ['a::b']);
  // the BOM is not a column: the second "a" is at column 3 of line 1
  assertAt(await errorBoth('\ufeffa,a\n1,2\n', 'bom.csv', { missing: [] }), { line: 1, column: 3, endColumn: 4 }, /duplicate column name "a"/);
});

test('header-only reading: readHeader and parseHeader stop after the header', async () => {
  const path = tempFile('h.csv', 'x,y,z\n1,2\n');
  assert.deepEqual(await readHeader(path), ['x', 'y', 'z']);
  assert.deepEqual(parseHeader('x\ty\n', 'h.tsv'), ['x', 'y']);
  assert.deepEqual(parseHeader('p,q', 'h.csv'), ['p', 'q']);
  await assert.rejects(readHeader(tempFile('e.csv', '')), (e: unknown) => e instanceof InputError && /empty/.test(e.message));
});

// ---- typed columns -------------------------------------------------------------------------

test('inference: numeric when every non-missing cell is a number; else categorical; an all-missing column is numeric', async () => {
  const ds = await readBoth('n,c,m,z\n1,a,?,NA\n2.5,b,3,\n-1e3,1,NA,?\n', 'infer.csv', { missing });
  assert.deepEqual(numericValues(ds, 'n'), [1, 2.5, -1000]);
  assert.deepEqual(categoricalValues(ds, 'c'), ['a', 'b', '1']);
  assert.deepEqual(numericValues(ds, 'm'), [NaN, 3, NaN]);
  assert.deepEqual(numericValues(ds, 'z'), [NaN, NaN, NaN]);
  const c = ds.columns[1];
  assert.ok(c.kind === 'categorical');
  assert.deepEqual(c.levels, ['1', 'a', 'b'], 'code-unit order when not every level is a number');
});

test('levels: numeric order when all are numbers, declared order when declared; forced kinds', async () => {
  const ds = await readBoth('a,b,c\n10,x,2\n9,y,1\n1.5,x,2\n1.50,y,1\n', 'levels.csv', { missing, categorical: { a: undefined, b: ['y', 'x'] }, numeric: ['c'] });
  const a = ds.columns[0];
  assert.ok(a.kind === 'categorical');
  assert.deepEqual(a.levels, ['1.5', '1.50', '9', '10']);
  assert.deepEqual(categoricalValues(ds, 'a'), ['10', '9', '1.5', '1.50']);
  const b = ds.columns[1];
  assert.ok(b.kind === 'categorical');
  assert.deepEqual(b.levels, ['y', 'x']);
  assert.deepEqual(Array.from(b.codes), [1, 0, 1, 0]);
  assert.deepEqual(numericValues(ds, 'c'), [2, 1, 2, 1]);
});

test('columns: only those asked for, in that order; the weight column can be asked for too', async () => {
  const ds = await readBoth('a,b,c,w\n1,2,3,0\n4,5,6,2.5\n', 'cols.csv', { missing, columns: ['c', 'a'], weight: 'w' });
  assert.deepEqual(ds.columns.map((c) => c.name), ['c', 'a']);
  assert.deepEqual(numericValues(ds, 'c'), [3, 6]);
  assert.deepEqual(Array.from(ds.weights ?? []), [0, 2.5], 'a weight of 0 keeps its row');
  const both = await readBoth('a,w\n1,2\n', 'cols.csv', { missing, columns: ['w', 'a'], weight: 'w' });
  assert.deepEqual(numericValues(both, 'w'), [2]);
});

test('missing tokens: exact text, including a numeric token such as -999', async () => {
  const ds = await readBoth('a,b\n-999,-999\n5,x\n" NA",NA\n', 'm.csv', { missing: ['-999', 'NA'], numeric: [], categorical: { b: undefined } });
  assert.deepEqual(categoricalValues(ds, 'a'), [undefined, '5', ' NA']);
  assert.deepEqual(categoricalValues(ds, 'b'), [undefined, 'x', undefined]);
  const n = await readBoth('a\n-999\n-999.0\n', 'm.csv', { missing: ['-999'] });
  assert.deepEqual(numericValues(n, 'a'), [NaN, -999]);
});

test('a column with many distinct numbers that turns out categorical is read again as categorical', async () => {
  // more distinct numbers than the inference keeps tokens for, then a non-number
  const n = INFERENCE_DICTIONARY_LIMIT + 1000;
  const rows = ['v'];
  for (let i = 0; i < n; i++) rows.push(String(i / 8));
  rows.push('n/a');
  const text = rows.join('\n') + '\n';
  const ds = parseDataset(text, 'many.csv', { missing: [] });
  const col = ds.columns[0];
  assert.ok(col.kind === 'categorical');
  assert.equal(col.levels.length, n + 1);
  assert.equal(col.levels[col.codes[n]], 'n/a');
  assert.equal(col.levels[col.codes[12]], '1.5');
  const streamed = await readDataset(tempFile('many.csv', text), { missing: [] });
  assert.deepEqual(streamed.columns, ds.columns);
});

test('numbers: strict decimal literals only; non-finite values are refused', async () => {
  const ok = await readBoth('x\n+1\n-.5\n5.\n1E3\n-0\n0001\n', 'n.csv', { missing: [], numeric: ['x'] });
  assert.deepEqual(numericValues(ok, 'x'), [1, -0.5, 5, 1000, -0, 1]);
  for (const bad of ['0x10', ' 1', '1 ', '1_000', '1e', '.', '+', '--1', 'Infinity', 'inf', '1.2.3']) {
    const e = await errorBoth(`x\n"${bad}"\n`, 'n.csv', { missing: [], numeric: ['x'] });
    assertAt(e, { line: 2, column: 1, endColumn: bad.length + 3 }, /is not a number/);
  }
  // inferred: these make the column categorical instead
  const inferred = await readBoth('x\n0x10\n1\n', 'n.csv', { missing: [] });
  assert.equal(inferred.columns[0].kind, 'categorical');
});

// ---- errors at their line and column -------------------------------------------------------

test('a ragged row: one field too many points at the extra field; one too few at the line end', async () => {
  assertAt(await errorBoth('a,b\n1,2\n3,4,5\n', 'r.csv', { missing }), { line: 3, column: 5, endColumn: 6 }, /3 fields, the header has 2/);
  assertAt(await errorBoth('a,b\n1,2\n3\n', 'r.csv', { missing }), { line: 3, column: 2, endColumn: 2 }, /1 field, the header has 2 \(column "b" is missing\)/);
  assertAt(await errorBoth('a,b\r\n"x\r\ny"\r\n', 'r.csv', { missing }), { line: 3, column: 3, endColumn: 3 }, /1 field/);
  // a ragged row is an error even in a column that is not read
  assertAt(await errorBoth('a,b,c\n1,2,3\n4,5,6,7\n', 'r.csv', { missing, columns: ['a'] }), { line: 3, column: 7, endColumn: 8 }, /4 fields, the header has 3: field 4 is one too many/);
  assertAt(await errorBoth('a,b\n1,2,3,"4"\n', 'r.csv', { missing }), { line: 2, column: 5, endColumn: 6 }, /4 fields, the header has 2: fields 3 to 4 are too many/);
});

test('an unterminated quote points at the opening quote', async () => {
  assertAt(await errorBoth('a,b\n1,2\n3,"4\n5,6\n', 'u.csv', { missing }), { line: 3, column: 3, endColumn: 4 }, /never closed/);
  assertAt(await errorBoth('a,b\n"1,2\n', 'u.csv', { missing }), { line: 2, column: 1, endColumn: 2 }, /never closed/);
  assertAt(await errorBoth('a,"b\n1,2\n', 'u.csv', { missing }), { line: 1, column: 3, endColumn: 4 }, /never closed/);
});

test('stray quotes: text after a closing quote, a quote inside an unquoted field', async () => {
  assertAt(await errorBoth('a,b\n1,"2"x\n', 'q.csv', { missing }), { line: 2, column: 6, endColumn: 7 }, /after a closing quote/);
  assertAt(await errorBoth('a,b\n1,x"2"\n', 'q.csv', { missing }), { line: 2, column: 4, endColumn: 5 }, /quote inside an unquoted field/);
});

test('an empty file, a header without rows, duplicate names, a column that is not there', async () => {
  assertAt(await errorBoth('', 'e.csv', { missing }), { line: 1, column: 1, endColumn: 1 }, /empty/);
  assertAt(await errorBoth('\n\n', 'e.csv', { missing }), { line: 1, column: 1, endColumn: 1 }, /empty/);
  assertAt(await errorBoth('a,b\n', 'h.csv', { missing }), { line: 1, column: 1, endColumn: 4 }, /header but no data rows/);
  assertAt(await errorBoth('a,b,a\n1,2,3\n', 'd.csv', { missing }), { line: 1, column: 5, endColumn: 6 }, /duplicate column name "a" \(also column 1\)/);
  const e = await errorBoth('a,b\n1,2\n', 'c.csv', { missing, columns: ['a', 'c'] });
  assertAt(e, { line: 1, column: 1, endColumn: 4 }, /column "c" is not in the header; the columns are: "a", "b"/);
  assertAt(await errorBoth('a,b\n1,2\n', 'c.csv', { missing, weight: 'n' }), { line: 1, column: 1, endColumn: 4 }, /weight column "n" is not in the header/);
});

test('bad numbers and non-finite values, at the cell', async () => {
  assertAt(await errorBoth('a,b\n"1,5",2\n', 'n.csv', { missing, numeric: ['a'] }), { line: 2, column: 1, endColumn: 6 }, /decimal separator must be "\."/);
  assertAt(await errorBoth('a,b\n1,abc\n', 'n.csv', { missing, numeric: ['b'] }), { line: 2, column: 3, endColumn: 6 }, /"abc" in column "b" is not a number/);
  assertAt(await errorBoth('a\nInfinity\n', 'n.csv', { missing, numeric: ['a'] }), { line: 2, column: 1, endColumn: 9 }, /must be finite/);
  assertAt(await errorBoth('a,b\n1,1e999\n', 'n.csv', { missing, numeric: ['b'] }), { line: 2, column: 3, endColumn: 8 }, /too large for a double/);
  // inferred: a too-large number is an error only if the column stays numeric
  assertAt(await errorBoth('a\n1\n-1e400\n2\n', 'n.csv', { missing }), { line: 3, column: 1, endColumn: 7 }, /too large/);
  const cat = await readBoth('a\n1\n1e400\nx\n', 'n.csv', { missing });
  assert.deepEqual(categoricalValues(cat, 'a'), ['1', '1e400', 'x']);
});

test('a value that is not a declared state', async () => {
  const e = await errorBoth('A,B\n0,0\n0,x\n', 'example2.csv', { missing, categorical: { B: ['0', '1'] } });
  assertAt(e, { line: 3, column: 3, endColumn: 4 }, /^"x" is not a state of B \(states: "0", "1"\)$/);
  assert.equal(e.format().replace(/^.*example2/, 'example2'), 'example2.csv:3:3: "x" is not a state of B (states: "0", "1")');
});

test('bad weights: negative, not a number, missing', async () => {
  assertAt(await errorBoth('a,w\n1,2\n2,-1\n', 'w.csv', { missing, weight: 'w' }), { line: 3, column: 3, endColumn: 5 }, /negative/);
  assertAt(await errorBoth('a,w\n1,two\n', 'w.csv', { missing, weight: 'w' }), { line: 2, column: 3, endColumn: 6 }, /weight "two" in column "w" is not a number/);
  assertAt(await errorBoth('a,w\n1,?\n', 'w.csv', { missing, weight: 'w' }), { line: 2, column: 3, endColumn: 4 }, /missing/);
  assertAt(await errorBoth('a,w\n1,\n', 'w.csv', { missing, weight: 'w' }), { line: 2, column: 3, endColumn: 3 }, /missing/);
  assertAt(await errorBoth('w,a\n1e999,1\n', 'w.csv', { missing, weight: 'w' }), { line: 2, column: 1, endColumn: 6 }, /too large/);
});

test('columns count UTF-16 code units; a cell in a multi-line record is found on its own line', async () => {
  assertAt(await errorBoth('name,v\né,abc\n', 'u.csv', { missing, numeric: ['v'] }), { line: 2, column: 3, endColumn: 6 }, /not a number/);
  assertAt(await errorBoth('name,v\n😀,abc\n', 'u.csv', { missing, numeric: ['v'] }), { line: 2, column: 4, endColumn: 7 }, /not a number/);
  assertAt(await errorBoth('a,b,c\n1,"x\ny",zz\n', 'm.csv', { missing, numeric: ['c'] }), { line: 3, column: 4, endColumn: 6 }, /"zz"/);
  // a bad cell that itself spans lines: its span ends at its first line's end
  assertAt(await errorBoth('a,b\n1,"x\ny"\n', 'm.csv', { missing, numeric: ['b'] }), { line: 2, column: 3, endColumn: 5 }, /not a number/);
});

test('the first problem in the file is the one reported, whatever the chunking', async () => {
  const text = 'a,b\n1,2\n3,abc\n4,"5\n';
  for (const chunk of [1, 2, 5, 64]) {
    assertAt(await errorBoth(text, 'first.csv', { missing, numeric: ['b'] }, chunk), { line: 3, column: 3, endColumn: 6 }, /"abc"/);
  }
});

test('files: missing file, UTF-16, bad delimiter', async () => {
  await assert.rejects(readDataset(join(fixtures, 'no-such-file.csv'), { missing }), (e: unknown) => e instanceof InputError && e.message === 'no such file' && e.file.endsWith('no-such-file.csv'));
  const utf16 = tempFile('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]));
  await assert.rejects(readDataset(utf16, { missing }), (e: unknown) => e instanceof InputError && /UTF-16/.test(e.message) && e.line === 1);
  assert.throws(() => parseDataset('a\n1\n', 'x.csv', { missing, delimiter: '"' }), (e: unknown) => e instanceof InputError && /delimiter/.test(e.message));
});

// ---- the sniffer -----------------------------------------------------------------------------

test('sniffDataset: kinds, level counts, ranges, and where it stopped', async () => {
  const text = 'A,B,x,#\n0,a,1.5,2\n1,b,?,1\n1,a,-2,3\n0,?,4,1\n';
  const summary = await sniffDataset({ text, file: 'sniff.csv' }, { weight: '#' });
  assert.deepEqual(summary.header, ['A', 'B', 'x', '#']);
  assert.equal(summary.rowsRead, 4);
  assert.equal(summary.truncated, false);
  assert.deepEqual(summary.columns, [
    { name: 'A', kind: 'numeric', missing: 0, min: 0, max: 1 },
    { name: 'B', kind: 'categorical', missing: 1, levels: [{ value: 'a', count: 2 }, { value: 'b', count: 1 }] },
    { name: 'x', kind: 'numeric', missing: 1, min: -2, max: 4 },
  ]);
  const fromFile = await sniffDataset({ path: tempFile('sniff.csv', text) }, { maxRows: 2 });
  assert.equal(fromFile.rowsRead, 2);
  assert.equal(fromFile.truncated, true);
  assert.deepEqual(fromFile.columns[3], { name: '#', kind: 'numeric', missing: 0, min: 1, max: 2 });
  // rows past maxRows are not read, so a bad row there does not matter
  const early = await sniffDataset({ text: 'a\n1\n2\n3,4,5\n', file: 's.csv' }, { maxRows: 2 });
  assert.equal(early.truncated, true);
});
