// Messages from the webview are input: every field is checked before the host uses one, and
// anything malformed or unknown is refused with a reason for the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_DATA_SAMPLE_POINTS, MAX_POSTERIOR_PAGE_ROWS, parseViewState, parseWebviewMessage } from '../../src/shared/inspectorProtocol';

const ok = (raw: unknown): unknown => {
  const r = parseWebviewMessage(raw);
  assert.ok(r.ok, `expected ${JSON.stringify(raw)} to be accepted: ${r.ok ? '' : r.reason}`);
  return r.value;
};
const refused = (raw: unknown, reason: RegExp): void => {
  const r = parseWebviewMessage(raw);
  assert.equal(r.ok, false, `expected ${JSON.stringify(raw)?.slice(0, 120)} to be refused`);
  if (!r.ok) assert.match(r.reason, reason);
};

test('well-formed messages are accepted and copied', () => {
  assert.deepEqual(ok({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(ok({ type: 'requestPosteriorPage', requestId: 3, runId: 'r1', offset: 0, limit: 200 }), { type: 'requestPosteriorPage', requestId: 3, runId: 'r1', offset: 0, limit: 200 });
  assert.deepEqual(ok({ type: 'requestPosteriorPage', requestId: 4, runId: 'r1', offset: 999800, limit: 200, sortColumn: 2, descending: true }), { type: 'requestPosteriorPage', requestId: 4, runId: 'r1', offset: 999800, limit: 200, sortColumn: 2, descending: true });
  const columns = ['x', 'y'];
  const sample = ok({ type: 'requestDataSample', requestId: 5, runId: 'r1', columns, maxPoints: 5000 }) as { columns: string[] };
  assert.notEqual(sample.columns, columns, 'arrays are copied, not shared with the sender');
  ok({ type: 'compareMissingData', requestId: 6 });
  ok({ type: 'exportRunData', requestId: 7, runId: 'r1', what: 'posteriors-csv' });
  ok({ type: 'exportChart', requestId: 8, chart: 'convergence', format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' });
  ok({ type: 'exportChart', requestId: 9, chart: 'model-selection', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' });
  ok({ type: 'exportChart', requestId: 9, chart: 'scatter', format: 'svg', data: '<?xml version="1.0"?>\n<svg width="1"></svg>' });
  assert.deepEqual(ok({ type: 'log', level: 'error', message: 'x'.repeat(5000) }), { type: 'log', level: 'error', message: 'x'.repeat(2000) });
});

test('malformed and unknown messages are refused with a reason', () => {
  refused(null, /not an object/);
  refused([], /not an object/);
  refused('ready', /not an object/);
  refused({}, /no type tag/);
  refused({ type: 'deleteEverything' }, /unknown message type/);
  refused({ type: 'ready', extra: 1 }, /unexpected field/);
  refused({ type: 'requestPosteriorPage', requestId: -1, runId: 'r', offset: 0, limit: 10 }, /requestId/);
  refused({ type: 'requestPosteriorPage', requestId: 1.5, runId: 'r', offset: 0, limit: 10 }, /requestId/);
  refused({ type: 'requestPosteriorPage', requestId: 1, runId: '', offset: 0, limit: 10 }, /runId/);
  refused({ type: 'requestPosteriorPage', requestId: 1, runId: 'r', offset: -5, limit: 10 }, /offset/);
  refused({ type: 'requestPosteriorPage', requestId: 1, runId: 'r', offset: 0, limit: MAX_POSTERIOR_PAGE_ROWS + 1 }, /limit/);
  refused({ type: 'requestPosteriorPage', requestId: 1, runId: 'r', offset: 0, limit: 0 }, /limit/);
  refused({ type: 'requestPosteriorPage', requestId: 1, runId: 'r', offset: 0, limit: 10, sortColumn: '1' }, /sortColumn/);
  refused({ type: 'requestPosteriorPage', requestId: 1, runId: 'r', offset: 0, limit: 10, descending: 'yes' }, /descending/);
  refused({ type: 'requestDataSample', requestId: 1, runId: 'r', columns: [], maxPoints: 10 }, /columns/);
  refused({ type: 'requestDataSample', requestId: 1, runId: 'r', columns: ['x', 3], maxPoints: 10 }, /columns/);
  refused({ type: 'requestDataSample', requestId: 1, runId: 'r', columns: ['x'], maxPoints: MAX_DATA_SAMPLE_POINTS + 1 }, /maxPoints/);
  refused({ type: 'exportRunData', requestId: 1, runId: 'r', what: '../../etc/passwd' }, /what/);
  refused({ type: 'exportChart', requestId: 1, chart: '../evil', format: 'png', data: 'data:image/png;base64,AAAA' }, /chart name/);
  refused({ type: 'exportChart', requestId: 1, chart: 'scatter', format: 'gif', data: '' }, /format/);
  refused({ type: 'exportChart', requestId: 1, chart: 'scatter', format: 'png', data: 'data:text/html;base64,AAAA' }, /png data/);
  refused({ type: 'exportChart', requestId: 1, chart: 'scatter', format: 'png', data: 'data:image/png;base64,<script>' }, /png data/);
  refused({ type: 'exportChart', requestId: 1, chart: 'scatter', format: 'svg', data: '<html><svg></svg></html>' }, /svg data/);
  refused({ type: 'log', level: 'fatal', message: 'x' }, /level/);
});

test('no random object is ever accepted as something else (property)', () => {
  const known = new Set(['ready', 'requestPosteriorPage', 'requestDataSample', 'compareMissingData', 'exportRunData', 'exportChart', 'log']);
  fc.assert(fc.property(fc.anything(), (x) => {
    const r = parseWebviewMessage(x);
    if (!r.ok) return true;
    // anything accepted carries a known tag and only the fields of that message
    return known.has(r.value.type) && typeof x === 'object' && x !== null && (x as { type: unknown }).type === r.value.type;
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.record({ type: fc.constant('requestPosteriorPage'), requestId: fc.anything(), runId: fc.anything(), offset: fc.anything(), limit: fc.anything() }), (x) => {
    const r = parseWebviewMessage(x);
    if (!r.ok) return true;
    const v = r.value as { requestId: number; offset: number; limit: number; runId: string };
    return Number.isSafeInteger(v.requestId) && Number.isSafeInteger(v.offset) && v.limit >= 1 && v.limit <= MAX_POSTERIOR_PAGE_ROWS && typeof v.runId === 'string';
  }), { numRuns: 1000 });
});

test('the saved view state is checked field by field', () => {
  assert.equal(parseViewState(undefined), undefined);
  assert.equal(parseViewState({ tab: 'steps' }), undefined, 'no model path, nothing to restore');
  assert.deepEqual(parseViewState({ modelPath: '/w/m.em.json', tab: 'steps', iteration: 5, sortColumn: 2, descending: true, firstRow: 120, scatterX: 'x', scatterY: 'y' }),
    { modelPath: '/w/m.em.json', tab: 'steps', iteration: 5, sortColumn: 2, descending: true, firstRow: 120, scatterX: 'x', scatterY: 'y' });
  assert.deepEqual(parseViewState({ modelPath: '/w/m.em.json', iteration: -3, sortColumn: 'x', firstRow: 1.5, tab: 7, extra: { a: 1 } }), { modelPath: '/w/m.em.json' });
});
