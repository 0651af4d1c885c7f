/** New EM Model from Dataset: a valid model file, prefilled from the dataset's columns. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkModelFile } from '../../src/spec/modelFile';
import { inWorkspace } from './helpers';

suite('new model from a dataset', () => {
  test('latent classes on the Titanic table: an unsaved model file that checks clean', async () => {
    const csv = vscode.Uri.file(inWorkspace('latent-class', 'titanic.csv'));
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('emWorkbench.newModelFromDataset', csv, { kind: 'latent-class', target: 'untitled' });
    assert.ok(uri);
    assert.equal(uri.scheme, 'untitled', 'nothing is written to the workspace');
    const doc = await vscode.workspace.openTextDocument(uri);
    const json = JSON.parse(doc.getText()) as { data: { path: string; weight?: string }; model: { kind: string; columns: string[] } };
    assert.equal(json.model.kind, 'latent-class');
    assert.deepEqual(json.model.columns, ['Class', 'Sex', 'Age', 'Survived']);
    assert.equal(json.data.weight, 'Freq');
    assert.equal(json.data.path, 'titanic.csv');
    const errors = checkModelFile(doc.getText(), inWorkspace('latent-class', 'new.em.json')).filter((p) => p.severity === 'error');
    assert.deepEqual(errors, []);
  });

  test('a Gaussian mixture written to a file the caller names, which then runs', async () => {
    const csv = vscode.Uri.file(inWorkspace('gaussian-mixture', 'faithful.csv'));
    const target = inWorkspace('gaussian-mixture', 'faithful-new.em.json');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('emWorkbench.newModelFromDataset', csv, { kind: 'gaussian-mixture', target });
    assert.equal(uri?.fsPath, target);
    const record = await vscode.commands.executeCommand<{ result: { kind: string; logLikelihood: number } } | undefined>('emWorkbench.runEM', uri, { restarts: 1, maxIterations: 50 });
    assert.ok(record);
    assert.equal(record.result.kind, 'gaussian-mixture');
    assert.ok(Number.isFinite(record.result.logLikelihood));
  });
});
