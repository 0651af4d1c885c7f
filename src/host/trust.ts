/**
 * Workspace trust. In Restricted Mode nothing runs on its own: no worker is started by hovers
 * or diagnostics (dataset diagnostics, which read the data files, are off; model-file
 * diagnostics only parse the editor's text and stay on), stored results are still shown, and
 * Run EM asks before it reads the data and fits (the decision: trustGate.ts).
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { MANAGE_TRUST, RUN_ONCE, mayRun } from './trustGate';
import type { RestrictedModeAnswer } from './trustGate';

/** True when the fit may run: the workspace is trusted, or the user says "Run Once". */
export async function confirmRunInRestrictedMode(modelPath: string): Promise<boolean> {
  return mayRun(vscode.workspace.isTrusted, {
    ask: () =>
      Promise.resolve(
        vscode.window.showWarningMessage(
          `This workspace is in Restricted Mode. Running EM on ${basename(modelPath)} reads its dataset and fits the model in a background thread.`,
          { modal: true, detail: 'Run it once, or trust the workspace (Manage Workspace Trust) to run EM without asking.' },
          RUN_ONCE,
          MANAGE_TRUST,
        ) as Thenable<RestrictedModeAnswer>,
      ),
    manageTrust: () => void vscode.commands.executeCommand('workbench.trust.manage'),
  });
}
