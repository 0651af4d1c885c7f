// The inspector after a fit that fails: the panel's relay (src/host/inspector/panelFitRelay.ts)
// turns the data source's events into messages, and the webview folds them into what it shows
// (webview/src/model/fitStatus.ts). A failed or cancelled fit must stop showing as running, keep
// the last good run, and say why; a webview that loads after the failure must not show a stale
// "running" either. The two halves are composed here as the panel and the webview compose them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelFitRelay } from '../../src/host/inspector/panelFitRelay';
import type { FitEnd } from '../../src/host/inspectorDataSource';
import type { InitMessage, ToWebviewMessage } from '../../src/shared/inspectorProtocol';
import type { FitProgress, RunRecord } from '../../src/shared/runs';
import { fitEndNotice, foldFitStatus, type FitStatus, type FitStatusMessage } from '../../webview/src/model/fitStatus';
import { fitExample2 } from './webviewTestRuns';

const MODEL = '/work/models/example2.em.json';
const OTHER = '/work/models/other.em.json';

async function runOf(maxIterations: number, id: string): Promise<RunRecord> {
  return { id, modelPath: MODEL, dataPath: '/work/models/example2.csv', startedAt: '2024-01-01T00:00:00.000Z', result: await fitExample2(maxIterations) };
}

function progress(iteration: number, modelPath = MODEL): FitProgress {
  return { modelPath, restart: 0, restarts: 1, iteration, maxIterations: 100, logLikelihood: -14 + iteration / 100, history: Array.from({ length: iteration + 1 }, (_, i) => -14 + i / 100) };
}

/** The webview's side: fold what the panel sent (undefined: nothing sent) into the status. */
function webview(status: FitStatus, ...messages: (ToWebviewMessage | undefined)[]): FitStatus {
  let s = status;
  for (const m of messages) if (m) s = foldFitStatus(s, m as FitStatusMessage);
  return s;
}

function init(relay: PanelFitRelay, run: RunRecord | undefined, lastFailure: string | undefined): InitMessage {
  return { type: 'init', modelPath: MODEL, ...(run ? { run } : {}), ...relay.initFields(lastFailure), capabilities: { dataSample: true } };
}

test('a Run EM that fails mid-fit: no longer running, the last good run kept, the reason shown', async () => {
  const good = await runOf(10, 'good');
  const relay = new PanelFitRelay(MODEL);
  let shown = webview({}, init(relay, good, undefined));
  assert.equal(shown.run?.id, 'good');
  assert.equal(shown.live, undefined);

  shown = webview(shown, relay.progress(progress(1)), relay.progress(progress(2)));
  assert.equal(shown.live?.iteration, 2, 'running');
  assert.equal(shown.run?.id, 'good', 'the last run stays in view while the next one runs');

  const failure: FitEnd = { modelPath: MODEL, purpose: 'run', outcome: 'failed', message: 'the fit worker stopped (killed)' };
  const sent = relay.fitEnded(failure);
  assert.deepEqual(sent, { type: 'fitEnded', purpose: 'run', outcome: 'failed', message: 'the fit worker stopped (killed)' });
  shown = webview(shown, sent);
  assert.equal(shown.live, undefined, 'not running any more');
  assert.equal(shown.run?.id, 'good', 'the last good run is kept');
  assert.equal(shown.failure, 'Run EM failed: the fit worker stopped (killed). The last good run is shown.');

  // the webview reloads (or the panel is opened again): no stale progress, the failure again
  const reloaded = webview({}, init(relay, good, failure.message));
  assert.equal(reloaded.live, undefined);
  assert.equal(reloaded.failure, 'Run EM failed: the fit worker stopped (killed). The last good run is shown.');

  // the next Run EM: its progress clears the failure, its run replaces the good one
  shown = webview(shown, relay.progress(progress(1)));
  assert.equal(shown.failure, undefined);
  assert.equal(shown.live?.iteration, 1);
  const next = await runOf(20, 'next');
  shown = webview(shown, relay.runChanged(next), relay.fitEnded({ modelPath: MODEL, purpose: 'run', outcome: 'succeeded' }));
  assert.deepEqual([shown.run?.id, shown.live, shown.failure], ['next', undefined, undefined]);
});

test('the panel forgets the progress of a fit that ended: a webview loading later is not told it runs', () => {
  const relay = new PanelFitRelay(MODEL);
  const stale = webview({}, init(relay, undefined, undefined), relay.progress(progress(3)));
  assert.equal(stale.live?.iteration, 3);
  // a webview loading during the fit is told it runs (the panel kept this progress forever
  // before fits had an end: every later load showed "running")
  assert.equal(relay.initFields(undefined).progress?.iteration, 3);
  relay.fitEnded({ modelPath: MODEL, purpose: 'run', outcome: 'failed', message: 'x' });
  assert.deepEqual(relay.initFields(undefined), {});
  assert.deepEqual(relay.initFields('x'), { failure: 'x' });
});

test('a failure with no run yet; an InputError text ending in a full stop; a cancel before the first iteration', () => {
  const relay = new PanelFitRelay(MODEL);
  let shown = webview({}, init(relay, undefined, undefined), relay.progress(progress(1)));
  shown = webview(shown, relay.fitEnded({ modelPath: MODEL, purpose: 'run', outcome: 'failed', message: '/w/data.csv: this file changed while it was being read (it was written to during the read): read it again once it is saved.' }));
  assert.deepEqual(shown, { failure: 'Run EM failed: /w/data.csv: this file changed while it was being read (it was written to during the read): read it again once it is saved.' });
  shown = webview(shown, relay.fitEnded({ modelPath: MODEL, purpose: 'run', outcome: 'cancelled', message: 'cancelled before the first iteration' }));
  assert.deepEqual(shown, { failure: 'Run EM was cancelled: cancelled before the first iteration.' });
});

test('a recompute of posteriors runs and ends: running, then not; its failure is named as such', async () => {
  const good = await runOf(10, 'good');
  const relay = new PanelFitRelay(MODEL);
  let shown = webview({}, init(relay, good, undefined), relay.progress(progress(4)));
  assert.ok(shown.live);
  // a recompute makes no new run: before fitEnded nothing ended its "running"
  shown = webview(shown, relay.fitEnded({ modelPath: MODEL, purpose: 'recompute', outcome: 'succeeded' }));
  assert.deepEqual([shown.run?.id, shown.live, shown.failure], ['good', undefined, undefined]);
  shown = webview(shown, relay.progress(progress(1)), relay.fitEnded({ modelPath: MODEL, purpose: 'recompute', outcome: 'failed', message: 'the model file or its data changed since run good' }));
  assert.equal(shown.live, undefined);
  assert.equal(shown.failure, 'Recomputing the posteriors failed: the model file or its data changed since run good. The last good run is shown.');
});

test('other models and the panel\'s own comparison are not this panel\'s run', async () => {
  const good = await runOf(10, 'good');
  const relay = new PanelFitRelay(MODEL);
  assert.equal(relay.progress(progress(1, OTHER)), undefined);
  assert.equal(relay.fitEnded({ modelPath: OTHER, purpose: 'run', outcome: 'failed', message: 'x' }), undefined);
  assert.equal(relay.runChanged({ ...good, modelPath: OTHER }), undefined);
  relay.beginComparison();
  assert.equal(relay.progress(progress(1)), undefined, 'a comparison\'s progress is held back');
  assert.equal(relay.fitEnded({ modelPath: MODEL, purpose: 'compare', outcome: 'failed', message: 'x' }), undefined, 'its end is the answer to its request');
  relay.endComparison();
  assert.ok(relay.progress(progress(2)));
});

test('fitEndNotice: nothing for a success, what and why otherwise', () => {
  assert.equal(fitEndNotice({ type: 'fitEnded', purpose: 'run', outcome: 'succeeded' }, true), undefined);
  assert.equal(fitEndNotice({ type: 'fitEnded', purpose: 'run', outcome: 'failed' }, false), 'Run EM failed: no reason given.');
  assert.equal(fitEndNotice({ type: 'fitEnded', purpose: 'recompute', outcome: 'cancelled' }, true), 'Recomputing the posteriors was cancelled: cancelled. The last good run is shown.');
});
