/**
 * Every message between the extension host and the inspector webview: one interface per
 * message, string-literal `type` tags, readonly fields, and two unions (to the webview, from
 * the webview), in the manner of vscode-hexeditor's shared/protocol.ts. Both sides import
 * these types; the host also runs `parseWebviewMessage` on everything the webview sends,
 * because the webview renders workspace data and is treated as untrusted input.
 *
 * Flow: the webview posts `ready`; the host answers `init` with the initial state. Requests
 * from the webview carry a `requestId`; the host answers each with the matching response
 * message or `requestFailed`, echoing the id.
 */
import type { FitResult } from './results';
import type { FitProgress, PosteriorPage, RunRecord } from './runs';

/** Largest page of posterior rows the webview may ask for (a page, never the whole table). */
export const MAX_POSTERIOR_PAGE_ROWS = 1000;
/** Largest data sample for the scatter plot and the small-data pattern table. */
export const MAX_DATA_SAMPLE_POINTS = 20000;
/** Largest chart export payload (PNG data URL or SVG text), in characters. */
export const MAX_CHART_EXPORT_CHARS = 32 * 1024 * 1024;

/** The missing-data strategies of the tutorial's example 1, in the order they are shown. */
export type MissingDataStrategyName = 'drop' | 'fill-mode' | 'em';

/** Rows of the data for the scatter plot and the pattern table. */
export interface DataSample {
  /** The requested columns, in the requested order. */
  readonly columns: readonly string[];
  /** Number of data rows in the dataset; the sample holds at most the requested number of them. */
  readonly total: number;
  /** 1-based data row number of each sampled row, ascending. */
  readonly rows: readonly number[];
  /**
   * values[c][i] = the value of column c at sampled row i: a number for numeric columns, the
   * state name for categorical ones, null when the cell is missing.
   */
  readonly values: readonly (readonly (number | string | null)[])[];
  /** The weight (count, the tutorial's `#`) of each sampled row, when the model has a weight column. */
  readonly weights?: readonly number[];
  /**
   * The most probable component / class / state (0-based) of each sampled row under the run's
   * parameters, when the model has a single hidden variable; null for a row without one.
   */
  readonly labels?: readonly (number | null)[];
}

/** What the host can serve beyond the required data-source methods. */
export interface InspectorCapabilities {
  /** The data source implements getDataSample (scatter plot, pattern table at the fitted parameters). */
  readonly dataSample: boolean;
}

/** The view state the webview keeps with setState and the panel serializer hands back after a reload. */
export interface InspectorViewState {
  /** Absolute path of the model file the panel shows. */
  readonly modelPath: string;
  /** Id of the selected tab. */
  readonly tab?: string;
  /** Iteration shown by the step-through (0 = the initial parameters). */
  readonly iteration?: number;
  /** Posterior table sort: column index into PosteriorPage.columns. */
  readonly sortColumn?: number;
  readonly descending?: boolean;
  /** First posterior row in view (0-based), to scroll back to it. */
  readonly firstRow?: number;
  /** Scatter plot axes: column names. */
  readonly scatterX?: string;
  readonly scatterY?: string;
}

// ---------------------------------------------------------------- host -> webview

/** The answer to `ready`: everything the webview needs to draw. */
export interface InitMessage {
  readonly type: 'init';
  /** Absolute path of the model file this panel shows. */
  readonly modelPath: string;
  /** The last run of the model file, if any. */
  readonly run?: RunRecord;
  /** The latest progress of a fit of this model that is running now, if any. */
  readonly progress?: FitProgress;
  /** Why the last Run EM of this model failed, when it did and no fit of it runs now (`run` is the last good one). */
  readonly failure?: string;
  readonly capabilities: InspectorCapabilities;
}

/** A run of the panel's model file finished (or was loaded from the store). */
export interface RunChangedMessage {
  readonly type: 'runChanged';
  readonly run: RunRecord;
}

/** One more iteration of a running fit of the panel's model file. */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly progress: FitProgress;
}

/**
 * A fit of the panel's model file ended (after `runChanged` when it made a run): the webview
 * stops showing it as running. `failed` and `cancelled` keep the last run; `message` says why.
 */
export interface FitEndedMessage {
  readonly type: 'fitEnded';
  /** "run": Run EM; "recompute": the posteriors of a stored run computed again. */
  readonly purpose: 'run' | 'recompute';
  readonly outcome: 'succeeded' | 'failed' | 'cancelled';
  /** failed, cancelled: for the user (no stack). */
  readonly message?: string;
}

/** Answer to `requestPosteriorPage`. */
export interface PosteriorPageMessage {
  readonly type: 'posteriorPage';
  readonly requestId: number;
  readonly page: PosteriorPage;
}

/** Answer to `requestDataSample`. */
export interface DataSampleMessage {
  readonly type: 'dataSample';
  readonly requestId: number;
  readonly sample: DataSample;
}

/** Answer to `compareMissingData`: the same model fitted under each strategy. */
export interface MissingDataComparisonMessage {
  readonly type: 'missingDataComparison';
  readonly requestId: number;
  readonly results: Readonly<Record<MissingDataStrategyName, FitResult>>;
}

/** Answer to an export request. */
export interface ExportResultMessage {
  readonly type: 'exportResult';
  readonly requestId: number;
  /** `saved`: written to `path`; `cancelled`: the user closed the save dialog. */
  readonly outcome: 'saved' | 'cancelled';
  /** Absolute path of the written file (when saved). */
  readonly path?: string;
}

/** A request could not be answered. */
export interface RequestFailedMessage {
  readonly type: 'requestFailed';
  readonly requestId: number;
  /** A message for the user (no stack). */
  readonly message: string;
}

export type ToWebviewMessage =
  | InitMessage
  | RunChangedMessage
  | ProgressMessage
  | FitEndedMessage
  | PosteriorPageMessage
  | DataSampleMessage
  | MissingDataComparisonMessage
  | ExportResultMessage
  | RequestFailedMessage;

// ---------------------------------------------------------------- webview -> host

/** The webview has loaded and listens: the host answers with `init`. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** One page of per-row posteriors of a run. */
export interface PosteriorPageRequestMessage {
  readonly type: 'requestPosteriorPage';
  readonly requestId: number;
  /** RunRecord.id of the run the page belongs to. */
  readonly runId: string;
  /** First row (0-based, in the requested sort order). */
  readonly offset: number;
  /** Number of rows, 1..MAX_POSTERIOR_PAGE_ROWS. */
  readonly limit: number;
  /** Sort by this column (index into PosteriorPage.columns); absent = data order. */
  readonly sortColumn?: number;
  /** Sort descending (only with sortColumn). */
  readonly descending?: boolean;
}

/** A sample of data rows (values of some columns, with weights and labels). */
export interface DataSampleRequestMessage {
  readonly type: 'requestDataSample';
  readonly requestId: number;
  readonly runId: string;
  /** Column names of the dataset, 1..16 of them. */
  readonly columns: readonly string[];
  /** At most this many rows, 1..MAX_DATA_SAMPLE_POINTS. */
  readonly maxPoints: number;
}

/** Fit the panel's model under each missing-data strategy. */
export interface CompareMissingDataMessage {
  readonly type: 'compareMissingData';
  readonly requestId: number;
}

/** Save the run's parameters (JSON) or its per-row posteriors (CSV); the host has the data. */
export interface ExportRunDataMessage {
  readonly type: 'exportRunData';
  readonly requestId: number;
  readonly runId: string;
  readonly what: 'parameters-json' | 'posteriors-csv';
}

/** Save a chart the webview drew. */
export interface ExportChartMessage {
  readonly type: 'exportChart';
  readonly requestId: number;
  /** Short name of the chart, for the suggested file name: lowercase letters, digits, dashes. */
  readonly chart: string;
  readonly format: 'png' | 'svg';
  /** `data:image/png;base64,...` for png, the SVG document's text for svg. */
  readonly data: string;
}

/** A line for the extension's output channel (errors in the webview, dropped messages). */
export interface LogMessage {
  readonly type: 'log';
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export type FromWebviewMessage =
  | ReadyMessage
  | PosteriorPageRequestMessage
  | DataSampleRequestMessage
  | CompareMissingDataMessage
  | ExportRunDataMessage
  | ExportChartMessage
  | LogMessage;

// ---------------------------------------------------------------- validation of webview input

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

type Fields = Record<string, unknown>;

function isObject(x: unknown): x is Fields {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isIndex(x: unknown, max = Number.MAX_SAFE_INTEGER): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= max;
}
function isShortString(x: unknown, max: number): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= max;
}
/** Only the listed keys (and `type`) may appear: an extra key means a sender we do not know. */
function unknownKey(m: Fields, allowed: readonly string[]): string | undefined {
  return Object.keys(m).find((k) => k !== 'type' && !allowed.includes(k));
}

const PNG_PREFIX = 'data:image/png;base64,';

/**
 * Check a message from the webview before it is used: the tag, every field's type and range,
 * and no extra fields. Returns the typed message, or the reason it was refused (for the log).
 */
export function parseWebviewMessage(raw: unknown): Parsed<FromWebviewMessage> {
  const fail = (reason: string): Parsed<FromWebviewMessage> => ({ ok: false, reason });
  if (!isObject(raw)) return fail('not an object');
  const type = raw.type;
  if (typeof type !== 'string') return fail('no type tag');
  const tag = type as FromWebviewMessage['type'];
  const only = (keys: readonly string[]): string | undefined => {
    const extra = unknownKey(raw, keys);
    return extra === undefined ? undefined : `${type}: unexpected field ${JSON.stringify(extra.slice(0, 40))}`;
  };
  switch (tag) {
    case 'ready': {
      const extra = only([]);
      return extra ? fail(extra) : { ok: true, value: { type: 'ready' } };
    }
    case 'requestPosteriorPage': {
      const extra = only(['requestId', 'runId', 'offset', 'limit', 'sortColumn', 'descending']);
      if (extra) return fail(extra);
      if (!isIndex(raw.requestId)) return fail(`${type}: bad requestId`);
      if (!isShortString(raw.runId, 200)) return fail(`${type}: bad runId`);
      if (!isIndex(raw.offset)) return fail(`${type}: bad offset`);
      if (!isIndex(raw.limit, MAX_POSTERIOR_PAGE_ROWS) || raw.limit === 0) return fail(`${type}: limit must be 1..${MAX_POSTERIOR_PAGE_ROWS}`);
      if (raw.sortColumn !== undefined && !isIndex(raw.sortColumn, 100000)) return fail(`${type}: bad sortColumn`);
      if (raw.descending !== undefined && typeof raw.descending !== 'boolean') return fail(`${type}: bad descending`);
      return {
        ok: true,
        value: {
          type: 'requestPosteriorPage',
          requestId: raw.requestId,
          runId: raw.runId,
          offset: raw.offset,
          limit: raw.limit,
          ...(raw.sortColumn !== undefined ? { sortColumn: raw.sortColumn as number } : {}),
          ...(raw.descending !== undefined ? { descending: raw.descending as boolean } : {}),
        },
      };
    }
    case 'requestDataSample': {
      const extra = only(['requestId', 'runId', 'columns', 'maxPoints']);
      if (extra) return fail(extra);
      if (!isIndex(raw.requestId)) return fail(`${type}: bad requestId`);
      if (!isShortString(raw.runId, 200)) return fail(`${type}: bad runId`);
      const columns = raw.columns;
      if (!Array.isArray(columns) || columns.length === 0 || columns.length > 16 || !columns.every((c) => isShortString(c, 200))) {
        return fail(`${type}: columns must be 1..16 names`);
      }
      if (!isIndex(raw.maxPoints, MAX_DATA_SAMPLE_POINTS) || raw.maxPoints === 0) return fail(`${type}: maxPoints must be 1..${MAX_DATA_SAMPLE_POINTS}`);
      return { ok: true, value: { type: 'requestDataSample', requestId: raw.requestId, runId: raw.runId, columns: columns.slice() as string[], maxPoints: raw.maxPoints } };
    }
    case 'compareMissingData': {
      const extra = only(['requestId']);
      if (extra) return fail(extra);
      if (!isIndex(raw.requestId)) return fail(`${type}: bad requestId`);
      return { ok: true, value: { type: 'compareMissingData', requestId: raw.requestId } };
    }
    case 'exportRunData': {
      const extra = only(['requestId', 'runId', 'what']);
      if (extra) return fail(extra);
      if (!isIndex(raw.requestId)) return fail(`${type}: bad requestId`);
      if (!isShortString(raw.runId, 200)) return fail(`${type}: bad runId`);
      if (raw.what !== 'parameters-json' && raw.what !== 'posteriors-csv') return fail(`${type}: bad what`);
      return { ok: true, value: { type: 'exportRunData', requestId: raw.requestId, runId: raw.runId, what: raw.what } };
    }
    case 'exportChart': {
      const extra = only(['requestId', 'chart', 'format', 'data']);
      if (extra) return fail(extra);
      if (!isIndex(raw.requestId)) return fail(`${type}: bad requestId`);
      if (typeof raw.chart !== 'string' || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(raw.chart)) return fail(`${type}: bad chart name`);
      if (raw.format !== 'png' && raw.format !== 'svg') return fail(`${type}: bad format`);
      if (typeof raw.data !== 'string' || raw.data.length > MAX_CHART_EXPORT_CHARS) return fail(`${type}: bad data`);
      if (raw.format === 'png' && !(raw.data.startsWith(PNG_PREFIX) && /^[A-Za-z0-9+/]+=*$/.test(raw.data.slice(PNG_PREFIX.length)))) {
        return fail(`${type}: png data must be a base64 PNG data URL`);
      }
      if (raw.format === 'svg' && !/^(<\?xml[^>]*>\s*)?<svg[\s>]/.test(raw.data)) return fail(`${type}: svg data must be an SVG document`);
      return { ok: true, value: { type: 'exportChart', requestId: raw.requestId, chart: raw.chart, format: raw.format, data: raw.data } };
    }
    case 'log': {
      const extra = only(['level', 'message']);
      if (extra) return fail(extra);
      if (raw.level !== 'info' && raw.level !== 'warn' && raw.level !== 'error') return fail(`${type}: bad level`);
      if (typeof raw.message !== 'string') return fail(`${type}: bad message`);
      return { ok: true, value: { type: 'log', level: raw.level, message: raw.message.slice(0, 2000) } };
    }
    default: {
      const unknown: never = tag;
      return fail(`unknown message type ${JSON.stringify(String(unknown).slice(0, 40))}`);
    }
  }
}

/**
 * Check the state the serializer hands back after a reload (the webview wrote it, so it is
 * input like any message). Fields with a bad value are dropped; without a model path the
 * state is useless and undefined is returned.
 */
export function parseViewState(raw: unknown): InspectorViewState | undefined {
  if (!isObject(raw) || !isShortString(raw.modelPath, 4096)) return undefined;
  const text = (x: unknown): string | undefined => (isShortString(x, 200) ? x : undefined);
  const state: { -readonly [K in keyof InspectorViewState]: InspectorViewState[K] } = { modelPath: raw.modelPath };
  const tab = text(raw.tab);
  if (tab !== undefined) state.tab = tab;
  if (isIndex(raw.iteration, 1_000_000)) state.iteration = raw.iteration;
  if (isIndex(raw.sortColumn, 100000)) state.sortColumn = raw.sortColumn;
  if (typeof raw.descending === 'boolean') state.descending = raw.descending;
  if (isIndex(raw.firstRow)) state.firstRow = raw.firstRow;
  const x = text(raw.scatterX);
  if (x !== undefined) state.scatterX = x;
  const y = text(raw.scatterY);
  if (y !== undefined) state.scatterY = y;
  return state;
}
