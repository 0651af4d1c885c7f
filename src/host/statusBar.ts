/** A status bar item while a fit runs: which model, iteration, log-likelihood; click cancels. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { RunController } from './runController';

export function registerStatusBar(runs: RunController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('emWorkbench.fit', vscode.StatusBarAlignment.Left, 10);
  item.name = 'EM fit';
  item.command = 'emWorkbench.cancel';
  const update = (): void => {
    const running = runs.running;
    if (!running) {
      item.hide();
      return;
    }
    const p = running.progress;
    const what = running.purpose === 'compare' ? ' (missing-data comparison)' : running.purpose === 'recompute' ? ' (posteriors)' : '';
    item.text = `$(loading~spin) EM ${basename(running.modelPath, '.em.json')}${p ? `: ${p.iteration}/${p.maxIterations} · ${p.logLikelihood.toFixed(4)}` : ''}`;
    item.tooltip = `Fitting ${running.modelPath}${what}. Click to cancel.`;
    item.show();
  };
  const subs = [runs.onDidChangeState(update), runs.onProgress(update)];
  update();
  return vscode.Disposable.from(...subs, item);
}
