/**
 * An E-step pool thread (built as dist/estep-worker.js): a pure message switch over
 * ToEStepThread. It holds the prepared data of the current fit (large arrays shared with the
 * other threads, see sharedData.ts), its chunks, and the family rebuilt from the model file,
 * and answers each E-step request with its block's nodes of the reduction tree (chunkTree.ts).
 * It never imports vscode and keeps no state between fits beyond the last data loaded.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ModelFamily, UnitRange } from '../engine/family';
import { familyFor } from '../engine/registry';
import { reduceBlock } from './chunkTree';
import { serializeError } from './estepProtocol';
import type { EStepThreadData, FromEStepThread, ToEStepThread } from './estepProtocol';
import { lowerThreadPriority } from './threadPriority';

interface Loaded {
  readonly dataId: number;
  readonly family?: ModelFamily<unknown, unknown, unknown>;
  readonly data: unknown;
  readonly chunks: readonly UnitRange[];
  /** Why the family could not be rebuilt (reported by every E-step on this data). */
  readonly failure?: unknown;
}

/** The message switch, apart from the thread so that it can be driven directly. */
export function createEStepHandler(post: (message: FromEStepThread) => void): (message: ToEStepThread) => void {
  let loaded: Loaded | undefined;
  return function handle(m: ToEStepThread): void {
    switch (m.type) {
      case 'load':
        // the previous fit's data are dropped here (its shared buffers go when every thread lets go)
        try {
          loaded = { dataId: m.dataId, family: familyFor(m.recipe.model, m.recipe.components !== undefined ? { components: m.recipe.components } : {}), data: m.data, chunks: m.chunks };
        } catch (e) {
          loaded = { dataId: m.dataId, data: undefined, chunks: [], failure: e };
        }
        return;
      case 'eStep': {
        try {
          if (loaded === undefined || loaded.dataId !== m.dataId) throw new Error(`E-step thread: data ${m.dataId} was not loaded`);
          const { family, data, chunks } = loaded;
          if (family === undefined) throw loaded.failure;
          const nodes = reduceBlock(chunks.length, m.block, (c) => family.eStep(data, m.params, chunks[c]), family.merge);
          post({ type: 'eStepDone', id: m.id, nodes });
        } catch (e) {
          post({ type: 'eStepFailed', id: m.id, error: serializeError(e) });
        }
        return;
      }
      default: {
        const never: never = m;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  };
}

const threadData = workerData as EStepThreadData | undefined;
if (!isMainThread && parentPort && threadData?.role === 'estep') {
  if (threadData.lowerPriority) lowerThreadPriority();
  const port = parentPort;
  const handle = createEStepHandler((message) => port.postMessage(message));
  port.on('message', (message: ToEStepThread) => handle(message));
}
