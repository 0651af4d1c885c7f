// The parallel E-step end to end: fits through runFitJob (as the CLI and the extension's worker
// run them) with 1, 2 and 3 threads give the same numbers to the bit (the issue asks for
// rounding across thread counts; the fixed chunk tree gives more), the pool's threads are
// really used, cancellation works mid-fit, an error in a thread fails the fit with that error,
// and no thread outlives its fit.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WorkerClient } from '../../src/host/workerClient';
import { loadModelFile, readOptionsFor, runFitJob } from '../../src/worker/fitJob';
import { liveEStepThreads } from '../../src/worker/estepPool';
import { InputError } from '../../src/shared/errors';
import type { FitResult } from '../../src/shared/results';
import { readDataset } from '../../src/data/csvReader';
import { runEM } from '../../src/engine/driver';
import { prepareFit } from '../../src/engine/registry';
import { planChunks, unitCosts } from '../../src/worker/shardPlan';
import { gaussianMixtureCase, hmmCase, impossibleLastSequenceCase, latentClassCase, scratchFolder, smallLatentClassCase } from './poolTestData';

const scratch = scratchFolder();
after(() => scratch.remove());

interface Run {
  readonly result: FitResult;
  /** Most pool threads alive at once during the fit (sampled at every iteration). */
  readonly peakThreads: number;
}

async function fit(modelPath: string, threads: number): Promise<Run> {
  let peakThreads = 0;
  const { result } = await runFitJob(modelPath, { threads, onProgress: () => (peakThreads = Math.max(peakThreads, liveEStepThreads())) });
  return { result, peakThreads };
}

const cases = [
  { name: 'gaussian mixture (full, with missing cells)', make: () => gaussianMixtureCase(scratch.dir) },
  { name: 'latent class (patterns)', make: () => latentClassCase(scratch.dir) },
  { name: 'gaussian HMM (sequences of unequal length)', make: () => hmmCase(scratch.dir) },
];

for (const c of cases) {
  test(`${c.name}: 1, 2 and 3 threads give the same numbers to the bit`, async () => {
    const modelPath = c.make();
    const one = await fit(modelPath, 1);
    const two = await fit(modelPath, 2);
    const three = await fit(modelPath, 3);

    // the pool was used: threads - 1 pool threads (the fit's own thread E-steps shard 0)
    assert.equal(one.peakThreads, 0);
    assert.equal(two.peakThreads, 1);
    assert.equal(three.peakThreads, 2);
    assert.equal(liveEStepThreads(), 0, 'no thread outlives its fit');

    assert.equal(one.result.iterations, 8);
    for (const [what, run] of [['2 threads', two], ['3 threads', three]] as const) {
      assert.deepEqual(run.result.history, one.result.history, `${what}: history`);
      assert.deepEqual(run.result.parameters, one.result.parameters, `${what}: parameters`);
      assert.equal(run.result.logLikelihood, one.result.logLikelihood);
      assert.equal(run.result.warnings, undefined);
    }
  });
}

test('a Gaussian mixture too small for threads runs in one thread whatever is asked', async () => {
  const modelPath = gaussianMixtureCase(scratch.dir, 600);
  const run = await fit(modelPath, 4);
  assert.equal(run.peakThreads, 0);
  assert.equal(run.result.iterations, 8);
});

test('below the pooling threshold the E-step runs unchunked in the calling thread: the same bits for 1, 2 and 4 threads, and as the driver alone gives', async () => {
  for (const modelPath of [smallLatentClassCase(scratch.dir), gaussianMixtureCase(scratch.dir, 600)]) {
    const model = await loadModelFile(modelPath);
    const prepared = prepareFit(model, await readDataset(model.data.path, readOptionsFor(model)));
    const kind = prepared.family.kind;
    assert.equal(planChunks(unitCosts(kind, prepared.data)).length, 1, `${kind}: below MIN_POOLED_WORK`);
    const runs = [await fit(modelPath, 1), await fit(modelPath, 2), await fit(modelPath, 4)];
    for (const run of runs) assert.equal(run.peakThreads, 0, `${kind}: no pool thread`);
    // the driver's own E-step over every unit, in this thread, no executor
    const { result } = await runEM(prepared.family, prepared.data, {
      maxIterations: model.fit.maxIterations,
      tolerance: model.fit.tolerance,
      restarts: model.fit.restarts,
      seed: model.fit.seed,
      ...(prepared.initialParameters !== undefined ? { initialParameters: prepared.initialParameters } : {}),
    });
    assert.equal(result.iterations, 8);
    for (const [threads, run] of [[1, runs[0]], [2, runs[1]], [4, runs[2]]] as const) {
      assert.deepEqual(run.result.history, result.history, `${kind}, ${threads} thread(s): history`);
      assert.deepEqual(run.result.parameters, result.parameters, `${kind}, ${threads} thread(s): parameters`);
    }
  }
});

test('cancelling a pooled fit mid-way stops it promptly with the last evaluated parameters, and stops the threads', async () => {
  const modelPath = gaussianMixtureCase(scratch.dir, 12_000, { maxIterations: 1000, tolerance: 0, seed: 1, init: 'random' });
  let iterations = 0;
  let peak = 0;
  const { result } = await runFitJob(modelPath, {
    threads: 2,
    onProgress: (p) => {
      iterations = p.iteration;
      peak = Math.max(peak, liveEStepThreads());
    },
    isCancelled: () => iterations >= 3,
  });
  assert.equal(peak, 1);
  assert.equal(result.stopReason, 'cancelled');
  assert.equal(result.iterations, 3);
  assert.equal(result.history.length, 4);
  assert.equal(liveEStepThreads(), 0);
});

test('an input error in a pool thread fails the fit with that error (file kept), and stops the threads', async () => {
  const modelPath = impossibleLastSequenceCase(scratch.dir);
  // one thread: the reference failure
  const inThread = await runFitJob(modelPath, { threads: 1 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(inThread instanceof InputError, String(inThread));
  const pooled = await runFitJob(modelPath, { threads: 3 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(pooled instanceof InputError, `expected an InputError, got ${String(pooled)}`);
  assert.equal(pooled.message, inThread.message);
  assert.match(pooled.message, /probability 0/);
  assert.equal(pooled.file, modelPath);
  assert.equal(liveEStepThreads(), 0);
});

test('the extension\'s fit worker (dist/worker.js) starts its pool from beside itself: the same numbers as a pooled fit here', async () => {
  const modelPath = gaussianMixtureCase(scratch.dir);
  const here = await fit(modelPath, 2);
  assert.equal(here.peakThreads, 1);
  const workerPath = join(__dirname, '..', '..', '..', process.env.EMW_DIST || 'dist', 'worker.js');
  const client = new WorkerClient({ workerPath, maxOldGenerationSizeMb: 512, progressIntervalMs: 0 });
  try {
    const done = await client.fit({ modelPath, runId: 'pooled', overrides: { threads: 2 }, snapshots: false, keep: false }).done;
    // no "ran in one thread" note: the thread entry was found beside worker.js
    assert.equal(done.result.warnings, undefined);
    assert.deepEqual(done.result.history, here.result.history);
    assert.deepEqual(done.result.parameters, here.result.parameters);
  } finally {
    client.dispose();
  }
});
