// How the inspector's tables read: number formats, CPT rows per parent configuration, the
// Gaussian covariance layouts, HMM tables, the other families' E-step views, and the checks
// that keep malformed E-step views out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BayesNetParametersJSON, CptJSON, GaussianMixtureParametersJSON, HmmParametersJSON } from '../../src/shared/results';
import { cptTable, literal, parentConfigurations, trueStateIndex, tutorialNotation } from '../../webview/src/model/cptTables';
import { asBayesNetEStep, eStepTable, genericEStepTable, GENERIC_E_STEP_ROWS } from '../../webview/src/model/eStepTable';
import { covarianceTables, fullCovariances, gaussianMixtureTables } from '../../webview/src/model/gaussianTables';
import { hmmTables } from '../../webview/src/model/hmmTables';
import { asFractionOf, changeTitle, formatChange, formatCount, formatLogLikelihood, formatPosteriorCell, formatProbability, formatReal } from '../../webview/src/model/numberFormat';
import { parameterView } from '../../webview/src/model/parameterTables';
import { subscript, theta } from '../../webview/src/model/stepThrough';

test('number formats', () => {
  assert.equal(formatProbability(0.4773869), '0.477');
  assert.equal(formatProbability(0.0014858), '0.001');
  assert.equal(formatProbability(4.2e-9), '4.2e-9');
  assert.equal(formatProbability(0), '0.000');
  assert.equal(formatLogLikelihood(-13.52314553), '-13.5231');
  assert.equal(formatReal(79.9711), '79.97');
  assert.equal(formatReal(0.0691666), '0.06917');
  assert.equal(formatReal(-0.0536712), '-0.05367');
  assert.equal(formatReal(1234567), '1.235e+6');
  assert.equal(formatCount(6), '6');
  assert.equal(formatCount(2.5), '2.500');
  assert.equal(formatChange(0.117, (x) => x.toFixed(3)), '+0.117');
  assert.equal(formatChange(-0.5, (x) => x.toFixed(1)), '-0.5');
  assert.equal(formatChange(0, String), '±0');
  assert.equal(changeTitle(0.5168, 0.4, 'initial'), '0.5168\ninitial 0.4 → 0.5168 (+0.117)');
  assert.equal(changeTitle(0.5, undefined, 'initial'), '0.5');
  assert.equal(asFractionOf(0.4375, 8), '3.5/8');
  assert.equal(asFractionOf(3 / 7, 7), '3/7');
  assert.equal(asFractionOf(0.46875, 8), undefined);
  assert.equal(formatPosteriorCell('P(H=1)', 0.97211), '0.972');
  assert.equal(formatPosteriorCell('row', 1000000), '1000000');
  assert.equal(formatPosteriorCell('label', 'yes'), 'yes');
  assert.equal(formatPosteriorCell('P(H=1)', null), '');
  assert.equal(theta(12), 'θ₁₂');
  assert.equal(subscript(305), '₃₀₅');
});

const cpt = (parents: string[], states: string[], rows: Record<string, number[]>): CptJSON => ({ parents, states, rows });

test('CPT rows follow the parents\' declared state order; state names with "," and "=" are not misread', () => {
  const cpts = {
    G: cpt([], ['a=1', 'b,2'], { '': [0.3, 0.7] }),
    K: cpt([], ['lo', 'hi'], { '': [0.5, 0.5] }),
    X: cpt(['G', 'K'], ['0', '1'], {
      'G=b,2,K=hi': [0.1, 0.9], 'G=a=1,K=lo': [0.2, 0.8], 'G=a=1,K=hi': [0.3, 0.7], 'G=b,2,K=lo': [0.4, 0.6],
    }),
  };
  const configs = parentConfigurations(cpts.X, cpts);
  assert.deepEqual(configs.map((c) => c.key), ['G=a=1,K=lo', 'G=a=1,K=hi', 'G=b,2,K=lo', 'G=b,2,K=hi']);
  assert.deepEqual(configs[2].assignment, [['G', 'b,2'], ['K', 'lo']]);
  const table = cptTable('X', cpts);
  assert.equal(table.caption, 'P(X | G, K)');
  assert.deepEqual(table.header, ['G, K', 'X=0', 'X=1']);
  assert.deepEqual(table.rows.map((r) => r.map((c) => c.text)), [
    ['G=a=1, K=lo', '0.200', '0.800'], ['G=a=1, K=hi', '0.300', '0.700'], ['G=b,2, K=lo', '0.400', '0.600'], ['G=b,2, K=hi', '0.100', '0.900'],
  ]);
  assert.equal(table.rows[0][1].key, 'X|G=a=1,K=lo|0');
  // not binary: no tutorial notation
  assert.equal(tutorialNotation({ cpts }), undefined);
  assert.equal(trueStateIndex(['no', 'yes']), 1);
  assert.equal(trueStateIndex(['1', '0']), undefined);
  assert.equal(literal('H', '0', ['0', '1']), '¬H');
  assert.equal(literal('H', 'a', ['a', 'b', 'c']), 'H=a');
});

test('tutorial notation with two parents lists true parents first', () => {
  const b = ['0', '1'];
  const params: BayesNetParametersJSON = {
    cpts: {
      A: cpt([], b, { '': [0.4, 0.6] }),
      B: cpt([], b, { '': [0.7, 0.3] }),
      C: cpt(['A', 'B'], b, { 'A=0,B=0': [0.9, 0.1], 'A=0,B=1': [0.8, 0.2], 'A=1,B=0': [0.7, 0.3], 'A=1,B=1': [0.6, 0.4] }),
    },
  };
  const lines = tutorialNotation(params);
  assert.ok(lines);
  assert.deepEqual(lines.map((l) => l.text), ['P(A) = 0.600', 'P(B) = 0.300', 'P(C | A, B) = 0.400', 'P(C | A, ¬B) = 0.300', 'P(C | ¬A, B) = 0.200', 'P(C | ¬A, ¬B) = 0.100']);
});

test('Gaussian covariances in all four layouts', () => {
  const full = [[[1, 0.5], [0.5, 2]], [[3, 0], [0, 4]]];
  assert.deepEqual(fullCovariances('full', full, 2, 2), full);
  assert.deepEqual(fullCovariances('diag', [[1, 2], [3, 4]], 2, 2), [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]);
  assert.deepEqual(fullCovariances('spherical', [2, 5], 2, 2), [[[2, 0], [0, 2]], [[5, 0], [0, 5]]]);
  assert.deepEqual(fullCovariances('tied', [[1, 0.1], [0.1, 1]], 3, 2)?.length, 3);
  assert.equal(fullCovariances('full', [[1]], 2, 2), undefined, 'a shape that does not match K and D');
  assert.equal(covarianceTables('spherical', [2, 5], undefined, ['x', 'y'], 2, 'component')[0].rows[1][1].text, '5.000');
  const params: GaussianMixtureParametersJSON = { weights: [0.356, 0.644], means: [[2.036, 54.48], [4.29, 79.97]], covariances: full, covariance: 'full', columns: ['eruptions', 'waiting'] };
  const reference: GaussianMixtureParametersJSON = { ...params, weights: [0.5, 0.5] };
  const tables = gaussianMixtureTables(params, reference);
  assert.deepEqual(tables.map((t) => t.caption), ['Mixture weights', 'Means', 'Covariance of component 1', 'Covariance of component 2']);
  assert.deepEqual(tables[0].rows.map((r) => r[0].text), ['component 1', 'component 2']);
  assert.match(tables[0].rows[0][1].title ?? '', /initial 0\.5 → 0\.356 \(-0\.144\)/);
  assert.deepEqual(tables[1].header, ['component', 'eruptions', 'waiting']);
  assert.deepEqual(tables[2].rows[0].map((c) => c.text), ['eruptions', '1.000', '0.5000']);
  assert.equal(parameterView('gaussian-mixture', params).tables.length, 4);
});

test('HMM tables: start, transitions (from rows, to columns), emissions', () => {
  const gaussian: HmmParametersJSON = {
    startProbabilities: [0.2, 0.8],
    transitions: [[0.967, 0.033], [0.013, 0.987]],
    emission: { kind: 'gaussian', columns: ['return'], covariance: 'diag', means: [[-0.05], [0.1]], covariances: [[2.4], [0.55]] },
  };
  const g = hmmTables(gaussian);
  assert.deepEqual(g.map((t) => t.caption), ['Start probabilities', 'Transitions P(next state | state)', 'Means', 'Variances (diagonal covariances)']);
  assert.deepEqual(g[1].rows.map((r) => r.map((c) => c.text)), [['state 1', '0.967', '0.033'], ['state 2', '0.013', '0.987']]);
  const categorical: HmmParametersJSON = { ...gaussian, emission: { kind: 'categorical', column: 'roll', symbols: ['1', '6'], probabilities: [[0.5, 0.5], [0.1, 0.9]] } };
  const c = hmmTables(categorical);
  assert.deepEqual(c[2].header, ['state', 'roll=1', 'roll=6']);
  assert.equal(c[2].rows[1][2].text, '0.900');
});

test('E-step views: the bayesnet shape is checked; other families get a plain table', () => {
  assert.equal(asBayesNetEStep(undefined), undefined);
  assert.equal(asBayesNetEStep({ observed: ['A'], hidden: ['H'], patterns: [{ values: ['0', '1'], count: 1, posteriors: { H: [0.5, 0.5] } }] }), undefined, 'values must match observed');
  assert.equal(asBayesNetEStep({ observed: ['A'], hidden: ['H'], patterns: [{ values: ['0'], count: '1', posteriors: { H: [0.5, 0.5] } }] }), undefined);
  const view = asBayesNetEStep({
    observed: ['A', 'B'], hidden: ['H'], states: { H: ['lo', 'mid', 'hi'], B: ['x', 'y'] }, totalPatterns: 9, truncated: true,
    patterns: [{ values: ['0', null], count: 2.5, posteriors: { H: [0.2, 0.3, 0.5] }, imputed: { B: [0.7, 0.3] } }],
  });
  assert.ok(view);
  const t = eStepTable(view, undefined, 'E');
  assert.equal(t.caption, 'E (the first 1 of 9 patterns)');
  assert.deepEqual(t.header, ['A', 'B', '#', 'P(H=lo | A, B)', 'P(H=mid | A, B)', 'P(H=hi | A, B)']);
  assert.deepEqual(t.rows[0].map((c) => c.text), ['0', '? (x: 0.700, y: 0.300)', '2.500', '0.200', '0.300', '0.500']);
  // Gaussian mixture: { rows, responsibilities }
  const gmm = genericEStepTable({ rows: [1, 2], responsibilities: [[0.9, 0.1], [0.2, 0.8]] }, 'R');
  assert.ok(gmm);
  assert.deepEqual(gmm.header, ['row', 'P(component=1)', 'P(component=2)']);
  assert.deepEqual(gmm.rows[1].map((c) => c.text), ['2', '0.200', '0.800']);
  // HMM: a posterior table { columns, rows }, cut at GENERIC_E_STEP_ROWS
  const many = Array.from({ length: GENERIC_E_STEP_ROWS + 5 }, (_, i) => ['s1', i + 1, 0.25, 0.75, 2, 2]);
  const hmm = genericEStepTable({ columns: ['sequence', 't', 'P(state=1)', 'P(state=2)', 'viterbi', 'label'], rows: many }, 'R');
  assert.ok(hmm);
  assert.equal(hmm.rows.length, GENERIC_E_STEP_ROWS);
  assert.match(hmm.caption, /first 200 of 205 rows/);
  assert.deepEqual(hmm.rows[0].map((c) => c.text), ['s1', '1', '0.250', '0.750', '2', '2']);
  assert.equal(genericEStepTable({ something: 1 }, 'R'), undefined);
});
