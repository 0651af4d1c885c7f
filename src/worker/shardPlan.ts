/**
 * How an E-step is split: the units (rows, patterns or sequences) are cut into at most
 * MAX_CHUNKS contiguous chunks of about equal work, and the chunks into one contiguous block
 * per thread. The chunks depend on the data alone, never on the thread count: with the fixed
 * reduction tree of chunkTree.ts this makes the merged statistics the same to the bit whatever
 * the number of threads (and so on every machine, although `threads: 0` means a different
 * number of cores on each).
 *
 * Work per unit: a Gaussian mixture's rows cost alike; a bayesnet pattern costs one
 * junction-tree pass (nothing when it carries no weight); an HMM sequence costs its length.
 * Data with too little work are not chunked at all: one E-step over every unit, in one thread.
 */
import type { ModelKind } from '../shared/modelSpec';
import type { UnitRange } from '../engine/family';
import type { BayesNetData } from '../engine/bayesnet/types';
import type { GmmData } from '../engine/gmm/gmmData';
import type { HmmData } from '../engine/hmm/hmmData';

/**
 * Below this much work (in row-equivalents: see unitCosts) the E-step is not chunked and runs in
 * one thread: it takes a few milliseconds, about what passing messages to threads would cost.
 */
export const MIN_POOLED_WORK = 10_000;

/**
 * Chunks of a chunked E-step: enough to balance 2 to 8 threads within a few percent (a thread
 * gets whole chunks), few enough that at most 2 log2(64) partial sums per thread cross back.
 */
export const MAX_CHUNKS = 64;

/**
 * Least work per chunk (row-equivalents): each chunk's E-step call has a fixed cost (fresh
 * statistics; a bayesnet chunk sets up its clique potentials, about 30 us for a latent-class
 * tree), so data just above MIN_POOLED_WORK get a few chunks, not 64.
 */
export const MIN_CHUNK_WORK = 2_500;

/**
 * A bayesnet pattern's cost in row-equivalents per junction-tree table entry: a collect and a
 * distribute pass touch each entry a few times, against one mixture row's K x D work. It only
 * decides whether threads pay off (bench/pool/bench-estep-pool.ts: a latent-class E-step over
 * 576 patterns of a 54-entry tree takes about 1 ms, less than a pooled iteration's messages).
 */
const PATTERN_COST_PER_TREE_ENTRY = 1 / 8;

/** Per-unit cost of an E-step, and the number of units. */
export interface UnitCosts {
  readonly units: number;
  cost(unit: number): number;
}

/** The cost of each E-step unit of `data` for a family of kind `kind` (the registry's kinds). */
export function unitCosts(kind: ModelKind, data: unknown): UnitCosts {
  switch (kind) {
    case 'bayesnet':
    case 'latent-class': {
      const d = data as BayesNetData;
      let entries = 0;
      for (const c of d.tree.cliques) entries += c.size;
      const perPattern = Math.max(1, entries * PATTERN_COST_PER_TREE_ENTRY);
      const counts = d.patterns.counts;
      return { units: counts.length, cost: (p) => (counts[p] === 0 ? 0 : perPattern) };
    }
    case 'gaussian-mixture':
      return { units: (data as GmmData).units, cost: () => 1 };
    case 'hmm': {
      const sequences = (data as HmmData).sequences;
      const offsets = sequences.offsets;
      return { units: sequences.count, cost: (s) => offsets[s + 1] - offsets[s] };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown model kind ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Contiguous chunks covering [0, units), each holding about an equal share of the total cost:
 * as many as the cost allows at `minChunkWork` each, at least 2, at most `maxChunks`. A single
 * chunk (no chunking) when the total cost is below `minWork` or fewer than two units carry any
 * cost. Every chunk is non-empty.
 */
export function planChunks(costs: UnitCosts, minWork = MIN_POOLED_WORK, maxChunks = MAX_CHUNKS, minChunkWork = MIN_CHUNK_WORK): UnitRange[] {
  const n = costs.units;
  const whole: UnitRange[] = [{ start: 0, end: n }];
  if (n < 2) return whole;
  let total = 0;
  let costly = 0;
  for (let u = 0; u < n; u++) {
    const c = costs.cost(u);
    total += c;
    if (c > 0) costly++;
  }
  if (total < minWork || costly < 2) return whole;
  const count = Math.min(maxChunks, costly, Math.max(2, Math.floor(total / minChunkWork)));
  const chunks: UnitRange[] = [];
  let start = 0;
  let done = 0;
  for (let u = 0; u < n && chunks.length < count - 1; u++) {
    done += costs.cost(u);
    // cut after unit u once the chunks so far hold their share of the cost
    if (done >= (total * (chunks.length + 1)) / count) {
      chunks.push({ start, end: u + 1 });
      start = u + 1;
    }
  }
  if (start < n) chunks.push({ start, end: n });
  return chunks;
}

/**
 * Contiguous blocks of chunk indices, one per thread (at most `threads`, at most one per chunk),
 * the chunks dealt out as evenly as whole chunks allow: block t = [floor(t C / T), floor((t+1) C / T)).
 */
export function assignChunks(chunkCount: number, threads: number): UnitRange[] {
  const t = Math.max(1, Math.min(Math.floor(threads), chunkCount));
  return Array.from({ length: t }, (_, i) => ({ start: Math.floor((i * chunkCount) / t), end: Math.floor(((i + 1) * chunkCount) / t) }));
}
