// Helpers for the dataset-reader tests: read the same text through both paths (in memory and
// streamed from a file, in tiny chunks so that every chunk boundary is crossed) and require
// the same result, or the same error at the same place.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseDataset, readDataset, type ReadOptions } from '../../src/data/csvReader';
import type { Dataset } from '../../src/data/dataset';
import { InputError } from '../../src/shared/errors';

const dir = mkdtempSync(join(tmpdir(), 'emw-data-test-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;

/** Writes `content` (text, or bytes as given) to a fresh temporary file named like `name`. */
export function tempFile(name: string, content: string | Buffer): string {
  const path = join(dir, `${fileCounter++}-${basename(name)}`);
  writeFileSync(path, content);
  return path;
}

/** The dataset without its file name (which differs between the two paths). */
function comparable(ds: Dataset): Omit<Dataset, 'file'> {
  const { file, ...rest } = ds;
  void file;
  return rest;
}

/** Reads `text` in memory and from a file streamed in chunks of `chunkBytes`; both must agree. */
export async function readBoth(text: string, name: string, options: ReadOptions, chunkBytes = 3): Promise<Dataset> {
  const fromText = parseDataset(text, name, options);
  const path = tempFile(name, text);
  const streamed = await readDataset(path, { ...options, chunkBytes });
  const streamedDefault = await readDataset(path, options);
  assert.deepEqual(comparable(streamed), comparable(fromText), 'streamed (small chunks) and in-memory reads differ');
  assert.deepEqual(comparable(streamedDefault), comparable(fromText), 'streamed and in-memory reads differ');
  assert.equal(fromText.file, name);
  assert.equal(streamed.file, path);
  return fromText;
}

export interface Where {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

/** The InputError from reading `text` both ways (they must agree on message and place). */
export async function errorBoth(text: string, name: string, options: ReadOptions, chunkBytes = 3): Promise<InputError> {
  let fromText: unknown;
  try {
    parseDataset(text, name, options);
  } catch (e) {
    fromText = e;
  }
  assert.ok(fromText instanceof InputError, `expected an InputError from parseDataset, got ${String(fromText)}`);
  const path = tempFile(name, text);
  for (const size of [chunkBytes, undefined]) {
    let streamed: unknown;
    try {
      await readDataset(path, { ...options, ...(size !== undefined ? { chunkBytes: size } : {}) });
    } catch (e) {
      streamed = e;
    }
    assert.ok(streamed instanceof InputError, `expected an InputError from readDataset, got ${String(streamed)}`);
    assert.equal(streamed.file, path);
    assert.deepEqual(
      { message: streamed.message, line: streamed.line, column: streamed.column, endColumn: streamed.endColumn },
      { message: fromText.message, line: fromText.line, column: fromText.column, endColumn: fromText.endColumn },
      `streamed (chunk ${size ?? 'default'}) and in-memory errors differ`,
    );
  }
  assert.equal(fromText.file, name);
  return fromText;
}

/** Asserts the error is at `where` and its message matches `message`. */
export function assertAt(e: InputError, where: Where, message: RegExp): void {
  assert.deepEqual({ line: e.line, column: e.column, endColumn: e.endColumn }, where, `position of: ${e.format()}`);
  assert.match(e.message, message);
}

export function numericValues(ds: Dataset, name: string): number[] {
  const c = ds.columns.find((x) => x.name === name);
  assert.ok(c && c.kind === 'numeric', `column ${name} should be numeric`);
  return Array.from(c.values);
}

/** A categorical column's cells as strings (undefined = missing). */
export function categoricalValues(ds: Dataset, name: string): (string | undefined)[] {
  const c = ds.columns.find((x) => x.name === name);
  assert.ok(c && c.kind === 'categorical', `column ${name} should be categorical`);
  return Array.from(c.codes, (code) => (code < 0 ? undefined : c.levels[code]));
}
