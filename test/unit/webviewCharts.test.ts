// Chart data shaping without a browser: convergence lines per restart (best, live, falls),
// BIC/AIC against K, nice axis ticks, covariance ellipses, the scatter model, and SVG export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FitProgress } from '../../src/shared/runs';
import type { DataSample } from '../../src/shared/inspectorProtocol';
import { niceTicks, tickLabel, extent } from '../../webview/src/model/chartScale';
import { convergenceSvgSpec, modelSelectionSvgSpec, scatterSvgSpec, type ChartColors } from '../../webview/src/model/chartSvgSpecs';
import { alignConvergence, applyProgress, bestRestart, convergenceLines, describeStopReason, findFalls, type RestartLine } from '../../webview/src/model/convergenceSeries';
import { ellipseAxes, ellipsePoints } from '../../webview/src/model/ellipse';
import { modelSelectionSeries, modelSelectionTable } from '../../webview/src/model/modelSelectionSeries';
import { scatterModel } from '../../webview/src/model/scatterModel';
import { escapeXml, svgChart } from '../../webview/src/model/svgChart';
import { fitExample2Restarts } from './webviewTestRuns';

const colors: ChartColors = { foreground: '#111', background: '#fff', grid: '#ccc', error: '#e00', fontFamily: 'Segoe UI, "x<y"', palette: ['#00f', '#f80', '#0a0', '#a0a'] };

test('one line per restart, the best one marked, aligned on iterations', async () => {
  const result = await fitExample2Restarts(4);
  assert.equal(result.restarts.length, 4);
  const lines = convergenceLines(result, undefined);
  assert.equal(lines.length, 4);
  const best = bestRestart(result);
  assert.equal(lines.filter((l) => l.best).length, 1);
  assert.equal(lines[best].best, true);
  assert.deepEqual(lines[best].history, result.history);
  assert.ok(result.restarts.every((r) => r.logLikelihood <= result.restarts[best].logLikelihood + 1e-9));
  const aligned = alignConvergence(lines);
  const longest = Math.max(...result.restarts.map((r) => r.history.length));
  assert.equal(aligned.x.length, longest);
  assert.deepEqual(aligned.x.slice(0, 3), [0, 1, 2]);
  lines.forEach((l, i) => {
    assert.equal(aligned.lines[i].length, longest);
    assert.deepEqual(aligned.lines[i].slice(0, l.history.length), [...l.history]);
    assert.ok(aligned.lines[i].slice(l.history.length).every((v) => v === null));
  });
  assert.deepEqual(aligned.fallPoints, [], 'EM never lowers the log-likelihood');
  assert.ok(aligned.falls.every((v) => v === null));
});

test('falls are found beyond rounding only, and a "decreased" stop is marked on its last kept point', () => {
  assert.deepEqual(findFalls([-10, -9, -9.5, -9.5 - 1e-12, -8], 2), [{ restart: 2, iteration: 2, before: -9, after: -9.5 }]);
  const lines: RestartLine[] = [
    { restart: 0, history: [-10, -8, -7], best: true, live: false, stopReason: 'tolerance' },
    { restart: 1, history: [-12, -9, -9.2, -9.1], best: false, live: false, stopReason: 'maxIterations' },
    { restart: 2, history: [-11, -10], best: false, live: false, stopReason: 'decreased' },
  ];
  const a = alignConvergence(lines);
  assert.deepEqual(a.falls, [null, null, -9.2, null]);
  assert.deepEqual(a.stoppedOnFall, [null, -10, null, null]);
  assert.deepEqual(a.fallPoints.map((f) => [f.restart, f.iteration]), [[1, 2]]);
  assert.equal(describeStopReason('decreased'), 'stopped: the log-likelihood fell');
  // the SVG export shows the fall markers as their own series
  const svg = svgChart(convergenceSvgSpec('LL', lines, a, colors));
  assert.match(svg, /log-likelihood fell/);
  assert.match(svg, /stopped: next step fell/);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 3);
});

test('live progress accumulates per restart and starts afresh for a new fit', () => {
  const p = (restart: number, history: number[], modelPath = '/m.em.json'): FitProgress => ({ modelPath, restart, restarts: 3, iteration: history.length - 1, maxIterations: 100, logLikelihood: history[history.length - 1], history });
  let live = applyProgress(undefined, p(0, [-10]));
  live = applyProgress(live, p(0, [-10, -9]));
  live = applyProgress(live, p(1, [-12]));
  assert.deepEqual(live.histories, { 0: [-10, -9], 1: [-12] });
  assert.equal(live.current, 1);
  const lines = convergenceLines(undefined, live);
  assert.deepEqual(lines.map((l) => [l.restart, l.live, l.best]), [[0, false, false], [1, true, true]]);
  // a new fit (restart index goes back to 0) drops the old histories
  const again = applyProgress(live, p(0, [-20]));
  assert.deepEqual(again.histories, { 0: [-20] });
  assert.deepEqual(applyProgress(live, p(2, [-1], '/other.em.json')).histories, { 2: [-1] });
});

test('BIC and AIC against K, sorted, the best marked once', () => {
  const rows = [
    { components: 3, logLikelihood: -1119.2, freeParameters: 17, bic: 2333.7, aic: 2272.4, best: false },
    { components: 1, logLikelihood: -1289.8, freeParameters: 5, bic: 2607.6, aic: 2589.6, best: false },
    { components: 2, logLikelihood: -1130.3, freeParameters: 11, bic: 2322.2, aic: 2282.5, best: true },
  ];
  const s = modelSelectionSeries(rows);
  assert.deepEqual(s.k, [1, 2, 3]);
  assert.deepEqual(s.bic, [2607.6, 2322.2, 2333.7]);
  assert.deepEqual(s.bestMarker, [null, 2322.2, null]);
  assert.equal(s.bestK, 2);
  const t = modelSelectionTable(rows);
  assert.deepEqual(t.rows.map((r) => r[5].text), ['', 'best', '']);
  assert.equal(t.rows[1][3].emphasis, true);
  const svg = svgChart(modelSelectionSvgSpec(s, colors));
  assert.match(svg, /best K = 2/);
});

test('nice ticks: steps of 1, 2 or 5 times a power of ten that cover the data', () => {
  const t = niceTicks(-17.06, -13.52, 5);
  assert.equal(t.step, 1);
  assert.deepEqual(t.values, [-18, -17, -16, -15, -14, -13]);
  const u = niceTicks(0.0012, 0.0087, 4);
  assert.equal(u.step, 0.002);
  assert.equal(tickLabel(u.values[1], u.step), '0.002');
  assert.equal(tickLabel(0.30000000000000004, 0.1), '0.3');
  assert.deepEqual(niceTicks(5, 5).values.length > 1, true, 'a flat range is widened');
  assert.deepEqual(extent([3, null, NaN, -1, undefined, 7]), [-1, 7]);
  assert.equal(extent([null, NaN]), undefined);
});

test('covariance ellipses: axes from the 2 x 2 covariance, points at the Mahalanobis radius', () => {
  const diag = ellipseAxes(4, 0, 1);
  assert.ok(Math.abs(diag.major - 2) < 1e-12 && Math.abs(diag.minor - 1) < 1e-12 && Math.abs(diag.angle) < 1e-12);
  // [[2, 1], [1, 2]]: eigenvalues 3 and 1, major axis at 45 degrees
  const tilted = ellipseAxes(2, 1, 2);
  assert.ok(Math.abs(tilted.major - Math.sqrt(3)) < 1e-12);
  assert.ok(Math.abs(tilted.minor - 1) < 1e-12);
  assert.ok(Math.abs(tilted.angle - Math.PI / 4) < 1e-12);
  // every point of the 2-sigma outline has Mahalanobis distance 2 under [[2,1],[1,2]]
  const inv = [[2 / 3, -1 / 3], [-1 / 3, 2 / 3]];
  for (const [x, y] of ellipsePoints(1, -1, tilted, 2, 24)) {
    const dx = x - 1;
    const dy = y + 1;
    const d2 = dx * (inv[0][0] * dx + inv[0][1] * dy) + dy * (inv[1][0] * dx + inv[1][1] * dy);
    assert.ok(Math.abs(d2 - 4) < 1e-9, `distance² ${d2}`);
  }
});

test('the scatter model groups sampled rows by label and skips rows with a missing value', () => {
  const sample: DataSample = {
    columns: ['x', 'y', 'z'],
    total: 10,
    rows: [1, 3, 5, 7, 9],
    values: [[0, 1, null, 5, 6], [0, 1, 2, 5, 5], [9, 9, 9, 9, 9]],
    labels: [0, 0, 1, 1, null],
  };
  const cov = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const m = scatterModel(sample, ['x', 'y', 'z'], [[0.5, 0.5, 9], [5.5, 5, 9]], [cov, cov], 'x', 'y');
  assert.ok(m);
  assert.deepEqual(m.components[0].points, [[0, 0], [1, 1]]);
  assert.deepEqual(m.components[1].points, [[5, 5]]);
  assert.deepEqual(m.unlabelled, [[6, 5]]);
  assert.equal(m.shown, 4);
  assert.equal(m.components[1].ellipses.length, 2);
  assert.ok(m.xExtent[0] <= 0.5 - 2 && m.xExtent[1] >= 5.5 + 2, 'the extent includes the 2-sigma ellipses');
  assert.equal(scatterModel(sample, ['x', 'y', 'z'], [], [], 'x', 'nope'), undefined);
  const svg = svgChart(scatterSvgSpec(m, colors));
  assert.equal((svg.match(/<circle /g) ?? []).length, 4 + 2, 'four points and two means');
});

test('SVG export escapes every text and attribute', () => {
  assert.equal(escapeXml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  const svg = svgChart({
    width: 300, height: 200, title: 'P(A < B) & "C"', xLabel: 'x', yLabel: 'y', background: '#fff', foreground: '#000', grid: '#ccc', fontFamily: 'a"b',
    series: [{ label: '<script>', color: 'red" onload="x', points: [[0, 1], [1, null], [2, 3], [3, 4]] }],
  });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(!svg.includes('<script>'));
  assert.ok(!svg.includes('onload="'));
  assert.match(svg, /P\(A &lt; B\) &amp; &quot;C&quot;/);
  // the null breaks the line: one polyline of two points; a lone point draws no line
  const polylines = svg.match(/<polyline points="[^"]*"/g) ?? [];
  assert.equal(polylines.length, 1);
  assert.equal(polylines[0].split(' ').length - 1, 2);
});
