/**
 * Hovers on a model file: the estimate of the parameter, variable, CPT row, component or state
 * under the cursor from the model's last run, with its initial value and how EM moved it.
 */
import * as vscode from 'vscode';
import { findNodeAtOffset, getLocation, parseTree } from 'jsonc-parser/lib/esm/main.js'; // the ESM build: esbuild cannot follow the UMD build's dynamic requires
import { describeTarget, hoverTarget, runSummary } from './parameterViews';
import type { RunController } from './runController';

export const MODEL_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.em.json' }];

export class ModelHoverProvider implements vscode.HoverProvider {
  constructor(private readonly runs: RunController) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const run = this.runs.getRun(document.uri.fsPath);
    if (!run || token.isCancellationRequested) return undefined;
    const text = document.getText();
    const offset = document.offsetAt(position);
    const location = getLocation(text, offset);
    const root = parseTree(text);
    const node = root ? findNodeAtOffset(root, offset, true) : undefined;
    const value = node && node.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
    const target = hoverTarget(run.result, location.path, value);
    if (!target || token.isCancellationRequested) return undefined;
    const lines = describeTarget(run.result, target);
    if (lines.length === 0) return undefined;
    const { label, description } = runSummary(run.result);
    const md = new vscode.MarkdownString([...lines, '', `*last run ${new Date(run.startedAt).toLocaleString()}: ${label}, ${description}* · [Open EM Inspector](command:emWorkbench.openInspector?${encodeURIComponent(JSON.stringify([document.uri.toString()]))})`].join('\n'));
    md.isTrusted = { enabledCommands: ['emWorkbench.openInspector'] };
    const range = node ? new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + node.length)) : document.getWordRangeAtPosition(position);
    return new vscode.Hover(md, range);
  }
}
