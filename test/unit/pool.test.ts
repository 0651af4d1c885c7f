// The parallel E-step end to end: fits through runFitJob (as the CLI and the extension's worker
// run them) with 1, 2 and 3 threads give the same numbers to the bit (the issue asks for
// rounding across thread counts; the fixed chunk tree gives more), the pool's threads are
// really used, cancellation works mid-fit, an error in a thread fails the fit with that error,
// and no thread outlives its fit.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WorkerClient } from '../../src/host/workerClient';
import { runFitJob } from '../../src/worker/fitJob';
import { liveEStepThreads } from '../../src/worker/estepPool';
import { InputError } from '../../src/shared/errors';
import type { FitResult } from '../../src/shared/results';
import { gaussianMixtureCase, hmmCase, impossibleLastSequenceCase, latentClassCase, scratchFolder } from './poolTestData';

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
