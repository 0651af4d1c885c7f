/**
 * What the inspector shows about its model's fits, folded from the host's push messages: the
 * last good run, the fit running now (its live curves, the header's "running"), and why the last
 * fit failed. A fit that fails or is cancelled before its first iteration stops being shown as
 * running, and the last good run stays in view with the reason beside it; the next fit's first
 * progress, or a new run, clears the reason.
 */
import type { FitEndedMessage, InitMessage, ProgressMessage, RunChangedMessage } from '../../../src/shared/inspectorProtocol';
import type { RunRecord } from '../../../src/shared/runs';
import { applyProgress, type LiveFit } from './convergenceSeries';

export interface FitStatus {
  /** The model's last good run. */
  readonly run?: RunRecord;
  /** A fit of the model that is running now. */
  readonly live?: LiveFit;
  /** Why the last fit ended without a run, for the status line (absent while a fit runs). */
  readonly failure?: string;
}

export type FitStatusMessage = InitMessage | RunChangedMessage | ProgressMessage | FitEndedMessage;

/** `what failed: why.` and, with a run, that it is the last good one (host messages may end in a full stop already). */
function notice(what: string, why: string, hasRun: boolean): string {
  return `${what}: ${why.replace(/[.\s]+$/, '')}.${hasRun ? ' The last good run is shown.' : ''}`;
}

/** The status line for a fit that ended without a new run (undefined: it succeeded). */
export function fitEndNotice(m: FitEndedMessage, hasRun: boolean): string | undefined {
  if (m.outcome === 'succeeded') return undefined;
  const what = `${m.purpose === 'recompute' ? 'Recomputing the posteriors' : 'Run EM'} ${m.outcome === 'cancelled' ? 'was cancelled' : 'failed'}`;
  return notice(what, m.message ?? (m.outcome === 'cancelled' ? 'cancelled' : 'no reason given'), hasRun);
}

export function foldFitStatus(status: FitStatus, m: FitStatusMessage): FitStatus {
  switch (m.type) {
    case 'init': {
      const run = m.run ? { run: m.run } : {};
      if (m.progress) return { ...run, live: applyProgress(undefined, m.progress) };
      return { ...run, ...(m.failure !== undefined ? { failure: notice('Run EM failed', m.failure, m.run !== undefined) } : {}) };
    }
    case 'runChanged':
      return { run: m.run };
    case 'progress':
      // a fit runs: the last one's failure is history
      return { ...(status.run ? { run: status.run } : {}), live: applyProgress(status.live, m.progress) };
    case 'fitEnded': {
      const run = status.run ? { run: status.run } : {};
      const failure = fitEndNotice(m, status.run !== undefined);
      if (failure !== undefined) return { ...run, failure };
      // succeeded: a Run EM's run came with runChanged just before; a recompute changes no run
      return { ...run, ...(status.failure !== undefined ? { failure: status.failure } : {}) };
    }
    default: {
      const never: never = m;
      throw new Error(`unhandled message ${JSON.stringify(never)}`);
    }
  }
}
