// A dataset rewritten while it is read: replaced by a rename (as editors and `mv` save), or
// truncated and rewritten in place (as `>` and writeFile save), or truncated, or deleted, at
// every read the reader makes. Whatever the moment, a read gives one version of the file whole
// (the old or the new one) or an InputError that names the file; never a mix of the two, a
// position taken from the other version, an error that is not an InputError, a hang, or NaN.
//
// The rewrite is injected just before the k-th read of the file (any read: the reader's chunks
// through a FileHandle, csv-parse's stream, the synchronous reads that locate an error), for
// every k of a clean read, so that the test does not depend on timing or on how the reader
// splits its reads.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDataset, readDataset, type ReadOptions } from '../../src/data/csvReader';
import type { Dataset } from '../../src/data/dataset';
import { InputError } from '../../src/shared/errors';
import type { FitResult } from '../../src/shared/results';
import { runFitJob } from '../../src/worker/fitJob';

const dir = fs.mkdtempSync(join(tmpdir(), 'emw-rewrite-'));

/** Rows `x,y` of fixed width (`d.dddd,d.dddd`), from a seeded linear congruential generator. */
function fixedWidthCsv(rows: number, seed: number, header = 'x,y'): string {
  let state = seed >>> 0;
  const digit4 = (): string => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return ((state >>> 8) % 100000 / 10000).toFixed(4);
  };
  let text = `${header}\n`;
  for (let i = 0; i < rows; i++) text += `${digit4()},${digit4()}\n`;
  return text;
}

// Version A and the versions it is replaced by. B has A's size, so that a read that mixed A's
// first bytes with B's last ones would still parse (every row has the same width): only a reader
// that notices the change can refuse it.
const A = fixedWidthCsv(300, 1);
const B_SAME_SIZE = fixedWidthCsv(300, 2);
const B_OTHER_SIZE = fixedWidthCsv(170, 3);
assert.equal(A.length, B_SAME_SIZE.length);

const OPTIONS: ReadOptions = { missing: ['NA'], columns: ['x', 'y'], numeric: ['x', 'y'], chunkBytes: 256 };

// ---------------------------------------------------------------- counting and hooking reads

type HandleRead = (this: unknown, ...args: unknown[]) => Promise<unknown>;
type CallbackRead = (...args: unknown[]) => void;
type SyncRead = (...args: unknown[]) => number;

let handlePrototype: { read: HandleRead } | undefined;

/** The prototype of node's FileHandle (not exported by node: taken from an open handle). */
async function fileHandlePrototype(): Promise<{ read: HandleRead }> {
  if (!handlePrototype) {
    const probe = join(dir, 'probe');
    fs.writeFileSync(probe, 'x');
    const h = await open(probe, 'r');
    handlePrototype = Object.getPrototypeOf(h) as { read: HandleRead };
    await h.close();
  }
  return handlePrototype;
}

interface Hooked<T> {
  readonly value?: T;
  readonly error?: unknown;
  /** Reads made by `body` (FileHandle reads, fs.read, fs.readSync). */
  readonly reads: number;
  readonly injected: boolean;
}

/**
 * Runs `body` with every file read counted, calling `inject` once just before read number
 * `injectBefore` (1-based; 0: never). A read hangs nowhere: `body` is awaited with a deadline.
 */
async function withReadHook<T>(injectBefore: number, inject: () => void, body: () => Promise<T>): Promise<Hooked<T>> {
  const proto = await fileHandlePrototype();
  const originalHandleRead = proto.read;
  // the module object itself (the namespace import is a frozen view of it): what node's streams call
  const mutableFs = require('node:fs') as { read: CallbackRead; readSync: SyncRead };
  const originalRead = mutableFs.read;
  const originalReadSync = mutableFs.readSync;
  let reads = 0;
  let injected = false;
  const beforeRead = (): void => {
    reads++;
    if (reads === injectBefore && !injected) {
      injected = true;
      inject();
    }
  };
  proto.read = function (this: unknown, ...args: unknown[]) {
    beforeRead();
    return originalHandleRead.apply(this, args);
  };
  mutableFs.read = (...args: unknown[]) => {
    beforeRead();
    originalRead(...args);
  };
  mutableFs.readSync = (...args: unknown[]) => {
    beforeRead();
    return originalReadSync(...args);
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the read hung (no answer in 10 s)')), 10_000);
    });
    const value = await Promise.race([body(), deadline]);
    return { value, reads, injected };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('the read hung')) throw error;
    return { error, reads, injected };
  } finally {
    clearTimeout(timer);
    proto.read = originalHandleRead;
    mutableFs.read = originalRead;
    mutableFs.readSync = originalReadSync;
  }
}

// ---------------------------------------------------------------- the rewrites

interface Rewrite {
  readonly name: string;
  /** The file's content after the rewrite (undefined: deleted). */
  readonly after: (before: string) => string | undefined;
  readonly apply: (path: string) => void;
  /** The open file keeps its bytes (a rename over the path, an unlink): a read that began must finish on them, unrefused. */
  readonly keepsOpenFile?: boolean;
}

const REWRITES: readonly Rewrite[] = [
  {
    name: 'replaced by a rename (same size)',
    after: () => B_SAME_SIZE,
    apply: (path) => {
      fs.writeFileSync(`${path}.new`, B_SAME_SIZE);
      fs.renameSync(`${path}.new`, path);
    },
    keepsOpenFile: true,
  },
  {
    name: 'replaced by a rename (other size)',
    after: () => B_OTHER_SIZE,
    apply: (path) => {
      fs.writeFileSync(`${path}.new`, B_OTHER_SIZE);
      fs.renameSync(`${path}.new`, path);
    },
    keepsOpenFile: true,
  },
  { name: 'truncated and rewritten in place (same size)', after: () => B_SAME_SIZE, apply: (path) => fs.writeFileSync(path, B_SAME_SIZE) },
  { name: 'truncated and rewritten in place (other size)', after: () => B_OTHER_SIZE, apply: (path) => fs.writeFileSync(path, B_OTHER_SIZE) },
  { name: 'truncated to half', after: (before) => before.slice(0, Math.floor(before.length / 2)), apply: (path) => fs.truncateSync(path, Math.floor(fs.statSync(path).size / 2)) },
  { name: 'truncated to 0 bytes', after: () => '', apply: (path) => fs.truncateSync(path, 0) },
  { name: 'deleted', after: () => undefined, apply: (path) => fs.unlinkSync(path), keepsOpenFile: true },
];

/**
 * Writes `content` to `path`, dated 10 s ago: a file saved before the read began. The reader
 * sees a write in place by the file's size and modification time (src/data/openDataFile.ts);
 * file system clocks tick every few milliseconds, so a same-size rewrite within one tick of the
 * previous write would be unseen. Users do not save twice within milliseconds; this test would.
 */
function writeOld(path: string, content: string): void {
  fs.writeFileSync(path, content);
  const past = new Date(Date.now() - 10_000);
  fs.utimesSync(path, past, past);
}

// ---------------------------------------------------------------- outcomes

type Outcome = { readonly kind: 'dataset'; readonly dataset: Dataset } | { readonly kind: 'error'; readonly error: InputError };

/** What a clean read of `content` gives (in memory: no file involved). */
function cleanRead(content: string, file: string, options: ReadOptions): Outcome {
  try {
    return { kind: 'dataset', dataset: parseDataset(content, file, options) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { kind: 'error', error: e };
  }
}

function withoutFile(ds: Dataset): Omit<Dataset, 'file'> {
  const { file, ...rest } = ds;
  void file;
  return rest;
}

function sameDataset(a: Dataset, b: Dataset): boolean {
  try {
    assert.deepEqual(withoutFile(a), withoutFile(b));
    return true;
  } catch {
    return false;
  }
}

function describeOutcome(o: Outcome | undefined): string {
  if (!o) return 'nothing';
  return o.kind === 'dataset' ? `${o.dataset.rowCount} rows` : `${o.error.line}:${o.error.column}: ${o.error.message}`;
}

/**
 * The read of `path` (version `before`, rewritten to `after`) must be one of the clean outcomes
 * of either version: the same dataset, or the same error at the same place; or an InputError
 * naming the file (the file changed under the reader, or went away).
 */
function checkOutcome(label: string, path: string, hooked: Hooked<Dataset>, before: Outcome, afterOutcome: Outcome | undefined): 'before' | 'after' | 'refused' {
  if (hooked.error !== undefined) {
    const e = hooked.error;
    assert.ok(e instanceof InputError, `${label}: not an InputError: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    assert.equal(e.file, path, `${label}: the error names the file`);
    assert.ok(e.message.length > 0);
    for (const [name, clean] of [['before', before], ['after', afterOutcome]] as const) {
      if (clean?.kind === 'error' && clean.error.message === e.message) {
        // the error of one version must be at that version's place, not at a place in the other
        assert.deepEqual([e.line, e.column, e.endColumn], [clean.error.line, clean.error.column, clean.error.endColumn], `${label}: "${e.message}" at the place it has in the ${name} version`);
        return name;
      }
    }
    // not an error either version has: it must say that the file changed or is gone
    assert.match(e.message, /changed while|no such file|does not exist/, `${label}: an error neither version gives: ${e.format()}`);
    return 'refused';
  }
  const ds = hooked.value as Dataset;
  // the versions have no missing cell: a NaN would be a cell made up by the reader
  for (const column of ds.columns) {
    if (column.kind === 'numeric') for (let i = 0; i < ds.rowCount; i++) assert.ok(Number.isFinite(column.values[i]), `${label}: NaN in ${column.name} at row ${i + 1}`);
  }
  if (before.kind === 'dataset' && sameDataset(ds, before.dataset)) return 'before';
  if (afterOutcome?.kind === 'dataset' && sameDataset(ds, afterOutcome.dataset)) return 'after';
  assert.fail(`${label}: a dataset of ${ds.rowCount} rows that is neither version (before: ${describeOutcome(before)}, after: ${describeOutcome(afterOutcome)})`);
}

after(() => fs.rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------- the reader

/** `text` with the second cell of its row `row` (negative: from the end) replaced by `cell`. */
function withCell(text: string, row: number, cell: string): string {
  const lines = text.split('\n');
  const i = row < 0 ? lines.length - 1 + row : row;
  lines[i] = `${lines[i].split(',')[0]},${cell}`;
  return lines.join('\n');
}

/** Files as version A: clean; with a bad number near the end (fast path error); with a quote csv-parse must read (the stream path). */
const SOURCES: readonly { readonly name: string; readonly content: string }[] = [
  { name: 'a clean file', content: A },
  { name: 'a file with a word in a numeric column near its end (the byte scanner\'s error, located again in the file)', content: withCell(A, -4, 'seven') },
  { name: 'a file whose last row opens a quote it never closes (read by csv-parse\'s stream)', content: `${A.slice(0, -1)}\n"1.5,2\n` },
];

describe('a dataset rewritten while it is read', () => {
  for (const source of SOURCES) {
    test(`${source.name}: one version whole, or an InputError naming the file, at every read`, { timeout: 60_000 }, async () => {
      const path = join(dir, 'data.csv');
      const before = cleanRead(source.content, path, OPTIONS);
      if (source.content !== A) assert.equal(before.kind, 'error', 'the bad versions are bad');
      // a clean read, counting its reads
      writeOld(path, source.content);
      const clean = await withReadHook(0, () => undefined, () => readDataset(path, OPTIONS));
      assert.equal(checkOutcome('clean', path, clean, before, undefined), 'before');
      assert.ok(clean.reads >= 5, `${clean.reads} reads: the file is read in several chunks`);
      const tally = new Map<string, number>();
      for (const rewrite of REWRITES) {
        const afterContent = rewrite.after(source.content);
        const afterOutcome = afterContent === undefined ? undefined : cleanRead(afterContent, path, OPTIONS);
        for (let k = 1; k <= clean.reads; k++) {
          writeOld(path, source.content);
          const hooked = await withReadHook(k, () => rewrite.apply(path), () => readDataset(path, OPTIONS));
          const label = `${rewrite.name} before read ${k} of ${clean.reads}`;
          assert.ok(hooked.injected || hooked.reads < k, `${label}: injected`);
          const which = checkOutcome(label, path, hooked, before, afterOutcome);
          // every read opens the file before its first read: from read 1 on, the file read is the old one
          if (rewrite.keepsOpenFile) assert.equal(which, 'before', `${label}: the file that was open is read whole`);
          tally.set(`${rewrite.name}: ${which}`, (tally.get(`${rewrite.name}: ${which}`) ?? 0) + 1);
          fs.rmSync(`${path}.new`, { force: true });
        }
      }
      console.log(`${source.name}: ${clean.reads} reads; ${[...tally].map(([k, n]) => `${k} ${n}`).join('; ')}`);
    });
  }
});

// ---------------------------------------------------------------- the fit job

/** The parts of a fit that must agree between two fits of the same data. */
function fitSummary(r: FitResult): { rows: number; logLikelihood: number; iterations: number } {
  return { rows: r.rows, logLikelihood: r.logLikelihood, iterations: r.iterations };
}

/** Every number in `value` is finite. */
function assertNoNaN(value: unknown, label: string): void {
  const json = JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `NOT FINITE ${v}` : v));
  assert.ok(!json.includes('NOT FINITE'), `${label}: a number that is not finite in the result`);
}

describe('a fit whose dataset is rewritten between the header check and the read, or during the read', () => {
  test('the fit is of one version, or fails with an InputError naming the data or the model file', { timeout: 60_000 }, async () => {
    const folder = fs.mkdtempSync(join(dir, 'fit-'));
    const modelPath = join(folder, 'mix.em.json');
    const dataPath = join(folder, 'data.csv');
    fs.writeFileSync(modelPath, JSON.stringify({ name: 'rewrite', data: { path: 'data.csv', columns: ['x', 'y'] }, model: { kind: 'gaussian-mixture', components: 2, covariance: 'diag' }, fit: { seed: 3, restarts: 1, maxIterations: 15, tolerance: 0, threads: 1 } }));
    const fitOf = async (content: string): Promise<FitResult> => {
      writeOld(dataPath, content);
      return (await runFitJob(modelPath)).result;
    };
    const fitA = await fitOf(A);
    const fitB = await fitOf(B_OTHER_SIZE);
    assert.notEqual(fitA.logLikelihood, fitB.logLikelihood);
    // versions the fit job may meet after the header check: the same columns (B), other columns, nothing
    const OTHER_COLUMNS = fixedWidthCsv(170, 3, 'u,v');
    const rewrites: readonly Rewrite[] = [
      { name: 'replaced by a rename with the same columns', after: () => B_OTHER_SIZE, apply: (p) => (fs.writeFileSync(`${p}.new`, B_OTHER_SIZE), fs.renameSync(`${p}.new`, p)) },
      { name: 'replaced by a rename with other columns', after: () => OTHER_COLUMNS, apply: (p) => (fs.writeFileSync(`${p}.new`, OTHER_COLUMNS), fs.renameSync(`${p}.new`, p)) },
      { name: 'rewritten in place with other columns', after: () => OTHER_COLUMNS, apply: (p) => fs.writeFileSync(p, OTHER_COLUMNS) },
      { name: 'rewritten in place, same size', after: () => B_SAME_SIZE, apply: (p) => fs.writeFileSync(p, B_SAME_SIZE) },
      { name: 'truncated to 0 bytes', after: () => '', apply: (p) => fs.truncateSync(p, 0) },
      { name: 'deleted', after: () => undefined, apply: (p) => fs.unlinkSync(p) },
    ];
    const fitBSame = await fitOf(B_SAME_SIZE);
    writeOld(dataPath, A);
    const clean = await withReadHook(0, () => undefined, () => runFitJob(modelPath));
    assert.ok(clean.value, String(clean.error));
    assert.deepEqual(fitSummary(clean.value.result), fitSummary(fitA));
    assert.ok(clean.reads >= 4, `${clean.reads} reads: the header check and the read`);
    const outcomes = new Map<string, number>();
    for (const rewrite of rewrites) {
      for (let k = 1; k <= clean.reads; k++) {
        writeOld(dataPath, A);
        const hooked = await withReadHook(k, () => rewrite.apply(dataPath), () => runFitJob(modelPath));
        const label = `${rewrite.name} before read ${k} of ${clean.reads}`;
        assert.ok(hooked.injected, `${label}: injected`);
        let which: string;
        if (hooked.error !== undefined) {
          const e = hooked.error;
          assert.ok(e instanceof InputError, `${label}: not an InputError: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          assert.ok(e.file === dataPath || e.file === modelPath, `${label}: the error names ${e.file}`);
          which = `error at ${e.file === dataPath ? 'the data' : 'the model'}: ${e.message.slice(0, 40)}`;
        } else {
          const r = (hooked.value as { result: FitResult }).result;
          assertNoNaN(r, label);
          const s = fitSummary(r);
          which = [['A', fitA], ['B', fitB], ['B same size', fitBSame]].find(([, f]) => JSON.stringify(fitSummary(f as FitResult)) === JSON.stringify(s))?.[0] as string;
          assert.ok(which, `${label}: a fit of neither version: ${JSON.stringify(s)}`);
          // a fit of the new version is only possible when the new version has the model's columns
          if (which !== 'A') assert.ok(rewrite.after(A)?.startsWith('x,y\n'), `${label}: fitted ${which}`);
        }
        outcomes.set(`${rewrite.name}: ${which}`, (outcomes.get(`${rewrite.name}: ${which}`) ?? 0) + 1);
        fs.rmSync(`${dataPath}.new`, { force: true });
      }
    }
    console.log(`fit job: ${clean.reads} reads; ${[...outcomes].map(([k, n]) => `${k} x${n}`).join('; ')}`);
  });
});
