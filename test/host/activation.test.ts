/** Activation and contributions, inside the real extension host. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, inWorkspace, waitFor, writeWorkspaceFile } from './helpers';

suite('activation and contributions', () => {
  test('opening a model file activates the extension, with every command registered', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is loaded');
    const doc = await vscode.workspace.openTextDocument(inWorkspace('tutorial', 'example2.em.json'));
    await vscode.window.showTextDocument(doc);
    await waitFor(() => ext.isActive, 'activation');
    assert.equal(doc.languageId, 'json', 'a model file keeps the JSON language');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['runEM', 'runEMWithRestarts', 'cancel', 'openInspector', 'exportResults', 'newModelFromDataset', 'step']) {
      assert.ok(commands.includes(`emWorkbench.${id}`), `emWorkbench.${id} is registered`);
    }
  });

  test('activation comes from contributions, never "*"', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { activationEvents: string[]; contributes: Record<string, unknown> };
    assert.ok(!pkg.activationEvents.includes('*'));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.em.json'));
    const validation = pkg.contributes.jsonValidation as { fileMatch: string; url: string }[];
    assert.deepEqual(validation.map((v) => v.fileMatch), ['*.em.json']);
  });

  test('CSV and TSV files are recognized as datasets', async () => {
    const csv = await vscode.workspace.openTextDocument(inWorkspace('tutorial', 'example2.csv'));
    assert.equal(csv.languageId, 'csv');
    const tsvUri = vscode.Uri.file(inWorkspace('host-generated', 'tiny.tsv'));
    await vscode.workspace.fs.writeFile(tsvUri, Buffer.from('A\tB\n0\t1\n'));
    const tsv = await vscode.workspace.openTextDocument(tsvUri);
    assert.equal(tsv.languageId, 'tsv');
  });

  test('the JSON editor validates model files against the contributed schema', async () => {
    const uri = vscode.Uri.file(writeWorkspaceFile('host-generated/schema-check.em.json', '{\n  "name": "schema",\n  "data": "x.csv",\n  "model": { "kind": "latent-class", "classes": 2, "columns": ["A"] },\n  "fit": { "maxIterations": "many" }\n}\n'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // the JSON language service's own diagnostics (not the extension's): the schema reached it
    const fromSchema = await waitFor(() => vscode.languages.getDiagnostics(uri).find((d) => d.source !== 'EM Workbench' && d.range.start.line === 4), 'a schema diagnostic', 60000);
    assert.match(fromSchema.message, /type|integer|number/i, fromSchema.message);
    assert.equal(vscode.window.activeTextEditor?.document.getText(fromSchema.range), '"many"');
  });
});
