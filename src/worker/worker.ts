/**
 * The fit worker: a worker_threads entry (dist/worker.js) that is a pure message switch over
 * ToWorkerMessage (src/shared/protocol.ts). It runs fits through runFitJob, keeps the last
 * kept fit's posteriors and dataset per model file, and answers pages, rows and samples from
 * them. It never imports vscode; the host side is src/host/workerClient.ts.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { CancelledError, InputError } from '../shared/errors';
import { CANCEL_FLAG_INDEX, reproducesLogLikelihood } from '../shared/protocol';
import type { FitRequest, FromWorkerMessage, ToWorkerMessage, WorkerFailure } from '../shared/protocol';
import { dataSample } from './dataSample';
import { parseDataset, readDataset } from '../data/csvReader';
import { loadModelFile, readOptionsFor, runFitJob, writePosteriorsCsv } from './fitJob';
import { HeldRuns } from './heldRuns';
import { posteriorPage, rowAtLine, rowValues } from './posteriorPages';
import { lowerThreadPriority } from './threadPriority';

export type Post = (message: FromWorkerMessage) => void;

/** User errors, cancellation and bugs, as plain data for the host. */
export function toFailure(e: unknown): WorkerFailure {
  if (e instanceof InputError) return { kind: 'input', error: e.toJSON() };
  if (e instanceof CancelledError) return { kind: 'cancelled' };
  if (e instanceof Error) return { kind: 'internal', message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
  return { kind: 'internal', message: String(e) };
}

/** The message switch, apart from the thread so that it can be driven directly. */
export function createWorkerHandler(post: Post): (message: ToWorkerMessage) => Promise<void> {
  const held = new HeldRuns();

  async function fit(m: FitRequest): Promise<void> {
    const flag = new Int32Array(m.cancelFlag);
    let lastPost = -Infinity;
    const output = await runFitJob(m.modelPath, {
      ...m.overrides,
      snapshots: m.snapshots,
      // leave a core to the editor: the host thread must stay responsive during a fit
      defaultThreads: Math.max(1, availableParallelism() - 1),
      // read straight from shared memory: no message can reach a thread that is busy fitting
      isCancelled: () => Atomics.load(flag, CANCEL_FLAG_INDEX) !== 0,
      onProgress: (p, history) => {
        const now = performance.now();
        if (now - lastPost < m.progressIntervalMs && p.iteration > 0) return;
        lastPost = now;
        post({ type: 'fitProgress', id: m.id, progress: { modelPath: m.modelPath, ...p, history: history.slice() } });
      },
    });
    // a recompute that was cut short or came out different is not the stored run: not kept under its id
    const reproduced = m.reproduces === undefined || (output.result.stopReason !== 'cancelled' && reproducesLogLikelihood(m.reproduces.logLikelihood, output.result.logLikelihood));
    const keep = m.keep && reproduced;
    if (keep) held.keep(m.modelPath, m.runId, output.posteriors, output.dataset);
    post({
      type: 'fitDone',
      id: m.id,
      result: output.result,
      dataPath: output.model.data.path,
      posteriorColumns: keep ? output.posteriors.columns : [],
      rowCount: output.dataset.rowCount,
    });
  }

  return async function handle(m: ToWorkerMessage): Promise<void> {
    const type = m.type;
    try {
      switch (m.type) {
        case 'fit':
          await fit(m);
          return;
        case 'posteriorPage': {
          const found = held.find(m.modelPath, m.runId);
          if (!found.ok) return post({ type: 'failed', id: m.id, failure: { kind: 'notHeld', message: found.message } });
          const order = m.sortColumn !== undefined ? held.order(found.run, m.sortColumn, m.descending === true) : undefined;
          post({ type: 'posteriorPage', id: m.id, page: posteriorPage(found.run.posteriors, m.offset, m.limit, order) });
          return;
        }
        case 'posteriorAtLine': {
          const found = held.find(m.modelPath, m.runId);
          if (!found.ok) return post({ type: 'failed', id: m.id, failure: { kind: 'notHeld', message: found.message } });
          const { dataset, posteriors } = found.run;
          const i = rowAtLine(dataset.lines, m.line);
          if (i < 0 || i >= posteriors.rowCount) return post({ type: 'posteriorAtLine', id: m.id });
          const lastLine = i + 1 < dataset.lines.length ? Math.max(dataset.lines[i], dataset.lines[i + 1] - 1) : dataset.lines[i];
          post({
            type: 'posteriorAtLine',
            id: m.id,
            row: {
              index: i,
              firstLine: dataset.lines[i],
              lastLine,
              ...(dataset.weights ? { weight: dataset.weights[i] } : {}),
              columns: posteriors.columns,
              values: rowValues(posteriors, i),
            },
          });
          return;
        }
        case 'dataSample': {
          const found = held.find(m.modelPath, m.runId);
          if (!found.ok) return post({ type: 'failed', id: m.id, failure: { kind: 'notHeld', message: found.message } });
          post({ type: 'dataSample', id: m.id, sample: dataSample(found.run.dataset, found.run.posteriors, m.columns, m.maxPoints) });
          return;
        }
        case 'exportPosteriors': {
          const found = held.find(m.modelPath, m.runId);
          if (!found.ok) return post({ type: 'failed', id: m.id, failure: { kind: 'notHeld', message: found.message } });
          await writePosteriorsCsv(found.run.posteriors, m.outPath);
          post({ type: 'posteriorsExported', id: m.id, outPath: m.outPath, rows: found.run.posteriors.rowCount });
          return;
        }
        case 'checkDataset': {
          const model = await loadModelFile(m.modelPath);
          const dataPath = model.data.path;
          const options = readOptionsFor(model);
          try {
            const dataset = m.text !== undefined ? parseDataset(m.text, dataPath, options) : await readDataset(dataPath, options);
            post({ type: 'datasetChecked', id: m.id, dataPath, rows: dataset.rowCount });
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            post({ type: 'datasetChecked', id: m.id, dataPath, problem: e.toJSON() });
          }
          return;
        }
        case 'release':
          held.release(m.modelPath);
          return;
        default: {
          const never: never = m;
          throw new Error(`unknown message ${JSON.stringify(never)}`);
        }
      }
    } catch (e) {
      if (type !== 'release' && 'id' in m) post({ type: 'failed', id: m.id, failure: toFailure(e) });
      else throw e;
    }
  };
}

if (!isMainThread && parentPort) {
  lowerThreadPriority();
  const port = parentPort;
  const handle = createWorkerHandler((message) => port.postMessage(message));
  port.on('message', (message: ToWorkerMessage) => void handle(message));
}
