/**
 * The results store, phase 1 (before the window reload; afterReload.test.ts is phase 2): a run
 * is stored in the extension's storage, not in the workspace. (index.ts writes down the runs that
 * phase 2 must find.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/shared/runs';
import { api, inWorkspace, workspaceRoot } from './helpers';

/** Every file under a folder (relative paths). */
function filesUnder(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]));
}

suite('results store (before the reload)', () => {
  test('a run is kept in the extension\'s storage and nothing is written to the workspace', async () => {
    const a = await api();
    const model = vscode.Uri.file(inWorkspace('latent-class', 'titanic.em.json'));
    const before = new Set(filesUnder(workspaceRoot()));
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model, { restarts: 2 });
    assert.ok(record);
    assert.equal(a.runs.getRun(model.fsPath)?.id, record.id);
    const after = filesUnder(workspaceRoot()).filter((f) => !before.has(f));
    assert.deepEqual(after, [], 'Run EM wrote nothing into the workspace');
  });
});
