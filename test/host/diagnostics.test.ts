/** Diagnostics in the Problems panel, through vscode.languages.getDiagnostics. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, waitFor, writeWorkspaceFile } from './helpers';

const messages = (uri: vscode.Uri): string[] => vscode.languages.getDiagnostics(uri).map((d) => d.message);

suite('diagnostics', () => {
  test('a bad model file: the problem at its range, updated on edit', async () => {
    writeWorkspaceFile('host-generated/bad-data.csv', 'A,B\n0,1\n1,0\n');
    const text = ['{', '  "name": "a cycle",', '  "data": "bad-data.csv",', '  "model": {', '    "kind": "bayesnet",', '    "variables": { "A": {}, "B": {} },', '    "parents": { "A": ["B"], "B": ["A"] }', '  }', '}', ''].join('\n');
    const uri = vscode.Uri.file(writeWorkspaceFile('host-generated/cycle.em.json', text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const a = await api();
    await a.diagnostics.refresh(uri.fsPath);
    const found = await waitFor(() => vscode.languages.getDiagnostics(uri).find((d) => /cycle/i.test(d.message)), 'a cycle diagnostic');
    assert.equal(found.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(found.range.start.line, 6, 'on the parents line');

    // fix it in the editor (unsaved): the diagnostic goes away after the debounce
    const edit = new vscode.WorkspaceEdit();
    const line = doc.lineAt(6);
    edit.replace(uri, line.range, '    "parents": { "B": ["A"] }');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => !messages(uri).some((m) => /cycle/i.test(m)), 'the cycle diagnostic to clear');
    assert.deepEqual(messages(uri), []);
  });

  test('a model file whose data file does not exist', async () => {
    const text = JSON.stringify({ name: 'no data', data: { path: 'nowhere.csv' }, model: { kind: 'latent-class', classes: 2, columns: ['A', 'B'] } }, null, 2);
    const uri = vscode.Uri.file(writeWorkspaceFile('host-generated/nodata.em.json', text));
    const a = await api();
    await a.diagnostics.refresh(uri.fsPath);
    const d = vscode.languages.getDiagnostics(uri).find((x) => /does not exist/.test(x.message));
    assert.ok(d, messages(uri).join('; '));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(d.range), /nowhere\.csv/);
  });

  test('a column the dataset lacks', async () => {
    writeWorkspaceFile('host-generated/two.csv', 'x,y\n1,2\n3,4\n');
    const text = JSON.stringify({ name: 'unknown column', data: { path: 'two.csv', columns: ['x', 'zz'] }, model: { kind: 'gaussian-mixture', components: 2, covariance: 'diag' } }, null, 2);
    const uri = vscode.Uri.file(writeWorkspaceFile('host-generated/unknown-column.em.json', text));
    const a = await api();
    await a.diagnostics.refresh(uri.fsPath);
    const d = vscode.languages.getDiagnostics(uri).find((x) => /zz/.test(x.message));
    assert.ok(d, messages(uri).join('; '));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(d.range), '"zz"');
  });

  test('a dataset with a ragged row and a word in a numeric column', async () => {
    const csv = vscode.Uri.file(writeWorkspaceFile('host-generated/ragged.csv', 'x,y\n1,2\n3,4,5\n6,7\n'));
    writeWorkspaceFile('host-generated/ragged.em.json', JSON.stringify({ name: 'ragged', data: { path: 'ragged.csv', columns: ['x', 'y'] }, model: { kind: 'gaussian-mixture', components: 2, covariance: 'diag' } }, null, 2));
    const a = await api();
    await waitFor(() => a.index.modelsOf(csv.fsPath).length > 0, 'the model index to see ragged.em.json');
    const doc = await vscode.workspace.openTextDocument(csv);
    await vscode.window.showTextDocument(doc);
    const ragged = await waitFor(() => vscode.languages.getDiagnostics(csv)[0], 'a dataset diagnostic');
    assert.equal(ragged.range.start.line, 2, `${ragged.message} on line ${ragged.range.start.line + 1}`);

    // fix the row and break a number instead (unsaved edit): the problem moves
    const edit = new vscode.WorkspaceEdit();
    edit.replace(csv, doc.lineAt(2).range, '3,4');
    edit.replace(csv, doc.lineAt(3).range, '6,seven');
    await vscode.workspace.applyEdit(edit);
    const word = await waitFor(() => vscode.languages.getDiagnostics(csv).find((d) => /seven/.test(d.message)), 'the non-number diagnostic');
    assert.equal(word.range.start.line, 3);
    assert.equal(doc.getText(word.range), 'seven');
  });
});
