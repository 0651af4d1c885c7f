/**
 * The inspector after a fit that fails, in the real host: a panel of the model is open (the real
 * InspectorPanel and webview), a Run EM runs, the worker dies mid-fit. The data source announces
 * the end (onDidEndFit) and the panel tells the webview: progress, then `fitEnded` with the
 * reason, no more progress; the last good run stays the model's run; the webview reports no
 * error while handling it. What the webview then shows is unit-tested
 * (test/unit/inspectorFitStatus.test.ts).
 *
 * The restarted worker holds no posteriors, so the webview's next request for them (its scatter
 * rows, asked for again when it redraws after `fitEnded`) refits the last run to recompute them.
 * The second test: closing the panel cancels that refit (nobody else waits for it), Run EM
 * meanwhile is refused with a message that says what holds the worker, and nothing is left
 * running for the suites after these (test/unit/hostSharedWork.test.ts has the rules).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { InspectorPanel } from '../../src/host/inspector/inspectorPanel';
import type { FitEnd } from '../../src/host/inspectorDataSource';
import type { ToWebviewMessage } from '../../src/shared/inspectorProtocol';
import type { FitProgress, RunRecord } from '../../src/shared/runs';
import { EXTENSION_ID, api, gaussianMixtureCsv, gaussianMixtureModel, waitFor, writeWorkspaceFile } from './helpers';

suite('the inspector after a failed fit', () => {
  test('a Run EM whose worker dies mid-fit: the panel sends its end and reason, the last run stays', async function () {
    this.timeout(180000);
    const a = await api();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    writeWorkspaceFile('host-generated/inspector-failure.csv', gaussianMixtureCsv(40_000, 13, 0.25));
    const model = vscode.Uri.file(writeWorkspaceFile('host-generated/inspector-failure.em.json', gaussianMixtureModel('inspector-failure.csv', { maxIterations: 100000, tolerance: 0 })));
    const good = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model, { maxIterations: 2 });
    assert.ok(good, a.runs.lastFailure(model.fsPath));

    // a real panel and webview, with the messages to the webview recorded on their way
    const webviewPanel = vscode.window.createWebviewPanel('emWorkbench.inspectorFailureTest', 'inspector failure test', vscode.ViewColumn.Beside, {});
    const sent: ToWebviewMessage[] = [];
    const post = webviewPanel.webview.postMessage.bind(webviewPanel.webview);
    webviewPanel.webview.postMessage = (m: unknown) => {
      sent.push(m as ToWebviewMessage);
      return post(m);
    };
    const fromWebview: unknown[] = [];
    const listening = webviewPanel.webview.onDidReceiveMessage((m: unknown) => fromWebview.push(m));
    const log = vscode.window.createOutputChannel('EM Workbench inspector failure test', { log: true });
    const panel = new InspectorPanel(webviewPanel, model.fsPath, ext.extensionUri, a.runs, log);
    const ends: FitEnd[] = [];
    const endSub = a.runs.onDidEndFit((e) => ends.push(e));
    try {
      await waitFor(() => sent.find((m) => m.type === 'init'), 'the webview to load and the panel to answer with init', 60000);
      const running = a.runs.run(model.fsPath).then(() => 'succeeded', (e: unknown) => (e instanceof Error ? e.message : String(e)));
      await waitFor(() => sent.some((m) => m.type === 'progress'), 'progress relayed to the webview', 120000);
      await a.runs.restartWorker(); // what a crash or an out-of-memory stop does
      assert.match(await running, /worker/);

      const ended = await waitFor(() => sent.find((m) => m.type === 'fitEnded'), 'fitEnded relayed to the webview');
      assert.equal(ended.type, 'fitEnded');
      assert.deepEqual([ended.purpose, ended.outcome], ['run', 'failed']);
      assert.match(ended.message ?? '', /worker/);
      assert.equal(ended.message, a.runs.lastFailure(model.fsPath), 'the reason is the one Run EM reports');
      const endedAt = sent.indexOf(ended);
      assert.ok(!sent.slice(endedAt + 1).some((m) => m.type === 'progress'), 'no progress after the end');
      assert.deepEqual(ends.filter((e) => e.modelPath === model.fsPath).map((e) => [e.purpose, e.outcome]), [['run', 'failed']]);
      assert.equal(a.runs.getRun(model.fsPath)?.id, good.id, 'the last good run is the model\'s run');
      // the failed Run EM is over; the webview may already be asking for its scatter rows again (a recompute)
      assert.notEqual(a.runs.running?.purpose, 'run');

      // the webview handled fitEnded without an error (it posts its errors to the host as `log`)
      await new Promise((r) => setTimeout(r, 500));
      const errors = fromWebview.filter((m) => (m as { type?: string; level?: string }).type === 'log' && (m as { level?: string }).level !== 'info');
      assert.deepEqual(errors, []);
    } finally {
      endSub.dispose();
      listening.dispose();
      panel.dispose();
      log.dispose();
    }
    // closing the panel cancelled the recompute its webview asked for, if one had started: nothing runs on
    await waitFor(() => a.runs.running === undefined, 'nothing running after the panel closed', 30000);
  });

  test('closing the inspector while it recomputes the posteriors cancels the refit; Run EM meanwhile says what holds the worker', async function () {
    this.timeout(180000);
    const a = await api();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    // 800 iterations of 40,000 rows: a run of a few seconds, so its refit is still running while the test acts
    writeWorkspaceFile('host-generated/inspector-recompute.csv', gaussianMixtureCsv(40_000, 13, 0.25));
    const model = vscode.Uri.file(writeWorkspaceFile('host-generated/inspector-recompute.em.json', gaussianMixtureModel('inspector-recompute.csv', { maxIterations: 800, tolerance: 0 })));
    const good = await a.runs.run(model.fsPath);
    assert.equal(good.result.iterations, 800);
    await a.runs.restartWorker(); // the posteriors are gone, as after a crash or a reload
    assert.equal(await a.runs.posteriorAtLine(model.fsPath, good.id, 2), 'notHeld');

    const ends: FitEnd[] = [];
    const endSub = a.runs.onDidEndFit((e) => ends.push(e));
    let lastRecomputed: FitProgress | undefined;
    const progressSub = a.runs.onProgress((p) => {
      if (p.modelPath === model.fsPath && a.runs.running?.purpose === 'recompute') lastRecomputed = p;
    });
    const webviewPanel = vscode.window.createWebviewPanel('emWorkbench.inspectorRecomputeTest', 'inspector recompute test', vscode.ViewColumn.Beside, {});
    const log = vscode.window.createOutputChannel('EM Workbench inspector recompute test', { log: true });
    const panel = new InspectorPanel(webviewPanel, model.fsPath, ext.extensionUri, a.runs, log);
    try {
      // the Parameters tab asks for its scatter rows: the worker has no posteriors, so the run is refitted
      await waitFor(() => (lastRecomputed?.iteration ?? 0) >= 1, 'the inspector\'s request to start a recompute of the posteriors', 60000);
      const running = a.runs.running;
      assert.equal(running?.purpose, 'recompute');
      assert.equal(running?.modelPath, model.fsPath);

      // Run EM now is refused, with a message that names what runs (not "a fit is running")
      const refused: unknown = await a.runs.run(model.fsPath).then(() => undefined, (e: unknown) => e);
      assert.ok(refused instanceof Error, 'Run EM is refused while the worker recomputes');
      assert.equal(refused.name, 'FitBusyError');
      assert.match(refused.message, /^the inspector is recomputing the posteriors of inspector-recompute\.em\.json \(a refit of its last run/);
      assert.match(refused.message, /cancel it \(EM: Cancel EM\) or wait/);
      assert.equal(a.runs.lastFailure(model.fsPath), undefined, 'a refusal is not a failure of the model');

      // closing the panel: no request waits for the refit any more, so it is cancelled
      panel.dispose();
      await waitFor(() => a.runs.running === undefined, 'the recompute to stop after the panel closed', 30000);
      const recomputeEnds = ends.filter((e) => e.modelPath === model.fsPath && e.purpose === 'recompute');
      assert.deepEqual(recomputeEnds.map((e) => e.outcome), ['cancelled']);
      assert.ok((lastRecomputed?.iteration ?? 800) < 800, `the refit stopped early (last progress at iteration ${lastRecomputed?.iteration})`);
      // what a fit cut short computed is not kept as the run's posteriors
      assert.equal(await a.runs.posteriorAtLine(model.fsPath, good.id, 2), 'notHeld');
      assert.equal(a.runs.getRun(model.fsPath)?.id, good.id, 'the run is unchanged');
    } finally {
      progressSub.dispose();
      endSub.dispose();
      panel.dispose();
      log.dispose();
      if (a.runs.running) a.runs.cancel();
    }
    await waitFor(() => a.runs.running === undefined, 'nothing running at the end of the test', 30000);
  });
});
