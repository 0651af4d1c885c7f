// The tutorial's two examples (seed/em-tutorial.txt), through the real family and driver,
// against the exact numbers of test/fixtures/tutorial.json and the values the slides print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareBayesNet } from '../../src/engine/bayesnet/prepare';
import type { BayesNetEStepView } from '../../src/engine/bayesnet/eStepView';
import { runEM } from '../../src/engine/driver';
import type { BayesNetParametersJSON, IterationSnapshot } from '../../src/shared/results';
import type { MissingDataStrategy } from '../../src/shared/modelSpec';
import { datasetFromCsv, loadTutorialFixture, modelFile } from './bayesnetTestData';

const fixture = loadTutorialFixture();

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tolerance ${tol})`);
}

// ---------------------------------------------------------------- example 2: a hidden variable
const example2Model = modelFile(
  {
    kind: 'bayesnet',
    variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false }, B: { hidden: false } },
    parents: { A: ['H'], B: ['H'] },
    prior: 0,
  },
  {
    weight: '#',
    // DESIGN.md's init: P(H=0), P(H=1); rows P(A=0|H), P(A=1|H). The fixture's P(H=1) = 0.4 etc.
    init: { H: [0.6, 0.4], A: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] }, B: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] } },
  },
);
const example2Data = datasetFromCsv(fixture.example2.data_csv, '#');

/** The fixture's m_step order: P(H=1), P(A=1|H=1), P(A=1|H=0), P(B=1|H=1), P(B=1|H=0). */
function example2Parameters(p: BayesNetParametersJSON): number[] {
  const c = p.cpts;
  return [c.H.rows[''][1], c.A.rows['H=1'][1], c.A.rows['H=0'][1], c.B.rows['H=1'][1], c.B.rows['H=0'][1]];
}
const M_KEYS = ['P(H=1)', 'P(A=1|H=1)', 'P(A=1|H=0)', 'P(B=1|H=1)', 'P(B=1|H=0)'];
const E_KEYS = ['A=0,B=0', 'A=0,B=1', 'A=1,B=0', 'A=1,B=1'];

test('example 2: the explicit init is the tutorial\'s theta_0', () => {
  const prepared = prepareBayesNet(example2Model, example2Data);
  assert.ok(prepared.initialParameters);
  const p = example2Parameters(prepared.family.toJSON(prepared.initialParameters) as BayesNetParametersJSON);
  M_KEYS.forEach((k, i) => close(p[i], fixture.example2.init[k], 1e-15, k));
  assert.equal(prepared.family.weightedRows(prepared.data), 12);
  assert.equal(prepared.family.units(prepared.data), 4);
});

test('example 2: E-step posteriors, M-step estimates and log-likelihoods at iterations 1, 2, 5, 10', async () => {
  const prepared = prepareBayesNet(example2Model, example2Data);
  const { result } = await runEM(prepared.family, prepared.data, {
    maxIterations: 10,
    tolerance: 0,
    restarts: 1,
    seed: 1,
    initialParameters: prepared.initialParameters,
    snapshots: true,
  });
  assert.equal(result.iterations, 10);
  assert.equal(result.stopReason, 'maxIterations');
  assert.equal(result.history.length, 11);
  assert.ok(result.snapshots && result.snapshots.length === 10);
  close(result.history[0], fixture.example2.log_likelihood_at_init, 1e-9, 'history[0]');
  for (const it of fixture.example2.iterations) {
    const t = it.iteration;
    close(result.history[t], it.log_likelihood_after, 1e-9, `history[${t}]`);
    const snap: IterationSnapshot = result.snapshots[t - 1];
    assert.equal(snap.iteration, t);
    close(snap.logLikelihoodBefore, result.history[t - 1], 1e-12, `snapshot ${t} log-likelihood before`);
    const view = snap.eStep as BayesNetEStepView;
    assert.deepEqual(view.observed, ['A', 'B']);
    assert.deepEqual(view.hidden, ['H']);
    assert.equal(view.truncated, false);
    assert.deepEqual(view.patterns.map((p) => p.values.join('')), ['00', '01', '10', '11']);
    assert.deepEqual(view.patterns.map((p) => p.count), [6, 1, 1, 4]);
    const printed = fixture.example2.tutorial_printed[String(t)];
    E_KEYS.forEach((key, i) => {
      const posterior = view.patterns[i].posteriors.H;
      close(posterior[0] + posterior[1], 1, 1e-15, 'posterior sums to 1');
      close(posterior[1], it['e_step_P(H=1|A,B)'][key], 1e-9, `iteration ${t} E-step P(H=1|${key})`);
      close(posterior[1], printed.e[i], 0.01, `iteration ${t} printed E-step ${key}`);
    });
    const m = example2Parameters(snap.parameters as BayesNetParametersJSON);
    M_KEYS.forEach((k, i) => {
      close(m[i], it.m_step[k], 1e-9, `iteration ${t} M-step ${k}`);
      close(m[i], printed.m[i], 0.01, `iteration ${t} printed M-step ${k}`);
    });
  }
  // the lower bound after each M-step lies between the log-likelihoods before and after it
  result.snapshots.forEach((s, i) => {
    assert.ok(s.lowerBoundAfterMStep !== undefined);
    assert.ok(s.lowerBoundAfterMStep >= result.history[i] - 1e-12, `L(q_${i + 1}, theta_${i + 1}) >= l(theta_${i})`);
    assert.ok(s.lowerBoundAfterMStep <= result.history[i + 1] + 1e-12, `L(q_${i + 1}, theta_${i + 1}) <= l(theta_${i + 1})`);
  });
});

test('example 2: converges to the fixture\'s maximum', async () => {
  const prepared = prepareBayesNet(example2Model, example2Data);
  const { result } = await runEM(prepared.family, prepared.data, {
    maxIterations: 10000,
    tolerance: 1e-15,
    restarts: 1,
    seed: 1,
    initialParameters: prepared.initialParameters,
  });
  assert.equal(result.stopReason, 'tolerance');
  assert.equal(result.converged, true);
  close(result.logLikelihood, fixture.example2.converged_log_likelihood, 1e-6, 'converged log-likelihood');
  for (let t = 1; t < result.history.length; t++) assert.ok(result.history[t] >= result.history[t - 1] - 1e-12, `history rises at ${t}`);
  const m = example2Parameters(result.parameters as BayesNetParametersJSON);
  M_KEYS.forEach((k, i) => close(m[i], fixture.example2.converged[k], 1e-7, `converged ${k}`));
  assert.equal(result.rows, 12);
  assert.equal(result.freeParameters, 5);
  close(result.bic, -2 * result.logLikelihood + 5 * Math.log(12), 1e-12, 'BIC');
});

test('example 2: per-row posteriors with a label column', async () => {
  const prepared = prepareBayesNet(example2Model, example2Data);
  const { parameters } = await runEM(prepared.family, prepared.data, { maxIterations: 1, tolerance: 0, restarts: 1, seed: 1, initialParameters: prepared.initialParameters });
  // after one iteration the returned parameters are theta_1; iteration 2's E-step is the posterior under theta_1
  const table = prepared.family.posteriors(prepared.data, parameters);
  assert.deepEqual(table.columns, ['P(H=0)', 'P(H=1)', 'label']);
  assert.equal(table.rowCount, 4);
  const e2 = fixture.example2.iterations[1]['e_step_P(H=1|A,B)'];
  E_KEYS.forEach((key, i) => {
    const row = table.row(i);
    close(row[1] as number, e2[key], 1e-9, `row ${i} P(H=1)`);
    close((row[0] as number) + (row[1] as number), 1, 1e-15, 'sums to 1');
    assert.equal(row[2], (row[1] as number) > (row[0] as number) ? '1' : '0');
  });
});

// ---------------------------------------------------------------- example 1: a missing cell
const example1Data = datasetFromCsv(fixture.example1.data_csv, undefined, ['?']);
function example1Model(missingData: MissingDataStrategy, init?: unknown) {
  return modelFile(
    { kind: 'bayesnet', variables: { A: { hidden: false }, B: { hidden: false } }, parents: { B: ['A'] }, prior: 0 },
    { fit: { missingData }, ...(init !== undefined ? { init } : {}) },
  );
}
/** The joint P(A=a, B=b) = P(A=a) P(B=b | A=a), keyed like the fixture. */
function joint(p: BayesNetParametersJSON): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of ['0', '1']) {
    for (const b of ['0', '1']) out[`P(A=${a},B=${b})`] = p.cpts.A.rows[''][Number(a)] * p.cpts.B.rows[`A=${a}`][Number(b)];
  }
  return out;
}
const uniform = { A: [0.5, 0.5], B: { 'A=0': [0.5, 0.5], 'A=1': [0.5, 0.5] } };

test('example 1, option 1: drop the incomplete row -> 3/7, 1/7, 1/7, 2/7', async () => {
  const prepared = prepareBayesNet(example1Model('drop'), example1Data);
  assert.equal(prepared.family.weightedRows(prepared.data), 7);
  assert.ok(prepared.warnings?.some((w) => w.includes('1 of 8 rows')), String(prepared.warnings));
  const { result, parameters } = await runEM(prepared.family, prepared.data, { maxIterations: 100, tolerance: 1e-10, restarts: 1, seed: 1 });
  assert.ok(result.iterations <= 1, `complete data after dropping: ${result.iterations} iterations`);
  const j = joint(result.parameters as BayesNetParametersJSON);
  for (const [k, v] of Object.entries(fixture.example1.drop_incomplete_rows)) close(j[k], v, 1e-12, k);
  const table = prepared.family.posteriors(prepared.data, parameters);
  assert.deepEqual(table.columns, ['P(B=0)', 'P(B=1)']);
  assert.deepEqual(table.row(3), [undefined, undefined], 'the dropped row has an empty posterior row');
  assert.deepEqual(table.row(0), [undefined, undefined], 'an observed cell has no imputation');
});

test('example 1, option 2: fill in the best guess -> 4/8, 1/8, 1/8, 2/8', async () => {
  const prepared = prepareBayesNet(example1Model('fill-mode'), example1Data);
  assert.equal(prepared.family.weightedRows(prepared.data), 8);
  assert.ok(prepared.warnings?.some((w) => w.includes('filled 1 missing cell in 1 row')), String(prepared.warnings));
  const { result } = await runEM(prepared.family, prepared.data, { maxIterations: 100, tolerance: 1e-10, restarts: 1, seed: 1 });
  assert.ok(result.iterations <= 1);
  const j = joint(result.parameters as BayesNetParametersJSON);
  for (const [k, v] of Object.entries(fixture.example1.fill_best_guess)) close(j[k], v, 1e-12, k);
});

test('example 1, option 3: soft EM from the uniform start, iterations 1-3 and the fixed point', async () => {
  const prepared = prepareBayesNet(example1Model('em', uniform), example1Data);
  assert.equal(prepared.warnings, undefined);
  const { result } = await runEM(prepared.family, prepared.data, { maxIterations: 3, tolerance: 0, restarts: 1, seed: 1, initialParameters: prepared.initialParameters, snapshots: true });
  assert.ok(result.snapshots);
  for (const step of fixture.example1.soft_em_from_uniform) {
    const snap = result.snapshots[step.iteration - 1];
    const view = snap.eStep as BayesNetEStepView;
    const incomplete = view.patterns.find((p) => p.values[1] === null);
    assert.ok(incomplete && incomplete.imputed);
    assert.deepEqual(incomplete.values, ['0', null]);
    close(incomplete.imputed.B[0], step['fill_P(B=0|A=0)'], 1e-12, `iteration ${step.iteration} fill`);
    const j = joint(snap.parameters as BayesNetParametersJSON);
    for (const k of Object.keys(fixture.example1.soft_em_fixed_point)) close(j[k], step[k], 1e-12, `iteration ${step.iteration} ${k}`);
  }
  // the fill converges linearly (by a factor 1/5 per iteration): run until the gain is zero to rounding
  const converged = await runEM(prepared.family, prepared.data, { maxIterations: 200, tolerance: 0, restarts: 1, seed: 1, initialParameters: prepared.initialParameters });
  assert.notEqual(converged.result.stopReason, 'decreased');
  const j = joint(converged.result.parameters as BayesNetParametersJSON);
  for (const [k, v] of Object.entries(fixture.example1.soft_em_fixed_point)) close(j[k], v, 1e-9, `fixed point ${k}`);
  const table = prepared.family.posteriors(prepared.data, converged.parameters);
  assert.deepEqual(table.columns, ['P(B=0)', 'P(B=1)']);
  close(table.row(3)[0] as number, 0.75, 1e-8, 'the missing cell is filled with P(B=0|A=0) = 3/4 at the fixed point');
});
