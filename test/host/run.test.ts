/**
 * Run EM end to end through the real worker (dist/worker.js) on the tutorial's example 2, with
 * the tutorial's numbers; cancel mid-run; a worker that dies mid-run.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BayesNetParametersJSON } from '../../src/shared/results';
import type { FitProgress, RunRecord } from '../../src/shared/runs';
import { api, gaussianMixtureCsv, gaussianMixtureModel, inWorkspace, waitFor, writeWorkspaceFile } from './helpers';

const example2 = (): vscode.Uri => vscode.Uri.file(inWorkspace('tutorial', 'example2.em.json'));
/**
 * Wait (up to 120 s) for a long fit to get somewhere; a fit that ends first (refused because
 * another fit holds the worker, or failed) fails at once and says why, instead of timing out.
 */
async function waitUnlessEnded(run: Thenable<unknown>, reached: () => boolean, what: string, failure: () => string | undefined): Promise<void> {
  let ended = false;
  void Promise.resolve(run).then(
    () => (ended = true),
    () => (ended = true),
  );
  await waitFor(() => reached() || ended, what, 120000);
  if (!reached()) assert.fail(`the fit ended before ${what}: ${failure() ?? 'no failure recorded, so it was refused: another fit held the worker'}`);
}

const pH1 = (r: RunRecord): number => (r.result.parameters as BayesNetParametersJSON).cpts.H.rows[''][1];

suite('Run EM through the worker', () => {
  test('example 2 converges to the tutorial\'s log-likelihood -13.5231', async () => {
    const a = await api();
    const progress: FitProgress[] = [];
    const sub = a.runs.onProgress((p) => progress.push(p));
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', example2());
    sub.dispose();
    assert.ok(record, `the run failed: ${a.runs.lastFailure(example2().fsPath)}`);
    assert.equal(record.result.logLikelihood.toFixed(4), '-13.5231');
    assert.equal(record.result.converged, true);
    assert.equal(record.result.stopReason, 'tolerance');
    assert.equal(record.result.history[0].toFixed(4), '-17.0616', 'history[0] is the log-likelihood at the file\'s init');
    assert.ok(Math.abs(pH1(record) - 0.5168) < 5e-4, `P(H=1) = ${pH1(record)}`);
    assert.equal(record.result.rows, 12);
    assert.ok(progress.length >= 1, 'progress was relayed from the worker');
    assert.equal(a.runs.getRun(example2().fsPath)?.id, record.id, 'the run is the model\'s last run');
    assert.ok(a.worker.running, 'the fit ran in the worker thread');
  });

  test('maxIterations 10 (a command argument) gives the tutorial\'s iteration 10: P(H=1) = 0.52', async () => {
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', example2(), { maxIterations: 10 });
    assert.ok(record);
    assert.equal(record.result.iterations, 10);
    assert.equal(record.result.stopReason, 'maxIterations');
    assert.equal(pH1(record).toFixed(2), '0.52');
    // the fixture: P(H=1) after iteration 10 = 0.51654, log-likelihood -13.52317
    assert.ok(Math.abs(pH1(record) - 0.5165402207576383) < 1e-6, `P(H=1) = ${pH1(record)}`);
    assert.equal(record.result.history[10].toFixed(4), '-13.5232');
  });

  suite('long fits', () => {
    let model: vscode.Uri;
    suiteSetup(() => {
      // 300,000 rows of overlapping clusters, 3 full-covariance components, tolerance 0: a fit that runs for minutes
      writeWorkspaceFile('host-generated/long.csv', gaussianMixtureCsv(300_000, 7, 0.25));
      model = vscode.Uri.file(writeWorkspaceFile('host-generated/long.em.json', gaussianMixtureModel('long.csv', { maxIterations: 100000, tolerance: 0 })));
    });

    test('Cancel EM stops a running fit within an iteration and keeps what it reached', async () => {
      const a = await api();
      let seen = 0;
      const sub = a.runs.onProgress((p) => {
        if (p.modelPath === model.fsPath) seen = p.iteration;
      });
      const running = vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model);
      await waitUnlessEnded(running, () => seen >= 3, 'three iterations', () => a.runs.lastFailure(model.fsPath));
      assert.equal(a.runs.running?.modelPath, model.fsPath);
      const atCancel = seen;
      assert.equal(await vscode.commands.executeCommand('emWorkbench.cancel'), true);
      const record = await running;
      sub.dispose();
      assert.ok(record, `the cancelled run kept no result: ${a.runs.lastFailure(model.fsPath)}`);
      assert.equal(record.result.stopReason, 'cancelled');
      // progress is throttled to ~10 messages a second, so `atCancel` may lag the worker by the
      // iterations of 100 ms; the exact bound (the next check) is in test/unit/hostWorker.test.ts
      assert.ok(record.result.iterations >= atCancel && record.result.iterations <= atCancel + 5, `stopped at iteration ${record.result.iterations}, cancel came after ${atCancel}`);
      assert.equal(a.runs.running, undefined);
    });

    test('a worker that dies mid-run is reported; the last good result is kept; the next run starts a new worker', async () => {
      const a = await api();
      const before = a.runs.getRun(model.fsPath);
      assert.ok(before, 'the cancelled run of the previous test is the last result');
      const starts = a.worker.starts;
      let seen = 0;
      const sub = a.runs.onProgress((p) => {
        if (p.modelPath === model.fsPath) seen = p.iteration;
      });
      const running = vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model);
      await waitUnlessEnded(running, () => seen >= 1, 'the first iteration', () => a.runs.lastFailure(model.fsPath));
      await a.runs.restartWorker(); // what a crash or an out-of-memory stop does: the thread is gone
      const record = await running;
      sub.dispose();
      assert.equal(record, undefined, 'no result from a dead worker');
      assert.equal(a.runs.getRun(model.fsPath)?.id, before.id, 'the last good result is kept');
      assert.match(a.runs.lastFailure(model.fsPath) ?? '', /worker/);
      const again = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', example2());
      assert.ok(again, 'a new worker runs the next fit');
      assert.equal(again.result.logLikelihood.toFixed(4), '-13.5231');
      assert.equal(a.worker.starts, starts + 1);
    });
  });
});
