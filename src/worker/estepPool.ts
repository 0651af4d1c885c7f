/**
 * The pool of E-step threads: worker threads (estepThread.ts, built as dist/estep-worker.js)
 * that hold a fit's prepared data, shared through SharedArrayBuffers (sharedData.ts), and
 * E-step blocks of its chunks on request (chunkedExecutor.ts sends the requests, one per
 * thread per iteration, and completes the reduction).
 *
 * Lifetime: threads start when a pool is made (by the fit job, only for data large enough, see
 * shardPlan.ts) and stop at close(), which the fit job calls when the fit ends, however it
 * ends. An idle pool does not keep the process alive (threads are unref'd while nothing is
 * pending). A thread that throws rejects its request with the same error (an InputError keeps
 * its file and line); a thread that dies rejects its pending requests and breaks the pool.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';
import type { UnitRange } from '../engine/family';
import type { ReducedNode } from './chunkTree';
import { deserializeError } from './estepProtocol';
import type { EStepThreadData, FamilyRecipe, FromEStepThread, ToEStepThread } from './estepProtocol';

/** File name of the built thread entry, beside dist/cli.js and dist/worker.js. */
export const ESTEP_WORKER_FILE = 'estep-worker.js';

/** Threads to use: `requested`, or every available core when it is 0 (fit.threads, --threads, the setting). */
export function resolveThreadCount(requested: number): number {
  if (Number.isInteger(requested) && requested > 0) return requested;
  return Math.max(1, availableParallelism());
}

/**
 * The built thread entry: beside this bundle (dist/cli.js, dist/worker.js), else in the build
 * folder (EMW_DIST, default dist) of a folder above it (tests run from out-x/test/unit).
 * Undefined when it is not built.
 */
export function findEStepWorkerEntry(from: string = __dirname): string | undefined {
  const beside = join(from, ESTEP_WORKER_FILE);
  if (existsSync(beside)) return beside;
  const dist = process.env.EMW_DIST || 'dist';
  let dir = from;
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, dist, ESTEP_WORKER_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Every pool thread started in this process and not yet exited (no thread outlives its fit). */
const liveThreads = new Set<Worker>();

/** Number of E-step threads alive in this process. */
export function liveEStepThreads(): number {
  return liveThreads.size;
}

interface Pending {
  readonly resolve: (nodes: readonly ReducedNode<unknown>[]) => void;
  readonly reject: (e: Error) => void;
}

/** One pool thread and its requests in flight. */
class PoolThread {
  readonly worker: Worker;
  /** Resolves when the thread has exited (for any reason). */
  readonly exited: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  /** Set when the thread failed (crash, exit) or was stopped: every later request rejects with it. */
  private failure: Error | undefined;
  private closing = false;

  constructor(entry: string, index: number, lowerPriority: boolean) {
    const data: EStepThreadData = { role: 'estep', lowerPriority };
    this.worker = new Worker(entry, { workerData: data, name: `em-estep-${index}` });
    liveThreads.add(this.worker);
    this.worker.unref();
    this.exited = new Promise<void>((resolve) => {
      this.worker.once('exit', (code) => {
        liveThreads.delete(this.worker);
        if (!this.closing) this.fail(new Error(`an E-step thread stopped unexpectedly (exit code ${code})`));
        resolve();
      });
    });
    this.worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
    this.worker.on('messageerror', (e) => this.fail(new Error(`an E-step thread's answer could not be read: ${e.message}`)));
    this.worker.on('message', (m: FromEStepThread) => this.settle(m));
  }

  post(message: ToEStepThread): void {
    this.worker.postMessage(message);
  }

  request(message: ToEStepThread & { type: 'eStep' }): Promise<readonly ReducedNode<unknown>[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<readonly ReducedNode<unknown>[]>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref(); // keep the process alive while a shard is out
      this.worker.postMessage(message);
    });
  }

  private settle(m: FromEStepThread): void {
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker.unref();
    switch (m.type) {
      case 'eStepDone':
        p.resolve(m.nodes);
        return;
      case 'eStepFailed':
        p.reject(deserializeError(m.error));
        return;
      default: {
        const never: never = m;
        p.reject(new Error(`unknown answer from an E-step thread: ${JSON.stringify(never)}`));
      }
    }
  }

  /** Terminate the thread (its pending requests reject); resolves once it has exited. */
  async stop(): Promise<void> {
    this.closing = true;
    this.fail(new Error('the E-step pool is closed'));
    await this.worker.terminate();
    await this.exited;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.worker.unref();
  }
}

export interface EStepPoolOptions {
  /** The built thread entry (default: findEStepWorkerEntry()). */
  readonly entry?: string;
  /** Lower the threads' scheduling priority (default: when the pool is started from a worker thread, i.e. the extension's fit worker). */
  readonly lowerPriority?: boolean;
}

/** A pool of E-step threads. chunkedExecutor runs a fit's E-steps on it; close() when done. */
export class EStepPool {
  private readonly threads: PoolThread[];
  private nextDataId = 0;
  private nextRequestId = 0;
  private closed: Promise<void> | undefined;

  /** Start `size` threads. Throws when the thread entry is not built. */
  constructor(size: number, options: EStepPoolOptions = {}) {
    const entry = options.entry ?? findEStepWorkerEntry();
    if (entry === undefined || !existsSync(entry)) throw new Error(`the E-step thread entry ${entry ?? ESTEP_WORKER_FILE} is not built (run the build)`);
    const lowerPriority = options.lowerPriority ?? !isMainThread;
    this.threads = Array.from({ length: Math.max(0, Math.floor(size)) }, (_, i) => new PoolThread(entry, i, lowerPriority));
  }

  get size(): number {
    return this.threads.length;
  }

  /**
   * Hand `data` and its `chunks` to every thread (posted once: its shared arrays are not
   * copied) with the recipe of its family. Returns the id E-step requests name it by; a later
   * load replaces it.
   */
  load(recipe: FamilyRecipe, data: unknown, chunks: readonly UnitRange[]): number {
    this.assertOpen();
    const dataId = ++this.nextDataId;
    for (const t of this.threads) t.post({ type: 'load', dataId, recipe, data, chunks });
    return dataId;
  }

  /** E-step of the chunks `block` of the data `dataId` in thread `thread` under `params`: the block's tree nodes. */
  eStep(thread: number, dataId: number, params: unknown, block: UnitRange): Promise<readonly ReducedNode<unknown>[]> {
    if (this.closed) return Promise.reject(new Error('the E-step pool is closed'));
    return this.threads[thread].request({ type: 'eStep', id: ++this.nextRequestId, dataId, params, block });
  }

  /** Stop every thread; resolves once all have exited. Pending requests reject. Idempotent. */
  close(): Promise<void> {
    this.closed ??= Promise.all(
      this.threads.map(async (t) => {
        await t.stop();
      }),
    ).then(() => undefined);
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the E-step pool is closed');
  }
}
