/**
 * The threads of one fit job: decides, per prepared fit, how its E-step runs. Data with little
 * work: the family's E-step over every unit, as the driver does by default. Otherwise the
 * chunked E-step (chunkedExecutor.ts; chunks from shardPlan.ts): in this thread when one thread
 * is asked for, else over a pool whose threads share the data (sharedData.ts). Chunked results
 * are the same to the bit for every thread count. One pool serves every fit of the job (each K
 * of a model-selection list, every restart) and is closed by close(), which the job calls when
 * it ends, however it ends.
 */
import type { EStepExecutor, ModelFamily } from '../engine/family';
import { chunkedExecutor } from './chunkedExecutor';
import type { FamilyRecipe } from './estepProtocol';
import { EStepPool, type EStepPoolOptions } from './estepPool';
import { planChunks, unitCosts } from './shardPlan';
import { shareTypedArrays } from './sharedData';

/** How one fit's E-step runs. */
export interface EStepPlan<D, P, S> {
  /** The data to fit: the prepared data, or its copy with shared arrays when pooled. */
  readonly data: D;
  /** The chunked executor; undefined = the driver's E-step over every unit. */
  readonly executor?: EStepExecutor<P, S>;
  /** Threads the E-step runs on (1 = in this thread). */
  readonly threads: number;
  /** Why the E-step runs in one thread although more were asked for, when that is not by design. */
  readonly warning?: string;
}

export class FitThreads {
  private pool: EStepPool | undefined;
  private unavailable: string | undefined;

  /** `threads`: the resolved count (estepPool.ts resolveThreadCount), the calling thread included. */
  constructor(
    readonly threads: number,
    private readonly options: EStepPoolOptions = {},
  ) {}

  plan<D, P, S>(family: ModelFamily<D, P, S>, data: D, recipe: FamilyRecipe): EStepPlan<D, P, S> {
    const chunks = planChunks(unitCosts(family.kind, data));
    if (chunks.length < 2) return { data, threads: 1 };
    const threads = Math.min(this.threads, chunks.length);
    const pool = threads > 1 ? this.startPool(threads - 1) : undefined;
    if (pool === undefined) {
      return { data, executor: chunkedExecutor(family, data, chunks), threads: 1, ...(threads > 1 && this.unavailable !== undefined ? { warning: this.unavailable } : {}) };
    }
    const shared = shareTypedArrays(data);
    const used = Math.min(threads, pool.size + 1);
    return { data: shared, executor: chunkedExecutor(family, shared, chunks, { pool, recipe, threads: used }), threads: used };
  }

  /** Stop the pool's threads (if any were started); resolves when they have exited. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await pool.close();
  }

  /** The job's pool, started on first need with `size` threads (the first fit's blocks but the caller's; later fits of the job have the same data). */
  private startPool(size: number): EStepPool | undefined {
    if (this.pool === undefined && this.unavailable === undefined) {
      try {
        this.pool = new EStepPool(size, this.options);
      } catch (e) {
        // a build without the thread entry still fits, in one thread, and says so
        this.unavailable = `the E-step ran in one thread: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    return this.pool;
  }
}
