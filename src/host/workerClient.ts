/**
 * The host side of the fit worker: starts dist/worker.js lazily (the first request), sends
 * typed requests (src/shared/protocol.ts) and matches replies by id, relays progress, and
 * turns a crash, an unexpected exit or an out-of-memory stop into a clear error for every
 * pending request. The next request after a crash starts a fresh worker. This file does not
 * import vscode, so it can be driven by unit tests as well as by the run controller.
 */
import { Worker } from 'node:worker_threads';
import { CancelledError, InputError } from '../shared/errors';
import { CANCEL_FLAG_BYTES, CANCEL_FLAG_INDEX } from '../shared/protocol';
import type { FitDoneMessage, FitRequest, FromWorkerMessage, ToWorkerMessage, WorkerFailure, WorkerRequest } from '../shared/protocol';
import type { FitOverrides } from '../shared/modelSpec';
import type { FitProgress } from '../shared/runs';

/** The worker does not hold that run's posteriors (replaced, or the worker restarted). */
export class PosteriorsNotHeldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PosteriorsNotHeldError';
  }
}

/** The worker died (crash, out of memory, terminated) while a request was pending. */
export class WorkerStoppedError extends Error {
  constructor(
    message: string,
    /** True when the worker hit its heap limit. */
    readonly outOfMemory: boolean,
  ) {
    super(message);
    this.name = 'WorkerStoppedError';
  }
}

/** A bug inside the worker (not the user's input): message and the worker's stack. */
export class WorkerInternalError extends Error {
  constructor(message: string, readonly workerStack?: string) {
    super(message);
    this.name = 'WorkerInternalError';
  }
}

export function failureToError(f: WorkerFailure): Error {
  switch (f.kind) {
    case 'input':
      return InputError.fromJSON(f.error);
    case 'cancelled':
      return new CancelledError();
    case 'notHeld':
      return new PosteriorsNotHeldError(f.message);
    case 'internal':
      return new WorkerInternalError(f.message, f.stack);
    default: {
      const never: never = f;
      return new Error(`unknown failure ${JSON.stringify(never)}`);
    }
  }
}

export interface WorkerClientOptions {
  /** Absolute path of the worker bundle (dist/worker.js). */
  readonly workerPath: string;
  /** Heap limit of the worker, MB (typed arrays live outside it). */
  readonly maxOldGenerationSizeMb: number;
  /** At most one progress message per this many ms. */
  readonly progressIntervalMs?: number;
  /** Called with every unexpected stop, after the pending requests were rejected. */
  readonly onStopped?: (error: WorkerStoppedError) => void;
}

export interface FitCall {
  readonly modelPath: string;
  readonly runId: string;
  readonly overrides: FitOverrides;
  readonly snapshots: boolean;
  readonly keep: boolean;
  /** A recompute: keep only a fit that reproduces this stored log-likelihood (FitRequest.reproduces). */
  readonly reproduces?: { readonly logLikelihood: number };
  readonly onProgress?: (p: FitProgress) => void;
}

/** A started fit: its outcome, and a cancel that reaches the worker even while it computes. */
export interface RunningFit {
  readonly done: Promise<FitDoneMessage>;
  cancel(): void;
}

/** The reply type that answers each request type. */
type ReplyTo<R extends WorkerRequest> = R extends { type: 'fit' }
  ? FitDoneMessage
  : R extends { type: 'posteriorPage' }
    ? Extract<FromWorkerMessage, { type: 'posteriorPage' }>
    : R extends { type: 'posteriorAtLine' }
      ? Extract<FromWorkerMessage, { type: 'posteriorAtLine' }>
      : R extends { type: 'dataSample' }
        ? Extract<FromWorkerMessage, { type: 'dataSample' }>
        : R extends { type: 'exportPosteriors' }
          ? Extract<FromWorkerMessage, { type: 'posteriorsExported' }>
          : R extends { type: 'checkDataset' }
            ? Extract<FromWorkerMessage, { type: 'datasetChecked' }>
            : never;

/** A request as the caller writes it: the client adds the id. */
type Request<R extends WorkerRequest> = Omit<R, 'id'>;

interface Pending {
  readonly expects: FromWorkerMessage['type'];
  resolve(m: FromWorkerMessage): void;
  reject(e: Error): void;
  onProgress?: (p: FitProgress) => void;
}

export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;
  /** Workers started so far (a restart after a crash counts). */
  starts = 0;
  /** Worker threads started and not yet exited (a terminated one counts until its exit event). */
  private readonly live = new Set<Worker>();

  constructor(private readonly options: WorkerClientOptions) {}

  /** Fit-worker threads alive now: 0 or 1 unless a stopped one has not exited yet (load tests count orphans). */
  get liveThreads(): number {
    return this.live.size;
  }

  /** True while a worker thread exists (started and not stopped). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Start a fit. Cancel sets the shared flag; the fit then ends with stop reason "cancelled". */
  fit(call: FitCall): RunningFit {
    const cancelFlag = new SharedArrayBuffer(CANCEL_FLAG_BYTES);
    const flag = new Int32Array(cancelFlag);
    const done = this.request<FitRequest>(
      {
        type: 'fit',
        modelPath: call.modelPath,
        runId: call.runId,
        overrides: call.overrides,
        snapshots: call.snapshots,
        keep: call.keep,
        ...(call.reproduces !== undefined ? { reproduces: call.reproduces } : {}),
        cancelFlag,
        progressIntervalMs: this.options.progressIntervalMs ?? 100,
      },
      call.onProgress,
    );
    return { done, cancel: () => void Atomics.store(flag, CANCEL_FLAG_INDEX, 1) };
  }

  /** Send a request and wait for its reply (or its failure). */
  request<R extends WorkerRequest>(request: Request<R>, onProgress?: (p: FitProgress) => void): Promise<ReplyTo<R>> {
    if (this.disposed) return Promise.reject(new Error('the fit worker was disposed'));
    const id = this.nextId++;
    const expects = EXPECTED_REPLY[request.type];
    return new Promise<ReplyTo<R>>((resolve, reject) => {
      this.pending.set(id, { expects, resolve: resolve as (m: FromWorkerMessage) => void, reject, ...(onProgress ? { onProgress } : {}) });
      try {
        const w = this.ensureWorker();
        w.ref(); // work is pending: keep the process alive for the reply
        w.postMessage({ ...request, id } as ToWorkerMessage);
      } catch (e) {
        this.pending.delete(id);
        reject(e as Error);
      }
    });
  }

  /** A message that gets no reply. Does not start a worker. */
  notify(message: Extract<ToWorkerMessage, { type: 'release' }>): void {
    this.worker?.postMessage(message);
  }

  /**
   * Stop the worker now, as a crash would (pending requests fail with WorkerStoppedError);
   * the next request starts a new one. Resolves when the thread has exited.
   */
  async terminate(reason = 'the fit worker was stopped'): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.stopped(new WorkerStoppedError(reason, false));
    await w.terminate();
  }

  dispose(): void {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new WorkerStoppedError('the fit worker was disposed', false));
    this.pending.clear();
    if (w) void w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.options.workerPath, {
      name: 'em-workbench-fit',
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb },
    });
    this.starts++;
    this.live.add(w);
    w.unref(); // an idle worker must not keep a process (a test runner) alive; ref'd while work is pending
    w.on('message', (m: FromWorkerMessage) => this.receive(m));
    w.on('error', (e: Error & { code?: string }) => {
      if (this.worker !== w) return;
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const message = oom
        ? `the fit ran out of memory (the worker's heap limit is ${this.options.maxOldGenerationSizeMb} MB): try fewer rows or columns, fewer components, or a larger emWorkbench.workerMemoryMb`
        : `the fit worker crashed: ${e.message}`;
      this.stopped(new WorkerStoppedError(message, oom));
    });
    w.on('exit', (code) => {
      this.live.delete(w);
      if (this.worker !== w) return;
      this.stopped(new WorkerStoppedError(`the fit worker stopped unexpectedly (exit code ${code})`, false));
    });
    this.worker = w;
    return w;
  }

  private stopped(error: WorkerStoppedError): void {
    this.worker = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
    this.options.onStopped?.(error);
  }

  private receive(m: FromWorkerMessage): void {
    this.receiveOne(m);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private receiveOne(m: FromWorkerMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return; // the request was rejected already (worker restarted): nothing waits for it
    switch (m.type) {
      case 'fitProgress':
        p.onProgress?.(m.progress);
        return;
      case 'failed':
        this.pending.delete(m.id);
        p.reject(failureToError(m.failure));
        return;
      case 'fitDone':
      case 'posteriorPage':
      case 'posteriorAtLine':
      case 'dataSample':
      case 'posteriorsExported':
      case 'datasetChecked':
        this.pending.delete(m.id);
        if (m.type !== p.expects) p.reject(new Error(`the fit worker answered request ${m.id} with "${m.type}", expected "${p.expects}"`));
        else p.resolve(m);
        return;
      default: {
        const never: never = m;
        throw new Error(`unknown worker message ${JSON.stringify(never)}`);
      }
    }
  }
}

const EXPECTED_REPLY: Readonly<Record<WorkerRequest['type'], FromWorkerMessage['type']>> = {
  fit: 'fitDone',
  posteriorPage: 'posteriorPage',
  posteriorAtLine: 'posteriorAtLine',
  dataSample: 'dataSample',
  exportPosteriors: 'posteriorsExported',
  checkDataset: 'datasetChecked',
};
