/**
 * One inspector panel for one model file: serves the webview's HTML under a strict CSP,
 * answers `ready` with the initial state, relays the model's runs, live progress and the end
 * of each fit (panelFitRelay.ts), and
 * answers the webview's requests through the InspectorDataSource. Every message from the
 * webview is validated first (parseWebviewMessage); anything else is dropped and logged.
 * Closing the panel ends the waits of its requests: a recompute of posteriors that only this
 * panel waited for is cancelled rather than left to hold the worker.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { InspectorDataSource } from '../inspectorDataSource';
import { parseWebviewMessage, type FromWebviewMessage, type ToWebviewMessage } from '../../shared/inspectorProtocol';
import type { RunRecord } from '../../shared/runs';
import { createNonce, inspectorHtml } from './inspectorHtml';
import { exportChart, exportParameters, exportPosteriors } from './inspectorExport';
import { PanelFitRelay } from './panelFitRelay';

export const INSPECTOR_VIEW_TYPE = 'emWorkbench.inspector';

export function inspectorTitle(modelPath: string): string {
  return `EM Inspector: ${basename(modelPath)}`;
}

/** Webview options: scripts on, resources only from dist/ and media/. */
export function inspectorWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    enableFindWidget: true,
  };
}

export class InspectorPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly fits: PanelFitRelay;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Cancelled when the panel closes: its requests stop waiting (a recompute only they wait for is cancelled). */
  private readonly requests = new vscode.CancellationTokenSource();
  /** Fires once when the panel is closed or disposed. */
  readonly onDidDispose = this.disposeEmitter.event;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly modelPath: string,
    private readonly extensionUri: vscode.Uri,
    private readonly dataSource: InspectorDataSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.fits = new PanelFitRelay(modelPath);
    panel.title = inspectorTitle(modelPath);
    panel.webview.options = inspectorWebviewOptions(extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      dataSource.onDidChangeRun((run) => this.post(this.fits.runChanged(run))),
      dataSource.onProgress((progress) => this.post(this.fits.progress(progress))),
      dataSource.onDidEndFit((end) => this.post(this.fits.fitEnded(end))),
    );
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.requests.cancel();
    this.requests.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
    return inspectorHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      styleNonce: createNonce(),
      scriptUri: asset('dist', 'webview', 'main.js'),
      styleUris: [asset('dist', 'webview', 'uPlot.min.css'), asset('media', 'inspector.css')],
      title: inspectorTitle(this.modelPath),
    });
  }

  private post(message: ToWebviewMessage | undefined): void {
    if (message && !this.disposed) void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`inspector: dropped a message from the webview (${parsed.reason})`);
      return;
    }
    void this.handle(parsed.value).catch((e: unknown) => {
      this.log.error(`inspector: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    });
  }

  private fail(requestId: number, e: unknown): void {
    if (this.disposed) return; // closed: no webview to tell, and its requests were cancelled on purpose
    const message = e instanceof Error ? e.message : String(e);
    this.log.warn(`inspector: request ${requestId} failed: ${message}`);
    this.post({ type: 'requestFailed', requestId, message });
  }

  /** The run a request names, if it is still the model's current run. */
  private currentRun(runId: string): RunRecord {
    const run = this.dataSource.getRun(this.modelPath);
    if (!run || run.id !== runId) throw new Error('that run is no longer the latest run of this model; the inspector will refresh');
    return run;
  }

  private async handle(m: FromWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready': {
        const run = this.dataSource.getRun(this.modelPath);
        this.post({
          type: 'init',
          modelPath: this.modelPath,
          ...(run ? { run } : {}),
          ...this.fits.initFields(this.dataSource.lastFailure(this.modelPath)),
          capabilities: { dataSample: typeof this.dataSource.getDataSample === 'function' },
        });
        return;
      }
      case 'requestPosteriorPage':
        try {
          this.currentRun(m.runId);
          const page = await this.dataSource.getPosteriorPage({
            modelPath: this.modelPath, runId: m.runId, offset: m.offset, limit: m.limit,
            ...(m.sortColumn !== undefined ? { sortColumn: m.sortColumn, descending: m.descending ?? false } : {}),
          }, this.requests.token);
          this.post({ type: 'posteriorPage', requestId: m.requestId, page });
        } catch (e) {
          this.fail(m.requestId, e);
        }
        return;
      case 'requestDataSample':
        try {
          this.currentRun(m.runId);
          const getDataSample = this.dataSource.getDataSample?.bind(this.dataSource);
          if (!getDataSample) throw new Error('this build cannot serve data rows to the inspector');
          const sample = await getDataSample(this.modelPath, m.runId, m.columns, m.maxPoints, this.requests.token);
          this.post({ type: 'dataSample', requestId: m.requestId, sample });
        } catch (e) {
          this.fail(m.requestId, e);
        }
        return;
      case 'compareMissingData':
        this.fits.beginComparison();
        try {
          const results = await this.dataSource.compareMissingData(this.modelPath);
          this.post({ type: 'missingDataComparison', requestId: m.requestId, results });
        } catch (e) {
          this.fail(m.requestId, e);
        } finally {
          this.fits.endComparison();
        }
        return;
      case 'exportRunData':
        try {
          const run = this.currentRun(m.runId);
          const path = m.what === 'parameters-json' ? await exportParameters(run) : await exportPosteriors(run, this.dataSource);
          this.post({ type: 'exportResult', requestId: m.requestId, outcome: path ? 'saved' : 'cancelled', ...(path ? { path } : {}) });
        } catch (e) {
          this.fail(m.requestId, e);
        }
        return;
      case 'exportChart':
        try {
          const path = await exportChart(this.modelPath, m.chart, m.format, m.data);
          this.post({ type: 'exportResult', requestId: m.requestId, outcome: path ? 'saved' : 'cancelled', ...(path ? { path } : {}) });
        } catch (e) {
          this.fail(m.requestId, e);
        }
        return;
      case 'log':
        if (m.level === 'error') this.log.error(m.message);
        else if (m.level === 'warn') this.log.warn(m.message);
        else this.log.info(m.message);
        return;
      default: {
        const never: never = m;
        this.log.warn(`inspector: unhandled message ${JSON.stringify(never)}`);
      }
    }
  }
}
