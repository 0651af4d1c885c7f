// The Gaussian mixture family's contracts: shards merge exactly, row weights act as counts,
// explicit initial parameters are checked, components come back in the canonical order,
// posteriors are per data row, degenerate fits warn instead of producing NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEM } from '../../src/engine/driver';
import { prepareGaussianMixture } from '../../src/engine/gmm/prepareGaussianMixture';
import { prepareFit } from '../../src/engine/registry';
import { gmmFreeParameters } from '../../src/engine/gmm/gmmParameters';
import { COLLAPSE_ADVICE } from '../../src/engine/gmm/gmmWarnings';
import { completeRowsDiagonal, completeRowsFull, completeRowsTied } from '../../src/engine/gmm/completeRowKernels';
import { emptyStats, referencePoints } from '../../src/engine/gmm/gmmStats';
import { unrolledKernel } from '../../src/engine/gmm/unrolledKernels';
import { Rng } from '../../src/engine/rng';
import { InputError } from '../../src/shared/errors';
import type { CovarianceType } from '../../src/shared/modelSpec';
import type { GaussianMixtureParametersJSON } from '../../src/shared/results';
import { blankCells, datasetFromRows, gmmModel, numericDataset, sampleMixture } from './gmmFixtures';

const TYPES: CovarianceType[] = ['full', 'diag', 'spherical', 'tied'];
const MEANS = [
  [0, 0, 0],
  [4, 1, -2],
];
const FACTORS = [
  [[1, 0, 0], [0.5, 0.8, 0], [0.1, 0.2, 0.6]],
  [[0.6, 0, 0], [-0.2, 0.9, 0], [0.3, 0, 1.1]],
];

function sample(n: number, seed: number, missingRate = 0) {
  const s = sampleMixture(n, [0.4, 0.6], MEANS, FACTORS, seed);
  if (missingRate > 0) blankCells(s.dataset, missingRate, seed + 1);
  return s.dataset;
}

function allFinite(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(allFinite);
  if (v && typeof v === 'object') return Object.values(v).every(allFinite);
  return true;
}

test('free parameters follow scikit-learn _n_parameters', () => {
  // K = 3, D = 4: means 12, weights 2, covariances full 30 | diag 12 | tied 10 | spherical 3
  assert.equal(gmmFreeParameters('full', 3, 4), 44);
  assert.equal(gmmFreeParameters('diag', 3, 4), 26);
  assert.equal(gmmFreeParameters('tied', 3, 4), 24);
  assert.equal(gmmFreeParameters('spherical', 3, 4), 17);
});

for (const type of TYPES) {
  test(`${type}: E-steps over two shards merge to the E-step over all rows (with missing cells)`, () => {
    const ds = sample(300, 3, 0.15);
    const prepared = prepareGaussianMixture(gmmModel(2, type), ds, 2);
    const { family, data } = prepared;
    const params = family.initialize(data, new Rng(5));
    const whole = family.eStep(data, params);
    // a split inside the incomplete rows, so one pattern straddles the shards
    const cut = data.completeUnits + 17;
    const a = family.eStep(data, params, { start: 0, end: cut });
    const b = family.eStep(data, params, { start: cut, end: data.units });
    const merged = family.merge(a.stats, b.stats);
    assert.ok(Math.abs(a.logLikelihood + b.logLikelihood - whole.logLikelihood) <= 1e-10 * Math.abs(whole.logLikelihood));
    for (const key of ['nk', 's1', 's2'] as const) {
      for (let i = 0; i < whole.stats[key].length; i++) assert.ok(Math.abs(merged[key][i] - whole.stats[key][i]) <= 1e-9 * (1 + Math.abs(whole.stats[key][i])), `${key}[${i}]`);
    }
    const p1 = family.mStep(whole.stats, params, data);
    const p2 = family.mStep(merged, params, data);
    for (let i = 0; i < p1.covariances.length; i++) assert.ok(Math.abs(p1.covariances[i] - p2.covariances[i]) <= 1e-9 * Math.abs(p1.covariances[i]));
  });
}

test('row weights act as counts: a weighted dataset fits like its rows repeated', async () => {
  const base = sample(120, 7);
  const rng = new Rng(8);
  const counts = Float64Array.from({ length: base.rowCount }, () => 1 + rng.int(3));
  const weighted = { ...base, weights: counts };
  const names = base.columns.map((c) => c.name);
  const repeated: number[][] = [];
  for (let i = 0; i < base.rowCount; i++) {
    for (let r = 0; r < counts[i]; r++) repeated.push(base.columns.map((c) => (c.kind === 'numeric' ? c.values[i] : NaN)));
  }
  const init = { weights: [0.5, 0.5], means: [[-1, 0, 0], [3, 1, -1]], covariances: [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]] };
  const run = async (ds: typeof base) => {
    const p = prepareGaussianMixture(gmmModel(2, 'full', {}, init), ds, 2);
    return (await runEM(p.family, p.data, { maxIterations: 15, tolerance: -Infinity, restarts: 1, seed: 1, initialParameters: p.initialParameters })).result;
  };
  const a = await run(weighted);
  const b = await run(datasetFromRows(names, repeated));
  assert.equal(a.rows, repeated.length);
  for (let t = 0; t < a.history.length; t++) assert.ok(Math.abs(a.history[t] - b.history[t]) <= 1e-10 * Math.abs(b.history[t]), `iteration ${t}`);
});

test('components come back sorted by the first coordinate of the mean, whatever the start', async () => {
  const ds = sample(400, 9);
  const eye = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const fitFrom = async (means: number[][]) => {
    const p = prepareGaussianMixture(gmmModel(2, 'full', {}, { weights: [0.5, 0.5], means, covariances: [eye, eye] }), ds, 2);
    return (await runEM(p.family, p.data, { maxIterations: 500, tolerance: 1e-12, restarts: 1, seed: 1, initialParameters: p.initialParameters })).result;
  };
  const a = await fitFrom([[4, 1, -2], [0, 0, 0]]);
  const b = await fitFrom([[0, 0, 0], [4, 1, -2]]);
  const pa = a.parameters as GaussianMixtureParametersJSON;
  const pb = b.parameters as GaussianMixtureParametersJSON;
  assert.ok(pa.means[0][0] < pa.means[1][0]);
  for (let k = 0; k < 2; k++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(pa.means[k][j] - pb.means[k][j]) < 1e-6);
  assert.ok(Math.abs(pa.weights[0] - 0.4) < 0.08, `weight ${pa.weights[0]}`);
});

test('posteriors: one row per data row, probabilities that sum to 1, label = 1-based argmax, empty rows get the weights', async () => {
  const ds = sample(200, 10, 0.2);
  const col0 = ds.columns[0];
  // make row 5 entirely missing
  for (const c of ds.columns) if (c.kind === 'numeric') c.values[5] = NaN;
  const prepared = prepareGaussianMixture(gmmModel(2, 'full'), ds, 2);
  assert.equal(prepared.data.unitOfRow[5], -1);
  assert.ok(prepared.warnings?.some((w) => /\d+ rows? ha(s|ve) no observed value in x1, x2, x3/.test(w)), JSON.stringify(prepared.warnings));
  const { parameters, result } = await runEM(prepared.family, prepared.data, { maxIterations: 100, tolerance: 1e-8, restarts: 1, seed: 2 });
  const table = prepared.family.posteriors(prepared.data, parameters);
  assert.deepEqual(table.columns, ['P(component=1)', 'P(component=2)', 'label']);
  assert.equal(table.rowCount, 200);
  for (let i = 0; i < 200; i++) {
    const row = table.row(i) as number[];
    assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-12);
    assert.equal(row[2], row[0] >= row[1] ? 1 : 2);
  }
  const w = (result.parameters as GaussianMixtureParametersJSON).weights;
  assert.deepEqual((table.row(5) as number[]).slice(0, 2), w);
  assert.ok(col0.kind === 'numeric');
  // the row farthest out along x1 belongs to the component with the larger mean x1 (component 2 in canonical order)
  let far = 0;
  for (let i = 0; i < 200; i++) if (col0.values[i] > col0.values[far] || Number.isNaN(col0.values[far])) far = i;
  assert.ok(col0.values[far] > 4);
  assert.equal(table.row(far)[2], 2);
});

test('maxIterations 0 evaluates the given parameters without a step', async () => {
  const ds = datasetFromRows(['a'], [[0], [1], [2], [10], [11]]);
  const init = { weights: [0.5, 0.5], means: [[1], [10.5]], covariances: [1, 1] };
  const p = prepareGaussianMixture(gmmModel(2, 'spherical', {}, init), ds, 2);
  const { result } = await runEM(p.family, p.data, { maxIterations: 0, tolerance: 0, restarts: 1, seed: 1, initialParameters: p.initialParameters });
  const logN = (x: number, m: number) => -0.5 * Math.log(2 * Math.PI) - 0.5 * (x - m) ** 2;
  const expected = [0, 1, 2, 10, 11].reduce((s, x) => s + Math.log(0.5 * Math.exp(logN(x, 1)) + 0.5 * Math.exp(logN(x, 10.5))), 0);
  assert.equal(result.iterations, 0);
  assert.ok(Math.abs(result.logLikelihood - expected) < 1e-12 * Math.abs(expected));
});

test('explicit initial parameters are checked: shapes, weights, symmetry, positive definiteness', () => {
  const ds = sample(50, 12);
  const eye = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const good = { weights: [0.5, 0.5], means: [[0, 0, 0], [1, 1, 1]], covariances: [eye, eye] };
  const expectError = (init: unknown, pattern: RegExp, type: CovarianceType = 'full') => {
    assert.throws(() => prepareGaussianMixture(gmmModel(2, type, {}, init), ds, 2), (e: unknown) => e instanceof InputError && pattern.test(e.message) && e.file === '/work/model.em.json');
  };
  assert.ok(prepareGaussianMixture(gmmModel(2, 'full', {}, good), ds, 2).initialParameters);
  expectError({ ...good, weights: [0.5, 0.6] }, /weights sum to 1\.1/);
  expectError({ ...good, weights: [0.5] }, /weights has 1 entry, but 2 are needed/);
  expectError({ ...good, means: [[0, 0], [1, 1, 1]] }, /means\[0\] has 2 entries, but 3 are needed .*x1, x2, x3/);
  expectError({ ...good, covariances: [eye, [[1, 2, 0], [2, 1, 0], [0, 0, 1]]] }, /covariances\[1\] is not positive definite/);
  expectError({ ...good, covariances: [eye, [[1, 0.5, 0], [0, 1, 0], [0, 0, 1]]] }, /covariances\[1\] is not symmetric/);
  expectError({ ...good, precisions: [eye, eye] }, /unknown key "precisions"/);
  expectError({ ...good, covariances: [[1, 1, 1], [1, 0, 1]] }, /covariances\[1\]\[1\] is 0; a variance must be > 0/, 'diag');
  expectError({ ...good, covariances: eye }, /covariances has 3 entries, but 2 are needed/, 'spherical');
  assert.ok(prepareGaussianMixture(gmmModel(2, 'tied', {}, { ...good, covariances: eye }), ds, 2).initialParameters);
  assert.throws(() => prepareGaussianMixture({ ...gmmModel(2, 'full'), fit: { ...gmmModel(2, 'full').fit, init: 'given' } }, ds, 2), /no initial parameters/);
});

test('bad data and options give input errors that say what to do', () => {
  const ds = sample(30, 13);
  assert.throws(() => prepareGaussianMixture(gmmModel(2, 'full', { missingData: 'fill-mode' }), ds, 2), (e: unknown) => e instanceof InputError && /use "em"/.test(e.message));
  assert.throws(() => prepareGaussianMixture({ ...gmmModel(2, 'full'), data: { ...gmmModel(2, 'full').data, columns: ['x1', 'nope'] } }, ds, 2), /"nope", which is not a column/);
  const cat = { ...ds, columns: [...ds.columns, { kind: 'categorical' as const, name: 'g', levels: ['a', 'b'], codes: new Int32Array(30) }], header: [...ds.header, 'g'] };
  assert.throws(() => prepareGaussianMixture({ ...gmmModel(2, 'full'), data: { ...gmmModel(2, 'full').data, columns: ['x1', 'g'] } }, cat, 2), /"g" is not numeric/);
  // the categorical column is skipped when no columns are named
  assert.deepEqual(prepareGaussianMixture(gmmModel(2, 'full'), cat, 2).data.columns, ['x1', 'x2', 'x3']);
  assert.throws(() => prepareGaussianMixture(gmmModel(40, 'full'), ds, 40), /40 components need at least 40 rows/);
  assert.throws(() => prepareGaussianMixture(gmmModel(2, 'full', { regularization: -1 }), ds, 2), /fit.regularization must be/);
  const inf = numericDataset(['a'], [Float64Array.from([1, 2, Infinity])]);
  assert.throws(() => prepareGaussianMixture(gmmModel(1, 'full'), inf, 1), (e: unknown) => e instanceof InputError && e.line === 4);
});

test('the registry prepares one K of a list of components', () => {
  const ds = sample(60, 14);
  const model = { ...gmmModel(2, 'diag'), model: { kind: 'gaussian-mixture' as const, components: [1, 2, 3], covariance: 'diag' as const } };
  const prepared = prepareFit(model, ds, { components: 3 });
  assert.equal(prepared.family.kind, 'gaussian-mixture');
  assert.equal(prepared.family.freeParameters(prepared.family.initialize(prepared.data, new Rng(1))), gmmFreeParameters('diag', 3, 3));
});

for (const type of TYPES) {
  test(`${type}: a component with nowhere to go warns by name with advice, and nothing is NaN`, async () => {
    // 6 rows on 3 distinct points, 4 components: at least one component must collapse or empty
    const ds = datasetFromRows(['u', 'v'], [[0, 0], [0, 0], [1, 2], [1, 2], [5, 5], [5, 5]]);
    for (const regularization of [1e-6, 0]) {
      const p = prepareGaussianMixture(gmmModel(4, type, { regularization }), ds, 4);
      const { result } = await runEM(p.family, p.data, { maxIterations: 50, tolerance: 1e-10, restarts: 3, seed: 1 });
      assert.ok(allFinite(result), `regularization ${regularization}: every number finite`);
      if (type !== 'spherical' || regularization === 0) {
        const warnings = result.warnings ?? [];
        assert.ok(warnings.some((w) => /component \d|tied/.test(w) && (w.includes(COLLAPSE_ADVICE) || w.includes('fit.regularization'))), `regularization ${regularization}: ${JSON.stringify(warnings)}`);
      }
    }
  });
}

test('seeds reproduce: the same seed gives the same fit, another seed another start', async () => {
  const ds = sample(300, 15, 0.05);
  const run = async (seed: number, init: 'kmeans++' | 'random') => {
    const p = prepareGaussianMixture(gmmModel(2, 'full', { init }), ds, 2);
    return (await runEM(p.family, p.data, { maxIterations: 5, tolerance: -Infinity, restarts: 1, seed })).result;
  };
  for (const init of ['kmeans++', 'random'] as const) {
    assert.deepEqual((await run(4, init)).history, (await run(4, init)).history);
    assert.notDeepEqual((await run(4, init)).history, (await run(5, init)).history);
  }
});

test('step-through snapshots carry responsibilities of the first rows', async () => {
  const ds = sample(40, 16);
  const p = prepareGaussianMixture(gmmModel(2, 'diag'), ds, 2);
  const { result } = await runEM(p.family, p.data, { maxIterations: 3, tolerance: -Infinity, restarts: 1, seed: 1, snapshots: true });
  const snap = result.snapshots?.[0].eStep as { rows: number[]; responsibilities: number[][] };
  assert.equal(snap.rows.length, 40);
  assert.equal(snap.rows[0], 1);
  for (const r of snap.responsibilities) assert.ok(Math.abs(r[0] + r[1] - 1) < 1e-12);
});

for (const [type, kind] of [['full', 'full'], ['diag', 'diagonal'], ['spherical', 'diagonal'], ['tied', 'tied']] as const) {
  test(`${type}: the unrolled complete-row kernel gives the generic kernel's numbers to the bit`, () => {
    const ds = sample(500, 17);
    const rows = ds.rowCount;
    const weights = Float64Array.from({ length: rows }, (_, i) => 1 + (i % 3));
    const prepared = prepareGaussianMixture(gmmModel(2, type), { ...ds, weights }, 2);
    const { family, data } = prepared;
    const params = family.initialize(data, new Rng(3));
    const reference = referencePoints(type, 2, 3, params.means, data.center);
    const generic = emptyStats(type, 2, 3, reference);
    const unrolled = emptyStats(type, 2, 3, reference);
    const kernel = unrolledKernel(kind, 3);
    assert.ok(kernel);
    const a = (kind === 'full' ? completeRowsFull : kind === 'tied' ? completeRowsTied : completeRowsDiagonal)(data, params, 0, data.units, generic);
    const b = kernel(data, params, 0, data.units, unrolled);
    assert.equal(b, a);
    assert.deepEqual(unrolled, generic);
  });
}
