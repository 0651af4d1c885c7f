/**
 * The host's half of "Export" in the inspector: ask where (a save dialog next to the model
 * file), then write atomically. Parameters and posteriors come from the host's own copy of
 * the run, charts from the webview (already validated by parseWebviewMessage).
 */
import * as vscode from 'vscode';
import { basename, dirname, join } from 'node:path';
import type { InspectorDataSource } from '../inspectorDataSource';
import type { RunRecord } from '../../shared/runs';
import { openAtomicFile, writeFileAtomic } from '../../io/atomicFile';
import { streamPosteriorCsv } from './posteriorCsv';

/** Outcome for the webview: the path written, or undefined when the user cancelled. */
export type ExportOutcome = string | undefined;

function modelStem(modelPath: string): string {
  return basename(modelPath).replace(/\.em\.json$/i, '').replace(/\.json$/i, '');
}

async function askTarget(modelPath: string, fileName: string, filters: Record<string, string[]>): Promise<string | undefined> {
  const uri = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(dirname(modelPath), fileName)),
    filters,
    saveLabel: 'Export',
  });
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new Error(`cannot write to ${uri.toString()}: only local files are supported`);
  return uri.fsPath;
}

/** The run's parameters with what they belong to, as JSON. */
export function parametersDocument(run: RunRecord): string {
  const r = run.result;
  return `${JSON.stringify({
    model: run.modelPath,
    data: run.dataPath,
    run: run.id,
    startedAt: run.startedAt,
    kind: r.kind,
    ...(r.name !== undefined ? { name: r.name } : {}),
    logLikelihood: r.logLikelihood,
    iterations: r.iterations,
    stopReason: r.stopReason,
    rows: r.rows,
    freeParameters: r.freeParameters,
    bic: r.bic,
    aic: r.aic,
    parameters: r.parameters,
    ...(r.initialParameters !== undefined ? { initialParameters: r.initialParameters } : {}),
  }, null, 2)}\n`;
}

export async function exportParameters(run: RunRecord): Promise<ExportOutcome> {
  const target = await askTarget(run.modelPath, `${modelStem(run.modelPath)}.parameters.json`, { JSON: ['json'] });
  if (!target) return undefined;
  await writeFileAtomic(target, parametersDocument(run));
  return target;
}

export async function exportPosteriors(run: RunRecord, dataSource: InspectorDataSource): Promise<ExportOutcome> {
  const target = await askTarget(run.modelPath, `${modelStem(run.modelPath)}.posteriors.csv`, { CSV: ['csv'] });
  if (!target) return undefined;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting posteriors to ${basename(target)}`, cancellable: true },
    async (progress, token) => {
      const file = await openAtomicFile(target);
      let reported = 0;
      try {
        await streamPosteriorCsv(
          (offset, limit) => dataSource.getPosteriorPage({ modelPath: run.modelPath, runId: run.id, offset, limit }),
          (chunk) => file.write(chunk),
          {
            isCancelled: () => token.isCancellationRequested,
            onProgress: (done, total) => {
              const pct = total > 0 ? (100 * done) / total : 100;
              progress.report({ increment: pct - reported, message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows` });
              reported = pct;
            },
          },
        );
      } catch (e) {
        await file.abort();
        throw e;
      }
      await file.commit();
    },
  );
  return target;
}

export async function exportChart(modelPath: string, chart: string, format: 'png' | 'svg', data: string): Promise<ExportOutcome> {
  const target = await askTarget(modelPath, `${modelStem(modelPath)}.${chart}.${format}`, format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] });
  if (!target) return undefined;
  const bytes = format === 'png' ? Buffer.from(data.slice(data.indexOf(',') + 1), 'base64') : Buffer.from(data, 'utf8');
  await writeFileAtomic(target, bytes);
  return target;
}
