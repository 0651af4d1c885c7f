/**
 * The inspector after a fit that fails, in the real host: a panel of the model is open (the real
 * InspectorPanel and webview), a Run EM runs, the worker dies mid-fit. The data source announces
 * the end (onDidEndFit) and the panel tells the webview: progress, then `fitEnded` with the
 * reason, no more progress; the last good run stays the model's run; the webview reports no
 * error while handling it. What the webview then shows is unit-tested
 * (test/unit/inspectorFitStatus.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { InspectorPanel } from '../../src/host/inspector/inspectorPanel';
import type { FitEnd } from '../../src/host/inspectorDataSource';
import type { ToWebviewMessage } from '../../src/shared/inspectorProtocol';
import type { RunRecord } from '../../src/shared/runs';
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
      assert.equal(a.runs.running, undefined);

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
  });
});
