/** Hovers through vscode.executeHoverProvider: model files (estimates) and datasets (posteriors). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/shared/runs';
import { hoverText, inWorkspace, positionOf, writeWorkspaceFile } from './helpers';

async function run(model: vscode.Uri, overrides?: object): Promise<RunRecord> {
  const record = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', model, overrides);
  assert.ok(record, `Run EM failed on ${model.fsPath}`);
  return record;
}

suite('hovers', () => {
  const example2 = vscode.Uri.file(inWorkspace('tutorial', 'example2.em.json'));
  suiteSetup(async () => {
    await run(example2);
  });

  test('a variable in a model file: its estimate, its initial value and how it moved', async () => {
    const doc = await vscode.workspace.openTextDocument(example2);
    // init's "H": [0.6, 0.4] -> P(H) now 0.4832, 0.5168
    const text = await hoverText(example2, positionOf(doc, '"H": [0.6', 2, doc.getText().indexOf('"init"')));
    assert.match(text, /P\(H\)/);
    assert.match(text, /0\.5168 \(from 0\.4000, \+0\.1168\)/);
    assert.match(text, /0\.4832 \(from 0\.6000, −0\.1168\)/);
  });

  test('a CPT row key in a model file: that row', async () => {
    const doc = await vscode.workspace.openTextDocument(example2);
    const text = await hoverText(example2, positionOf(doc, '"H=0": [0.39', 2));
    assert.match(text, /P\(A \| H=0\)/);
    assert.match(text, /0\.8300 \(from 0\.6100/, text); // P(A=1 | H=0): 0.61 -> 0.83
    assert.doesNotMatch(text, /H=1 \|/);
  });

  test('a state of a hidden variable in a model file', async () => {
    const doc = await vscode.workspace.openTextDocument(example2);
    const at = doc.getText().indexOf('"states": ["0", "1"]');
    const text = await hoverText(example2, doc.positionAt(at + '"states": ["0", "'.length + 1));
    assert.match(text, /H=1/);
    assert.match(text, /0\.5168/);
  });

  test('a dataset row: the posterior of the hidden variable for that row', async () => {
    const csv = vscode.Uri.file(inWorkspace('tutorial', 'example2.csv'));
    await vscode.workspace.openTextDocument(csv);
    // line 2 is "0,0,6": P(H=1 | A=0, B=0) is about 0.97 at convergence (the tutorial's iteration 10: 0.971)
    const text = await hoverText(csv, new vscode.Position(1, 1));
    assert.match(text, /Row 1/);
    const m = /\| P\(H=0\) \| P\(H=1\) \|\n\|[^\n]*\n\| ([\d.e-]+) \| ([\d.e-]+) \|/.exec(text);
    assert.ok(m, text);
    assert.ok(Number(m[2]) > 0.96 && Number(m[2]) < 1, `P(H=1) = ${m[2]}`);
    assert.ok(Math.abs(Number(m[1]) + Number(m[2]) - 1) < 2e-4);
  });

  test('a missing cell: its imputed distribution', async () => {
    const model = vscode.Uri.file(inWorkspace('tutorial', 'example1.em.json'));
    await run(model);
    const csv = vscode.Uri.file(inWorkspace('tutorial', 'example1.csv'));
    const doc = await vscode.workspace.openTextDocument(csv);
    const text = await hoverText(csv, positionOf(doc, '0,?', 2));
    // the tutorial's example 1 fixed point: P(B=0 | A=0) = 0.46875 / 0.625 = 0.75
    assert.match(text, /B\*\* is missing here/);
    assert.match(text, /0\.7500/);
  });

  test('a row with a quoted line break: every line of it maps to that row', async () => {
    writeWorkspaceFile('host-generated/multiline.csv', 'A,B,note\n0,0,"first\nsecond"\n1,1,plain\n0,1,x\n1,0,"a,b"\n');
    const model = vscode.Uri.file(
      writeWorkspaceFile(
        'host-generated/multiline.em.json',
        JSON.stringify({ name: 'multi-line cells', data: { path: 'multiline.csv', columns: ['A', 'B'] }, model: { kind: 'bayesnet', variables: { H: { states: ['0', '1'], hidden: true }, A: {}, B: {} }, parents: { A: ['H'], B: ['H'] } }, fit: { maxIterations: 20, seed: 3 } }),
      ),
    );
    await run(model);
    const csv = vscode.Uri.file(inWorkspace('host-generated', 'multiline.csv'));
    await vscode.workspace.openTextDocument(csv);
    assert.match(await hoverText(csv, new vscode.Position(1, 0)), /Row 1\b/);
    assert.match(await hoverText(csv, new vscode.Position(2, 2)), /Row 1\b/, 'the second line of a quoted cell is row 1');
    assert.match(await hoverText(csv, new vscode.Position(3, 0)), /Row 2\b/);
    assert.match(await hoverText(csv, new vscode.Position(5, 0)), /Row 4\b/);
  });
});
