/**
 * Hovers on a dataset (CSV/TSV): the posterior of the hidden variables (or mixture component,
 * HMM state) for the data row under the cursor, from the last run of a model file that reads
 * this dataset; on a missing cell, that cell's imputed distribution. The posterior row comes
 * from the worker, which holds the run's posteriors and the dataset's row -> line map (quoted
 * line breaks included); a hover never starts the worker or a fit.
 */
import * as vscode from 'vscode';
import { formatNumber } from './parameterViews';
import type { ModelIndex } from './modelIndex';
import { fieldAt, fieldNames } from './csvFields';
import { groupPosteriors } from './posteriorRowView';
import type { RunController } from './runController';
import type { RunRecord } from '../shared/runs';

export const DATASET_SELECTOR: vscode.DocumentSelector = [{ language: 'csv' }, { language: 'tsv' }, { pattern: '**/*.{csv,tsv}' }];
const DEFAULT_MISSING = ['', '?', 'NA', 'NaN'];

export class DatasetHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly runs: RunController,
    private readonly index: ModelIndex,
  ) {}

  /** The most recent run of a model file that reads this dataset. */
  private runFor(dataPath: string): RunRecord | undefined {
    const candidates = this.runs.listRuns().filter((r) => r.dataPath === dataPath || this.index.summary(r.modelPath)?.dataPath === dataPath);
    return candidates.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (position.line === 0 || document.lineAt(position.line).isEmptyOrWhitespace) return undefined;
    const run = this.runFor(document.uri.fsPath);
    if (!run) return undefined;
    const answer = await this.runs.posteriorAtLine(run.modelPath, run.id, position.line + 1);
    if (token.isCancellationRequested || answer === undefined) return undefined;
    const model = vscode.workspace.asRelativePath(run.modelPath);
    if (answer === 'notHeld') {
      return new vscode.Hover(new vscode.MarkdownString(`Posteriors of ${model} are not in memory (the window was reloaded or the worker restarted): run EM or open the inspector to compute them.`));
    }
    const row = answer;
    const lines: string[] = [`**Row ${row.index + 1}**${row.weight !== undefined ? ` · weight ${row.weight}` : ''} · posterior under the last run of ${model}`, ''];
    const groups = groupPosteriors(row);

    // the cell under the cursor: is it missing, and which column is it?
    const summary = this.index.summary(run.modelPath);
    const delimiter = summary?.delimiter ?? (/\.tsv$/i.test(document.uri.fsPath) ? '\t' : ',');
    const missing = summary?.missing ?? DEFAULT_MISSING;
    const header = fieldNames(document.lineAt(0).text, delimiter);
    const first = row.firstLine - 1;
    const recordText = document.getText(new vscode.Range(first, 0, position.line, document.lineAt(position.line).text.length));
    const cell = first <= position.line ? fieldAt(recordText, document.offsetAt(position) - document.offsetAt(new vscode.Position(first, 0)), delimiter) : undefined;
    const column = cell ? header[cell.index] : undefined;
    let cellRange: vscode.Range | undefined;
    if (cell && column !== undefined && missing.includes(cell.value.trim()) && groups.has(column)) {
      lines.push(`**${column}** is missing here; its imputed distribution:`, '', table(column, groups.get(column) ?? []), '');
      const base = document.offsetAt(new vscode.Position(first, 0));
      cellRange = new vscode.Range(document.positionAt(base + cell.start), document.positionAt(base + cell.end));
    }
    for (const [variable, states] of groups) {
      if (variable === column && cellRange) continue;
      lines.push(table(variable, states), '');
    }
    const labelAt = row.columns.indexOf('label');
    if (labelAt >= 0 && row.values[labelAt] !== null) lines.push(`most probable: **${String(row.values[labelAt])}**`);
    if (document.isDirty) lines.push('', '*the file has unsaved changes: rows may not line up with the run*');
    const range = cellRange ?? new vscode.Range(row.firstLine - 1, 0, Math.max(row.firstLine - 1, Math.min(row.lastLine - 1, document.lineCount - 1)), Number.MAX_SAFE_INTEGER);
    return new vscode.Hover(new vscode.MarkdownString(lines.join('\n')), document.validateRange(range));
  }
}

function table(variable: string, states: [string, number][]): string {
  return [`| ${states.map(([s]) => `P(${variable}=${s})`).join(' | ')} |`, `|${states.map(() => '---:').join('|')}|`, `| ${states.map(([, p]) => formatNumber(p)).join(' | ')} |`].join('\n');
}
