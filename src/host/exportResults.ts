/**
 * "Export EM Results...": the last run's result (the CLI's --json shape) or its per-row
 * posteriors (the CLI's --posteriors CSV, written by the worker, which holds them) to a file
 * the user names in a save dialog. The only command that writes into the workspace.
 */
import * as vscode from 'vscode';
import { basename, dirname, join } from 'node:path';
import type { FitResult } from '../shared/results';
import { targetFile } from './commands';
import { writeFileAtomic } from '../io/atomicFile';
import type { CommandDeps } from './commands';

export type ExportWhat = 'results-json' | 'posteriors-csv';

/** The result as exported: without the step-through snapshots (the inspector's, large). */
export function exportedResult(result: FitResult): Omit<FitResult, 'snapshots' | 'finalEStep'> {
  const { snapshots: _s, finalEStep: _f, ...rest } = result;
  void _s;
  void _f;
  return rest;
}

export function registerExport(deps: CommandDeps): vscode.Disposable {
  return vscode.commands.registerCommand('emWorkbench.exportResults', async (arg?: unknown, options?: { what?: ExportWhat; outPath?: string }) => {
    const modelPath = await targetFile(arg, deps, (p) => /\.em\.json$/i.test(p), 'Model file whose results to export');
    if (!modelPath) return undefined;
    const run = deps.runs.getRun(modelPath);
    if (!run) {
      void vscode.window.showInformationMessage(`EM: ${basename(modelPath)} has no run yet: run EM first.`, 'Run EM').then((b) => b && vscode.commands.executeCommand('emWorkbench.runEM', vscode.Uri.file(modelPath)));
      return undefined;
    }
    let what = options?.what;
    if (!what) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Results (JSON)', description: 'log-likelihood, parameters, restarts, BIC/AIC: the CLI\'s --json', what: 'results-json' as const },
          { label: 'Posteriors (CSV)', description: `one line per data row (${run.result.rows} weighted rows): the CLI's --posteriors`, what: 'posteriors-csv' as const },
        ],
        { placeHolder: `Export the last run of ${basename(modelPath)}` },
      );
      if (!pick) return undefined;
      what = pick.what;
    }
    const stem = basename(modelPath).replace(/\.em\.json$/i, '');
    let outPath = options?.outPath;
    if (!outPath) {
      const suggested = join(dirname(modelPath), what === 'results-json' ? `${stem}.results.json` : `${stem}.posteriors.csv`);
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(suggested),
        filters: what === 'results-json' ? { JSON: ['json'] } : { CSV: ['csv'] },
        title: `Export ${what === 'results-json' ? 'results' : 'posteriors'} of ${basename(modelPath)}`,
      });
      if (!uri) return undefined;
      outPath = uri.fsPath;
    }
    try {
      if (what === 'results-json') {
        // temporary file then rename: a failed or interrupted export never leaves half a file
        await writeFileAtomic(outPath, JSON.stringify(exportedResult(run.result), null, 2) + '\n');
      } else {
        await deps.runs.exportPosteriors(modelPath, run.id, outPath);
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`EM: export failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    void vscode.window.showInformationMessage(`EM: exported to ${vscode.workspace.asRelativePath(outPath)}`, 'Open').then((b) => b && vscode.window.showTextDocument(vscode.Uri.file(outPath as string)));
    return outPath;
  });
}
