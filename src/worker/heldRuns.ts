/**
 * What the worker keeps of the last kept fit of each model file: its posteriors and its
 * dataset (for hovers, pages and samples), and the sort orders asked for so far. The host
 * keeps only the FitResult; a million rows stay here.
 */
import type { Dataset } from '../data/dataset';
import type { PosteriorTable } from '../engine/family';
import { sortedOrder } from './posteriorPages';

export interface HeldRun {
  readonly runId: string;
  readonly posteriors: PosteriorTable;
  readonly dataset: Dataset;
  /** Sort orders by `${column}:${descending}`, computed on first use. */
  readonly orders: Map<string, Uint32Array>;
}

export type Lookup = { readonly ok: true; readonly run: HeldRun } | { readonly ok: false; readonly message: string };

export class HeldRuns {
  private readonly byModel = new Map<string, HeldRun>();

  keep(modelPath: string, runId: string, posteriors: PosteriorTable, dataset: Dataset): void {
    this.byModel.set(modelPath, { runId, posteriors, dataset, orders: new Map() });
  }

  release(modelPath: string): void {
    this.byModel.delete(modelPath);
  }

  /** The held run `runId` of `modelPath`, or why it is not here. */
  find(modelPath: string, runId: string): Lookup {
    const run = this.byModel.get(modelPath);
    if (!run) return { ok: false, message: `the fit worker holds no posteriors for ${modelPath} (it was restarted, or the model was not run since the window was reloaded)` };
    if (run.runId !== runId) return { ok: false, message: `run ${runId} of ${modelPath} was replaced by run ${run.runId}` };
    return { ok: true, run };
  }

  /** The sort order of a held run by page column `column`, cached. */
  order(run: HeldRun, column: number, descending: boolean): Uint32Array {
    const key = `${column}:${descending}`;
    let order = run.orders.get(key);
    if (!order) {
      order = sortedOrder(run.posteriors, column, descending);
      run.orders.set(key, order);
    }
    return order;
  }
}
