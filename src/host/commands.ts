/**
 * The command palette's EM commands: Run EM (on a model file, or on a dataset: offer a model
 * from a template), Run EM with Restarts..., Step EM, Cancel EM, Export EM Results..., plus
 * the log and the tree's refresh. Errors are shown here, the user-facing way: input errors
 * with a button that opens the spot, everything else with a button that opens the log.
 * Commands return their outcome (a RunRecord, a path) so that tests can drive them.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { CancelledError, InputError } from '../shared/errors';
import type { FitOverrides } from '../shared/modelSpec';
import type { RunRecord } from '../shared/runs';
import type { ModelIndex } from './modelIndex';
import { describeFailure, FitBusyError } from './runController';
import type { RunController } from './runController';
import { confirmRunInRestrictedMode } from './trust';
import { WorkerStoppedError } from './workerClient';

const isModelPath = (p: string): boolean => /\.em\.json$/i.test(p);
const isDatasetPath = (p: string): boolean => /\.(csv|tsv)$/i.test(p);

export interface CommandDeps {
  readonly runs: RunController;
  readonly index: ModelIndex;
  readonly log: vscode.LogOutputChannel;
}

/** The file a command acts on: its argument, else the active editor's file, else a pick among the model files. */
export async function targetFile(arg: unknown, deps: CommandDeps, accept: (p: string) => boolean, placeHolder: string): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string' && arg.length > 0) return arg.includes('://') ? vscode.Uri.parse(arg).fsPath : arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && accept(active.fsPath)) return active.fsPath;
  await deps.index.scan();
  const models = deps.index.list();
  if (models.length === 0) {
    void vscode.window.showInformationMessage('There is no model file (*.em.json) in this workspace. Create one from a dataset with "EM: New EM Model from Dataset...".');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    models.map((m) => ({ label: deps.index.summary(m)?.name ?? basename(m), description: vscode.workspace.asRelativePath(m), path: m })),
    { placeHolder },
  );
  return pick?.path;
}

/** Show a failed fit the way the user can act on it. */
export function reportFailure(e: unknown, modelPath: string, deps: CommandDeps): void {
  if (e instanceof FitBusyError) {
    void vscode.window.showWarningMessage(`EM: ${e.message}`, 'Cancel EM').then((b) => b && deps.runs.cancel());
    return;
  }
  if (e instanceof CancelledError) {
    void vscode.window.showInformationMessage(`EM: the fit of ${basename(modelPath)} was cancelled before the first iteration.`);
    return;
  }
  if (e instanceof InputError) {
    void vscode.window.showErrorMessage(`EM: ${e.format()}`, 'Open').then((b) => {
      if (!b || !e.file) return;
      const at = new vscode.Position(Math.max(0, e.line - 1), Math.max(0, e.column - 1));
      void vscode.window.showTextDocument(vscode.Uri.file(e.file), { selection: new vscode.Range(at, at) });
    });
    return;
  }
  const kept = deps.runs.getRun(modelPath);
  const keptText = kept ? ` The last result (log-likelihood ${kept.result.logLikelihood.toFixed(4)}) is kept.` : '';
  const what = e instanceof WorkerStoppedError ? '' : 'the fit failed: ';
  void vscode.window.showErrorMessage(`EM: ${what}${describeFailure(e)}.${keptText}`, 'Show Log').then((b) => b && deps.log.show());
}

/** Run a model file after the trust check; undefined when refused or failed (the failure is shown). */
async function runModel(modelPath: string, overrides: FitOverrides, deps: CommandDeps): Promise<RunRecord | undefined> {
  if (!(await confirmRunInRestrictedMode(modelPath))) return undefined;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === modelPath);
  if (doc?.isDirty) {
    const choice = await vscode.window.showWarningMessage(`${basename(modelPath)} has unsaved changes. The fit reads the file on disk.`, { modal: true }, 'Save and Run', 'Run Saved Version');
    if (!choice) return undefined;
    if (choice === 'Save and Run' && !(await doc.save())) return undefined;
  }
  try {
    return await deps.runs.run(modelPath, overrides);
  } catch (e) {
    reportFailure(e, modelPath, deps);
    return undefined;
  }
}

/** Accept only the fit keys a command argument may set, with the right types. */
export function overridesFromArgument(raw: unknown): FitOverrides {
  if (typeof raw !== 'object' || raw === null) return {};
  const o = raw as Record<string, unknown>;
  const out: { -readonly [K in keyof FitOverrides]: FitOverrides[K] } = {};
  const int = (x: unknown, min: number): number | undefined => (typeof x === 'number' && Number.isInteger(x) && x >= min ? x : undefined);
  const maxIterations = int(o.maxIterations, 0);
  if (maxIterations !== undefined) out.maxIterations = maxIterations;
  if (typeof o.tolerance === 'number' && o.tolerance >= 0) out.tolerance = o.tolerance;
  const restarts = int(o.restarts, 1);
  if (restarts !== undefined) out.restarts = restarts;
  const seed = int(o.seed, 0);
  if (seed !== undefined) out.seed = seed;
  if (o.missingData === 'em' || o.missingData === 'drop' || o.missingData === 'fill-mode') out.missingData = o.missingData;
  const threads = int(o.threads, 0);
  if (threads !== undefined) out.threads = threads;
  return out;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const { runs, log } = deps;
  const reg = (id: string, fn: (...args: unknown[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, fn);
  return vscode.Disposable.from(
    reg('emWorkbench.runEM', async (arg?: unknown, overrides?: unknown) => {
      const file = await targetFile(arg, deps, (p) => isModelPath(p) || isDatasetPath(p), 'Model file to fit');
      if (!file) return undefined;
      if (isDatasetPath(file)) {
        const models = deps.index.modelsOf(file);
        const items = [...models.map((m) => ({ label: `$(play) Run ${basename(m)}`, model: m })), { label: '$(new-file) New EM Model from Dataset...', model: undefined }];
        const pick = await vscode.window.showQuickPick(items, { placeHolder: `${basename(file)} is a dataset: run a model that reads it, or create one from a template` });
        if (!pick) return undefined;
        if (pick.model === undefined) return vscode.commands.executeCommand('emWorkbench.newModelFromDataset', vscode.Uri.file(file));
        return runModel(pick.model, overridesFromArgument(overrides), deps);
      }
      return runModel(file, overridesFromArgument(overrides), deps);
    }),
    reg('emWorkbench.runEMWithRestarts', async (arg?: unknown, restartsArg?: unknown) => {
      const file = await targetFile(arg, deps, isModelPath, 'Model file to fit with restarts');
      if (!file) return undefined;
      let restarts = typeof restartsArg === 'number' ? restartsArg : undefined;
      if (restarts === undefined) {
        const text = await vscode.window.showInputBox({
          title: `Run EM with restarts: ${basename(file)}`,
          prompt: 'Independent starts (seeds seed, seed+1, ...): the best is kept and every one is shown in the inspector',
          value: '10',
          validateInput: (v) => (/^\s*[1-9]\d{0,4}\s*$/.test(v) ? undefined : 'a whole number from 1 to 99999'),
        });
        if (text === undefined) return undefined;
        restarts = Number(text);
      }
      return runModel(file, { restarts }, deps);
    }),
    reg('emWorkbench.step', async (arg?: unknown) => {
      // The tutorial's step-through: iteration 0 (the initial parameters), then one EM iteration
      // more per step, each a fresh fit from the file's start (small models: instant).
      const file = await targetFile(arg, deps, isModelPath, 'Model file to step through');
      if (!file) return undefined;
      const last = runs.getRun(file)?.result;
      const next = last && last.stopReason === 'maxIterations' && last.restarts.length === 1 ? last.iterations + 1 : 0;
      const record = await runModel(file, { maxIterations: next, restarts: 1 }, deps);
      if (record) {
        const r = record.result;
        const note = r.stopReason === 'tolerance' ? ' (converged: the next step starts again at iteration 0)' : '';
        void vscode.window.setStatusBarMessage(`EM step: iteration ${r.iterations}, log-likelihood ${r.logLikelihood.toFixed(4)}${note}`, 5000);
      }
      return record;
    }),
    reg('emWorkbench.cancel', () => {
      const cancelled = runs.cancel();
      if (!cancelled) void vscode.window.setStatusBarMessage('EM: no fit is running', 3000);
      return cancelled;
    }),
    reg('emWorkbench.showLog', () => log.show()),
  );
}
