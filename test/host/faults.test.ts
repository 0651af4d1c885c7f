/**
 * Faults and boundaries in the real extension host: a data.path that leaves the workspace folder
 * (absolute, `..`, a symlink) is flagged at its range and read only when the user allows it
 * (the prompt alone is stubbed); the dataset deleted during a fit; the inspector closed during a
 * fit; a failed export; 20 fits started and cancelled, and 3 model files fitted at once in the
 * worker, leave no orphaned worker thread (the host's heap growth is logged).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import type { OutsideDataPrompt } from '../../src/host/dataPathGuard';
import { inspectorWebviewOptions } from '../../src/host/inspector/inspectorPanel';
import type { RunRecord } from '../../src/shared/runs';
import { EXTENSION_ID, api, gaussianMixtureCsv, gaussianMixtureModel, inWorkspace, waitFor, writeWorkspaceFile } from './helpers';

const example2 = (): vscode.Uri => vscode.Uri.file(inWorkspace('tutorial', 'example2.em.json'));

/** Replace the outside-data prompt for the duration of `body`; counts the questions. */
async function withPrompt<T>(answer: boolean, body: (asked: () => number) => Promise<T>): Promise<T> {
  const a = await api();
  const original = a.runs.outsideDataPrompt;
  let asked = 0;
  const stub: OutsideDataPrompt = { allowOnce: async () => (asked++, answer) };
  a.runs.outsideDataPrompt = stub;
  try {
    return await body(() => asked);
  } finally {
    a.runs.outsideDataPrompt = original;
  }
}

suite('faults and boundaries', () => {
  suite('a data.path outside the workspace folder', () => {
    let outside: string;
    suiteSetup(() => {
      outside = fs.mkdtempSync(path.join(os.tmpdir(), 'emw-outside-'));
      fs.writeFileSync(path.join(outside, 'secret.csv'), gaussianMixtureCsv(300, 3));
    });
    suiteTeardown(() => fs.rmSync(outside, { recursive: true, force: true }));

    test('an absolute path elsewhere: a warning at data.path; refused without asking twice; read when allowed once', async () => {
      const a = await api();
      const uri = vscode.Uri.file(writeWorkspaceFile('host-generated/outside-abs.em.json', gaussianMixtureModel(path.join(outside, 'secret.csv'), { maxIterations: 5 })));
      await a.diagnostics.refresh(uri.fsPath);
      const d = await waitFor(() => vscode.languages.getDiagnostics(uri).find((x) => /outside the workspace folder/.test(x.message)), 'the outside-path warning');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.match(doc.getText(d.range), /secret\.csv/, 'at data.path');
      assert.ok(!vscode.languages.getDiagnostics(uri).some((x) => /not a column/.test(x.message)), 'the outside file\'s header was not read');

      const refused = await withPrompt(false, async (asked) => {
        const r = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', uri);
        assert.equal(asked(), 1, 'the user was asked once');
        return r;
      });
      assert.equal(refused, undefined);
      assert.match(a.runs.lastFailure(uri.fsPath) ?? '', /outside the workspace folder/);
      assert.equal(a.runs.getRun(uri.fsPath), undefined, 'nothing ran');

      const allowed = await withPrompt(true, () => Promise.resolve(vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', uri)));
      assert.ok(allowed, a.runs.lastFailure(uri.fsPath));
      assert.equal(allowed.result.rows, 300);
    });

    test('a `..` escape and a symlink escape are asked about; a path inside is not', async () => {
      const a = await api();
      const rel = path.relative(inWorkspace('host-generated'), path.join(outside, 'secret.csv'));
      assert.ok(rel.startsWith('..'));
      const up = vscode.Uri.file(writeWorkspaceFile('host-generated/outside-up.em.json', gaussianMixtureModel(rel, { maxIterations: 5 })));
      const link = inWorkspace('host-generated', 'linked-secret.csv');
      fs.rmSync(link, { force: true });
      fs.symlinkSync(path.join(outside, 'secret.csv'), link);
      const viaLink = vscode.Uri.file(writeWorkspaceFile('host-generated/outside-link.em.json', gaussianMixtureModel('linked-secret.csv', { maxIterations: 5 })));
      writeWorkspaceFile('host-generated/inside.csv', gaussianMixtureCsv(200, 4));
      const inside = vscode.Uri.file(writeWorkspaceFile('host-generated/inside.em.json', gaussianMixtureModel('inside.csv', { maxIterations: 5 })));
      await withPrompt(false, async (asked) => {
        assert.equal(await vscode.commands.executeCommand('emWorkbench.runEM', up), undefined);
        assert.equal(asked(), 1);
        assert.equal(await vscode.commands.executeCommand('emWorkbench.runEM', viaLink), undefined);
        assert.equal(asked(), 2);
        assert.match(a.runs.lastFailure(viaLink.fsPath) ?? '', /symbolic link/);
        const ok = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', inside);
        assert.ok(ok, a.runs.lastFailure(inside.fsPath));
        assert.equal(asked(), 2, 'a path inside the folder is not asked about');
      });
      await a.diagnostics.refresh(viaLink.fsPath);
      assert.ok(vscode.languages.getDiagnostics(viaLink).some((x) => x.severity === vscode.DiagnosticSeverity.Warning && /symbolic link/.test(x.message)));
    });
  });

  suite('faults during a fit', () => {
    let model: vscode.Uri;
    let data: string;
    suiteSetup(() => {
      data = writeWorkspaceFile('host-generated/fault.csv', gaussianMixtureCsv(40_000, 11, 0.25));
      model = vscode.Uri.file(writeWorkspaceFile('host-generated/fault.em.json', gaussianMixtureModel('fault.csv', { maxIterations: 40, tolerance: 0 })));
    });

    test('the inspector closed during a fit: no error, the run lands in the store', async () => {
      const a = await api();
      const first = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model, { maxIterations: 2 });
      assert.ok(first, a.runs.lastFailure(model.fsPath));
      await vscode.commands.executeCommand('emWorkbench.openInspector', model);
      const inspectorTab = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
      const tab = await waitFor(inspectorTab, 'the inspector tab');
      let seen = 0;
      const sub = a.runs.onProgress((p) => {
        if (p.modelPath === model.fsPath) seen = p.iteration;
      });
      const running = vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model);
      await waitFor(() => seen >= 1, 'the first iteration', 60000);
      assert.ok(await vscode.window.tabGroups.close(tab));
      const record = await running;
      sub.dispose();
      assert.ok(record, a.runs.lastFailure(model.fsPath));
      assert.equal(record.result.iterations, 40);
      assert.equal(a.runs.getRun(model.fsPath)?.id, record.id, 'the run is the model\'s last run');
      assert.equal(inspectorTab(), undefined);
    });

    test('the dataset deleted during a fit: the fit finishes from what it read; the next run fails clearly and the result stays', async () => {
      const a = await api();
      const folder = inWorkspace('host-generated');
      let deleted = false;
      const sub = a.runs.onProgress((p) => {
        if (p.modelPath === model.fsPath && p.iteration >= 1 && !deleted) {
          deleted = true;
          fs.unlinkSync(data);
        }
      });
      const record = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model);
      sub.dispose();
      assert.ok(deleted, 'the file was deleted during the fit');
      assert.ok(record, a.runs.lastFailure(model.fsPath));
      assert.equal(record.result.rows, 40_000);
      const filesBefore = fs.readdirSync(folder).sort();
      const again = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model);
      assert.equal(again, undefined);
      assert.match(a.runs.lastFailure(model.fsPath) ?? '', /fault\.csv.*does not exist/);
      assert.equal(a.runs.getRun(model.fsPath)?.id, record.id, 'the previous result stays');
      // rewritten as something else: a clear error at the model file, the result stays
      fs.writeFileSync(data, 'a,b\n1,2\n');
      assert.equal(await vscode.commands.executeCommand('emWorkbench.runEM', model), undefined);
      assert.match(a.runs.lastFailure(model.fsPath) ?? '', /not a column/);
      assert.equal(a.runs.getRun(model.fsPath)?.id, record.id);
      assert.deepEqual(fs.readdirSync(folder).sort(), [...filesBefore, 'fault.csv'].sort(), 'the failed runs wrote nothing in the workspace (fault.csv is the rewrite)');
    });

    test('a failed export (to a folder) leaves no temporary file; a good one writes the whole file', async () => {
      const target = inWorkspace('host-generated', 'export-here');
      fs.mkdirSync(target, { recursive: true });
      const before = fs.readdirSync(inWorkspace('host-generated')).sort();
      const failed = await vscode.commands.executeCommand('emWorkbench.exportResults', model, { what: 'results-json', outPath: target });
      assert.equal(failed, undefined);
      assert.deepEqual(fs.readdirSync(inWorkspace('host-generated')).sort(), before, 'no temporary or partial file');
      assert.deepEqual(fs.readdirSync(target), []);
      const good = inWorkspace('host-generated', 'fault.results.json');
      assert.equal(await vscode.commands.executeCommand('emWorkbench.exportResults', model, { what: 'results-json', outPath: good }), good);
      assert.equal((JSON.parse(fs.readFileSync(good, 'utf8')) as { rows: number }).rows, 40_000);
      assert.deepEqual(fs.readdirSync(inWorkspace('host-generated')).sort(), [...before, 'fault.results.json'].sort());
    });
  });

  test('webview boundary: the inspector loads local resources only from the extension\'s dist/ and media/', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const options = inspectorWebviewOptions(ext.extensionUri);
    assert.deepEqual(
      (options.localResourceRoots ?? []).map((u) => u.toString()),
      [vscode.Uri.joinPath(ext.extensionUri, 'dist').toString(), vscode.Uri.joinPath(ext.extensionUri, 'media').toString()],
    );
    assert.equal(options.enableCommandUris, undefined, 'no command links from the webview');
  });

  test('load: 20 fits started and cancelled, then 3 model files fitted at once in the worker: no orphaned worker thread', async () => {
    const a = await api();
    writeWorkspaceFile('host-generated/load.csv', gaussianMixtureCsv(8000, 5, 0.25));
    const long = vscode.Uri.file(writeWorkspaceFile('host-generated/load.em.json', gaussianMixtureModel('load.csv', { maxIterations: 100000, tolerance: 0 })));
    const three = [1, 2, 3].map((i) => {
      writeWorkspaceFile(`host-generated/load${i}.csv`, gaussianMixtureCsv(2000, 20 + i, 0.25));
      return writeWorkspaceFile(`host-generated/load${i}.em.json`, gaussianMixtureModel(`load${i}.csv`, { maxIterations: 20, tolerance: 0 }));
    });
    let gc: (() => void) | undefined;
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = undefined;
    }
    const before = a.runs.getRun(example2().fsPath);
    await vscode.commands.executeCommand('emWorkbench.runEM', example2()); // the worker is up
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const starts = a.worker.starts;
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const running = a.runs.run(long.fsPath);
      // run() reads the model file before the fit is the running one: cancel once it is
      await waitFor(() => a.runs.running, 'the fit to start');
      if (i % 2 === 1) await new Promise((r) => setTimeout(r, 30));
      assert.equal(a.runs.cancel(), true);
      outcomes.push(await running.then((r) => r.result.stopReason, (e: unknown) => (e instanceof Error ? e.name : String(e))));
    }
    assert.ok(outcomes.every((o) => o === 'cancelled' || o === 'CancelledError'), outcomes.join(', '));
    assert.equal(a.runs.running, undefined);
    // three model files at once: the controller runs one fit at a time, the worker takes all three
    const done = await Promise.all(three.map((m, i) => a.worker.fit({ modelPath: m, runId: `load-${i}`, overrides: {}, snapshots: false, keep: false }).done));
    assert.deepEqual(done.map((d) => d.rowCount), [2000, 2000, 2000]);
    assert.ok(done.every((d) => d.result.iterations >= 1 && Number.isFinite(d.result.logLikelihood)), done.map((d) => `${d.result.stopReason} ${d.result.iterations}`).join(', '));
    assert.equal(a.worker.liveThreads, 1, 'one worker thread, no orphans');
    assert.equal(a.worker.starts, starts, 'no worker was restarted');
    await new Promise((r) => setTimeout(r, 300));
    gc?.();
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / (1 << 20);
    console.log(`extension host heap growth after 20 cancelled + 3 parallel fits: ${growthMb.toFixed(2)} MB (${gc ? 'after a forced GC' : 'GC not forced'})`);
    if (gc) assert.ok(growthMb < 10, `the host heap grew by ${growthMb.toFixed(2)} MB`);
    assert.ok(before === undefined || a.runs.getRun(example2().fsPath), 'example 2 keeps a run');
  });
});
