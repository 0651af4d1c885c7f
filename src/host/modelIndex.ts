/**
 * The model files of the workspace and the datasets they point to, kept current by a file
 * system watcher: the tree lists them, dataset hovers and diagnostics find the models of a
 * dataset through them.
 */
import * as vscode from 'vscode';
import { summarizeModelText } from './modelFileText';
import type { ModelFileSummary } from './modelFileText';

export const MODEL_GLOB = '**/*.em.json';
const EXCLUDE = '**/{node_modules,.git,.vscode-test}/**';

export class ModelIndex implements vscode.Disposable {
  private readonly models = new Map<string, ModelFileSummary>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly deleted = new vscode.EventEmitter<string>();
  /** Fires when a model file appears, changes or goes. */
  readonly onDidChange = this.changed.event;
  /** Fires with the path of a deleted model file. */
  readonly onDidDelete = this.deleted.event;
  private readonly disposables: vscode.Disposable[] = [];
  private ready: Promise<void> | undefined;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(MODEL_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.update(uri)),
      watcher.onDidChange((uri) => void this.update(uri)),
      watcher.onDidDelete((uri) => {
        if (this.models.delete(uri.fsPath)) {
          this.deleted.fire(uri.fsPath);
          this.changed.fire();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.ready = undefined;
        void this.scan();
      }),
    );
  }

  /** Scan the workspace once (later calls wait for the same scan); `again` starts a fresh scan. */
  scan(again = false): Promise<void> {
    if (again) this.ready = undefined;
    this.ready ??= (async () => {
      const uris = await vscode.workspace.findFiles(MODEL_GLOB, EXCLUDE);
      this.models.clear();
      await Promise.all(uris.map((u) => this.update(u, false)));
      this.changed.fire();
    })();
    return this.ready;
  }

  /** Model file paths, sorted. */
  list(): string[] {
    return [...this.models.keys()].sort((a, b) => a.localeCompare(b));
  }

  summary(modelPath: string): ModelFileSummary | undefined {
    return this.models.get(modelPath);
  }

  /** Model files whose `data` points at `dataPath`. */
  modelsOf(dataPath: string): string[] {
    return this.list().filter((m) => this.models.get(m)?.dataPath === dataPath);
  }

  private async update(uri: vscode.Uri, fire = true): Promise<void> {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.models.set(uri.fsPath, summarizeModelText(Buffer.from(bytes).toString('utf8'), uri.fsPath));
    } catch {
      this.models.delete(uri.fsPath);
    }
    if (fire) this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.deleted.dispose();
  }
}
