/**
 * How an E-step is split: the units (rows, patterns or sequences) are cut into at most
 * MAX_CHUNKS contiguous chunks of about equal work, and the chunks into one contiguous block
 * per thread. The chunks depend on the data alone, never on the thread count: with the fixed
 * reduction tree of chunkTree.ts this makes the merged statistics the same to the bit whatever
 * the number of threads (and so on every machine, although `threads: 0` means a different
 * number of cores on each).
 *
 * Work per unit: a Gaussian mixture's rows cost alike; a bayesnet pattern costs one
 * junction-tree pass, a latent-class pattern one pass of its K x groups loop (either nothing
 * when it carries no weight); an HMM sequence costs its length.
 * Data with too little work are not chunked at all: one E-step over every unit, in one thread.
 */
import type { ModelKind } from '../shared/modelSpec';
import type { UnitRange } from '../engine/family';
import { columnGroups, latentClassShape } from '../engine/bayesnet/latentClassEStep';
import type { BayesNetData } from '../engine/bayesnet/types';
import type { GmmData } from '../engine/gmm/gmmData';
import type { HmmData } from '../engine/hmm/hmmData';

/**
 * Below this much work (in row-equivalents: see unitCosts) the E-step is not chunked and runs in
 * the calling thread, whatever the thread count. Measured (the machine of issue 7: 2 cores,
 * Node 20): a pooled iteration's messages (parameters out, each block's statistics back) cost
 * 0.1-0.15 ms over the E-step itself, so a second free core pays from about 0.3 ms of work;
 * a row-equivalent takes 60-190 ns (a 2-column, 3-component diagonal mixture row to an 8 x 8
 * one), so 10,000 of them are 0.6-1.9 ms: enough that the pool saves time with a free core and
 * costs little (0.1-0.4 ms) when the other cores are busy, as they were in that measurement.
 * Issue 7's latent-class case is 720 row-equivalents: it never starts the pool.
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
 * decides whether threads pay off (bench/pool/bench-estep-pool.ts: a junction-tree E-step over
 * 576 patterns of a 54-entry tree took about 1 ms, less than a pooled iteration's messages).
 */
const PATTERN_COST_PER_TREE_ENTRY = 1 / 8;

/**
 * A latent-class pattern's cost (engine/bayesnet/latentClassEStep.ts, no junction tree) in
 * row-equivalents: K x (G + 3) / LATENT_CLASS_STEPS_PER_ROW for K classes and G column groups
 * (each pattern adds G table rows of K entries, then a log-sum-exp and K sums per group).
 * Measured on issue 7's 2-core machine, compiled code, Node 20 (minimum of many E-steps; the
 * machine shared): 120 ns per pattern for 6 columns of 2-4 levels and K = 3 (G = 2), 230-350 ns
 * for 12 columns of 4 levels and K = 5 (G = 2), 590-890 ns for 20 columns of 3 levels with
 * blanks and K = 10 (G = 4), against 66 ns per row for a 2-column, 3-component diagonal mixture
 * and 196 ns for 8 columns and 8 components; the formula's 1.25, 2.1 and 5.8 rows lie within
 * those two rows' range. (The junction-tree figure above would say 6.75, 15 and 23.)
 */
const LATENT_CLASS_STEPS_PER_ROW = 12;

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
      const counts = d.patterns.counts;
      const perPattern = Math.max(1, bayesNetPatternCost(d));
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

/** Row-equivalents of one pattern's E-step: by the latent-class loop when the network has its shape, else by the junction tree. */
function bayesNetPatternCost(data: BayesNetData): number {
  const shape = latentClassShape(data.network);
  if (shape !== undefined) {
    const groups = columnGroups(shape, data.patterns).rowStart.length - 1;
    return (shape.classes * (groups + 3)) / LATENT_CLASS_STEPS_PER_ROW;
  }
  let entries = 0;
  for (const c of data.tree.cliques) entries += c.size;
  return entries * PATTERN_COST_PER_TREE_ENTRY;
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
