// The fit worker (dist/worker.js, a real worker_threads Worker) driven by the host's WorkerClient,
// outside VS Code: fits with the tutorial's numbers, pages and rows of posteriors, cancellation
// through shared memory while the worker computes, a worker that dies, dataset checks.
// Needs the built worker: `node scripts/build.mjs` (EMW_DIST moves it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/shared/errors';
import type { BayesNetParametersJSON } from '../../src/shared/results';
import type { FitProgress } from '../../src/shared/runs';
import { PosteriorsNotHeldError, WorkerClient, WorkerStoppedError } from '../../src/host/workerClient';
import type { CheckDatasetRequest, DataSampleRequest, PosteriorAtLineRequest, PosteriorPageRequest } from '../../src/shared/protocol';

const root = join(__dirname, '..', '..', '..');
const workerPath = join(root, process.env.EMW_DIST || 'dist', 'worker.js');
const example2 = join(root, 'examples', 'tutorial', 'example2.em.json');
const example1 = join(root, 'examples', 'tutorial', 'example1.em.json');

function client(): WorkerClient {
  return new WorkerClient({ workerPath, maxOldGenerationSizeMb: 512, progressIntervalMs: 0 });
}

/** A temp folder with a Gaussian-mixture dataset (rows x 2) and its model file. */
function mixtureModel(rows: number, fit: object): { dir: string; model: string } {
  const dir = mkdtempSync(join(tmpdir(), 'emw-worker-test-'));
  let s = 'x,y\n';
  let seed = 12345;
  const u = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed + 0.5) / 4294967296;
  };
  // three heavily overlapping clusters: EM creeps for hundreds of iterations, so a fit with
  // tolerance 0 is still running when the tests cancel or stop it
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    s += `${(c * 0.3 + u()).toFixed(3)},${(c * 0.2 + u()).toFixed(3)}\n`;
  }
  writeFileSync(join(dir, 'data.csv'), s);
  const model = join(dir, 'm.em.json');
  writeFileSync(model, JSON.stringify({ name: 'm', data: { path: 'data.csv', columns: ['x', 'y'] }, model: { kind: 'gaussian-mixture', components: 3, covariance: 'full' }, fit: { seed: 1, restarts: 1, ...fit } }));
  return { dir, model };
}

test('a fit of the tutorial example 2 in the worker: the tutorial numbers, progress, posteriors by page and by line', async () => {
  const c = client();
  try {
    const progress: FitProgress[] = [];
    const done = await c.fit({ modelPath: example2, runId: 'r1', overrides: { maxIterations: 10 }, snapshots: true, keep: true, onProgress: (p) => progress.push(p) }).done;
    assert.equal(done.result.iterations, 10);
    const cpts = (done.result.parameters as BayesNetParametersJSON).cpts;
    assert.ok(Math.abs(cpts.H.rows[''][1] - 0.5165402207576383) < 1e-9);
    assert.equal(done.result.history[0].toFixed(6), '-17.061552');
    assert.equal(done.rowCount, 4);
    assert.equal(done.dataPath, join(root, 'examples', 'tutorial', 'example2.csv'));
    assert.deepEqual(done.posteriorColumns, ['P(H=0)', 'P(H=1)', 'label']);
    // progress after every E-step (interval 0): iterations 0..10
    assert.deepEqual(progress.map((p) => p.iteration), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(progress[3].history.length, 4);

    const page = await c.request<PosteriorPageRequest>({ type: 'posteriorPage', modelPath: example2, runId: 'r1', offset: 1, limit: 2 });
    assert.deepEqual(page.page.columns, ['row', 'P(H=0)', 'P(H=1)', 'label']);
    assert.equal(page.page.total, 4);
    assert.deepEqual(page.page.rows.map((r) => r[0]), [2, 3]);
    // sorted by P(H=1), descending: A=0,B=0 (row 1) is the most likely H=1
    const sorted = await c.request<PosteriorPageRequest>({ type: 'posteriorPage', modelPath: example2, runId: 'r1', offset: 0, limit: 4, sortColumn: 2, descending: true });
    assert.equal(sorted.page.rows[0][0], 1);
    const values = sorted.page.rows.map((r) => r[2] as number);
    assert.deepEqual([...values].sort((a, b) => b - a), values);

    // line 2 of example2.csv is data row 1 (weight 6)
    const at = await c.request<PosteriorAtLineRequest>({ type: 'posteriorAtLine', modelPath: example2, runId: 'r1', line: 2 });
    assert.equal(at.row?.index, 0);
    assert.equal(at.row?.weight, 6);
    assert.equal(at.row?.values[1], sorted.page.rows[0][2], 'the hover row and the page agree');
    const header = await c.request<PosteriorAtLineRequest>({ type: 'posteriorAtLine', modelPath: example2, runId: 'r1', line: 1 });
    assert.equal(header.row, undefined);

    const sample = await c.request<DataSampleRequest>({ type: 'dataSample', modelPath: example2, runId: 'r1', columns: ['A', 'B'], maxPoints: 10 });
    assert.deepEqual(sample.sample.rows, [1, 2, 3, 4]);
    assert.deepEqual(sample.sample.values, [['0', '0', '1', '1'], ['0', '1', '0', '1']]);
    assert.deepEqual(sample.sample.weights, [6, 1, 1, 4]);
    assert.equal(sample.sample.labels?.[0], 1, 'row 1 (A=0, B=0) is most probably H=1');

    await assert.rejects(c.request<PosteriorPageRequest>({ type: 'posteriorPage', modelPath: example2, runId: 'other', offset: 0, limit: 1 }), PosteriorsNotHeldError);
  } finally {
    c.dispose();
  }
});

test('a side fit (keep: false) leaves the held posteriors alone; bad input is an InputError with a place', async () => {
  const c = client();
  const dir = mkdtempSync(join(tmpdir(), 'emw-worker-test-'));
  try {
    await c.fit({ modelPath: example1, runId: 'kept', overrides: {}, snapshots: false, keep: true }).done;
    const side = await c.fit({ modelPath: example1, runId: 'side', overrides: { missingData: 'drop' }, snapshots: false, keep: false }).done;
    assert.deepEqual(side.posteriorColumns, []);
    const page = await c.request<PosteriorPageRequest>({ type: 'posteriorPage', modelPath: example1, runId: 'kept', offset: 0, limit: 10 });
    assert.equal(page.page.total, 8);
    // row 4 of example 1 is "0,?": its imputed P(B=0) is 0.75 at the fixed point
    const imputed = page.page.rows[3][page.page.columns.indexOf('P(B=0)')] as number;
    assert.ok(Math.abs(imputed - 0.75) < 1e-6, String(imputed));

    writeFileSync(join(dir, 'd.csv'), 'A,B\n0,1\n1,x\n');
    const bad = join(dir, 'bad.em.json');
    writeFileSync(bad, JSON.stringify({ data: { path: 'd.csv', columns: ['A', 'B'] }, model: { kind: 'gaussian-mixture', components: 2, covariance: 'diag' } }));
    await assert.rejects(c.fit({ modelPath: bad, runId: 'b', overrides: {}, snapshots: false, keep: true }).done, (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.line, 3);
      assert.equal(e.column, 3);
      return true;
    });
    const checked = await c.request<CheckDatasetRequest>({ type: 'checkDataset', modelPath: bad });
    assert.equal(checked.problem?.line, 3);
    const fixed = await c.request<CheckDatasetRequest>({ type: 'checkDataset', modelPath: bad, text: 'A,B\n0,1\n1,2\n' });
    assert.equal(fixed.problem, undefined);
    assert.equal(fixed.rows, 2);
  } finally {
    c.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cancel reaches a worker that is busy fitting, through shared memory, within an iteration', async () => {
  const { dir, model } = mixtureModel(30000, { maxIterations: 1000000, tolerance: 0 });
  const c = client();
  try {
    let seen = 0;
    let cancelledAt = -1;
    const fit = c.fit({
      modelPath: model,
      runId: 'long',
      overrides: {},
      snapshots: false,
      keep: true,
      onProgress: (p) => {
        seen = p.iteration;
        if (p.iteration >= 3 && cancelledAt < 0) {
          cancelledAt = p.iteration;
          fit.cancel();
        }
      },
    });
    const done = await fit.done;
    assert.equal(done.result.stopReason, 'cancelled');
    // progress messages lag the worker by at most the messages in flight; the fit stops at the next check
    assert.ok(done.result.iterations >= cancelledAt && done.result.iterations <= seen + 1, `cancel after ${cancelledAt}, stopped at ${done.result.iterations}`);
  } finally {
    c.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker that dies fails its pending requests with a clear error, and the next request starts a new one', async () => {
  const { dir, model } = mixtureModel(30000, { maxIterations: 1000000, tolerance: 0 });
  const stops: string[] = [];
  const c = new WorkerClient({ workerPath, maxOldGenerationSizeMb: 512, progressIntervalMs: 0, onStopped: (e) => stops.push(e.message) });
  try {
    let started!: () => void;
    const firstProgress = new Promise<void>((r) => (started = r));
    const fit = c.fit({ modelPath: model, runId: 'doomed', overrides: {}, snapshots: false, keep: true, onProgress: () => started() });
    const outcome = fit.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    await firstProgress;
    await c.terminate('the fit worker was stopped');
    const error = await outcome;
    assert.ok(error instanceof WorkerStoppedError && /stopped/.test(error.message), String(error));
    assert.equal(stops.length, 1);
    assert.equal(c.running, false);
    const again = await c.fit({ modelPath: example2, runId: 'r2', overrides: {}, snapshots: false, keep: true }).done;
    assert.equal(again.result.logLikelihood.toFixed(4), '-13.5231');
    assert.equal(c.starts, 2);
  } finally {
    c.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('out of memory: a worker over its heap limit is reported as such', async () => {
  // a tiny heap limit and a dataset whose parsing needs more than it: the worker is stopped by V8
  const { dir, model } = mixtureModel(20000, { maxIterations: 5 });
  const c = new WorkerClient({ workerPath, maxOldGenerationSizeMb: 4, progressIntervalMs: 0 });
  try {
    await assert.rejects(c.fit({ modelPath: model, runId: 'oom', overrides: {}, snapshots: false, keep: true }).done, (e: unknown) => {
      assert.ok(e instanceof WorkerStoppedError, String(e));
      assert.equal(e.outOfMemory, true, e.message);
      assert.match(e.message, /out of memory/);
      return true;
    });
  } finally {
    c.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the worker bundle does not contain vscode', () => {
  assert.doesNotMatch(readFileSync(workerPath, 'utf8'), /require\(["']vscode["']\)/);
});
