// Recomputing a stored run's posteriors: how the run is refitted (src/host/recomputePlan.ts), and
// the worker keeping a recompute's posteriors only when the refit reproduced the run
// (FitRequest.reproduces in src/worker/worker.ts, driven directly, no thread).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { recomputePlan } from '../../src/host/recomputePlan';
import { CANCEL_FLAG_BYTES, CANCEL_FLAG_INDEX } from '../../src/shared/protocol';
import type { FitDoneMessage, FitRequest, FromWorkerMessage } from '../../src/shared/protocol';
import type { FitResult, RestartSummary } from '../../src/shared/results';
import { createWorkerHandler } from '../../src/worker/worker';

const root = join(__dirname, '..', '..', '..');
const example2 = join(root, 'examples', 'tutorial', 'example2.em.json');

function start(stopReason: RestartSummary['stopReason'], logLikelihood: number, iterations: number, seed: number): RestartSummary {
  return { seed, logLikelihood, iterations, converged: stopReason === 'tolerance', stopReason, history: [] };
}

/** A result with these starts, the best of them being `best`. */
function resultOf(starts: RestartSummary[], best: number): FitResult {
  const b = starts[best];
  return { logLikelihood: b.logLikelihood, iterations: b.iterations, stopReason: b.stopReason, restarts: starts } as unknown as FitResult;
}

test('a run that ran to its end is refitted as it was asked for', () => {
  const overrides = { threads: 0, maxIterations: 100000 };
  const plan = recomputePlan(resultOf([start('tolerance', -10, 40, 1), start('maxIterations', -12, 100000, 2)], 0), overrides);
  assert.deepEqual(plan, { ok: true, overrides });
});

test('a run cancelled in its first start is refitted to the iteration it stopped at, not to maxIterations', () => {
  const plan = recomputePlan(resultOf([start('cancelled', -10, 37, 1)], 0), { threads: 0 });
  assert.deepEqual(plan, { ok: true, overrides: { threads: 0, restarts: 1, maxIterations: 37 } });
});

test('a run cancelled in a later start: the starts before it when one of them is the best, else refused', () => {
  const earlierBest = recomputePlan(resultOf([start('tolerance', -10, 40, 1), start('tolerance', -11, 50, 2), start('cancelled', -30, 3, 3)], 0), { restarts: 5 });
  assert.deepEqual(earlierBest, { ok: true, overrides: { restarts: 2 } });
  const cancelledBest = recomputePlan(resultOf([start('tolerance', -10, 40, 1), start('cancelled', -9, 12, 2)], 1), {});
  assert.equal(cancelledBest.ok, false);
  assert.match(cancelledBest.ok ? '' : cancelledBest.reason, /cancelled during its start 2.*run EM again/);
});

/** The worker's message switch in this thread, with the replies it posts. */
function worker(): { send: (m: Omit<FitRequest, 'cancelFlag'> & { cancelAt?: number }) => Promise<FitDoneMessage>; ask: (runId: string) => Promise<FromWorkerMessage> } {
  const replies: FromWorkerMessage[] = [];
  let onReply: ((m: FromWorkerMessage) => void) | undefined;
  const handle = createWorkerHandler((m) => {
    replies.push(m);
    onReply?.(m);
  });
  let id = 0;
  return {
    async send(m) {
      const cancelFlag = new SharedArrayBuffer(CANCEL_FLAG_BYTES);
      const flag = new Int32Array(cancelFlag);
      const { cancelAt, ...request } = m;
      // cancel as the host does: the flag is set while the fit runs (here: when iteration `cancelAt` is reported)
      onReply = (r) => {
        if (cancelAt !== undefined && r.type === 'fitProgress' && r.progress.iteration >= cancelAt) Atomics.store(flag, CANCEL_FLAG_INDEX, 1);
      };
      await handle({ ...request, cancelFlag });
      onReply = undefined;
      const done = replies.filter((r) => r.id === m.id).find((r) => r.type === 'fitDone' || r.type === 'failed');
      if (done?.type !== 'fitDone') throw new Error(`the fit did not finish: ${JSON.stringify(done)}`);
      return done;
    },
    async ask(runId) {
      const reqId = 1000 + ++id;
      await handle({ type: 'posteriorPage', id: reqId, modelPath: example2, runId, offset: 0, limit: 4 });
      const r = replies.find((x) => x.id === reqId);
      assert.ok(r);
      return r;
    },
  };
}

const base = { type: 'fit' as const, modelPath: example2, snapshots: false, progressIntervalMs: 0 };

test('the worker keeps a recompute\'s posteriors only when the refit reproduced the run, and not one cut short', async () => {
  const w = worker();
  // the stored run: 2 iterations
  const run = await w.send({ ...base, id: 1, runId: 'run', overrides: { threads: 1, maxIterations: 2 }, keep: false });
  const stored = run.result.logLikelihood;

  const changed = await w.send({ ...base, id: 2, runId: 'run', overrides: { threads: 1, maxIterations: 3 }, keep: true, reproduces: { logLikelihood: stored } });
  assert.deepEqual(changed.posteriorColumns, [], 'a refit that came out different is not kept');
  const afterChanged = await w.ask('run');
  assert.equal(afterChanged.type, 'failed');
  assert.equal(afterChanged.type === 'failed' ? afterChanged.failure.kind : '', 'notHeld');

  // cut short at the stored run's own iteration: the same log-likelihood, yet cancelled, so not kept
  const cut = await w.send({ ...base, id: 3, runId: 'run', overrides: { threads: 1, maxIterations: 100000, tolerance: 0 }, keep: true, reproduces: { logLikelihood: stored }, cancelAt: 2 });
  assert.equal(cut.result.stopReason, 'cancelled');
  assert.equal(cut.result.logLikelihood, stored, 'stopped where the stored run stopped');
  assert.deepEqual(cut.posteriorColumns, []);
  assert.equal((await w.ask('run')).type, 'failed');

  const same = await w.send({ ...base, id: 4, runId: 'run', overrides: { threads: 1, maxIterations: 2 }, keep: true, reproduces: { logLikelihood: stored } });
  assert.deepEqual(same.posteriorColumns, ['P(H=0)', 'P(H=1)', 'label']);
  const page = await w.ask('run');
  assert.equal(page.type, 'posteriorPage');
  assert.equal(page.type === 'posteriorPage' ? page.page.total : 0, 4);

  // a Run EM cancelled part-way (no `reproduces`) is kept: it is the user's run
  const cancelledRun = await w.send({ ...base, id: 5, runId: 'cancelled-run', overrides: { threads: 1, maxIterations: 100000, tolerance: 0 }, keep: true, cancelAt: 2 });
  assert.equal(cancelledRun.result.stopReason, 'cancelled');
  assert.equal((await w.ask('cancelled-run')).type, 'posteriorPage');
});
