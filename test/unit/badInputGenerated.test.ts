// Bad inputs too large to commit (10,000 columns, a 100 MB line), generated into a temporary
// folder by scripts/make-bad-corpus.mjs, and the path faults that need a temporary folder of
// their own (output into a missing folder, a folder as the model file, ...). Same checks as
// the committed corpus (badInputSupport.ts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BadInputCase, checkCase, readManifest, referenceFits, root, runCli } from './badInputSupport';

const dir = mkdtempSync(join(tmpdir(), 'emw-bad-generated-'));

describe('generated bad inputs', { concurrency: 1 }, () => {
  let cases: BadInputCase[] = [];
  before(() => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'make-bad-corpus.mjs'), dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    cases = readManifest(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the generator writes the 10,000-column and 100 MB cases', { timeout: 300_000 }, async () => {
    assert.ok(cases.length >= 7, `${cases.length} generated cases`);
    const reference = referenceFits(dir);
    for (const c of cases) {
      const t0 = performance.now();
      await checkCase(c, dir, reference);
      console.log(`generated case ${c.id}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  });
});

describe('path faults', () => {
  const model = join(root, 'examples', 'tutorial', 'example2.em.json');

  /** exit 1, one line `where: message` on stderr, nothing on stdout. */
  function assertOneLineError(r: { code: number; stdout: string; stderr: string }, where: RegExp, message: string): void {
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    const at = lines[0].indexOf(': ');
    assert.match(lines[0].slice(0, at), where);
    assert.ok(lines[0].includes(message), lines[0]);
  }

  it('--posteriors into a folder that does not exist: a clear error, no temporary file left', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'emw-bad-out-'));
    try {
      const r = await runCli(['fit', model, '--json', '--posteriors', join(tmp, 'missing', 'out.csv')], root);
      assertOneLineError(r, /missing[\\/]out\.csv$/, 'the folder of this file does not exist');
      assert.deepEqual(readdirSync(tmp), []);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--posteriors naming a folder: a clear error, the folder untouched', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'emw-bad-out-'));
    try {
      mkdirSync(join(tmp, 'taken'));
      const r = await runCli(['fit', model, '--json', '--posteriors', join(tmp, 'taken')], root);
      assertOneLineError(r, /taken$/, 'this is a folder');
      assert.deepEqual(readdirSync(tmp), ['taken']);
      assert.deepEqual(readdirSync(join(tmp, 'taken')), []);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a folder or a missing file as the model file', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'emw-bad-model-'));
    try {
      assertOneLineError(await runCli(['fit', tmp, '--json'], root), /emw-bad-model-/, 'this is a folder, not a model file');
      assertOneLineError(await runCli(['fit', join(tmp, 'nope.em.json'), '--json'], root), /nope\.em\.json$/, 'no such model file');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('an unreadable data file (skipped as root, who reads everything)', { skip: process.getuid?.() === 0 ? 'running as root' : false }, async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'emw-bad-perm-'));
    try {
      copyFileSync(join(root, 'examples', 'tutorial', 'example2.csv'), join(tmp, 'data.csv'));
      writeFileSync(join(tmp, 'm.em.json'), JSON.stringify({ data: { path: 'data.csv', weight: '#' }, model: { kind: 'latent-class', classes: 2, columns: ['A', 'B'] } }));
      chmodSync(join(tmp, 'data.csv'), 0o000);
      assertOneLineError(await runCli(['fit', 'm.em.json', '--json'], tmp), /^m\.em\.json:1:\d+$/, 'cannot be read');
    } finally {
      chmodSync(join(tmp, 'data.csv'), 0o600);
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
