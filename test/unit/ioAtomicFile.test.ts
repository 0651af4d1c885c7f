// The atomic file writer (src/io/atomicFile.ts) that the CLI's --posteriors and the
// extension's exports share: the temporary file sits beside the target, the target appears
// only whole, and a failure part-way leaves neither a partial target nor a temporary file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { openAtomicFile, temporaryPathFor, writeFileAtomic } from '../../src/io/atomicFile';

function withFolder(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emw-atomic-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('the temporary path is a fresh hidden name in the target folder', () => {
  const target = join('/some', 'folder', 'posteriors.csv');
  const a = temporaryPathFor(target);
  const b = temporaryPathFor(target);
  assert.equal(dirname(a), dirname(target));
  assert.match(basename(a), /^\.posteriors\.csv\.\d+\.[0-9a-f]{8}\.tmp$/);
  assert.notEqual(a, b);
});

test('chunks are written in order, strings as UTF-8 and bytes as they are', withFolder(async (dir) => {
  const target = join(dir, 'out.csv');
  function* chunks(): Generator<string | Uint8Array> {
    yield 'row,P(H=0)\n';
    yield Buffer.from('1,0.25\n', 'utf8');
    yield '2,0.5 – ü\n';
  }
  await writeFileAtomic(target, chunks());
  assert.equal(readFileSync(target, 'utf8'), 'row,P(H=0)\n1,0.25\n2,0.5 – ü\n');
  await writeFileAtomic(target, 'whole');
  assert.equal(readFileSync(target, 'utf8'), 'whole');
  await writeFileAtomic(target, new Uint8Array([0, 255, 10]));
  assert.deepEqual([...readFileSync(target)], [0, 255, 10]);
  assert.deepEqual(readdirSync(dir), ['out.csv']);
}));

test('while the chunks are written, they go to a temporary file beside the target, and the target keeps its old content', withFolder(async (dir) => {
  const target = join(dir, 'out.csv');
  writeFileSync(target, 'old');
  const seen: string[][] = [];
  function* chunks(): Generator<string> {
    yield 'first half\n';
    seen.push(readdirSync(dir).sort());
    assert.equal(readFileSync(target, 'utf8'), 'old');
    yield 'second half\n';
  }
  await writeFileAtomic(target, chunks());
  assert.equal(seen.length, 1);
  assert.equal(seen[0].length, 2);
  assert.equal(seen[0][1], 'out.csv');
  assert.match(seen[0][0], /^\.out\.csv\..*\.tmp$/);
  assert.equal(readFileSync(target, 'utf8'), 'first half\nsecond half\n');
  assert.deepEqual(readdirSync(dir), ['out.csv']);
}));

test('a failure mid-write leaves no partial file and no temporary file', withFolder(async (dir) => {
  const fresh = join(dir, 'fresh.csv');
  const existing = join(dir, 'existing.csv');
  writeFileSync(existing, 'the previous export\n');
  function* failing(): Generator<string> {
    yield 'row,P(H=0)\n';
    yield '1,0.25\n'.repeat(10_000);
    throw new Error('the source failed part-way');
  }
  await assert.rejects(writeFileAtomic(fresh, failing()), /failed part-way/);
  await assert.rejects(writeFileAtomic(existing, failing()), /failed part-way/);
  assert.deepEqual(readdirSync(dir), ['existing.csv'], 'no fresh.csv and no .tmp');
  assert.equal(readFileSync(existing, 'utf8'), 'the previous export\n');
}));

test('a failed rename (the target is a folder) removes the temporary file', withFolder(async (dir) => {
  mkdirSync(join(dir, 'taken'));
  writeFileSync(join(dir, 'taken', 'inside'), 'x');
  await assert.rejects(writeFileAtomic(join(dir, 'taken'), 'data'), (e: NodeJS.ErrnoException) => e.code === 'EISDIR' || e.code === 'ENOTEMPTY' || e.code === 'EEXIST');
  assert.deepEqual(readdirSync(dir), ['taken']);
  assert.deepEqual(readdirSync(join(dir, 'taken')), ['inside']);
}));

test('a missing folder fails at once with ENOENT and writes nothing', withFolder(async (dir) => {
  await assert.rejects(writeFileAtomic(join(dir, 'missing', 'out.csv'), 'x'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  assert.deepEqual(readdirSync(dir), []);
}));

test('an opened file: nothing visible before commit; abort keeps the old target; commit replaces it', withFolder(async (dir) => {
  const target = join(dir, 'chart.svg');
  writeFileSync(target, 'old');
  const aborted = await openAtomicFile(target);
  await aborted.write('<svg>');
  assert.equal(readFileSync(target, 'utf8'), 'old');
  assert.equal(readdirSync(dir).length, 2);
  await aborted.abort();
  assert.deepEqual(readdirSync(dir), ['chart.svg']);
  assert.equal(readFileSync(target, 'utf8'), 'old');
  const committed = await openAtomicFile(target);
  await committed.write('<svg>');
  await committed.write(Buffer.from('</svg>'));
  await committed.commit();
  assert.equal(readFileSync(target, 'utf8'), '<svg></svg>');
  assert.deepEqual(readdirSync(dir), ['chart.svg']);
}));
