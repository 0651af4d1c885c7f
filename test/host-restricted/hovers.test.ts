/**
 * Hovers in Restricted Mode before anything ran: a model file's parameters and a dataset's rows
 * have no estimate or posterior to show, so our hovers show nothing (the JSON schema's hover may
 * still describe the key), and asking for them starts no worker and no fit.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, hoverText, inWorkspace, positionOf } from '../host/helpers';
import { assertNothingRan, assertRestricted, watchFits } from './restricted';

suite('Restricted Mode: hovers without a run', () => {
  suiteSetup(assertRestricted);

  test('a parameter in a model file: no estimate, nothing started', async () => {
    const a = await api();
    const fits = watchFits(a);
    const uri = vscode.Uri.file(inWorkspace('tutorial', 'example2.em.json'));
    const doc = await vscode.workspace.openTextDocument(uri);
    for (const [needle, offset] of [['"H": [0.6', 2], ['"H=0": [0.39', 2], ['"states": ["0"', 2]] as const) {
      const text = await hoverText(uri, positionOf(doc, needle, offset));
      // what our hover shows once a run exists (runOnce.test.ts): P(H), "(from 0.4000", "last run"
      assert.doesNotMatch(text, /P\(|\(from |last run|Open EM Inspector/, `hover at ${needle}: ${text}`);
    }
    fits.dispose();
    assert.deepEqual(fits.events, []);
    assertNothingRan(a);
  });

  test('a row of a dataset: no posterior, nothing started', async () => {
    const a = await api();
    const fits = watchFits(a);
    const csv = vscode.Uri.file(inWorkspace('tutorial', 'example2.csv'));
    await vscode.workspace.openTextDocument(csv);
    for (let line = 1; line <= 4; line++) {
      const text = await hoverText(csv, new vscode.Position(line, 1));
      assert.doesNotMatch(text, /Row \d|posterior|P\(H=/, `hover on line ${line + 1}: ${text}`);
    }
    fits.dispose();
    assert.deepEqual(fits.events, []);
    assertNothingRan(a);
  });
});
