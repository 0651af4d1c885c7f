/**
 * The one fit of the moment (the worker is one thread: one fit at a time) and the refusal of
 * another while it runs. The refusal says what runs, in the user's words: a recompute of a
 * stored run's posteriors is started by the inspector, not by the user, so "a fit is running"
 * alone would leave them wondering which fit. No vscode import (unit-tested as is).
 */
import { basename } from 'node:path';
import type { FitProgress } from '../shared/runs';

/** What the worker is doing for the user now. */
export interface RunningState {
  readonly modelPath: string;
  /** "run": Run EM; "compare": the missing-data comparison; "recompute": posteriors of a stored run. */
  readonly purpose: 'run' | 'compare' | 'recompute';
  readonly startedAt: number;
  readonly progress?: FitProgress;
}

/** What runs, for a sentence: "the inspector is recomputing the posteriors of a.em.json (...)". */
export function describeRunning(running: RunningState): string {
  const name = basename(running.modelPath);
  const p = running.progress;
  const at = p ? `, iteration ${p.iteration}/${p.maxIterations}` : '';
  switch (running.purpose) {
    case 'run':
      return `a fit of ${name} is running${p ? ` (iteration ${p.iteration}/${p.maxIterations})` : ''}`;
    case 'compare':
      return `the missing-data comparison of ${name} is running${p ? ` (iteration ${p.iteration}/${p.maxIterations})` : ''}`;
    case 'recompute':
      return `the inspector is recomputing the posteriors of ${name} (a refit of its last run, which the fit worker no longer held${at})`;
    default: {
      const never: never = running.purpose;
      throw new Error(`unknown purpose ${String(never)}`);
    }
  }
}

/** Another fit is running (one at a time: the worker is one thread). */
export class FitBusyError extends Error {
  constructor(readonly running: RunningState) {
    super(`${describeRunning(running)}, and the fit worker runs one fit at a time: cancel it (EM: Cancel EM) or wait for it to finish`);
    this.name = 'FitBusyError';
  }
}
