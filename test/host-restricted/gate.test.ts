/**
 * The Restricted Mode gate (src/host/trust.ts, src/host/trustGate.ts) in the real window: every
 * way to start a fit asks first, with a modal that says why (the fit reads the dataset and runs
 * in a background thread). The test window shows no modal (see questionAsked), so each action
 * ends at the question, as when the user dismisses it; after each: no worker thread, no
 * progress, no stored run, nothing written to the workspace or the extension's storage.
 * Clicking "Run Once" / "Manage Workspace Trust" is the gate's decision, unit-tested
 * (test/unit/hostFaults.test.ts); storedRun.test.ts has a run made past the gate.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, inWorkspace } from '../host/helpers';
import { assertNothingRan, assertRestricted, assertWorkspaceUntouched, questionAsked, watchFits } from './restricted';

const example1 = vscode.Uri.file(inWorkspace('tutorial', 'example1.em.json'));
const example2 = vscode.Uri.file(inWorkspace('tutorial', 'example2.em.json'));

/** The question of src/host/trust.ts about `modelFile`. */
function assertRestrictedModeQuestion(question: string, modelFile: string): void {
  assert.match(question, /^This workspace is in Restricted Mode\./, question);
  assert.ok(question.includes(`Running EM on ${modelFile} `), `the question names ${modelFile}: ${question}`);
  assert.match(question, /reads its dataset and fits the model in a background thread/, 'the question says what running would do');
}

suite('Restricted Mode: Run EM and the other fits ask first', () => {
  let fits: ReturnType<typeof watchFits> | undefined;
  suiteSetup(async () => {
    assertRestricted();
    fits = watchFits(await api());
  });
  suiteTeardown(() => fits?.dispose());
  teardown(async () => {
    // after each: nothing ran, nothing was written anywhere
    assert.deepEqual(fits?.events, [], 'no fit started or ended');
    assertNothingRan(await api());
    assertWorkspaceUntouched();
  });

  test('Run EM on a model file', async () => {
    const question = await questionAsked(() => vscode.commands.executeCommand('emWorkbench.runEM', example2));
    assertRestrictedModeQuestion(question, 'example2.em.json');
  });

  test('Run EM from the editor (no argument: the active model file), as the editor title button does', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(example1));
    const question = await questionAsked(() => vscode.commands.executeCommand('emWorkbench.runEM'));
    assertRestrictedModeQuestion(question, 'example1.em.json');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Run EM on a dataset: the quick pick offers its model, then the same question', async () => {
    const csv = vscode.Uri.file(inWorkspace('tutorial', 'example2.csv'));
    const question = await questionAsked(async () => {
      let settled = false;
      const command = Promise.resolve(vscode.commands.executeCommand('emWorkbench.runEM', csv)).finally(() => (settled = true));
      // the first item, "Run example2.em.json", is the active one: accept it once the pick shows
      while (!settled) {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await new Promise((r) => setTimeout(r, 200));
      }
      return command;
    });
    assertRestrictedModeQuestion(question, 'example2.em.json');
  });

  test('Run EM with Restarts', async () => {
    const question = await questionAsked(() => vscode.commands.executeCommand('emWorkbench.runEMWithRestarts', example2, 3));
    assertRestrictedModeQuestion(question, 'example2.em.json');
  });

  test('Step EM', async () => {
    const question = await questionAsked(() => vscode.commands.executeCommand('emWorkbench.step', example2));
    assertRestrictedModeQuestion(question, 'example2.em.json');
  });

  test("the inspector's missing-data comparison (three fits of the model)", async () => {
    const a = await api();
    const question = await questionAsked(() => a.runs.compareMissingData(example1.fsPath));
    assertRestrictedModeQuestion(question, 'example1.em.json');
  });
});
