/**
 * Runs fits in the worker and keeps their results: the last run of each model file (through
 * the RunStore), the fit that is running now with its latest progress, and the last failure
 * of each model file. It is the inspector's InspectorDataSource: pages, samples and exports of
 * posteriors are served by the worker, which holds them; the host holds FitResults only.
 */
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { CancelledError, InputError } from '../shared/errors';
import type { DataSample } from '../shared/inspectorProtocol';
import type { FitOverrides } from '../shared/modelSpec';
import type { PosteriorAtLineRequest, PosteriorPageRequest as WorkerPageRequest, DataSampleRequest, ExportPosteriorsRequest, FitDoneMessage, PosteriorRow } from '../shared/protocol';
import { reproducesLogLikelihood } from '../shared/protocol';
import type { FitResult } from '../shared/results';
import type { FitProgress, PosteriorPage, RunRecord } from '../shared/runs';
import type { EmSettings } from './configuration';
import { dataPathEscape, describeEscape } from './dataPathGuard';
import type { OutsideDataPrompt } from './dataPathGuard';
import { runOverrides } from './fitOverrides';
import { parseModelFile } from '../spec/index';
import type { FitEnd, InspectorDataSource, PosteriorPageRequest } from './inspectorDataSource';
import type { RunStore, StoredRun } from './runStore';
import { confirmRunInRestrictedMode } from './trust';
import { FitBusyError, type RunningState } from './fitBusy';
import { recomputePlan } from './recomputePlan';
import { SharedWork, type AbandonableWork, type CancelToken } from './sharedWork';
import { PosteriorsNotHeldError, WorkerStoppedError } from './workerClient';
import type { RunningFit, WorkerClient } from './workerClient';

export { FitBusyError, type RunningState } from './fitBusy';

/** Work in the worker that can be cancelled: a fit, or a sequence of fits. */
interface Cancellable<T> {
  readonly done: Promise<T>;
  cancel(): void;
}

/**
 * A recompute of posteriors that stopped before its end (Cancel EM, or every inspector request
 * that waited for it went away): the posteriors are not held, and the next request recomputes.
 */
export class RecomputeCancelledError extends CancelledError {
  constructor(readonly modelPath: string) {
    super();
    this.message = `recomputing the posteriors of ${basename(modelPath)} was cancelled; they are recomputed when next asked for`;
    this.name = 'RecomputeCancelledError';
  }
}

/** The user-facing text of a failed fit. */
export function describeFailure(e: unknown): string {
  if (e instanceof InputError) return e.format();
  if (e instanceof RecomputeCancelledError) return 'the posteriors are recomputed when next asked for';
  if (e instanceof CancelledError) return 'cancelled before the first iteration';
  if (e instanceof WorkerStoppedError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

let runCounter = 0;
function newRunId(): string {
  runCounter = (runCounter + 1) % 1e6;
  return `${Date.now().toString(36)}-${runCounter.toString(36)}`;
}

export class RunController implements InspectorDataSource, vscode.Disposable {
  private readonly runChanged = new vscode.EventEmitter<RunRecord>();
  private readonly progressed = new vscode.EventEmitter<FitProgress>();
  private readonly stateChanged = new vscode.EventEmitter<void>();
  private readonly fitEnded = new vscode.EventEmitter<FitEnd>();
  readonly onDidChangeRun = this.runChanged.event;
  readonly onProgress = this.progressed.event;
  /** Fires when Run EM, a comparison or a recompute ends, after onDidChangeRun when it made a run; not for a fit refused as busy. */
  readonly onDidEndFit = this.fitEnded.event;
  /** Fires when a fit starts or ends, and when a failure is recorded or cleared (not on progress: see onProgress). */
  readonly onDidChangeState = this.stateChanged.event;

  private current: { state: RunningState; fit: Cancellable<unknown> } | undefined;
  private readonly failures = new Map<string, string>();
  /** Recomputes of stored runs' posteriors, by run id, with the requests that wait for them. */
  private readonly recomputes = new SharedWork<void>();
  private disposed = false;
  /** Asks before a fit reads a data file outside the model's workspace folder (tests replace only this). */
  outsideDataPrompt: OutsideDataPrompt = modalOutsideDataPrompt;

  constructor(
    private readonly client: WorkerClient,
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => EmSettings,
  ) {}

  /** Load the stored runs (at activation) and announce them. */
  async restore(): Promise<void> {
    for (const stored of await this.store.load()) this.runChanged.fire(stored.record);
    this.stateChanged.fire();
  }

  get running(): RunningState | undefined {
    return this.current?.state;
  }

  /** Why the last attempt to fit this model failed, if it did (cleared by the next success). */
  lastFailure(modelPath: string): string | undefined {
    return this.failures.get(modelPath);
  }

  getRun(modelPath: string): RunRecord | undefined {
    return this.store.get(modelPath)?.record;
  }

  listRuns(): readonly RunRecord[] {
    return this.store.all().map((s) => s.record);
  }

  /**
   * Fit a model file (as saved on disk) in the worker, with progress in a cancellable
   * notification. Settings fill the `fit` keys the file leaves out; `explicit` wins over both.
   * Resolves with the new run (also when cancelled after some iterations: stop reason
   * "cancelled"); rejects on bad input, a worker crash, or a cancel before any iteration, and
   * the previous run stays the model's last run.
   */
  async run(modelPath: string, explicit: FitOverrides = {}): Promise<RunRecord> {
    const text = await readFile(modelPath, 'utf8').catch(() => '');
    const overrides = runOverrides(text, this.settings(), explicit);
    const runId = newRunId();
    const startedAt = new Date().toISOString();
    this.log.info(`run ${runId}: ${modelPath} ${JSON.stringify(overrides)}`);
    try {
      await this.guardDataPath(modelPath, text);
      const done = await this.fitWithProgress(modelPath, 'run', `EM: ${basename(modelPath)}`, (onProgress) =>
        this.client.fit({ modelPath, runId, overrides, snapshots: this.settings().snapshots, keep: true, onProgress }),
      );
      // a fit cut short by deactivation (window reload, shutdown) is not the user's cancel: keep the last run
      if (this.disposed) throw new Error('the extension was deactivated during the fit; the last run is kept');
      const record: RunRecord = { id: runId, modelPath, dataPath: done.dataPath, startedAt, result: done.result };
      await this.store.save({ record, overrides });
      this.failures.delete(modelPath);
      const r = done.result;
      this.log.info(`run ${runId}: ${r.stopReason} after ${r.iterations} iterations, log-likelihood ${r.logLikelihood}, ${r.seconds.toFixed(3)} s`);
      this.runChanged.fire(record);
      this.stateChanged.fire();
      this.announceEnd(modelPath, 'run');
      return record;
    } catch (e) {
      if (!(e instanceof FitBusyError)) {
        this.failures.set(modelPath, describeFailure(e));
        this.log.error(`run ${runId} failed: ${e instanceof Error && !(e instanceof InputError) ? (e.stack ?? e.message) : describeFailure(e)}`);
        this.stateChanged.fire();
      }
      this.announceEnd(modelPath, 'run', e);
      throw e;
    }
  }

  /** onDidEndFit: `error` undefined = succeeded. A fit refused because another runs did not start, and does not end. */
  private announceEnd(modelPath: string, purpose: FitEnd['purpose'], error?: unknown): void {
    if (error instanceof FitBusyError) return;
    if (error === undefined) this.fitEnded.fire({ modelPath, purpose, outcome: 'succeeded' });
    else this.fitEnded.fire({ modelPath, purpose, outcome: error instanceof CancelledError ? 'cancelled' : 'failed', message: describeFailure(error) });
  }

  /** Cancel the running fit. False when nothing runs. */
  cancel(): boolean {
    if (!this.current) return false;
    this.log.info(`cancel: ${this.current.state.modelPath}`);
    this.current.fit.cancel();
    return true;
  }

  /** Stop the worker as a crash would (tests, and a way out of a fit that ignores cancel). */
  async restartWorker(): Promise<void> {
    await this.client.terminate('the fit worker was stopped');
  }

  async getPosteriorPage(request: PosteriorPageRequest, token?: CancelToken): Promise<PosteriorPage> {
    const reply = await this.withHeld(request.modelPath, request.runId, token, () =>
      this.client.request<WorkerPageRequest>({
        type: 'posteriorPage',
        modelPath: request.modelPath,
        runId: request.runId,
        offset: request.offset,
        limit: request.limit,
        ...(request.sortColumn !== undefined ? { sortColumn: request.sortColumn } : {}),
        ...(request.descending !== undefined ? { descending: request.descending } : {}),
      }),
    );
    return reply.page;
  }

  async getDataSample(modelPath: string, runId: string, columns: readonly string[], maxPoints: number, token?: CancelToken): Promise<DataSample> {
    const reply = await this.withHeld(modelPath, runId, token, () => this.client.request<DataSampleRequest>({ type: 'dataSample', modelPath, runId, columns, maxPoints }));
    return reply.sample;
  }

  /** Write the posteriors of a run as CSV (the CLI's --posteriors format) to a path the user chose. */
  async exportPosteriors(modelPath: string, runId: string, outPath: string): Promise<number> {
    const reply = await this.withHeld(modelPath, runId, undefined, () => this.client.request<ExportPosteriorsRequest>({ type: 'exportPosteriors', modelPath, runId, outPath }));
    return reply.rows;
  }

  /**
   * The posterior row that covers a line of the run's dataset, for hovers. Never starts the
   * worker or a fit (a hover is not something the user asked to run): "notHeld" when the worker
   * does not have the run's posteriors in memory.
   */
  async posteriorAtLine(modelPath: string, runId: string, line: number): Promise<PosteriorRow | 'notHeld' | undefined> {
    if (!this.client.running) return 'notHeld';
    try {
      const reply = await this.client.request<PosteriorAtLineRequest>({ type: 'posteriorAtLine', modelPath, runId, line });
      return reply.row;
    } catch (e) {
      if (e instanceof PosteriorsNotHeldError) return 'notHeld';
      throw e;
    }
  }

  async compareMissingData(modelPath: string): Promise<Readonly<Record<'drop' | 'fill-mode' | 'em', FitResult>>> {
    // three fits that read the dataset, asked for in the inspector: Restricted Mode asks first, as Run EM does
    if (!(await confirmRunInRestrictedMode(modelPath))) throw new Error('not compared: this workspace is in Restricted Mode (trust it, or choose Run Once)');
    try {
      const results = await this.compareEachStrategy(modelPath);
      this.announceEnd(modelPath, 'compare');
      return results;
    } catch (e) {
      this.announceEnd(modelPath, 'compare', e);
      throw e;
    }
  }

  private async compareEachStrategy(modelPath: string): Promise<Readonly<Record<'drop' | 'fill-mode' | 'em', FitResult>>> {
    const text = await readFile(modelPath, 'utf8').catch(() => '');
    await this.guardDataPath(modelPath, text);
    const strategies = ['drop', 'fill-mode', 'em'] as const;
    return this.fitWithProgress(modelPath, 'compare', `EM: ${basename(modelPath)}, three ways with missing data`, (onProgress) => {
      let cancelled = false;
      let fit: RunningFit | undefined;
      const done = (async () => {
        const results: Partial<Record<'drop' | 'fill-mode' | 'em', FitResult>> = {};
        for (const missingData of strategies) {
          if (cancelled) throw new CancelledError();
          // side fits: keep: false, so the run the user sees keeps its posteriors
          fit = this.client.fit({ modelPath, runId: newRunId(), overrides: runOverrides(text, this.settings(), { missingData }), snapshots: false, keep: false, onProgress });
          results[missingData] = (await fit.done).result;
        }
        return results as Record<'drop' | 'fill-mode' | 'em', FitResult>;
      })();
      return {
        done,
        cancel: () => {
          cancelled = true;
          fit?.cancel();
        },
      };
    });
  }

  /**
   * Refuse (InputError at data.path) a fit whose data file is outside the model's workspace
   * folder, unless the user allows it once. A model file that does not parse is left to the
   * worker, which reports its errors where they are.
   */
  private async guardDataPath(modelPath: string, text: string): Promise<void> {
    let dataPath: string;
    let where: { line: number; column: number; endLine?: number; endColumn?: number } | undefined;
    try {
      const parsed = parseModelFile(text, modelPath);
      dataPath = parsed.model.data.path;
      where = parsed.locate(['data', 'path']) ?? parsed.locate(['data']);
    } catch {
      return;
    }
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(modelPath))?.uri.fsPath ?? dirname(modelPath);
    const escape = await dataPathEscape(dataPath, folder);
    if (!escape) return;
    this.log.warn(`${basename(modelPath)}: ${describeEscape(escape)}`);
    if (await this.outsideDataPrompt.allowOnce(modelPath, escape)) {
      this.log.info(`${basename(modelPath)}: reading it was allowed once`);
      return;
    }
    throw new InputError(`${describeEscape(escape)}; not read (Run EM again and choose "Allow Once", or move the data into the folder)`, {
      file: modelPath,
      ...(where ? { line: where.line, column: where.column, endColumn: where.endLine === undefined || where.endLine === where.line ? (where.endColumn ?? where.column) : where.column } : {}),
    });
  }

  dispose(): void {
    this.disposed = true;
    this.current?.fit.cancel();
    this.runChanged.dispose();
    this.progressed.dispose();
    this.stateChanged.dispose();
    this.fitEnded.dispose();
  }

  /**
   * Run `start` as the one fit of the moment, with a cancellable progress notification; the
   * notification's cancel and the "Cancel EM" command both reach the worker's shared flag.
   */
  private async fitWithProgress<T>(modelPath: string, purpose: RunningState['purpose'], title: string, start: (onProgress: (p: FitProgress) => void) => Cancellable<T>): Promise<T> {
    if (this.current) throw new FitBusyError(this.current.state);
    // cancel before the worker has the fit (the notification is not up yet) is remembered here
    let cancelledEarly = false;
    const slot: { state: RunningState; fit: Cancellable<unknown> } = { state: { modelPath, purpose, startedAt: Date.now() }, fit: { done: Promise.resolve(), cancel: () => void (cancelledEarly = true) } };
    this.current = slot;
    this.stateChanged.fire();
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        let reported = 0;
        const onProgress = (p: FitProgress): void => {
          slot.state = { ...slot.state, progress: p };
          const max = Math.max(1, p.maxIterations);
          const fraction = Math.min(1, (p.restart * max + p.iteration) / (Math.max(1, p.restarts) * max));
          const increment = Math.max(0, fraction * 100 - reported);
          reported += increment;
          const restart = p.restarts > 1 ? `start ${p.restart + 1}/${p.restarts} · ` : '';
          progress.report({ increment, message: `${restart}iteration ${p.iteration}/${p.maxIterations} · log-likelihood ${p.logLikelihood.toFixed(4)}` });
          // progress is its own event: listeners of state changes (tree, code lens, context keys) are not woken 10 times a second
          this.progressed.fire(p);
        };
        const fit = start(onProgress);
        slot.fit = fit;
        if (cancelledEarly) fit.cancel();
        const sub = token.onCancellationRequested(() => fit.cancel());
        try {
          return await fit.done;
        } finally {
          sub.dispose();
        }
      });
    } finally {
      if (this.current === slot) this.current = undefined;
      this.stateChanged.fire();
    }
  }

  /**
   * Ask the worker for something of a held run; when the worker no longer holds it (restarted,
   * reloaded) and it is the model's stored run, fit the model again the same way to recompute
   * the posteriors, check that the log-likelihood is the stored one (same file and data, same
   * numbers), and ask again. Requests that need the same run's posteriors meanwhile wait for
   * the same recompute; `token` (the inspector panel's, cancelled when it closes) stops this
   * request's wait, and the recompute is cancelled when no request waits for it any more.
   */
  private async withHeld<T>(modelPath: string, runId: string, token: CancelToken | undefined, ask: () => Promise<T>): Promise<T> {
    try {
      return await ask();
    } catch (e) {
      if (!(e instanceof PosteriorsNotHeldError)) throw e;
      const stored = this.store.get(modelPath);
      if (!stored || stored.record.id !== runId) throw e;
      await this.recomputes.join(runId, () => this.startRecompute(stored), token);
      return ask();
    }
  }

  /** A recompute, announced when it ends (onDidEndFit) if its fit was started. */
  private startRecompute(stored: StoredRun): AbandonableWork<void> {
    const control: RecomputeControl = { abandoned: false, started: false };
    const modelPath = stored.record.modelPath;
    const done = (async () => {
      try {
        await this.recomputeHeld(stored, control);
        this.announceEnd(modelPath, 'recompute');
      } catch (e) {
        // given up before its fit started: nothing ran, so nothing ends (as a fit refused as busy)
        if (control.started || !(e instanceof RecomputeCancelledError)) this.announceEnd(modelPath, 'recompute', e);
        throw e;
      }
    })();
    return {
      done,
      abandon: () => {
        this.log.info(`recomputing the posteriors of run ${stored.record.id}: no request waits for them any more; cancelled`);
        control.abandoned = true;
        control.fit?.cancel();
      },
    };
  }

  private async recomputeHeld(stored: StoredRun, control: RecomputeControl): Promise<void> {
    const { record } = stored;
    if (!vscode.workspace.isTrusted) {
      throw new Error('the posteriors of this run are not in memory, and recomputing them runs a fit: trust the workspace (Manage Workspace Trust) or run EM again');
    }
    const plan = recomputePlan(record.result, stored.overrides);
    if (!plan.ok) throw new Error(plan.reason);
    const overrides = plan.overrides;
    await this.guardDataPath(record.modelPath, await readFile(record.modelPath, 'utf8').catch(() => ''));
    if (control.abandoned) throw new RecomputeCancelledError(record.modelPath);
    this.log.info(`recomputing the posteriors of run ${record.id} (${record.modelPath}) ${JSON.stringify(overrides)}`);
    let done: FitDoneMessage;
    try {
      done = await this.fitWithProgress(record.modelPath, 'recompute', `EM: recomputing the posteriors of ${basename(record.modelPath)} (a refit of its last run)`, (onProgress) => {
        const fit = this.client.fit({ modelPath: record.modelPath, runId: record.id, overrides, snapshots: false, keep: true, reproduces: { logLikelihood: record.result.logLikelihood }, onProgress });
        control.started = true;
        control.fit = fit;
        if (control.abandoned) fit.cancel();
        return fit;
      });
    } catch (e) {
      if (e instanceof CancelledError) throw new RecomputeCancelledError(record.modelPath);
      throw e;
    }
    // the worker kept the posteriors only if the fit ran to its end and reproduced the run (FitRequest.reproduces)
    if (done.result.stopReason === 'cancelled') {
      this.log.info(`recomputing the posteriors of run ${record.id}: cancelled after ${done.result.iterations} iterations`);
      throw new RecomputeCancelledError(record.modelPath);
    }
    const was = record.result.logLikelihood;
    const now = done.result.logLikelihood;
    if (!reproducesLogLikelihood(was, now)) {
      throw new Error(`the model file or its data changed since run ${record.id} (log-likelihood ${was} then, ${now} now): run EM again to see posteriors`);
    }
  }
}

/** How a recompute is given up: before its fit starts, or by cancelling the fit. */
interface RecomputeControl {
  abandoned: boolean;
  /** The fit was handed to the worker (its end is announced). */
  started: boolean;
  fit?: RunningFit;
}

/** The modal question, asked each time (nothing is remembered: "once" means once). */
const modalOutsideDataPrompt: OutsideDataPrompt = {
  async allowOnce(modelPath, escape) {
    const choice = await vscode.window.showWarningMessage(
      `${basename(modelPath)} reads a data file outside its workspace folder.`,
      { modal: true, detail: `${describeEscape(escape)}. A model file from someone else can point anywhere; read this file only if you expect it.` },
      'Allow Once',
    );
    return choice === 'Allow Once';
  },
};
