// The Convergence tab's k-means++ screening panel, without a browser: its lines (per row of the
// screening's rows), title, note, table alternative and SVG export, from real Gaussian-mixture
// fits; nothing for starts that were not screened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEM } from '../../src/engine/driver';
import { prepareGaussianMixture } from '../../src/engine/gmm/prepareGaussianMixture';
import type { FitResult } from '../../src/shared/results';
import { screeningSvgSpec, type ChartColors } from '../../webview/src/model/chartSvgSpecs';
import { bestRestart } from '../../webview/src/model/convergenceSeries';
import { screeningSeries, screeningTable } from '../../webview/src/model/screeningSeries';
import { svgChart } from '../../webview/src/model/svgChart';
import { gmmModel, sampleMixture } from './gmmFixtures';
import { fitExample2 } from './webviewTestRuns';

const colors: ChartColors = { foreground: '#111', background: '#fff', grid: '#ccc', error: '#e00', fontFamily: 'sans-serif', palette: ['#00f', '#f80', '#0a0'] };

async function mixtureFit(init: 'kmeans++' | 'random', restarts: number): Promise<FitResult> {
  const ds = sampleMixture(300, [0.5, 0.5], [[0, 0], [3, 2]], [[[1, 0], [0.3, 0.8]], [[0.7, 0], [0, 0.6]]], 31).dataset;
  const p = prepareGaussianMixture(gmmModel(2, 'full', { init }), ds, 2);
  return (await runEM(p.family, p.data, { maxIterations: 50, tolerance: 1e-8, restarts, seed: 2 })).result;
}

test('the best restart\'s screening: one line per candidate, per row, the chosen one marked, titled as the panel shows it', async () => {
  const result = await mixtureFit('kmeans++', 3);
  const s = screeningSeries(result);
  assert.ok(s);
  const best = bestRestart(result);
  assert.equal(s.restart, best);
  assert.equal(s.seed, result.restarts[best].seed);
  const record = result.restarts[best].screening;
  assert.ok(record);
  assert.equal(s.title, 'k-means++ screening: 10 candidates, 10 EM iterations each on all 300 rows; the best became the start');
  assert.deepEqual(s.x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(s.lines.length, 10);
  assert.deepEqual(s.lines.filter((l) => l.chosen).map((l) => l.candidate), [record.chosen]);
  s.lines.forEach((l, i) => {
    assert.equal(l.values.length, 11);
    l.values.forEach((v, t) => assert.equal(v, (record.candidates[i].logLikelihoods[t] as number) / 300));
  });
  // per row, the chosen line ends where the convergence curve starts
  const chosen = s.lines[record.chosen];
  assert.equal(chosen.values[10], result.restarts[best].history[0] / result.rows);
  assert.match(s.note, /^Log-likelihood per row of all 300 rows \(the sum divided by 300\), not the total that the convergence curve shows\./);
  assert.match(s.note, new RegExp(`the start of restart ${best + 1} \\(seed ${result.restarts[best].seed}\\): iteration 0 of the convergence curve`));
  // another restart can be asked for
  const other = (best + 1) % 3;
  assert.equal(screeningSeries(result, other)?.seed, result.restarts[other].seed);
});

test('a sampled screening says so, and where the start lands on all rows', async () => {
  const result = await mixtureFit('kmeans++', 1);
  const r = result.restarts[0];
  assert.ok(r.screening);
  const sampled: FitResult = { ...result, rows: 30000, history: result.history, restarts: [{ ...r, screening: { ...r.screening, sampled: true, sampleRows: 300, sampleWeightedRows: 300 } }] };
  const s = screeningSeries(sampled);
  assert.ok(s);
  assert.equal(s.title, 'k-means++ screening: 10 candidates, 10 EM iterations each on 300 sampled rows; the best became the start');
  assert.match(s.note, /Log-likelihood per row of 300 sampled rows/);
  assert.match(s.note, /On all 30,000 rows the start has -?\d+\.\d{6} per row \(-?[\d.]+ in total: iteration 0 of the convergence curve\)\./);
});

test('the table alternative: a row per candidate, a column per screening iteration, the start and the runner-up named', async () => {
  const result = await mixtureFit('kmeans++', 1);
  const s = screeningSeries(result);
  assert.ok(s);
  const t = screeningTable(s);
  assert.equal(t.key, 'screening');
  assert.equal(t.caption, 'k-means++ screening: log-likelihood per row on all 300 rows');
  assert.deepEqual(t.header, ['candidate', 'after seeding', ...Array.from({ length: 10 }, (_, i) => `iteration ${i + 1}`), '']);
  assert.equal(t.rows.length, 10);
  const chosen = s.screening.chosen;
  assert.equal(t.rows[chosen][12].text, 'the start');
  assert.equal(t.rows[chosen][11].emphasis, true);
  assert.equal(t.rows[chosen][11].title, String(s.lines[chosen].values[10]));
  assert.equal(t.rows.filter((r) => r[12].text === 'next best').length, 1);
  assert.ok(t.rows.every((r) => r.length === 13));
});

test('the SVG export: a polyline per candidate, only the start in the legend', async () => {
  const result = await mixtureFit('kmeans++', 1);
  const s = screeningSeries(result);
  assert.ok(s);
  const svg = svgChart(screeningSvgSpec(s, colors, 'rgba(0, 0, 0, 0.4)'));
  assert.equal((svg.match(/<polyline /g) ?? []).length, 10);
  assert.equal((svg.match(/rgba\(0, 0, 0, 0.4\)/g) ?? []).length, 9, 'the nine others are faint');
  assert.match(svg, /candidate \d+ \(the start\)/);
  assert.match(svg, /log-likelihood per row/);
  assert.match(svg, /screening iteration/);
});

test('no panel where the start was not screened: a "random" start, a Bayesian network, a result without the field', async () => {
  assert.equal(screeningSeries(await mixtureFit('random', 2)), undefined);
  assert.equal(screeningSeries(await fitExample2(20)), undefined);
  const result = await mixtureFit('kmeans++', 1);
  const old: FitResult = { ...result, restarts: result.restarts.map(({ screening: _dropped, ...r }) => r) };
  assert.equal(screeningSeries(old), undefined);
  assert.equal(screeningSeries(undefined), undefined);
});
