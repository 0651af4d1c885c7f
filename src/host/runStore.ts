/**
 * The last run of each model file, kept across reloads in the extension's own storage (never
 * in the workspace folder): an index in workspaceState, and each run's JSON in a file under
 * the extension's workspace storage folder (storageUri, or globalStorageUri when no folder is
 * open), because a result with per-iteration snapshots can be larger than a Memento should hold.
 */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import type { FitOverrides } from '../shared/modelSpec';
import type { RunRecord } from '../shared/runs';

const INDEX_KEY = 'emWorkbench.runs.v1';
/** Results larger than this are stored without their snapshots (the step-through is lost, the rest kept). */
const MAX_STORED_CHARS = 32 * 1024 * 1024;

/** A run plus what it takes to run it again the same way (to recompute its posteriors). */
export interface StoredRun {
  readonly record: RunRecord;
  readonly overrides: FitOverrides;
}

interface IndexEntry {
  readonly runId: string;
  /** File name under the runs folder. */
  readonly file: string;
}

export class RunStore {
  private readonly runs = new Map<string, StoredRun>();
  private readonly folder: vscode.Uri;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.folder = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'runs');
  }

  /** Read every stored run (at activation). Runs whose file is gone or unreadable are dropped from the index. */
  async load(): Promise<StoredRun[]> {
    const index = this.context.workspaceState.get<Record<string, IndexEntry>>(INDEX_KEY, {});
    const loaded: StoredRun[] = [];
    const kept: Record<string, IndexEntry> = {};
    await Promise.all(
      Object.entries(index).map(async ([modelPath, entry]) => {
        try {
          const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.folder, entry.file));
          const stored = JSON.parse(Buffer.from(bytes).toString('utf8')) as StoredRun;
          if (stored.record?.modelPath !== modelPath || stored.record.id !== entry.runId) return;
          this.runs.set(modelPath, stored);
          kept[modelPath] = entry;
          loaded.push(stored);
        } catch {
          // a run file that cannot be read is a run we no longer have
        }
      }),
    );
    if (Object.keys(kept).length !== Object.keys(index).length) await this.context.workspaceState.update(INDEX_KEY, kept);
    return loaded;
  }

  get(modelPath: string): StoredRun | undefined {
    return this.runs.get(modelPath);
  }

  all(): StoredRun[] {
    return [...this.runs.values()];
  }

  /** Keep `stored` as the last run of its model file (replacing the previous one). */
  async save(stored: StoredRun): Promise<void> {
    const modelPath = stored.record.modelPath;
    this.runs.set(modelPath, stored);
    let text = JSON.stringify(stored);
    if (text.length > MAX_STORED_CHARS && stored.record.result.snapshots) {
      const { snapshots: _dropped, ...result } = stored.record.result;
      void _dropped;
      text = JSON.stringify({ ...stored, record: { ...stored.record, result } });
    }
    const file = `${createHash('sha256').update(modelPath).digest('hex').slice(0, 32)}.json`;
    await vscode.workspace.fs.createDirectory(this.folder);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.folder, file), Buffer.from(text, 'utf8'));
    const index = { ...this.context.workspaceState.get<Record<string, IndexEntry>>(INDEX_KEY, {}), [modelPath]: { runId: stored.record.id, file } };
    await this.context.workspaceState.update(INDEX_KEY, index);
  }

  /** Forget the run of a model file (the file was deleted). */
  async remove(modelPath: string): Promise<void> {
    if (!this.runs.delete(modelPath)) return;
    const index = { ...this.context.workspaceState.get<Record<string, IndexEntry>>(INDEX_KEY, {}) };
    const entry = index[modelPath];
    delete index[modelPath];
    await this.context.workspaceState.update(INDEX_KEY, index);
    if (entry) await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.folder, entry.file)).then(undefined, () => undefined);
  }
}
