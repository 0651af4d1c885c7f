/** The side panel's tree: model files -> last run -> parameters. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/host/modelTree';
import type { RunRecord } from '../../src/shared/runs';
import { api, inWorkspace, waitFor, writeWorkspaceFile } from './helpers';

const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

suite('the models tree', () => {
  test('lists the workspace\'s model files by name', async () => {
    const a = await api();
    const roots = await a.tree.getChildren();
    const paths = roots.map((n) => n.modelPath);
    for (const rel of [['tutorial', 'example1.em.json'], ['tutorial', 'example2.em.json'], ['latent-class', 'titanic.em.json'], ['gaussian-mixture', 'faithful.em.json'], ['hmm', 'dax-returns.em.json']]) {
      assert.ok(paths.includes(inWorkspace(...rel)), `${rel.join('/')} is listed`);
    }
    const ex2 = roots.find((n) => n.modelPath === inWorkspace('tutorial', 'example2.em.json')) as TreeNode;
    assert.equal(label(a.tree.getTreeItem(ex2)), 'Tutorial example 2: MLE with a hidden variable');
  });

  test('a run under its model, its parameters under the run; clicking opens the inspector', async () => {
    const a = await api();
    const model = vscode.Uri.file(inWorkspace('tutorial', 'example2.em.json'));
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model);
    assert.ok(record);
    const children = await a.tree.getChildren({ kind: 'model', modelPath: model.fsPath });
    const runNode = children.find((c) => c.kind === 'run');
    assert.ok(runNode, JSON.stringify(children));
    const runItem = a.tree.getTreeItem(runNode);
    assert.equal(label(runItem), 'log-likelihood -13.5231');
    assert.match(String(runItem.description), /converged/);
    assert.equal(runItem.command?.command, 'emWorkbench.openInspector');
    assert.equal((runItem.command?.arguments?.[0] as vscode.Uri).fsPath, model.fsPath);

    const params = await a.tree.getChildren(runNode);
    const items = params.map((p) => a.tree.getTreeItem(p));
    assert.deepEqual(items.map(label).sort(), ['P(A | H)', 'P(B | H)', 'P(H)']);
    const h = items.find((i) => label(i) === 'P(H)');
    assert.equal(h?.description, '0.4832, 0.5168');
    const aNode = params[items.findIndex((i) => label(i) === 'P(A | H)')];
    const rows = (await a.tree.getChildren(aNode)).map((r) => a.tree.getTreeItem(r));
    assert.deepEqual(rows.map(label), ['H=0', 'H=1']);
    assert.match(String(rows[0].description), /^0\.1700, 0\.8300$/);
  });

  test('a new model file on disk appears (file system watcher)', async () => {
    const a = await api();
    const changed = new Promise<void>((resolve) => {
      const sub = a.tree.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
    });
    const p = writeWorkspaceFile('host-generated/watched.em.json', JSON.stringify({ name: 'watched', data: '../tutorial/example2.csv', model: { kind: 'latent-class', classes: 2, columns: ['A', 'B'] } }));
    await changed;
    await waitFor(async () => (await a.tree.getChildren()).some((n) => n.modelPath === p), 'the new model in the tree');
  });
});
