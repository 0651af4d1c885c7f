/**
 * Problems of model files in Restricted Mode: the checks that only parse the model file's text
 * (syntax, schema, semantics) and read a dataset's header run, at their exact ranges, from
 * activation on and as the user types; the JSON schema (contributes.jsonValidation) checks too.
 * The dataset checks, which read every row in the worker, do not run.
 * Fixtures: test/fixtures/host-restricted/restricted/.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, inWorkspace, waitFor } from '../host/helpers';
import { assertNothingRan, assertRestricted } from './restricted';

const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'EM Workbench');
const fixture = (name: string): vscode.Uri => vscode.Uri.file(inWorkspace('restricted', name));

/** Our diagnostic on `uri` whose message matches, once it is there (activation checks every model file). */
function diagnosticMatching(uri: vscode.Uri, re: RegExp): Promise<vscode.Diagnostic> {
  return waitFor(() => ours(uri).find((d) => re.test(d.message)), `a diagnostic matching ${re} on ${uri.fsPath}`, 20000);
}

suite('Restricted Mode: problems of model files', () => {
  suiteSetup(assertRestricted);

  test('a schema error, found at activation without opening the file, at the value', async () => {
    const uri = fixture('schema.em.json');
    const d = await diagnosticMatching(uri, /"model\.covariance" must be one of/);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(d.range), '"diagonal"');
  });

  test('a JSON syntax error, at the place the comma is missing', async () => {
    const uri = fixture('syntax.em.json');
    const d = await diagnosticMatching(uri, /comma/);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 2, 'line 3, where "data" follows "name" without a comma');
    assert.equal(d.range.start.character, 2);
  });

  test("a column the dataset lacks (the dataset's header is read, not its rows), updated on an unsaved edit", async () => {
    const uri = fixture('column.em.json');
    const d = await diagnosticMatching(uri, /"zz" is not a column/);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.getText(d.range), '"zz"');
    // fix it in the editor, without saving: the problem goes
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, d.range, '"y"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(() => ours(uri).length === 0, 'the unknown-column diagnostic to clear');
    // and back (revert: the file on disk was never written)
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.isDirty, false);
    await diagnosticMatching(uri, /"zz" is not a column/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test("the JSON schema's own check (the JSON language service) also flags the bad value", async () => {
    const uri = fixture('schema.em.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const theirs = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find((d) => d.source !== 'EM Workbench' && doc.getText(d.range) === '"diagonal"'),
      'a JSON schema diagnostic on "diagonal"',
      30000,
    );
    assert.ok(theirs.severity === vscode.DiagnosticSeverity.Error || theirs.severity === vscode.DiagnosticSeverity.Warning, theirs.message);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a ragged dataset, open with its model file: not read (that needs the worker), no worker started', async () => {
    const a = await api();
    const model = fixture('ragged.em.json');
    const csv = fixture('ragged.csv');
    await waitFor(() => a.index.modelsOf(csv.fsPath).length > 0, 'the model index to see ragged.em.json');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(model));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(csv), { preview: false });
    // the checks a trusted window does here (test/host/diagnostics.test.ts finds the ragged row), run to their end
    assert.deepEqual((await a.diagnostics.refresh(model.fsPath)).map((d) => d.message), [], 'the model file itself is fine');
    assert.deepEqual(await a.diagnostics.refresh(csv.fsPath), [], 'the dataset is not checked');
    assert.deepEqual(vscode.languages.getDiagnostics(csv), []);
    assertNothingRan(a);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
