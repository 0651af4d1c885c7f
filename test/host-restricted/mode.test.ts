/**
 * Restricted Mode itself: the window is untrusted, the extension activates on its own there
 * (package.json: untrustedWorkspaces "limited"), registers its commands, indexes the model
 * files, ignores the workspace's values of the restricted settings, and starts no worker.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EmWorkbenchApi } from '../../src/extension';
import { EmSettings } from '../../src/host/configuration';
import { EXTENSION_ID, waitFor } from '../host/helpers';
import { assertNothingRan, assertRestricted } from './restricted';

suite('Restricted Mode: the window and the extension', () => {
  suiteSetup(assertRestricted);

  test('the folder is not trusted, and workspace trust is on', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.workspace.getConfiguration('security.workspace.trust').get('enabled'), true);
  });

  test('the extension activates on its own (a model file in the folder) and its API is ready', async () => {
    const ext = vscode.extensions.getExtension<EmWorkbenchApi>(EXTENSION_ID);
    assert.ok(ext, 'the extension is loaded in Restricted Mode');
    // not activated by the test: workspaceContains:**/*.em.json does it
    await waitFor(() => ext.isActive, 'the extension to activate', 30000);
    await ext.exports.ready;
    const models = ext.exports.index.list().map((p) => vscode.workspace.asRelativePath(p)).sort();
    for (const m of ['tutorial/example2.em.json', 'restricted/schema.em.json', 'restricted/column.em.json']) assert.ok(models.includes(m), `${m} in ${models.join(', ')}`);
    const roots = await ext.exports.tree.getChildren();
    assert.ok(roots.length > 0, 'the side panel lists the model files');
    assertNothingRan(ext.exports);
  });

  test('every contributed command is registered', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (ext?.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  test("the folder's values of the restricted settings are ignored, the others are read", () => {
    // test/fixtures/host-restricted/.vscode/settings.json: threads 1, workerMemoryMb 300, maxIterations 7
    const settings = EmSettings.read();
    assert.equal(settings.maxIterations, 7, 'an unrestricted setting comes from the folder (the settings file is read)');
    assert.equal(settings.threads, 0, 'emWorkbench.threads: the default, not the untrusted folder\'s 1');
    assert.equal(settings.workerMemoryMb, 4096, 'emWorkbench.workerMemoryMb: the default, not the untrusted folder\'s 300');
  });
});
