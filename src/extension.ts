/**
 * activate/deactivate only: composes the host features. Each `register...` returns a
 * Disposable; the worker is started lazily (the first fit or dataset check) and terminated
 * with the extension.
 *
 * The returned API is for the in-host tests (test/host) and other extensions: the run
 * controller (runs, progress, cancel, the inspector's data source), the tree provider, the
 * diagnostics, and a way to stop the worker as a crash would.
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import { registerCommands } from './host/commands';
import { registerCodeLens } from './host/codeLens';
import { EmSettings, SECTION } from './host/configuration';
import { DATASET_SELECTOR, DatasetHoverProvider } from './host/datasetHover';
import { Diagnostics } from './host/diagnostics';
import { registerExport } from './host/exportResults';
import { registerInspector } from './host/inspector/registerInspector';
import { ModelIndex } from './host/modelIndex';
import { MODEL_SELECTOR, ModelHoverProvider } from './host/modelHover';
import { ModelTreeProvider, TREE_VIEW_ID } from './host/modelTree';
import { registerNewModel } from './host/newModel';
import { RunController } from './host/runController';
import { RunStore } from './host/runStore';
import { registerStatusBar } from './host/statusBar';
import { WorkerClient } from './host/workerClient';

export interface EmWorkbenchApi {
  readonly runs: RunController;
  readonly tree: ModelTreeProvider;
  readonly diagnostics: Diagnostics;
  readonly index: ModelIndex;
  readonly worker: WorkerClient;
  /** Resolves when the stored runs are loaded and the workspace's model files are indexed. */
  readonly ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): EmWorkbenchApi {
  const log = vscode.window.createOutputChannel('EM Workbench', { log: true });
  let settings = EmSettings.read();
  const worker = new WorkerClient({
    workerPath: join(context.extensionPath, 'dist', 'worker.js'),
    maxOldGenerationSizeMb: settings.workerMemoryMb,
    onStopped: (e) => log.warn(`worker stopped: ${e.message}`),
  });
  const store = new RunStore(context);
  const runs = new RunController(worker, store, log, () => settings);
  const index = new ModelIndex();
  const tree = new ModelTreeProvider(index, runs);
  const diagnostics = new Diagnostics(index, worker);

  // context keys for menus' when-clauses, set only when they change
  const contexts = new Map<string, boolean>();
  const setContext = (key: string, value: boolean): void => {
    if (contexts.get(key) === value) return;
    contexts.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const setContexts = (): void => {
    setContext('emWorkbench.fitRunning', runs.running !== undefined);
    setContext('emWorkbench.hasRuns', runs.listRuns().length > 0);
  };

  context.subscriptions.push(
    log,
    { dispose: () => worker.dispose() },
    runs,
    index,
    tree,
    diagnostics,
    vscode.window.createTreeView(TREE_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.commands.registerCommand('emWorkbench.refreshModels', async () => {
      await index.scan(true);
      await diagnostics.checkAll();
    }),
    registerCommands({ runs, index, log }),
    registerExport({ runs, index, log }),
    registerNewModel(),
    registerInspector(context, runs),
    registerCodeLens(runs),
    registerStatusBar(runs),
    vscode.languages.registerHoverProvider(MODEL_SELECTOR, new ModelHoverProvider(runs)),
    vscode.languages.registerHoverProvider(DATASET_SELECTOR, new DatasetHoverProvider(runs, index)),
    runs.onDidChangeState(setContexts),
    index.onDidDelete((modelPath) => worker.notify({ type: 'release', modelPath })),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      const next = EmSettings.read();
      if (!next.isEqualTo(settings)) {
        settings = next;
        log.info(`settings changed: ${JSON.stringify(next)}`);
      }
    }),
  );
  setContexts();

  const ready = (async () => {
    await runs.restore();
    await index.scan();
    setContexts();
    void diagnostics.checkAll();
  })();
  ready.catch((e) => log.error(`activation: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  return { runs, tree, diagnostics, index, worker, ready };
}

export function deactivate(): void {
  // everything is in context.subscriptions
}
