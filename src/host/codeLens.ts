/** "Run EM | Inspect" at the top of every model file, with the last run's log-likelihood. */
import * as vscode from 'vscode';
import { MODEL_SELECTOR } from './modelHover';
import type { RunController } from './runController';

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly runs: RunController) {
    this.subs = [runs.onDidChangeRun(() => this.changed.fire()), runs.onDidChangeState(() => this.changed.fire())];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const uri = document.uri;
    const running = this.runs.running;
    if (running && running.modelPath === uri.fsPath) {
      return [new vscode.CodeLens(top, { title: '$(loading~spin) Cancel EM', command: 'emWorkbench.cancel' }), new vscode.CodeLens(top, { title: 'Inspect', command: 'emWorkbench.openInspector', arguments: [uri] })];
    }
    const run = this.runs.getRun(uri.fsPath);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run EM', command: 'emWorkbench.runEM', arguments: [uri], tooltip: 'Fit this model in the background' }),
      new vscode.CodeLens(top, { title: run ? `Inspect (log-likelihood ${run.result.logLikelihood.toFixed(4)})` : 'Inspect', command: 'emWorkbench.openInspector', arguments: [uri] }),
    ];
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}

export function registerCodeLens(runs: RunController): vscode.Disposable {
  const provider = new ModelCodeLensProvider(runs);
  return vscode.Disposable.from(vscode.languages.registerCodeLensProvider(MODEL_SELECTOR, provider), provider);
}
