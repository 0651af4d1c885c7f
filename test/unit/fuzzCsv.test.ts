// Fuzzing the CSV reader (fast-check): random text from a grammar biased to CSV-ish content
// (delimiters, quotes, line breaks, BOMs, numbers of every shape, missing tokens, unicode),
// under random read options that name columns of the header (so that numeric, categorical,
// weight and level checks are reached, not only the parser). For every case:
// - parseDataset returns a well-formed Dataset or throws an InputError, nothing else;
// - an InputError names the file, a position inside the text, and a one-line message of
//   bounded length;
// - a Dataset's columns, codes, weights and lines are consistent;
// - no case takes a second (the slowest is measured and reported);
// - a sample is also streamed from a file in tiny chunks and must read the same.
// EMW_FUZZ_RUNS scales the case count; a failure prints fast-check's seed and path to replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDataset, readDataset, type ReadOptions } from '../../src/data/csvReader';
import type { Dataset } from '../../src/data/dataset';
import { InputError } from '../../src/shared/errors';

const RUNS = Number(process.env.EMW_FUZZ_RUNS || 10_000);
const STREAM_RUNS = Math.max(1, Math.round(RUNS / 20));
const MAX_CASE_MS = 1000;
const MAX_MESSAGE_CHARS = 4000;

/** Column names the options pick from: most appear in generated headers, a few never do. */
const NAMES = ['A', 'B', 'C', 'x', 'y', '#', 'w', 'é', 'a b', 'A'];

/** A cell: numbers of every shape, missing tokens, words, and the characters CSV treats specially. */
const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('1e999', '-1e999', '1e-400', '0x10', '1_000', '.5', '5.', '-0', '+3', '1,5', '1.5e3', 'Infinity', '-inf', ' 1', '1 ', '٣', '１'),
);
const token = fc.oneof(
  { weight: 4, arbitrary: number },
  { weight: 2, arbitrary: fc.constantFrom('', '?', 'NA', 'NaN', 'null', '-999') },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'yes', 'no', 'x y', 'é', '😀', '\u0000', '\uFFFD', '\u2028') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('"', ',', ';', '\t', '\r', '\n', '\uFEFF', ' ', 'a', '1'), maxLength: 6 }) },
);
/** A field as written: bare, properly quoted, or quoted badly. */
const field = fc.oneof(
  { weight: 12, arbitrary: token },
  { weight: 4, arbitrary: token.map((t) => `"${t.replace(/"/g, '""')}"`) },
  { weight: 1, arbitrary: fc.tuple(token, fc.constantFrom('"', '""', '"x', 'x"')).map(([t, q]) => (q.startsWith('"') ? q + t : t + q)) },
);
/** A field of a well-formed file: a plain number, word or missing token, quoted when it must be. */
const cleanField = fc
  .oneof(
    { weight: 4, arbitrary: fc.oneof(fc.integer({ min: -50, max: 50 }).map(String), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String)) },
    { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'c', 'yes', 'x y', 'é', '0', '1', '2') },
    { weight: 1, arbitrary: fc.constantFrom('', '?', 'NA') },
  )
  .map((t) => (/[",;\t|:\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t));
const lineBreak = fc.constantFrom('\n', '\r\n', '\r');
const delimiter = fc.constantFrom(',', '\t', ';', '|', '::');

/** A CSV-ish text: a header of (mostly) known names, rows of about as many fields, any line endings. */
const structuredText = fc
  .record({
    delimiter,
    // distinct names mostly; now and then a repeated one
    header: fc.oneof(
      { weight: 9, arbitrary: fc.uniqueArray(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: token }), { minLength: 1, maxLength: 6 }) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 6 }) },
    ),
    // half the texts are well-formed cell by cell, so that reading often succeeds and its result is checked
    rows: fc.oneof(fc.array(fc.array(field, { maxLength: 7 }), { minLength: 1, maxLength: 12 }), fc.array(fc.array(cleanField, { maxLength: 7 }), { minLength: 1, maxLength: 12 })),
    breaks: fc.array(lineBreak, { minLength: 14, maxLength: 14 }),
    bom: fc.boolean(),
    finalBreak: fc.boolean(),
    ragged: fc.integer({ min: 0, max: 9 }).map((n) => n < 2), // 1 in 5 texts has rows of any width
  })
  .map((t) => {
    const width = t.header.length;
    // most rows get exactly the header's width, so that reading goes past the shape checks
    const rows = t.rows.map((r) => (t.ragged ? r : Array.from({ length: width }, (_, j) => r[j] ?? '')));
    const lines = [t.header, ...rows].map((r) => r.join(t.delimiter));
    let text = t.bom ? '\uFEFF' : '';
    lines.forEach((l, i) => (text += l + (i < lines.length - 1 || t.finalBreak ? t.breaks[i % t.breaks.length] : '')));
    return { text, delimiter: t.delimiter, header: t.header };
  });

/** Unstructured text from CSV-ish pieces. */
const pieceText = fc
  .array(fc.oneof(token, fc.constantFrom(',', ';', '\t', '"', '""', '\n', '\r\n', '\r', '\uFEFF', 'A,B,#\n', 'x,y\n')), { maxLength: 40 })
  .map((pieces) => ({ text: pieces.join(''), delimiter: ',', header: ['A', 'B', '#', 'x', 'y'] }));

const text = fc.oneof({ weight: 4, arbitrary: structuredText }, { weight: 1, arbitrary: pieceText });

/** Read options naming columns from NAMES: columns, numeric, categorical (declared levels or not), weight. */
const options = (delim: string, header: readonly string[]): fc.Arbitrary<ReadOptions> =>
  fc
    .record({
      missing: fc.constantFrom<readonly string[]>(['', '?', 'NA', 'NaN'], [], ['?'], ['-999', 'NA'], ['']),
      // the text's delimiter mostly; sometimes none (the default for the file name) or a comma
      delimiter: fc.oneof({ weight: 8, arbitrary: fc.constant<string | undefined>(delim) }, { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, ',') }),
      // names of the header mostly, so that reading goes past the header checks
      picked: fc.uniqueArray(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...header) }, { weight: 1, arbitrary: fc.constantFrom(...NAMES) }), { maxLength: 4 }),
      roles: fc.array(fc.constantFrom('numeric', 'categorical', 'levels', 'inferred'), { minLength: 4, maxLength: 4 }),
      levels: fc.array(token, { minLength: 1, maxLength: 3 }),
      weight: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(...header) }, { weight: 1, arbitrary: fc.constant('w') }),
      listColumns: fc.boolean(),
    })
    .map((o) => {
      const picked = o.picked.filter((n) => n !== o.weight);
      const numeric = picked.filter((_, i) => o.roles[i] === 'numeric');
      const categorical: Record<string, readonly string[] | undefined> = {};
      picked.forEach((n, i) => {
        if (o.roles[i] === 'categorical') categorical[n] = undefined;
        if (o.roles[i] === 'levels') categorical[n] = [...new Set(o.levels)];
      });
      return {
        missing: o.missing,
        ...(o.delimiter !== undefined ? { delimiter: o.delimiter } : {}),
        ...(o.listColumns ? { columns: picked } : {}),
        ...(numeric.length ? { numeric } : {}),
        ...(Object.keys(categorical).length ? { categorical } : {}),
        ...(o.weight !== undefined ? { weight: o.weight } : {}),
      };
    });

const fuzzCase = text.chain((t) => fc.record({ text: fc.constant(t.text), options: options(t.delimiter, t.header) }));

/** 1 + the number of line breaks (\r\n counted once): the last line a position may name. */
function lineCount(s: string): number {
  return (s.match(/\r\n|\r|\n/g) ?? []).length + 1;
}

function checkInputError(e: InputError, file: string, source: string): void {
  assert.equal(e.file, file, e.format());
  assert.ok(e.message.length > 0 && !/[\r\n]/.test(e.message), `one-line message: ${JSON.stringify(e.message.slice(0, 200))}`);
  assert.ok(e.message.length <= MAX_MESSAGE_CHARS, `message of ${e.message.length} characters`);
  assert.ok(Number.isInteger(e.line) && e.line >= 0 && e.line <= lineCount(source), `line ${e.line}: ${e.format()}`);
  if (e.line > 0) assert.ok(Number.isInteger(e.column) && e.column >= 1 && e.endColumn >= e.column, `columns ${e.column}-${e.endColumn}: ${e.format()}`);
}

function checkDataset(ds: Dataset, source: string, options: ReadOptions): void {
  assert.ok(ds.rowCount >= 1, 'a dataset has rows');
  assert.equal(ds.lines.length, ds.rowCount);
  for (let i = 0; i < ds.rowCount; i++) {
    assert.ok(ds.lines[i] >= 2 && ds.lines[i] <= lineCount(source), `row ${i} at line ${ds.lines[i]}`);
    if (i > 0) assert.ok(ds.lines[i] > ds.lines[i - 1], 'lines increase');
  }
  if (options.columns) assert.deepEqual(ds.columns.map((c) => c.name), options.columns);
  for (const c of ds.columns) {
    assert.ok(ds.header.includes(c.name), `column ${c.name} is in the header`);
    if (c.kind === 'numeric') {
      assert.equal(c.values.length, ds.rowCount);
      for (const v of c.values) assert.ok(Number.isNaN(v) || Number.isFinite(v), `numeric value ${v}`);
      assert.ok(!Object.prototype.hasOwnProperty.call(options.categorical ?? {}, c.name), `${c.name} was asked for as categorical`);
    } else {
      assert.equal(c.codes.length, ds.rowCount);
      for (const code of c.codes) assert.ok(code >= -1 && code < c.levels.length, `code ${code} of ${c.levels.length} levels`);
      assert.equal(new Set(c.levels).size, c.levels.length, 'distinct levels');
      assert.ok(!(options.numeric ?? []).includes(c.name), `${c.name} was asked for as numeric`);
      const declared = options.categorical?.[c.name];
      if (declared) assert.deepEqual(c.levels, declared);
    }
  }
  if (options.weight !== undefined) {
    assert.ok(ds.weights, 'weights were read');
    for (const w of ds.weights) assert.ok(Number.isFinite(w) && w >= 0, `weight ${w}`);
  } else assert.equal(ds.weights, undefined);
}

type Outcome = { ok: true; dataset: Dataset } | { ok: false; error: InputError };

function read(source: string, file: string, opts: ReadOptions): Outcome {
  try {
    return { ok: true, dataset: parseDataset(source, file, opts) };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e };
    throw e; // anything else is a bug: fast-check reports the input
  }
}

test(`CSV reader: ${RUNS} random CSV-ish texts read or fail with an InputError, each under 1 s`, { timeout: 300_000 }, () => {
  let slowest = 0;
  let readFine = 0;
  let refused = 0;
  const t0 = performance.now();
  fc.assert(
    fc.property(fuzzCase, ({ text: source, options: opts }) => {
      const file = opts.delimiter === '\t' ? 'fuzz.tsv' : 'fuzz.csv';
      const start = performance.now();
      const outcome = read(source, file, opts);
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < MAX_CASE_MS, `a case took ${ms.toFixed(0)} ms`);
      if (outcome.ok) {
        readFine++;
        checkDataset(outcome.dataset, source, opts);
      } else {
        refused++;
        checkInputError(outcome.error, file, source);
      }
    }),
    { numRuns: RUNS, ...(process.env.EMW_FUZZ_SEED ? { seed: Number(process.env.EMW_FUZZ_SEED) } : {}) },
  );
  console.log(`fuzz CSV reader: ${RUNS} cases (${readFine} read, ${refused} InputErrors) in ${((performance.now() - t0) / 1000).toFixed(1)} s; slowest case ${slowest.toFixed(1)} ms`);
});

test(`CSV reader: ${STREAM_RUNS} of them streamed from a file in tiny chunks read the same as in memory`, { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emw-fuzz-csv-'));
  let n = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fuzzCase, fc.integer({ min: 1, max: 9 }), async ({ text: source, options: opts }, chunkBytes) => {
        const path = join(dir, `${n++}.csv`);
        writeFileSync(path, source);
        const inMemory = read(source, path, opts);
        let streamed: Outcome;
        try {
          streamed = { ok: true, dataset: await readDataset(path, { ...opts, chunkBytes }) };
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          streamed = { ok: false, error: e };
        }
        if (inMemory.ok && streamed.ok) assert.deepEqual(streamed.dataset, inMemory.dataset);
        else if (!inMemory.ok && !streamed.ok) assert.equal(streamed.error.format(), inMemory.error.format());
        else assert.fail(`in memory: ${inMemory.ok ? 'read' : inMemory.error.format()}; streamed: ${streamed.ok ? 'read' : streamed.error.format()}`);
      }),
      { numRuns: STREAM_RUNS, ...(process.env.EMW_FUZZ_SEED ? { seed: Number(process.env.EMW_FUZZ_SEED) } : {}) },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`fuzz CSV reader, streamed: ${STREAM_RUNS} cases agree with the in-memory reader`);
});
