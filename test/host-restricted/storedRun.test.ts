/**
 * A stored run in Restricted Mode (the last suite: from here on a worker has run). The run is
 * made through the run controller, the part behind the gate (what "Run Once" leads to; a test
 * cannot click the modal): it goes to the extension's storage and not the workspace, and it does
 * not open the gate (Run EM still asks). Stored results are shown (hovers); what would need
 * another fit (posteriors once the worker has stopped) is refused, not run behind the user's back.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/shared/runs';
import { api, hoverText, inWorkspace, positionOf, waitFor } from '../host/helpers';
import { assertNothingRan, assertRestricted, assertWorkspaceUntouched, extensionStorageFiles, questionAsked, watchFits } from './restricted';

const example2 = vscode.Uri.file(inWorkspace('tutorial', 'example2.em.json'));
const example2Csv = vscode.Uri.file(inWorkspace('tutorial', 'example2.csv'));

suite('Restricted Mode: a stored run', () => {
  let record: RunRecord | undefined;
  suiteSetup(async () => {
    assertRestricted();
    assertNothingRan(await api()); // the suites before left nothing behind
  });

  test('a run past the gate: in the worker, stored in the extension storage, nothing in the workspace', async () => {
    const a = await api();
    const fits = watchFits(a);
    record = await a.runs.run(example2.fsPath);
    fits.dispose();
    // the tutorial's example 2 converges to -13.5231 (README, test/fixtures/tutorial.json)
    assert.ok(Math.abs(record.result.logLikelihood - -13.5231) < 1e-4, `log-likelihood ${record.result.logLikelihood}`);
    assert.equal(a.worker.starts, 1, 'one worker thread started, for this fit');
    assert.equal(a.worker.liveThreads, 1);
    assert.ok(fits.events.includes(`end run succeeded ${example2.fsPath}`), fits.events.join('; '));
    // the same look into the storage that found nothing before finds the run now
    const stored = extensionStorageFiles();
    assert.ok(stored.some((f) => /[\\/]runs[\\/][^\\/]+\.json$/.test(f)), `the run is in the extension storage: ${stored.join(', ')}`);
    assertWorkspaceUntouched();
  });

  test('a stored run does not open the gate: Run EM still asks', async () => {
    const a = await api();
    assert.ok(record, 'needs the run of the test before');
    const question = await questionAsked(() => vscode.commands.executeCommand('emWorkbench.runEM', example2));
    assert.match(question, /Restricted Mode/);
    assert.equal(a.runs.getRun(example2.fsPath)?.id, record.id, 'the stored run stays');
    assert.equal(a.worker.starts, 1);
  });

  test("the stored run's estimates show in the model file's hover", async () => {
    const doc = await vscode.workspace.openTextDocument(example2);
    // init's "H": [0.6, 0.4] -> P(H=1) 0.5168 at convergence (as test/host/hover.test.ts in a trusted window)
    const text = await hoverText(example2, positionOf(doc, '"H": [0.6', 2));
    assert.match(text, /P\(H\)/);
    assert.match(text, /0\.5168 \(from 0\.4000, \+0\.1168\)/);
  });

  test('once the worker has stopped, posteriors would need a fit: the dataset hover says so and starts nothing; the inspector is refused', async () => {
    const a = await api();
    assert.ok(record, 'needs the run of the first test');
    await a.runs.restartWorker(); // as a crash would: the posteriors in memory are gone
    await waitFor(() => a.worker.liveThreads === 0, 'the worker thread to exit');
    const starts = a.worker.starts;
    const storedBefore = extensionStorageFiles();
    const fits = watchFits(a);

    await vscode.workspace.openTextDocument(example2Csv);
    const hover = await hoverText(example2Csv, new vscode.Position(1, 1));
    assert.match(hover, /not in memory/, hover);
    assert.equal(a.worker.starts, starts, 'a hover starts no worker');

    // the inspector's posterior table asks the run controller, which would recompute them with a fit
    const refusal = await a.runs.getPosteriorPage({ modelPath: example2.fsPath, runId: record.id, offset: 0, limit: 10 }).then(
      () => 'served',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    assert.match(refusal, /trust the workspace/);
    fits.dispose();
    assert.deepEqual(fits.events.filter((e) => e.startsWith('progress')), [], 'no fit ran to recompute them');
    assert.equal(a.runs.getRun(example2.fsPath)?.id, record.id, 'the stored run is the same');
    assert.deepEqual(extensionStorageFiles(), storedBefore);
    assertWorkspaceUntouched();
  });
});
