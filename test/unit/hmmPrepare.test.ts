// From model file + dataset to a prepared HMM fit: columns, sequences, symbols, explicit init
// (with the error messages a user sees), initialization, canonical order, the results shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/shared/errors';
import { prepareFit } from '../../src/engine/registry';
import { Rng } from '../../src/engine/rng';
import { prepareHmm } from '../../src/engine/hmm/prepareHmm';
import { canonicalStateOrder, hmmParametersToJSON, permuteStates } from '../../src/engine/hmm/hmmFamily';
import type { HmmParameters } from '../../src/engine/hmm/hmmParameters';
import type { CovarianceType } from '../../src/shared/modelSpec';
import { categorical, dataset, hmmModelFile, numeric } from './hmmTestData';

function inputError(fn: () => unknown, pattern: RegExp, line?: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, pattern);
    if (line !== undefined) assert.equal(e.line, line);
    return true;
  });
}

const twoClusters = (): ReturnType<typeof dataset> => {
  const rng = new Rng(3);
  const n = 200;
  const ids = Array.from({ length: n }, (_, i) => (i < 120 ? 1 : 2));
  const x = Array.from({ length: n }, (_, i) => (Math.floor(i / 10) % 2 === 0 ? -5 : 5) + 0.5 * rng.normal());
  const y = Array.from({ length: n }, () => rng.normal());
  return dataset([numeric('id', ids), numeric('x', x), numeric('y', y), categorical('note', Array.from({ length: n }, () => 'n'))]);
};

test('registry: prepareFit dispatches "hmm" to the HMM family', () => {
  const prepared = prepareFit(hmmModelFile({ states: 2, emission: 'gaussian', sequence: 'id' }), twoClusters());
  assert.equal(prepared.family.kind, 'hmm');
  assert.equal(prepared.family.units(prepared.data), 2);
});

test('gaussian columns default to every numeric column except the sequence column', () => {
  const { data } = prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', sequence: 'id' }), twoClusters());
  assert.equal(data.observations.kind, 'gaussian');
  if (data.observations.kind === 'gaussian') assert.deepEqual(data.observations.columns, ['x', 'y']);
  assert.equal(data.sequences.maxLength, 120);
});

test('input errors name the problem (and the line where there is one)', () => {
  const ds = twoClusters();
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', sequence: 'nope' }), ds), /column "nope" is not in the data/);
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', columns: ['x', 'note'] }), ds), /column "note" is not numeric/);
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', weight: 'x' }), ds), /"data.weight" is not supported/);
  inputError(() => prepareHmm(hmmModelFile({ states: 0, emission: 'gaussian' }), ds), /positive integer/);
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'categorical', sequence: 'id' }), ds), /exactly one column.*found x, y, note/);
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', fit: { init: 'given' } }), ds), /no "init"/);
  const withGap = dataset([numeric('id', [1, 1, NaN, 2]), numeric('x', [1, 2, 3, 4])]);
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', sequence: 'id' }), withGap), /sequence id .* is missing/, 4);
});

test('a numeric column read as categorical symbols: its values in numeric order', () => {
  const ds = dataset([numeric('s', [10, 2, 1, 2, NaN, 10])]);
  const { data } = prepareHmm(hmmModelFile({ states: 2, emission: 'categorical' }), ds);
  const obs = data.observations;
  assert.equal(obs.kind, 'categorical');
  if (obs.kind !== 'categorical') return;
  assert.deepEqual(obs.symbols, ['1', '2', '10']);
  assert.deepEqual(Array.from(obs.codes), [2, 1, 0, 1, -1, 2]);
  assert.equal(obs.missingSteps, 1);
});

const init2 = {
  startProbabilities: [0.5, 0.5],
  transitions: [
    [0.9, 0.1],
    [0.2, 0.8],
  ],
  emission: { probabilities: [[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]] },
};

test('explicit init: validated with messages that name the entry', () => {
  const ds = dataset([categorical('s', ['a', 'b', 'c', 'a'])]);
  const model = (init: unknown, prior = 0) => hmmModelFile({ states: 2, emission: 'categorical', init, prior });
  const ok = prepareHmm(model(init2), ds).initialParameters as HmmParameters;
  assert.deepEqual(Array.from(ok.transitions), [0.9, 0.1, 0.2, 0.8]);
  inputError(() => prepareHmm(model({ ...init2, startProbabilities: [0.5, 0.6] }), ds), /init.startProbabilities sums to 1.1, not 1/);
  inputError(() => prepareHmm(model({ ...init2, transitions: [[0.9, 0.1]] }), ds), /init.transitions must be a 2 x 2 matrix/);
  inputError(() => prepareHmm(model({ ...init2, transitions: [[0.9, 0.1], [1.2, -0.2]] }), ds), /init.transitions\[1\]\[1\] is -0.2/);
  inputError(() => prepareHmm(model({ ...init2, emission: { probabilities: [[0.5, 0.5], [0.5, 0.5]] } }), ds), /init.emission.probabilities\[0\] has 2 entries; the model needs 3 \(one per symbol: a, b, c\)/);
  inputError(() => prepareHmm(model({ ...init2, transitions: [[1, 0], [0.2, 0.8]] }, 1), ds), /init.transitions\[0\]\[1\] is 0, but with "prior" 1/);
  inputError(() => prepareHmm(model({ ...init2, emission: { means: [[0]] } }), ds), /init.emission.means is not a categorical emission parameter/);
  inputError(() => prepareHmm(model({ ...init2, extra: 1 }), ds), /init.extra is not an HMM parameter/);
});

test('explicit init: init.emission.symbols fixes the symbol order; a data symbol outside it is an error at its line', () => {
  const ds = dataset([categorical('s', ['a', 'b', 'c', 'a'])]);
  const init = { ...init2, emission: { symbols: ['c', 'a', 'b'], probabilities: init2.emission.probabilities } };
  const { data } = prepareHmm(hmmModelFile({ states: 2, emission: 'categorical', init }), ds);
  if (data.observations.kind !== 'categorical') throw new Error('expected categorical');
  assert.deepEqual(data.observations.symbols, ['c', 'a', 'b']);
  assert.deepEqual(Array.from(data.observations.codes), [1, 2, 0, 1]);
  const narrow = { ...init2, emission: { symbols: ['a', 'b'], probabilities: [[0.5, 0.5], [0.5, 0.5]] } };
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'categorical', init: narrow }), ds), /"c" \(column "s"\) is not among init.emission.symbols/, 4);
});

test('explicit gaussian init in every covariance shape; a non positive definite covariance is refused', () => {
  const ds = twoClusters();
  const base = { startProbabilities: [0.5, 0.5], transitions: [[0.9, 0.1], [0.1, 0.9]] };
  const means = [[-5, 0], [5, 0]];
  const shapes: Record<CovarianceType, unknown> = {
    full: [[[1, 0.2], [0.2, 1]], [[2, 0], [0, 2]]],
    diag: [[1, 2], [3, 4]],
    spherical: [1.5, 2.5],
    tied: [[1, 0.3], [0.3, 2]],
  };
  for (const [covariance, covariances] of Object.entries(shapes) as [CovarianceType, unknown][]) {
    const model = hmmModelFile({ states: 2, emission: 'gaussian', covariance, sequence: 'id', columns: ['x', 'y'], init: { ...base, emission: { means, covariances } } });
    const { family, initialParameters } = prepareHmm(model, ds);
    const json = family.toJSON(initialParameters as HmmParameters);
    assert.ok('startProbabilities' in json && json.emission.kind === 'gaussian');
    if (!('startProbabilities' in json) || json.emission.kind !== 'gaussian') return;
    // the results shape is the init shape: a result pastes back as an init
    assert.deepEqual(json.emission.covariances, covariances, covariance);
    assert.deepEqual(json.emission.means, means);
    const again = prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', covariance, sequence: 'id', columns: ['x', 'y'], init: json }), ds);
    assert.deepEqual(again.initialParameters, initialParameters);
  }
  const swapped = { ...base, emission: { columns: ['y', 'x'], means, covariances: shapes.full } };
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', sequence: 'id', columns: ['x', 'y'], init: swapped }), ds), /init.emission.columns is \["y","x"\] but the model reads \["x","y"\]/);
  const bad = { ...base, emission: { means, covariances: [[[1, 2], [2, 1]], [[1, 0], [0, 1]]] } };
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', sequence: 'id', columns: ['x', 'y'], init: bad }), ds), /init.emission.covariances\[0\] is not positive definite/);
  const shape = { ...base, emission: { means, covariances: [1, 2] } };
  inputError(() => prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', covariance: 'diag', sequence: 'id', columns: ['x', 'y'], init: shape }), ds), /init.emission.covariances\[0\] must be an array of 2/);
});

test('k-means initialization: deterministic per seed, means at the clusters, pooled covariance in every state', () => {
  const { family, data } = prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', covariance: 'diag', sequence: 'id', columns: ['x', 'y'] }), twoClusters());
  const a = family.initialize(data, new Rng(4));
  const b = family.initialize(data, new Rng(4));
  assert.deepEqual(a, b);
  const e = family.canonicalize ? family.canonicalize(a, data).emission : a.emission;
  if (e.kind !== 'gaussian') throw new Error('expected gaussian');
  assert.ok(Math.abs(e.means[0] + 5) < 0.3 && Math.abs(e.means[2] - 5) < 0.3, `means ${Array.from(e.means)}`);
  assert.deepEqual(Array.from(e.covariances.subarray(0, 4)), Array.from(e.covariances.subarray(4, 8)));
  assert.equal(e.covariances[1], 0); // diag
  for (const row of [a.start, a.transitions.subarray(0, 2), a.transitions.subarray(2, 4)]) assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-15 && row[0] > 0.3 && row[0] < 0.7);
  const c = family.initialize(data, new Rng(5));
  assert.notDeepEqual(Array.from(c.transitions), Array.from(a.transitions));
});

test('canonical order: states sorted consistently in every parameter; likelihood and posteriors follow', () => {
  const { family, data } = prepareHmm(hmmModelFile({ states: 3, emission: 'gaussian', covariance: 'full', sequence: 'id', columns: ['x', 'y'] }), twoClusters());
  const params: HmmParameters = {
    states: 3,
    start: Float64Array.from([0.2, 0.5, 0.3]),
    transitions: Float64Array.from([0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.25, 0.25, 0.5]),
    emission: { kind: 'gaussian', columns: ['x', 'y'], dim: 2, covariance: 'full', means: Float64Array.from([4, 0, -5, 1, 0, 0]), covariances: Float64Array.from([1, 0, 0, 1, 2, 0.1, 0.1, 1, 3, 0, 0, 3]) },
  };
  assert.deepEqual(canonicalStateOrder(params), [1, 2, 0]);
  const canonical = family.canonicalize!(params, data);
  assert.deepEqual(Array.from(canonical.start), [0.5, 0.3, 0.2]);
  // a'_{ij} = a_{order[i], order[j]}
  assert.deepEqual(Array.from(canonical.transitions), [0.6, 0.1, 0.3, 0.25, 0.5, 0.25, 0.2, 0.1, 0.7]);
  if (canonical.emission.kind !== 'gaussian') return;
  assert.deepEqual(Array.from(canonical.emission.means), [-5, 1, 0, 0, 4, 0]);
  assert.deepEqual(Array.from(canonical.emission.covariances.subarray(0, 4)), [2, 0.1, 0.1, 1]);
  const before = family.eStep(data, params).logLikelihood;
  const after = family.eStep(data, canonical).logLikelihood;
  assert.ok(Math.abs(before - after) < 1e-9 * Math.abs(before));
  const p0 = family.posteriors(data, params).row(7);
  const p1 = family.posteriors(data, canonical).row(7);
  assert.ok(Math.abs((p0[2 + 1] as number) - (p1[2 + 0] as number)) < 1e-12);
  // permuting back restores the original
  assert.deepEqual(permuteStates(canonical, [2, 0, 1]), params);
});

test('free parameters: (K-1) + K(K-1) + emission parameters, as scikit-learn / hmmlearn count them', () => {
  const ds = twoClusters();
  const expected: Record<CovarianceType, number> = { full: 2 + 6 + 6 + 9, diag: 2 + 6 + 6 + 6, spherical: 2 + 6 + 6 + 3, tied: 2 + 6 + 6 + 3 };
  for (const covariance of ['full', 'diag', 'spherical', 'tied'] as const) {
    const { family, data } = prepareHmm(hmmModelFile({ states: 3, emission: 'gaussian', covariance, sequence: 'id', columns: ['x', 'y'] }), ds);
    assert.equal(family.freeParameters(family.initialize(data, new Rng(1))), expected[covariance], covariance);
  }
  const cat = prepareHmm(hmmModelFile({ states: 2, emission: 'categorical' }), dataset([categorical('s', ['a', 'b', 'c', 'd'])]));
  assert.equal(cat.family.freeParameters(cat.family.initialize(cat.data, new Rng(1))), 1 + 2 + 2 * 3);
});

test('the results shape of an HMM (DESIGN.md hmm parameters)', () => {
  const params: HmmParameters = {
    states: 2,
    start: Float64Array.from([0.25, 0.75]),
    transitions: Float64Array.from([0.9, 0.1, 0.4, 0.6]),
    emission: { kind: 'categorical', column: 's', symbols: ['a', 'b'], probabilities: Float64Array.from([0.3, 0.7, 0.6, 0.4]) },
  };
  assert.deepEqual(hmmParametersToJSON(params), {
    startProbabilities: [0.25, 0.75],
    transitions: [[0.9, 0.1], [0.4, 0.6]],
    emission: { kind: 'categorical', column: 's', symbols: ['a', 'b'], probabilities: [[0.3, 0.7], [0.6, 0.4]] },
  });
});

test('a sequence of a million steps: no underflow, exact likelihood where it is known in closed form', () => {
  // Both states emit with the same probabilities, so p(x) = prod_t b(x_t) whatever the chain,
  // and the posterior of z_t is the chain's marginal pi A^(t-1).
  const N = 1_000_000;
  const rng = new Rng(8);
  const codes = new Int32Array(N);
  for (let i = 0; i < N; i++) codes[i] = rng.next() < 0.3 ? 0 : rng.next() < 0.5 ? 1 : 2;
  const ds = dataset([{ kind: 'categorical', name: 's', levels: ['a', 'b', 'c'], codes }]);
  const { family, data } = prepareHmm(hmmModelFile({ states: 2, emission: 'categorical' }), ds);
  const b = [0.2, 0.5, 0.3];
  const params: HmmParameters = {
    states: 2,
    start: Float64Array.from([1, 0]),
    transitions: Float64Array.from([0.9, 0.1, 0.3, 0.7]),
    emission: { kind: 'categorical', column: 's', symbols: ['a', 'b', 'c'], probabilities: Float64Array.from([...b, ...b]) },
  };
  const counts = [0, 0, 0];
  for (const c of codes) counts[c]++;
  const exact = counts.reduce((s, n, m) => s + n * Math.log(b[m]), 0);
  const out = family.eStep(data, params);
  assert.ok(Math.abs(out.logLikelihood - exact) <= 1e-10 * Math.abs(exact), `${out.logLikelihood} vs ${exact}`);
  // transitions expected: sum_t P(z_t = i) a_ij; stationary distribution of A is (0.75, 0.25)
  const table = family.posteriors(data, params);
  assert.ok(Math.abs((table.row(1)[2] as number) - 0.9) < 1e-12);
  assert.ok(Math.abs((table.row(N - 1)[2] as number) - 0.75) < 1e-12);
  assert.ok(Math.abs(out.stats.transitions[1] / (N - 1) - 0.75 * 0.1) < 1e-5);
});
