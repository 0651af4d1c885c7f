/**
 * The side panel's tree: model files of the workspace -> the last run (log-likelihood,
 * iterations, how it stopped) -> its parameters with their values. A running fit and the last
 * failure show under their model. Clicking a run or a parameter opens the inspector on it.
 */
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type { ModelIndex } from './modelIndex';
import { parameterNodes, runSummary } from './parameterViews';
import type { ParamNode } from './parameterViews';
import type { RunController } from './runController';

export const TREE_VIEW_ID = 'emWorkbench.models';

export type TreeNode =
  | { readonly kind: 'model'; readonly modelPath: string }
  | { readonly kind: 'run'; readonly modelPath: string }
  | { readonly kind: 'running'; readonly modelPath: string }
  | { readonly kind: 'failure'; readonly modelPath: string; readonly message: string }
  | { readonly kind: 'notRun'; readonly modelPath: string }
  | { readonly kind: 'parameter'; readonly modelPath: string; readonly node: ParamNode };

export class ModelTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** The model nodes last handed out, by path: a refresh of one model needs the same object. */
  private readonly modelNodes = new Map<string, TreeNode>();

  constructor(
    private readonly index: ModelIndex,
    private readonly runs: RunController,
  ) {
    const refresh = (): void => this.changed.fire(undefined);
    this.subscriptions = [
      index.onDidChange(refresh),
      runs.onDidChangeRun(refresh),
      runs.onDidChangeState(refresh),
      // progress redraws only the running model's subtree
      runs.onProgress((p) => {
        const node = this.modelNodes.get(p.modelPath);
        if (node) this.changed.fire(node);
      }),
    ];
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      await this.index.scan();
      const paths = this.index.list();
      for (const p of [...this.modelNodes.keys()]) if (!paths.includes(p)) this.modelNodes.delete(p);
      return paths.map((modelPath) => {
        let n = this.modelNodes.get(modelPath);
        if (!n) this.modelNodes.set(modelPath, (n = { kind: 'model', modelPath }));
        return n;
      });
    }
    switch (node.kind) {
      case 'model': {
        const out: TreeNode[] = [];
        const running = this.runs.running;
        if (running && running.modelPath === node.modelPath) out.push({ kind: 'running', modelPath: node.modelPath });
        const failure = this.runs.lastFailure(node.modelPath);
        if (failure) out.push({ kind: 'failure', modelPath: node.modelPath, message: failure });
        out.push(this.runs.getRun(node.modelPath) ? { kind: 'run', modelPath: node.modelPath } : { kind: 'notRun', modelPath: node.modelPath });
        return out;
      }
      case 'run': {
        const run = this.runs.getRun(node.modelPath);
        return run ? parameterNodes(run.result).map((p) => ({ kind: 'parameter', modelPath: node.modelPath, node: p })) : [];
      }
      case 'parameter':
        return (node.node.children ?? []).map((p) => ({ kind: 'parameter', modelPath: node.modelPath, node: p }));
      case 'running':
      case 'failure':
      case 'notRun':
        return [];
      default: {
        const never: never = node;
        throw new Error(`unknown tree node ${JSON.stringify(never)}`);
      }
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const uri = vscode.Uri.file(node.modelPath);
    const inspect: vscode.Command = { title: 'Open EM Inspector', command: 'emWorkbench.openInspector', arguments: [uri] };
    switch (node.kind) {
      case 'model': {
        const summary = this.index.summary(node.modelPath);
        const item = new vscode.TreeItem(summary?.name ?? basename(node.modelPath), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `model:${node.modelPath}`;
        item.resourceUri = uri;
        const folder = vscode.workspace.asRelativePath(dirname(node.modelPath));
        item.description = `${basename(node.modelPath)}${folder && folder !== dirname(node.modelPath) ? ` · ${folder}` : ''}`;
        item.tooltip = `${node.modelPath}${summary?.kind ? `\nkind: ${summary.kind}` : ''}${summary?.dataPath ? `\ndata: ${summary.dataPath}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = 'emModel';
        item.command = { title: 'Open', command: 'vscode.open', arguments: [uri] };
        return item;
      }
      case 'run': {
        const run = this.runs.getRun(node.modelPath);
        if (!run) return new vscode.TreeItem('no run');
        const { label, description } = runSummary(run.result);
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${node.modelPath}:${run.id}`;
        item.description = description;
        const r = run.result;
        item.tooltip = new vscode.MarkdownString(
          [`**${label}**`, '', description, '', `started ${new Date(run.startedAt).toLocaleString()} · ${r.seconds.toFixed(3)} s`, '', `BIC ${r.bic.toFixed(2)} · AIC ${r.aic.toFixed(2)} · ${r.freeParameters} free parameters · ${r.rows} rows`, ...(r.warnings?.length ? ['', ...r.warnings.map((w) => `- ${w}`)] : [])].join('\n'),
        );
        item.iconPath = new vscode.ThemeIcon(r.converged ? 'pass' : r.stopReason === 'cancelled' ? 'circle-slash' : 'warning');
        item.contextValue = 'emRun';
        item.command = inspect;
        return item;
      }
      case 'running': {
        const p = this.runs.running?.progress;
        const item = new vscode.TreeItem(p ? `running: iteration ${p.iteration}/${p.maxIterations}` : 'running', vscode.TreeItemCollapsibleState.None);
        item.description = p ? `log-likelihood ${p.logLikelihood.toFixed(4)}` : '';
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        item.command = { title: 'Cancel EM', command: 'emWorkbench.cancel' };
        item.tooltip = 'Click to cancel';
        return item;
      }
      case 'failure': {
        const item = new vscode.TreeItem('last attempt failed', vscode.TreeItemCollapsibleState.None);
        item.description = node.message;
        item.tooltip = node.message;
        item.iconPath = new vscode.ThemeIcon('error');
        item.command = { title: 'Show Log', command: 'emWorkbench.showLog' };
        return item;
      }
      case 'notRun': {
        const item = new vscode.TreeItem('not run yet', vscode.TreeItemCollapsibleState.None);
        item.description = 'click to run EM';
        item.iconPath = new vscode.ThemeIcon('play');
        item.command = { title: 'Run EM', command: 'emWorkbench.runEM', arguments: [uri] };
        return item;
      }
      case 'parameter': {
        const p = node.node;
        const item = new vscode.TreeItem(p.label, p.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        if (p.description !== undefined) item.description = p.description;
        if (p.tooltip !== undefined) item.tooltip = p.tooltip;
        item.iconPath = new vscode.ThemeIcon('symbol-number');
        item.command = inspect;
        return item;
      }
      default: {
        const never: never = node;
        throw new Error(`unknown tree node ${JSON.stringify(never)}`);
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
