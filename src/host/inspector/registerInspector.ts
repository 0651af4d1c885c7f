/**
 * The inspector feature: the command `emWorkbench.openInspector` (argument: a model file's
 * Uri or path, or a tree item carrying one; default: the active editor's model file, else a
 * pick among the model files that have runs) and the serializer that restores open panels
 * after a reload. One panel per model file; opening it again reveals it.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { InspectorDataSource } from '../inspectorDataSource';
import { parseViewState } from '../../shared/inspectorProtocol';
import { INSPECTOR_VIEW_TYPE, InspectorPanel, inspectorTitle, inspectorWebviewOptions } from './inspectorPanel';

export const OPEN_INSPECTOR_COMMAND = 'emWorkbench.openInspector';

const MODEL_FILE = /\.em\.json$/i;

/** A model path from the command's argument: a Uri, a path, or an object with `modelPath` / `resourceUri`. */
export function modelPathFromArgument(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? arg.fsPath : undefined;
  if (typeof arg === 'string' && arg.length > 0) return arg.startsWith('file:') ? vscode.Uri.parse(arg).fsPath : arg;
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { modelPath?: unknown; resourceUri?: unknown };
    if (typeof o.modelPath === 'string') return o.modelPath;
    if (o.resourceUri instanceof vscode.Uri) return modelPathFromArgument(o.resourceUri);
  }
  return undefined;
}

async function chooseModel(dataSource: InspectorDataSource): Promise<string | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file' && MODEL_FILE.test(doc.fileName)) return doc.uri.fsPath;
  const runs = dataSource.listRuns();
  if (runs.length === 1) return runs[0].modelPath;
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('Open a model file (*.em.json) to inspect it, or run EM on one first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: basename(r.modelPath), description: r.modelPath, modelPath: r.modelPath })),
    { placeHolder: 'Inspect which model?' },
  );
  return pick?.modelPath;
}

export function registerInspector(context: vscode.ExtensionContext, dataSource: InspectorDataSource): vscode.Disposable {
  const log = vscode.window.createOutputChannel('EM Workbench Inspector', { log: true });
  const panels = new Map<string, InspectorPanel>();

  const track = (panel: InspectorPanel): InspectorPanel => {
    panels.set(panel.modelPath, panel);
    panel.onDidDispose(() => {
      if (panels.get(panel.modelPath) === panel) panels.delete(panel.modelPath);
    });
    return panel;
  };

  const open = async (arg?: unknown): Promise<void> => {
    const modelPath = modelPathFromArgument(arg) ?? (await chooseModel(dataSource));
    if (!modelPath) return;
    const existing = panels.get(modelPath);
    if (existing) {
      existing.reveal(vscode.ViewColumn.Beside);
      return;
    }
    const panel = vscode.window.createWebviewPanel(INSPECTOR_VIEW_TYPE, inspectorTitle(modelPath), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, inspectorWebviewOptions(context.extensionUri));
    track(new InspectorPanel(panel, modelPath, context.extensionUri, dataSource, log));
  };

  const serializer: vscode.WebviewPanelSerializer = {
    deserializeWebviewPanel: async (panel, state) => {
      const saved = parseViewState(state);
      if (!saved) {
        log.warn('inspector: a restored panel had no usable state; closing it');
        panel.dispose();
        return;
      }
      panels.get(saved.modelPath)?.dispose();
      track(new InspectorPanel(panel, saved.modelPath, context.extensionUri, dataSource, log));
    },
  };

  return vscode.Disposable.from(
    log,
    vscode.commands.registerCommand(OPEN_INSPECTOR_COMMAND, open),
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, serializer),
    { dispose: () => { for (const p of [...panels.values()]) p.dispose(); } },
  );
}
