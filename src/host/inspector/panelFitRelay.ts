/**
 * What one inspector panel tells its webview about the fits of its model file, from the data
 * source's events: a new run, the progress of a running fit (kept, for a webview that loads
 * mid-fit), and the end of a fit, so that a fit that fails, is cancelled before its first
 * iteration, or only recomputes a stored run's posteriors is not shown as running forever.
 * The progress of the panel's own missing-data comparison is held back: those fits are not the
 * model's run. Imports nothing of VS Code (tested as is in test/unit/inspectorFitStatus.test.ts).
 */
import type { FitEndedMessage, InitMessage, ToWebviewMessage } from '../../shared/inspectorProtocol';
import type { FitProgress, RunRecord } from '../../shared/runs';
import type { FitEnd } from '../inspectorDataSource';

export class PanelFitRelay {
  private lastProgress: FitProgress | undefined;
  /** Comparisons of missing-data strategies in flight (their fits report progress for this model file too). */
  private comparing = 0;

  constructor(readonly modelPath: string) {}

  /** The message for the webview when a run of any model changed; undefined: nothing to send. */
  runChanged(run: RunRecord): ToWebviewMessage | undefined {
    if (run.modelPath !== this.modelPath) return undefined;
    this.lastProgress = undefined;
    return { type: 'runChanged', run };
  }

  progress(progress: FitProgress): ToWebviewMessage | undefined {
    if (progress.modelPath !== this.modelPath || this.comparing > 0) return undefined;
    this.lastProgress = progress;
    return { type: 'progress', progress };
  }

  /** A fit ended: the webview stops showing it as running (a comparison's end is the answer to its request). */
  fitEnded(end: FitEnd): FitEndedMessage | undefined {
    if (end.modelPath !== this.modelPath || end.purpose === 'compare') return undefined;
    this.lastProgress = undefined;
    return { type: 'fitEnded', purpose: end.purpose, outcome: end.outcome, ...(end.message !== undefined ? { message: end.message } : {}) };
  }

  /** The fields of `init` about fits: the running fit's latest progress, else the last Run EM's failure. */
  initFields(lastFailure: string | undefined): Pick<InitMessage, 'progress' | 'failure'> {
    if (this.lastProgress) return { progress: this.lastProgress };
    return lastFailure !== undefined ? { failure: lastFailure } : {};
  }

  beginComparison(): void {
    this.comparing++;
  }

  endComparison(): void {
    this.comparing--;
  }
}
