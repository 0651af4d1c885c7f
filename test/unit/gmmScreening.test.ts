// The record of how a Gaussian mixture's "kmeans++" start was chosen (results.ts StartScreening
// on restarts[r].screening): present for screened starts only, the log-likelihoods the
// screening computed (the chosen one's last value is the start's, to the bit), and no number
// of the fit changed by keeping it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEM } from '../../src/engine/driver';
import { CANDIDATES, SAMPLE_UNITS, SHORT_ITERATIONS } from '../../src/engine/gmm/gmmInitialization';
import { prepareGaussianMixture } from '../../src/engine/gmm/prepareGaussianMixture';
import type { CovarianceType } from '../../src/shared/modelSpec';
import type { FitResult, StartScreening } from '../../src/shared/results';
import { rankScreening } from '../../src/shared/startScreening';
import { blankCells, gmmModel, sampleMixture } from './gmmFixtures';

const MEANS = [
  [0, 0],
  [3, 1],
  [-2, 3],
];
const FACTORS = [
  [[1, 0], [0.4, 0.7]],
  [[0.6, 0], [-0.2, 0.9]],
  [[0.8, 0], [0, 0.5]],
];

function sample(n: number, seed: number, missingRate = 0) {
  const s = sampleMixture(n, [0.3, 0.3, 0.4], MEANS, FACTORS, seed);
  if (missingRate > 0) blankCells(s.dataset, missingRate, seed + 1);
  return s.dataset;
}

/** The fit without the screening records: what a run that ignores the field returns. */
function withoutScreening(r: FitResult): unknown {
  return { ...r, seconds: 0, restarts: r.restarts.map(({ screening: _ignored, ...rest }) => rest) };
}

function finalValue(s: StartScreening, i: number): number | null {
  const v = s.candidates[i].logLikelihoods;
  return v[v.length - 1];
}

for (const type of ['full', 'diag', 'spherical', 'tied'] as CovarianceType[]) {
  test(`${type}: every kmeans++ start carries its screening; the chosen candidate's last value is the start's log-likelihood to the bit`, async () => {
    const ds = sample(400, 21, 0.05);
    const p = prepareGaussianMixture(gmmModel(3, type), ds, 3);
    const { result } = await runEM(p.family, p.data, { maxIterations: 30, tolerance: 1e-8, restarts: 3, seed: 5 });
    assert.equal(result.restarts.length, 3);
    for (const r of result.restarts) {
      const s = r.screening;
      assert.ok(s, `restart with seed ${r.seed} has no screening`);
      assert.equal(s.method, 'kmeans++');
      assert.equal(s.sampled, false, 'fewer rows than the sample size: the screening ran on all of them');
      assert.equal(s.sampleRows, p.data.units);
      assert.equal(s.sampleWeightedRows, p.data.weightedRows);
      assert.equal(s.iterations, SHORT_ITERATIONS);
      assert.equal(s.candidates.length, CANDIDATES);
      assert.ok(Number.isInteger(s.chosen) && s.chosen >= 0 && s.chosen < CANDIDATES);
      for (const c of s.candidates) {
        assert.equal(c.logLikelihoods.length, SHORT_ITERATIONS + 1);
        assert.ok(c.logLikelihoods.every((v) => v !== null && Number.isFinite(v)));
        if (c.repaired) continue;
        // the recorded values are EM iterations in order: they never fall beyond the
        // regularized M-step's allowance (the driver's decreaseTolerance for a regularized mixture)
        for (let t = 1; t < c.logLikelihoods.length; t++) {
          const before = c.logLikelihoods[t - 1] as number;
          const after = c.logLikelihoods[t] as number;
          assert.ok(after >= before - 1e-6 * Math.abs(before), `candidate fell at screening iteration ${t}: ${before} -> ${after}`);
        }
      }
      // the screening's data are the fit's data, so its last E-step is the fit's first, bit for bit
      assert.equal(finalValue(s, s.chosen), r.history[0]);
      // the chosen one is the best (the earliest of equals) among the candidates that needed no repair
      const chosenValue = finalValue(s, s.chosen) as number;
      assert.equal(s.candidates[s.chosen].repaired, false);
      s.candidates.forEach((c, i) => {
        if (c.repaired || i === s.chosen) return;
        const v = finalValue(s, i) as number;
        assert.ok(v < chosenValue || (v === chosenValue && i > s.chosen), `candidate ${i + 1} (${v}) beats the chosen ${s.chosen + 1} (${chosenValue})`);
      });
      const rank = rankScreening(s);
      assert.equal(rank.chosenPerRow, chosenValue / p.data.weightedRows);
      if (rank.runnerUpPerRow !== undefined) assert.ok(rank.runnerUpPerRow <= (rank.chosenPerRow as number));
    }
  });
}

test('the record changes no number of the fit: a run with it ignored returns the same result', async () => {
  const ds = sample(300, 22, 0.1);
  const model = gmmModel(3, 'full');
  const p = prepareGaussianMixture(model, ds, 3);
  const options = { maxIterations: 40, tolerance: 1e-9, restarts: 2, seed: 9, snapshots: true };
  const withRecord = await runEM(p.family, p.data, options);
  // the same family with the hook taken away: the driver never asks, nothing is recorded
  const again = prepareGaussianMixture(model, ds, 3);
  const ignored = await runEM({ ...again.family, startScreening: undefined }, again.data, options);
  assert.ok(withRecord.result.restarts.every((r) => r.screening !== undefined));
  assert.ok(ignored.result.restarts.every((r) => r.screening === undefined));
  assert.deepEqual(withoutScreening(withRecord.result), withoutScreening(ignored.result));
  assert.deepEqual(withRecord.parameters.means, ignored.parameters.means);
  assert.deepEqual(withRecord.parameters.covariances, ignored.parameters.covariances);
  // and as JSON (what the CLI prints and the inspector stores): the same bytes apart from the field
  assert.equal(JSON.stringify(withoutScreening(JSON.parse(JSON.stringify(withRecord.result)) as FitResult)), JSON.stringify(withoutScreening(ignored.result)));
});

test('no screening for a "random" start, nor for explicit initial parameters (later starts are screened)', async () => {
  const ds = sample(200, 23);
  const random = prepareGaussianMixture(gmmModel(2, 'diag', { init: 'random' }), ds, 2);
  const r = await runEM(random.family, random.data, { maxIterations: 10, tolerance: 1e-8, restarts: 2, seed: 1 });
  assert.ok(r.result.restarts.every((s) => !('screening' in s)));

  const init = { weights: [0.5, 0.5], means: [[0, 0], [3, 1]], covariances: [[1, 1], [1, 1]] };
  const given = prepareGaussianMixture(gmmModel(2, 'diag', {}, init), ds, 2);
  assert.ok(given.initialParameters);
  const g = await runEM(given.family, given.data, { maxIterations: 10, tolerance: 1e-8, restarts: 2, seed: 1, initialParameters: given.initialParameters });
  assert.equal('screening' in g.result.restarts[0], false, 'the given start was not screened');
  assert.ok(g.result.restarts[1].screening, 'the second start is a kmeans++ start');
});

test(`more than ${SAMPLE_UNITS} rows: the screening runs on a sample of that many, weighted rows counted by weight`, async () => {
  const n = SAMPLE_UNITS + 700;
  const ds = sample(n, 24);
  const weights = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
  const p = prepareGaussianMixture(gmmModel(3, 'diag'), { ...ds, weights }, 3);
  const { result } = await runEM(p.family, p.data, { maxIterations: 2, tolerance: 1e-8, restarts: 1, seed: 3 });
  const s = result.restarts[0].screening;
  assert.ok(s);
  assert.equal(s.sampled, true);
  assert.equal(s.sampleRows, SAMPLE_UNITS);
  // weights 1, 2, 3: the sample's weighted rows lie strictly between its row count and three times it
  assert.ok(s.sampleWeightedRows > SAMPLE_UNITS && s.sampleWeightedRows < 3 * SAMPLE_UNITS && Number.isInteger(s.sampleWeightedRows));
  assert.ok(s.sampleWeightedRows < p.data.weightedRows);
  // a sample's log-likelihood is not the whole data's: per row they are close, in total they are not
  const chosen = finalValue(s, s.chosen) as number;
  assert.notEqual(chosen, result.history[0]);
  assert.ok(Math.abs(chosen / s.sampleWeightedRows - result.history[0] / result.rows) < 0.05, `${chosen / s.sampleWeightedRows} vs ${result.history[0] / result.rows}`);
});
