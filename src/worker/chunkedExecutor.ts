/**
 * The chunked E-step the EM driver calls once per iteration (an EStepExecutor, engine/family.ts):
 * the units are cut into chunks (shardPlan.ts planChunks), the chunks into one block per
 * thread (assignChunks), and the chunk outputs are merged by the fixed tree of chunkTree.ts.
 *
 * One iteration with T threads: the parameters go to pool threads 1..T-1 by postMessage
 * (small), the calling thread E-steps block 0 meanwhile (it would otherwise wait idle), each
 * thread answers with its block's tree nodes (a few sets of O(K D^2) statistics), and the
 * calling thread completes the tree. The data never move: the threads hold them (shared).
 * Whatever T, every tree node is computed by the same rule, so the result is the same to the
 * bit for 1, 2 or 16 threads; with T = 1 no pool is needed at all.
 */
import type { EStepExecutor, EStepOutput, ModelFamily, UnitRange } from '../engine/family';
import { nodeKey, reduceBlock, reduceNode, type ReducedNode } from './chunkTree';
import type { FamilyRecipe } from './estepProtocol';
import type { EStepPool } from './estepPool';
import { assignChunks } from './shardPlan';

/** The pool threads that take blocks 1..T-1, and what they need to rebuild the family. */
export interface ChunkThreads {
  readonly pool: EStepPool;
  readonly recipe: FamilyRecipe;
  /** Threads in all, the calling one included (at most pool.size + 1). */
  readonly threads: number;
}

/**
 * An executor over `chunks` of `data`: in this thread alone without `threads`, else spread
 * over the pool. `data` should already be shared (sharedData.ts shareTypedArrays) when pooled,
 * else each thread gets its own copy (once, not per iteration).
 */
export function chunkedExecutor<D, P, S>(family: ModelFamily<D, P, S>, data: D, chunks: readonly UnitRange[], threads?: ChunkThreads): EStepExecutor<P, S> {
  const count = chunks.length;
  if (count < 1) throw new Error('no chunks to E-step');
  const blocks = assignChunks(count, threads?.threads ?? 1);
  if (threads && blocks.length - 1 > threads.pool.size) throw new Error(`${blocks.length} blocks need ${blocks.length - 1} pool threads; the pool has ${threads.pool.size}`);
  const dataId = threads && blocks.length > 1 ? threads.pool.load(threads.recipe, data, chunks) : undefined;
  const merge = (a: S, b: S): S => family.merge(a, b);
  const root = { lo: 0, hi: count };

  return {
    async eStep(params: P): Promise<EStepOutput<S>> {
      if (dataId === undefined || threads === undefined) return reduceNode(root, (c) => family.eStep(data, params, chunks[c]), merge);
      const remote = blocks.slice(1).map((block, i) => threads.pool.eStep(i, dataId, params, block) as Promise<readonly ReducedNode<S>[]>);
      let local: ReducedNode<S>[] | undefined;
      let localError: unknown;
      try {
        local = reduceBlock(count, blocks[0], (c) => family.eStep(data, params, chunks[c]), merge);
      } catch (e) {
        localError = e;
      }
      // wait for every block, so that no answer of this iteration arrives during the next
      const answers = await Promise.allSettled(remote);
      if (local === undefined) throw localError;
      const known = new Map<string, EStepOutput<S>>();
      for (const node of local) known.set(nodeKey(node), node);
      for (const a of answers) {
        if (a.status === 'rejected') throw a.reason;
        for (const node of a.value) known.set(nodeKey(node), node);
      }
      return reduceNode(root, (c) => {
        throw new Error(`internal: chunk ${c} of the E-step was computed by no thread`);
      }, merge, known);
    },
  };
}

