// Host-side faults outside VS Code: the data-path guard (.. / absolute / symlink escapes, with
// real files and links), an export that fails leaves no temporary or partial file, a dataset
// deleted or rewritten around a fit in the real worker (dist/worker.js), and load: 20 fits
// started and cancelled in quick succession and 3 model files fitted at once leave no orphaned
// worker thread. Needs the built worker: `node scripts/build.mjs` (EMW_DIST moves it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CancelledError, InputError } from '../../src/shared/errors';
import type { PosteriorPageRequest } from '../../src/shared/protocol';
import { dataPathEscape, describeEscape, isInside } from '../../src/host/dataPathGuard';
import { writeFileAtomic } from '../../src/io/atomicFile';
import { MANAGE_TRUST, RUN_ONCE, mayRun } from '../../src/host/trustGate';
import type { RestrictedModeAnswer, RestrictedModeUi } from '../../src/host/trustGate';
import { WorkerClient } from '../../src/host/workerClient';

const root = join(__dirname, '..', '..', '..');
const workerPath = join(root, process.env.EMW_DIST || 'dist', 'worker.js');

function client(): WorkerClient {
  return new WorkerClient({ workerPath, maxOldGenerationSizeMb: 512, progressIntervalMs: 0 });
}

/** Overlapping clusters (EM creeps, so tolerance-0 fits are still running when cancelled). */
function mixtureCsv(rows: number, seed = 12345): string {
  let s = 'x,y\n';
  let state = seed;
  const u = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    s += `${(c * 0.3 + u()).toFixed(3)},${(c * 0.2 + u()).toFixed(3)}\n`;
  }
  return s;
}

function mixtureModel(dir: string, name: string, dataFile: string, fit: object): string {
  const model = join(dir, `${name}.em.json`);
  writeFileSync(model, JSON.stringify({ name, data: { path: dataFile, columns: ['x', 'y'] }, model: { kind: 'gaussian-mixture', components: 3, covariance: 'full' }, fit: { seed: 1, restarts: 1, ...fit } }));
  return model;
}

test('data path guard: inside, `..` out, absolute elsewhere, a symlink out, a symlink that stays in', async () => {
  const base = mkdtempSync(join(tmpdir(), 'emw-guard-'));
  try {
    const ws = join(base, 'ws');
    mkdirSync(join(ws, 'data'), { recursive: true });
    writeFileSync(join(ws, 'data', 'in.csv'), 'x\n1\n');
    writeFileSync(join(base, 'secret.csv'), 'x\n1\n');
    symlinkSync(join(base, 'secret.csv'), join(ws, 'link-out.csv'));
    symlinkSync(join(ws, 'data', 'in.csv'), join(ws, 'link-in.csv'));
    symlinkSync(base, join(ws, 'dir-out')); // a linked folder: the file below it is outside

    assert.equal(await dataPathEscape(join(ws, 'data', 'in.csv'), ws), undefined);
    assert.equal(await dataPathEscape(join(ws, 'link-in.csv'), ws), undefined, 'a link that stays inside is fine');
    assert.equal(await dataPathEscape(join(ws, 'data', 'missing.csv'), ws), undefined, 'a missing file inside: the fit reports it missing');

    const up = await dataPathEscape(join(ws, 'data', '..', '..', 'secret.csv'), ws);
    assert.equal(up?.kind, 'outside');
    const absolute = await dataPathEscape('/etc/passwd', ws);
    assert.equal(absolute?.kind, 'outside');
    assert.match(describeEscape(absolute!), /\/etc\/passwd.*outside the workspace folder/);
    const link = await dataPathEscape(join(ws, 'link-out.csv'), ws);
    assert.equal(link?.kind, 'symlink');
    assert.equal(link?.realPath, join(base, 'secret.csv'));
    assert.match(describeEscape(link!), /symbolic link/);
    assert.equal((await dataPathEscape(join(ws, 'dir-out', 'secret.csv'), ws))?.kind, 'symlink');
    // the workspace folder itself reached through a link: its files are inside
    symlinkSync(ws, join(base, 'ws-link'));
    assert.equal(await dataPathEscape(join(base, 'ws-link', 'data', 'in.csv'), join(base, 'ws-link')), undefined);
    assert.equal(await dataPathEscape(join(ws, 'data', 'in.csv'), join(base, 'ws-link')), undefined);

    // a name that starts with ".." is not a climb; a sibling folder with a common prefix is outside
    assert.equal(isInside('/a/ws', '/a/ws/..data/x.csv'), true);
    assert.equal(isInside('/a/ws', '/a/ws2/x.csv'), false);
    assert.equal(isInside('/a/ws', '/a/ws'), true);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a failed export leaves no temporary or partial file, and an existing target as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emw-export-'));
  try {
    // the target is a folder: the rename fails after the data were written to the temporary file
    mkdirSync(join(dir, 'results.json'));
    await assert.rejects(writeFileAtomic(join(dir, 'results.json'), '{"big":"' + 'x'.repeat(1 << 20) + '"}'), (e: NodeJS.ErrnoException) => e.code === 'EISDIR' || e.code === 'ENOTEMPTY' || e.code === 'EEXIST');
    assert.deepEqual(readdirSync(dir), ['results.json'], 'no temporary file is left');
    // a part of the path is a file: nothing can be created
    writeFileSync(join(dir, 'plain'), 'kept');
    await assert.rejects(writeFileAtomic(join(dir, 'plain', 'out.json'), 'x'), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
    assert.deepEqual(readdirSync(dir).sort(), ['plain', 'results.json']);
    // a successful export replaces the target whole and leaves nothing beside it
    writeFileSync(join(dir, 'ok.json'), 'old');
    await writeFileAtomic(join(dir, 'ok.json'), 'new');
    assert.equal(readFileSync(join(dir, 'ok.json'), 'utf8'), 'new');
    assert.deepEqual(readdirSync(dir).sort(), ['ok.json', 'plain', 'results.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the dataset deleted during a fit: the fit finishes from what it read; deleted or rewritten before the next fit: a clear error and the held run stays', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emw-datafault-'));
  const c = client();
  try {
    const data = join(dir, 'data.csv');
    writeFileSync(data, mixtureCsv(3000));
    const model = mixtureModel(dir, 'm', 'data.csv', { maxIterations: 40, tolerance: 0 });
    let deleted = false;
    const first = await c.fit({
      modelPath: model,
      runId: 'r1',
      overrides: {},
      snapshots: false,
      keep: true,
      onProgress: (p) => {
        if (p.iteration >= 2 && !deleted) {
          deleted = true;
          unlinkSync(data); // the worker has read the file: the fit goes on from memory
        }
      },
    }).done;
    assert.ok(deleted, 'the file was deleted while the fit ran');
    assert.equal(first.result.iterations, 40);
    assert.equal(first.rowCount, 3000);

    // the next fit of the same model: the data file is gone
    await assert.rejects(c.fit({ modelPath: model, runId: 'r2', overrides: {}, snapshots: false, keep: true }).done, (e: unknown) => e instanceof InputError && /does not exist/.test(e.message) && e.line > 0);
    // rewritten into something that is not the dataset: a located error, not a crash
    writeFileSync(data, 'x,y\n1,2\n3,"unterminated\n');
    await assert.rejects(c.fit({ modelPath: model, runId: 'r3', overrides: {}, snapshots: false, keep: true }).done, (e: unknown) => e instanceof InputError && e.file === data);
    writeFileSync(data, 'a,b\n1,2\n');
    await assert.rejects(c.fit({ modelPath: model, runId: 'r4', overrides: {}, snapshots: false, keep: true }).done, (e: unknown) => e instanceof InputError && /not a column/.test(e.message));
    // the first run's posteriors are still held and served
    const page = await c.request<PosteriorPageRequest>({ type: 'posteriorPage', modelPath: model, runId: 'r1', offset: 0, limit: 5 });
    assert.equal(page.page.total, 3000);
    assert.deepEqual(readdirSync(dir).sort(), ['data.csv', 'm.em.json'], 'the failed fits wrote nothing');
    assert.equal(c.liveThreads, 1);
  } finally {
    c.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Force a collection when the runner allows it (v8 flag at run time), else undefined. */
function collector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

test('load: 20 fits started and cancelled in quick succession, then 3 model files at once: no orphaned worker thread, heap growth measured', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emw-load-'));
  const gc = collector();
  const c = client();
  try {
    writeFileSync(join(dir, 'data.csv'), mixtureCsv(4000));
    const long = mixtureModel(dir, 'long', 'data.csv', { maxIterations: 100000, tolerance: 0 });
    const models = [1, 2, 3].map((i) => {
      writeFileSync(join(dir, `d${i}.csv`), mixtureCsv(2000, i));
      return mixtureModel(dir, `m${i}`, `d${i}.csv`, { maxIterations: 30, tolerance: 0 });
    });
    // warm up (the worker and its module graph), then measure from here
    await c.fit({ modelPath: models[0], runId: 'warm', overrides: {}, snapshots: false, keep: false }).done;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;

    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const fit = c.fit({ modelPath: long, runId: `q${i}`, overrides: {}, snapshots: false, keep: true });
      // cancel at once for even i (before the first iteration), after a moment for odd i
      if (i % 2 === 1) await new Promise((r) => setTimeout(r, 20));
      fit.cancel();
      outcomes.push(
        await fit.done.then(
          (d) => d.result.stopReason,
          (e: unknown) => (e instanceof CancelledError ? 'cancelledEarly' : `error ${String(e)}`),
        ),
      );
    }
    assert.ok(outcomes.every((o) => o === 'cancelled' || o === 'cancelledEarly'), outcomes.join(', '));
    assert.equal(c.liveThreads, 1, 'one worker serves every fit');

    const together = await Promise.all(models.map((m, i) => c.fit({ modelPath: m, runId: `t${i}`, overrides: {}, snapshots: false, keep: true }).done));
    assert.deepEqual(together.map((d) => d.result.iterations), [30, 30, 30]);
    assert.deepEqual(together.map((d) => d.rowCount), [2000, 2000, 2000]);
    assert.equal(c.liveThreads, 1);
    assert.equal(c.starts, 1, 'no worker was restarted');

    await new Promise((r) => setTimeout(r, 200));
    gc?.();
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / (1 << 20);
    console.log(`host heap growth after 20 cancelled + 3 parallel fits: ${growthMb.toFixed(2)} MB (${gc ? 'after a forced GC' : 'GC not forced'})`);
    if (gc) assert.ok(growthMb < 10, `the host heap grew by ${growthMb.toFixed(2)} MB`);

    await c.terminate();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(c.liveThreads, 0, 'the terminated worker exited (its E-step threads with it)');
  } finally {
    c.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restricted mode gate: a trusted workspace runs without asking; untrusted runs only on "Run Once"', async () => {
  const calls: string[] = [];
  const ui = (answer: RestrictedModeAnswer): RestrictedModeUi => ({
    ask: async () => (calls.push('ask'), answer),
    manageTrust: () => void calls.push('manage'),
  });
  assert.equal(await mayRun(true, ui(undefined)), true);
  assert.deepEqual(calls, [], 'trusted: no question');
  assert.equal(await mayRun(false, ui(RUN_ONCE)), true);
  assert.deepEqual(calls.splice(0), ['ask']);
  assert.equal(await mayRun(false, ui(undefined)), false, 'dismissed: nothing runs');
  assert.deepEqual(calls.splice(0), ['ask']);
  assert.equal(await mayRun(false, ui(MANAGE_TRUST)), false, 'manage trust: nothing runs now');
  assert.deepEqual(calls.splice(0), ['ask', 'manage']);
});
