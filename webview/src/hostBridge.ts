/**
 * The webview's side of the protocol: posts typed messages to the host, matches answers to
 * requests by id, and hands every other host message to the app. Host messages are checked
 * for a known `type` before use; anything else is dropped and reported to the host's log.
 */
import type {
  DataSample,
  ExportResultMessage,
  FromWebviewMessage,
  MissingDataComparisonMessage,
  ToWebviewMessage,
} from '../../src/shared/inspectorProtocol';
import type { PosteriorPage } from '../../src/shared/runs';

/** What acquireVsCodeApi() returns (declared here: the webview has no @types for it). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

/** Host messages that are not answers to a request. */
export type PushMessage = Extract<ToWebviewMessage, { type: 'init' | 'runChanged' | 'progress' | 'fitEnded' }>;
type Answer = Exclude<ToWebviewMessage, PushMessage>;

interface Pending {
  readonly expect: Answer['type'];
  resolve(message: Answer): void;
  reject(error: Error): void;
}

const KNOWN: ReadonlySet<string> = new Set<ToWebviewMessage['type']>([
  'init', 'runChanged', 'progress', 'fitEnded', 'posteriorPage', 'dataSample', 'missingDataComparison', 'exportResult', 'requestFailed',
]);

export class HostBridge {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly api: VsCodeApi,
    private readonly onPush: (message: PushMessage) => void,
  ) {}

  post(message: FromWebviewMessage): void {
    this.api.postMessage(message);
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.post({ type: 'log', level, message });
  }

  /** A window `message` event's data, from the host. */
  receive(data: unknown): void {
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string' || !KNOWN.has((data as { type: string }).type)) {
      this.log('warn', `inspector webview dropped an unknown message: ${JSON.stringify(data)?.slice(0, 200)}`);
      return;
    }
    const message = data as ToWebviewMessage;
    switch (message.type) {
      case 'init':
      case 'runChanged':
      case 'progress':
      case 'fitEnded':
        this.onPush(message);
        return;
      case 'posteriorPage':
      case 'dataSample':
      case 'missingDataComparison':
      case 'exportResult':
      case 'requestFailed':
        this.settle(message);
        return;
      default: {
        const never: never = message;
        this.log('warn', `inspector webview: unhandled message ${JSON.stringify(never).slice(0, 200)}`);
      }
    }
  }

  private settle(message: Answer): void {
    const p = this.pending.get(message.requestId);
    if (!p) return; // an answer nobody waits for any more (e.g. after a reset)
    this.pending.delete(message.requestId);
    if (message.type === 'requestFailed') p.reject(new Error(message.message));
    else if (message.type !== p.expect) p.reject(new Error(`expected ${p.expect}, got ${message.type}`));
    else p.resolve(message);
  }

  private request<T extends Answer>(expect: T['type'], build: (requestId: number) => FromWebviewMessage): Promise<T> {
    const requestId = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, { expect, resolve: resolve as (m: Answer) => void, reject });
      this.post(build(requestId));
    });
  }

  async posteriorPage(runId: string, offset: number, limit: number, sortColumn?: number, descending?: boolean): Promise<PosteriorPage> {
    const m = await this.request<Extract<Answer, { type: 'posteriorPage' }>>('posteriorPage', (requestId) => ({
      type: 'requestPosteriorPage', requestId, runId, offset, limit,
      ...(sortColumn !== undefined ? { sortColumn, descending: descending ?? false } : {}),
    }));
    return m.page;
  }

  async dataSample(runId: string, columns: readonly string[], maxPoints: number): Promise<DataSample> {
    const m = await this.request<Extract<Answer, { type: 'dataSample' }>>('dataSample', (requestId) => ({ type: 'requestDataSample', requestId, runId, columns, maxPoints }));
    return m.sample;
  }

  async compareMissingData(): Promise<MissingDataComparisonMessage['results']> {
    const m = await this.request<MissingDataComparisonMessage>('missingDataComparison', (requestId) => ({ type: 'compareMissingData', requestId }));
    return m.results;
  }

  exportRunData(runId: string, what: 'parameters-json' | 'posteriors-csv'): Promise<ExportResultMessage> {
    return this.request<ExportResultMessage>('exportResult', (requestId) => ({ type: 'exportRunData', requestId, runId, what }));
  }

  exportChart(chart: string, format: 'png' | 'svg', data: string): Promise<ExportResultMessage> {
    return this.request<ExportResultMessage>('exportResult', (requestId) => ({ type: 'exportChart', requestId, chart, format, data }));
  }
}
