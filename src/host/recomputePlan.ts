/**
 * How to refit a stored run to recompute its posteriors (the worker lost them: restarted,
 * reloaded). A fit is deterministic (file, data, seed), so the same overrides give the same
 * run, except for a run that was cancelled: it stopped at an iteration the overrides do not
 * say. Refitting it as it was asked for would run to maxIterations (possibly a very long fit
 * nobody asked for) and then not match. A run cancelled in its only (first) start is the same
 * start stopped at the same iteration: `maxIterations` = its iterations, one start. A run
 * cancelled in a later start whose best start came before it is the same as a run of only the
 * starts before the cancel (each start has its own seed, seed + r). A run whose best start is
 * the cancelled one, after complete ones, cannot be replayed (each earlier start ran to its own
 * end, this one stopped early): refused before any fit. No vscode import (unit-tested as is).
 */
import type { FitOverrides } from '../shared/modelSpec';
import type { FitResult } from '../shared/results';

export type RecomputePlan = { readonly ok: true; readonly overrides: FitOverrides } | { readonly ok: false; readonly reason: string };

export function recomputePlan(result: FitResult, overrides: FitOverrides): RecomputePlan {
  const cancelledStart = result.restarts.findIndex((s) => s.stopReason === 'cancelled');
  if (cancelledStart < 0) return { ok: true, overrides };
  if (cancelledStart === 0) return { ok: true, overrides: { ...overrides, restarts: 1, maxIterations: result.restarts[0].iterations } };
  const best = result.restarts.findIndex((s) => s.logLikelihood === result.logLikelihood && s.iterations === result.iterations);
  if (best >= 0 && best < cancelledStart) return { ok: true, overrides: { ...overrides, restarts: cancelledStart } };
  return {
    ok: false,
    reason: `this run was cancelled during its start ${cancelledStart + 1}, so a refit cannot reproduce it and its posteriors cannot be recomputed: run EM again to see posteriors`,
  };
}
