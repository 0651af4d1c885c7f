// The bayesnet / latent-class family: junction-tree shape, numerical robustness, explicit
// initial parameters, preparation from a model file and a dataset, results shape, posteriors,
// the step-through view, warnings and the latent-class canonical order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bayesNetReadOptions, prepareBayesNet } from '../../src/engine/bayesnet/prepare';
import { bayesNetEStep, bayesNetWarnings, randomParameters } from '../../src/engine/bayesnet/bayesNetFamily';
import type { BayesNetEStepView } from '../../src/engine/bayesnet/eStepView';
import { buildNetwork } from '../../src/engine/bayesnet/network';
import { buildJunctionTree } from '../../src/engine/bayesnet/junctionTree';
import { PatternInference } from '../../src/engine/bayesnet/patternInference';
import { permuteStates } from '../../src/engine/bayesnet/statePermutation';
import type { BayesNetParameters } from '../../src/engine/bayesnet/types';
import { runEM } from '../../src/engine/driver';
import { logSumExp } from '../../src/engine/numerics';
import { prepareFit } from '../../src/engine/registry';
import { Rng } from '../../src/engine/rng';
import { InputError } from '../../src/shared/errors';
import type { BayesNetParametersJSON } from '../../src/shared/results';
import type { ModelSpec } from '../../src/shared/modelSpec';
import { bruteForce, categorical, dataset, modelFile, randomCase } from './bayesnetTestData';

const example2 = (init?: unknown, spec: Partial<Extract<ModelSpec, { kind: 'bayesnet' }>> = {}) =>
  modelFile(
    { kind: 'bayesnet', variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false }, B: { hidden: false } }, parents: { A: ['H'], B: ['H'] }, prior: 0, ...spec },
    { weight: '#', ...(init !== undefined ? { init } : {}) },
  );
const example2Data = () => dataset([categorical('A', ['0', '0', '1', '1']), categorical('B', ['0', '1', '0', '1'])], [6, 1, 1, 4]);
const designInit = { H: [0.6, 0.4], A: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] }, B: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] } };

function inputError(fn: () => unknown, message: RegExp): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  assert.match(caught.message, message);
  return caught;
}

/** latent-class data: `columns` x `rows` with given levels per column, from a seeded stream. */
function latentClassData(rows: number, levels: number[], seed: number, weights?: number[]) {
  const rng = new Rng(seed);
  const columns = levels.map((k, j) => categorical(`X${j}`, Array.from({ length: rows }, () => String(rng.int(k))), Array.from({ length: k }, (_, s) => String(s))));
  return dataset(columns, weights);
}
const latentClassModel = (classes: number, columns: string[], fit = {}) => modelFile({ kind: 'latent-class', classes, columns, prior: 0 }, { fit });

// ---------------------------------------------------------------- junction tree
test('a hidden variable with 10 states and 20 children gives cliques {H, X_i}, never the joint', () => {
  const decls = [
    { name: 'H', states: Array.from({ length: 10 }, (_, k) => String(k)), hidden: true, column: 'H', parents: [] },
    ...Array.from({ length: 20 }, (_, i) => ({ name: `X${i}`, states: ['a', 'b', 'c'], hidden: false, column: `X${i}`, parents: ['H'] })),
  ];
  const tree = buildJunctionTree(buildNetwork(decls));
  assert.equal(tree.cliques.length, 20);
  assert.equal(tree.maxCliqueSize, 30);
  for (const c of tree.cliques) {
    assert.equal(c.vars.length, 2);
    assert.equal(c.vars[0], 0, 'every clique holds H');
  }
  for (let c = 1; c < 20; c++) assert.deepEqual([...tree.separatorVars[c]], [0], 'separators are {H}');
  assert.equal([...tree.parent].filter((p) => p < 0).length, 1, 'one tree');
});

test('a loop (diamond A -> B, C -> D) is triangulated by moralizing B - C', () => {
  const s = ['0', '1'];
  const tree = buildJunctionTree(
    buildNetwork([
      { name: 'A', states: s, hidden: true, column: 'A', parents: [] },
      { name: 'B', states: s, hidden: false, column: 'B', parents: ['A'] },
      { name: 'C', states: s, hidden: false, column: 'C', parents: ['A'] },
      { name: 'D', states: s, hidden: false, column: 'D', parents: ['B', 'C'] },
    ]),
  );
  const sets = tree.cliques.map((c) => [...c.vars].join('')).sort();
  assert.deepEqual(sets, ['012', '123']);
  assert.deepEqual([...tree.separatorVars[1]], [1, 2]);
});

test('disconnected parts make a forest; log p(x) adds over the parts', () => {
  const s = ['0', '1', '2'];
  const network = buildNetwork([
    { name: 'A', states: s, hidden: false, column: 'A', parents: [] },
    { name: 'B', states: s, hidden: false, column: 'B', parents: ['A'] },
    { name: 'C', states: s, hidden: true, column: 'C', parents: [] },
    { name: 'D', states: s, hidden: false, column: 'D', parents: ['C'] },
  ]);
  const tree = buildJunctionTree(network);
  assert.equal([...tree.parent].filter((p) => p < 0).length, 2);
  const theta = randomParameters(network, new Rng(3)).theta;
  const inference = new PatternInference(network, tree, theta);
  const codes = Int32Array.from([1, -1, 2]);
  const ll = inference.infer(codes, 0, true);
  const exact = bruteForce(network, theta, Int32Array.from([1, -1, -1, 2]));
  assert.ok(Math.abs(ll - exact.logLikelihood) < 1e-12);
  const expectedLogJoint = inference.addFamilyCounts(new Float64Array(theta.length), 1);
  assert.ok(Math.abs(ll - expectedLogJoint - exact.entropy) < 1e-12);
});

test('no underflow: 10 hidden states, 200 children with probabilities 1e-4 / 1 - 1e-4', () => {
  const k = 10;
  const m = 200;
  const rng = new Rng(11);
  const data = latentClassData(3, new Array(m).fill(2), 5);
  const { data: prepared } = prepareBayesNet(latentClassModel(k, data.columns.map((c) => c.name)), data);
  const network = prepared.network;
  const theta = randomParameters(network, rng).theta;
  for (let v = 1; v <= m; v++) {
    for (let h = 0; h < k; h++) {
      const p1 = rng.next() < 0.5 ? 1e-4 : 1 - 1e-4;
      theta[network.cptOffset[v] + h * 2] = 1 - p1;
      theta[network.cptOffset[v] + h * 2 + 1] = p1;
    }
  }
  const inference = new PatternInference(network, prepared.tree, theta);
  for (let p = 0; p < prepared.patterns.counts.length; p++) {
    // log p(x) = logsumexp_h [log pi_h + sum_i log theta_i(x_i | h)]
    const terms = new Float64Array(k);
    for (let h = 0; h < k; h++) {
      terms[h] = Math.log(theta[h]);
      for (let j = 0; j < m; j++) terms[h] += Math.log(theta[network.cptOffset[j + 1] + h * 2 + prepared.patterns.codes[p * m + j]]);
    }
    const exact = logSumExp(terms);
    assert.ok(exact < -700, `the joint underflows in linear space (${exact})`);
    const ll = inference.infer(prepared.patterns.codes, p, true);
    assert.ok(Math.abs(ll - exact) <= 1e-9 * Math.abs(exact), `${ll} vs ${exact}`);
    const posterior = new Float64Array(k);
    inference.variableMarginal(0, posterior);
    for (let h = 0; h < k; h++) assert.ok(Math.abs(posterior[h] - Math.exp(terms[h] - exact)) <= 1e-9);
  }
});

test('no underflow when the evidence selects entries below 1e-300 of their clique (the log-space fallback)', () => {
  const s = ['0', '1'];
  const network = buildNetwork([
    { name: 'A', states: s, hidden: false, column: 'A', parents: [] },
    { name: 'B', states: s, hidden: false, column: 'B', parents: ['A'] },
    { name: 'C', states: ['x', 'y', 'z'], hidden: true, column: 'C', parents: ['A', 'B'] },
  ]);
  const tree = buildJunctionTree(network);
  assert.equal(tree.cliques.length, 1, 'one clique {A, B, C}');
  // P(A=1) = 1e-200, P(B=1 | A=1) = 1e-200: the observed pair has probability 1e-400
  const theta = Float64Array.from([1 - 1e-200, 1e-200, 0.5, 0.5, 1 - 1e-200, 1e-200, ...[0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4, 0.6, 0.3, 0.1]]);
  const inference = new PatternInference(network, tree, theta);
  const ll = inference.infer(Int32Array.from([1, 1]), 0, true);
  assert.ok(Math.abs(ll - 2 * Math.log(1e-200)) <= 1e-12 * Math.abs(ll), `${ll}`);
  const c = new Float64Array(3);
  inference.variableMarginal(2, c);
  [0.6, 0.3, 0.1].forEach((x, k) => assert.ok(Math.abs(c[k] - x) < 1e-12, `P(C | A=1, B=1): ${[...c]}`));
});

// ---------------------------------------------------------------- explicit init
test('init in DESIGN.md\'s shape, and the results shape pasted back, give the same CPTs', () => {
  const prepared = prepareBayesNet(example2(designInit), example2Data());
  const json = prepared.family.toJSON(prepared.initialParameters as BayesNetParameters) as BayesNetParametersJSON;
  assert.deepEqual(json, {
    cpts: {
      H: { parents: [], states: ['0', '1'], rows: { '': [0.6, 0.4] } },
      A: { parents: ['H'], states: ['0', '1'], rows: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] } },
      B: { parents: ['H'], states: ['0', '1'], rows: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] } },
    },
  });
  const again = prepareBayesNet(example2(json.cpts), example2Data());
  assert.deepEqual(again.initialParameters?.theta, prepared.initialParameters?.theta);
  const spaced = prepareBayesNet(example2({ ...designInit, A: { ' H = 1 ': [0.45, 0.55], 'H=0': [0.39, 0.61] } }), example2Data());
  assert.deepEqual(spaced.initialParameters?.theta, prepared.initialParameters?.theta);
});

test('variables left out of init start as the random start of fit.seed would', () => {
  const model = example2({ H: [0.5, 0.5] });
  const prepared = prepareBayesNet(model, example2Data());
  const random = randomParameters(prepared.data.network, new Rng(model.fit.seed));
  const theta = prepared.initialParameters?.theta as Float64Array;
  assert.deepEqual([...theta.subarray(0, 2)], [0.5, 0.5]);
  assert.deepEqual([...theta.subarray(2)], [...random.theta.subarray(2)]);
});

test('bad init values are InputErrors at the model file naming variable and row', () => {
  const data = example2Data();
  const cases: [unknown, RegExp][] = [
    [[0.5, 0.5], /init must be an object/],
    [{ Z: [1] }, /"Z" is not a variable/],
    [{ A: [0.5, 0.5] }, /init\.A: A has parents \(H\)/],
    [{ A: { 'H=0': [0.5, 0.5] } }, /init\.A: row "H=1" is missing/],
    [{ A: { 'H=0': [0.5, 0.5], 'H=1': [0.5, 0.5], 'H=2': [0.5, 0.5] } }, /row "H=2" is not a parent configuration of A/],
    [{ A: { 'G=0': [0.5, 0.5], 'H=1': [0.5, 0.5] } }, /row "G=0"/],
    [{ H: [0.5, 0.25] }, /init\.H: the probabilities sum to 0\.75, not 1/],
    [{ H: [0.5, 0.5, 0] }, /init\.H: expected 2 probabilities \(states 0, 1\), got 3/],
    [{ B: { 'H=0': [1.5, -0.5], 'H=1': [0.5, 0.5] } }, /init\.B\["H=0"\]: 1\.5 is not a probability|-0\.5 is not a probability/],
    [{ H: 'uniform' }, /init\.H: expected a list of 2 probabilities/],
  ];
  for (const [init, message] of cases) {
    const e = inputError(() => prepareBayesNet(example2(init), data), message);
    assert.equal(e.file, '/work/test/model.em.json');
  }
});

test('an init that gives a data row probability 0 is an InputError naming the row', () => {
  const init = { ...designInit, A: { 'H=0': [1, 0], 'H=1': [1, 0] } };
  const e = inputError(() => prepareBayesNet(example2(init), example2Data()), /probability 0 to the data row A=1, B=0 \(data\.csv line 4\)/);
  assert.equal(e.file, '/work/test/model.em.json');
});

// ---------------------------------------------------------------- preparation
test('read options: observed columns (with "column" renames), declared states, the weight column', () => {
  const model = example2(undefined, { variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false, column: 'colA', states: ['1', '0'] }, B: { hidden: false } } });
  assert.deepEqual(bayesNetReadOptions(model), { columns: ['colA', 'B'], categorical: { colA: ['1', '0'], B: undefined }, weight: '#' });
  assert.deepEqual(bayesNetReadOptions(latentClassModel(3, ['x', 'y'])), { columns: ['x', 'y'], categorical: { x: undefined, y: undefined } });
});

test('declared states reorder the codes; a value outside them is an error at its line', () => {
  const model = example2(undefined, { variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false, column: 'colA', states: ['1', '0'] }, B: { hidden: false } } });
  const data = dataset([categorical('colA', ['0', '0', '1', '1']), categorical('B', ['0', '1', '0', '1'])], [6, 1, 1, 4]);
  const prepared = prepareBayesNet(model, data);
  assert.deepEqual([...prepared.data.patterns.codes], [1, 0, 1, 1, 0, 0, 0, 1]);
  assert.deepEqual(prepared.data.network.states[1], ['1', '0']);
  const bad = dataset([categorical('colA', ['0', '2', '1', '1']), categorical('B', ['0', '1', '0', '1'])], [6, 1, 1, 4]);
  const e = inputError(() => prepareBayesNet(model, bad), /"2" is not a state of A \(states: 1, 0\)/);
  assert.equal(e.file, 'data.csv');
  assert.equal(e.line, 3);
});

test('structure and data problems are InputErrors', () => {
  const data = example2Data();
  inputError(() => prepareBayesNet(example2(undefined, { variables: { H: { hidden: true }, A: { hidden: false }, B: { hidden: false } } }), data), /hidden variable H needs "states"/);
  inputError(() => prepareBayesNet(example2(undefined, { parents: { A: ['B'], B: ['A'] } }), data), /cycle: (A -> B -> A|B -> A -> B)/);
  inputError(() => prepareBayesNet(example2(undefined, { parents: { A: ['Q'] } }), data), /parent "Q" of A is not a declared variable/);
  inputError(() => prepareBayesNet(example2(undefined, { parents: { Q: ['A'] } }), data), /"parents" names Q/);
  inputError(() => prepareBayesNet(example2(undefined, { prior: -1 }), data), /"prior" must be a number >= 0/);
  const missingColumn = inputError(() => prepareBayesNet(example2(), dataset([categorical('A', ['0'])], [1])), /column "B" \(variable B\) is not in the data/);
  assert.equal(missingColumn.file, 'data.csv');
  inputError(() => prepareBayesNet(example2(), dataset([categorical('A', ['0', '1']), categorical('B', ['0', '1'])], [1, -1])), /weight -1 is not a count/);
  inputError(() => prepareBayesNet(example2(), dataset([categorical('A', ['0', '1']), categorical('B', ['0', '1'])], [0, 0])), /no rows to fit/);
  inputError(() => prepareBayesNet(latentClassModel(0, ['X0']), latentClassData(3, [2], 1)), /"classes" must be a whole number >= 1/);
  const allMissing = dataset([categorical('A', ['0', null]), categorical('B', [null, '1'])]);
  inputError(() => prepareBayesNet(modelFile({ kind: 'bayesnet', variables: { A: { hidden: false }, B: { hidden: false } }, parents: {}, prior: 0 }, { fit: { missingData: 'drop' } }), allMissing), /every row has a missing cell/);
  inputError(() => prepareBayesNet(modelFile({ kind: 'bayesnet', variables: { A: { hidden: false }, B: { hidden: false } }, parents: {}, prior: 0 }, { fit: { missingData: 'fill-mode' } }), allMissing), /no row is complete/);
});

test('a network too dense for exact inference is an InputError before any table is allocated', () => {
  const parents = Array.from({ length: 12 }, (_, i) => `P${i}`);
  const states = ['a', 'b', 'c', 'd'];
  const variables = Object.fromEntries([...parents, 'D'].map((name) => [name, { hidden: true, states }]));
  const model = modelFile({ kind: 'bayesnet', variables: { ...variables, X: { hidden: false } }, parents: { D: parents, X: ['D'] }, prior: 0 });
  inputError(() => prepareBayesNet(model, dataset([categorical('X', ['0', '1'])])), /too densely connected .* largest clique 67108864\)/);
});

test('the registry prepares bayesnet and latent-class fits', () => {
  const fit = prepareFit(example2(designInit), example2Data());
  assert.equal(fit.family.kind, 'bayesnet');
  const lc = prepareFit(latentClassModel(2, ['X0', 'X1']), latentClassData(20, [2, 3], 4));
  assert.equal(lc.family.kind, 'latent-class');
});

// ---------------------------------------------------------------- results, posteriors, view
test('free parameters: sum over CPT rows of (states - 1)', () => {
  const { family, data } = prepareBayesNet(latentClassModel(3, ['X0', 'X1', 'X2']), latentClassData(30, [2, 3, 4], 2));
  // class: 2; X0: 3 rows x 1; X1: 3 x 2; X2: 3 x 3
  assert.equal(family.freeParameters(family.initialize(data, new Rng(1))), 2 + 3 + 6 + 9);
});

test('latent-class: hidden "class" with states 1..K, posterior columns, label; classes sorted by weight', async () => {
  const data = latentClassData(60, [2, 3, 2], 9, Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? 0 : 1 + (i % 3))));
  const { family, data: prepared } = prepareBayesNet(latentClassModel(3, ['X0', 'X1', 'X2']), data);
  assert.deepEqual(prepared.network.names, ['class', 'X0', 'X1', 'X2']);
  assert.deepEqual(prepared.network.states[0], ['1', '2', '3']);
  const { result, parameters } = await runEM(family, prepared, { maxIterations: 50, tolerance: 1e-10, restarts: 3, seed: 5 });
  const weights = (result.parameters as BayesNetParametersJSON).cpts.class.rows[''];
  assert.ok(weights[0] >= weights[1] && weights[1] >= weights[2], `class weights in descending order: ${weights}`);
  // relabelling does not change the likelihood
  assert.ok(Math.abs(bayesNetEStep(prepared, parameters).logLikelihood - result.logLikelihood) <= 1e-9 * Math.abs(result.logLikelihood));
  const table = family.posteriors(prepared, parameters);
  assert.deepEqual(table.columns, ['P(class=1)', 'P(class=2)', 'P(class=3)', 'label']);
  assert.equal(table.rowCount, 60);
  const row = table.row(0);
  assert.ok(Math.abs((row[0] as number) + (row[1] as number) + (row[2] as number) - 1) < 1e-12);
  assert.ok(['1', '2', '3'].includes(row[3] as string));
  assert.equal(data.weights?.[5], 0);
  assert.equal(typeof table.row(5)[0], 'number', 'zero-weight rows still have posteriors');
  assert.ok(['1', '2', '3'].includes(table.row(5)[3] as string));
});

test('relabelling a hidden variable\'s states in any network leaves every pattern\'s likelihood unchanged', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const c = randomCase({ seed, variables: 5, hidden: 2, rows: 15, missingRate: 0.2 }, new Rng(seed));
    const { data } = prepareBayesNet(c.model, c.data);
    const params = randomParameters(data.network, new Rng(seed + 100));
    const v = data.network.hidden.indexOf(1);
    const card = data.network.cards[v];
    const order = Array.from({ length: card }, (_, k) => (k + 1) % card);
    const permuted = permuteStates(params, v, order);
    const a = new PatternInference(data.network, data.tree, params.theta);
    const b = new PatternInference(data.network, data.tree, permuted.theta);
    for (let p = 0; p < data.patterns.counts.length; p++) {
      const la = a.infer(data.patterns.codes, p, true);
      const lb = b.infer(data.patterns.codes, p, true);
      assert.ok(Math.abs(la - lb) <= 1e-12 * Math.max(1, Math.abs(la)), `seed ${seed}: ${la} vs ${lb}`);
      const ma = new Float64Array(card);
      const mb = new Float64Array(card);
      a.variableMarginal(v, ma);
      b.variableMarginal(v, mb);
      order.forEach((old, k) => assert.ok(Math.abs(mb[k] - ma[old]) < 1e-12));
    }
  }
});

test('the E-step view shows at most 500 patterns and says so', () => {
  const levels = Array.from({ length: 600 }, (_, k) => `v${k}`);
  const data = dataset([categorical('X0', levels, levels), categorical('X1', levels.map((_, i) => String(i % 2)))]);
  const { family, data: prepared } = prepareBayesNet(latentClassModel(2, ['X0', 'X1']), data);
  const view = family.snapshotEStep?.(prepared, family.initialize(prepared, new Rng(1))) as BayesNetEStepView;
  assert.equal(view.patterns.length, 500);
  assert.equal(view.totalPatterns, 600);
  assert.equal(view.truncated, true);
  assert.match(view.note, /first 500 of 600/);
  assert.deepEqual(view.observed, ['X0', 'X1']);
  assert.deepEqual(view.hidden, ['class']);
  assert.deepEqual(view.patterns[7].values, ['v7', '1']);
  assert.equal(view.patterns[0].posteriors.class.length, 2);
});

test('posteriors: hidden variables, then imputed cells (empty where observed), no label with two hidden variables', () => {
  const model = modelFile({
    kind: 'bayesnet',
    variables: { H: { states: ['a', 'b'], hidden: true }, G: { states: ['x', 'y', 'z'], hidden: true }, A: { hidden: false }, B: { hidden: false } },
    parents: { G: ['H'], A: ['H'], B: ['G'] },
    prior: 1,
  });
  const data = dataset([categorical('A', ['0', null, '1', '1']), categorical('B', ['0', '1', null, '1'])]);
  const { family, data: prepared } = prepareBayesNet(model, data);
  const params = family.initialize(prepared, new Rng(2));
  const table = family.posteriors(prepared, params);
  assert.deepEqual(table.columns, ['P(H=a)', 'P(H=b)', 'P(G=x)', 'P(G=y)', 'P(G=z)', 'P(A=0)', 'P(A=1)', 'P(B=0)', 'P(B=1)']);
  const row1 = table.row(1);
  assert.equal(row1[7], undefined);
  assert.ok(Math.abs((row1[5] as number) + (row1[6] as number) - 1) < 1e-12);
  const row2 = table.row(2);
  assert.equal(row2[5], undefined);
  assert.ok(typeof row2[7] === 'number');
  assert.deepEqual(table.row(0).slice(5), [undefined, undefined, undefined, undefined]);
  assert.throws(() => table.row(4), RangeError);
});

test('fill-mode with a hidden variable: estimate from complete rows by EM, then no missing cell is left', () => {
  const rng = new Rng(8);
  const values = (k: number) => Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? null : String(rng.int(k))));
  const data = dataset([categorical('X0', values(2)), categorical('X1', values(3)), categorical('X2', values(2))]);
  const missingCells = data.columns.reduce((n, c) => n + (c.kind === 'categorical' ? [...c.codes].filter((x) => x < 0).length : 0), 0);
  const { family, data: prepared, warnings } = prepareBayesNet(latentClassModel(2, ['X0', 'X1', 'X2'], { missingData: 'fill-mode' }), data);
  assert.ok(warnings?.some((w) => w.includes(`filled ${missingCells} missing cells`)), String(warnings));
  const width = 3;
  for (let p = 0; p < prepared.patterns.counts.length; p++) {
    for (let j = 0; j < width; j++) assert.ok(prepared.patterns.codes[p * width + j] >= 0);
  }
  assert.equal(family.weightedRows(prepared), 40);
  // posteriors keep the cells as read: the filled cells show their distribution
  const table = family.posteriors(prepared, family.initialize(prepared, new Rng(1)));
  assert.ok(table.columns.includes('P(X0=0)'));
  assert.equal(typeof table.row(3)[table.columns.indexOf('P(X0=0)')], 'number');
});

test('warnings: a collapsed hidden state and CPT cells at 0', () => {
  const { data } = prepareBayesNet(latentClassModel(3, ['X0', 'X1']), latentClassData(30, [2, 3], 6));
  const params = randomParameters(data.network, new Rng(4));
  params.theta.set([0.5, 0.5, 0], 0);
  const warnings = bayesNetWarnings(params, data, 0);
  assert.ok(warnings.some((w) => /hidden variable class: state "3" has collapsed/.test(w)), String(warnings));
  assert.ok(warnings.some((w) => /1 CPT cell is exactly 0 \(in class\)/.test(w)), String(warnings));
  assert.deepEqual(bayesNetWarnings(randomParameters(data.network, new Rng(4)), data, 0), []);
});

test('with a prior, the driver climbs the log posterior and no CPT cell reaches 0', async () => {
  const data = dataset([categorical('A', ['0', '0', '1', '1', '0']), categorical('B', ['0', '0', '0', '0', null])]);
  const model = modelFile({ kind: 'bayesnet', variables: { A: { hidden: false }, B: { hidden: false, states: ['0', '1'] } }, parents: { B: ['A'] }, prior: 1 });
  const { family, data: prepared } = prepareBayesNet(model, data);
  const { result, parameters } = await runEM(family, prepared, { maxIterations: 200, tolerance: 1e-12, restarts: 1, seed: 1 });
  assert.notEqual(result.stopReason, 'decreased');
  assert.ok([...parameters.theta].every((x) => x > 0));
  // B=1 never observed: P(B=1 | A=1) = (0 + 1) / (2 + 2) under the pseudo-count
  assert.ok(Math.abs((result.parameters as BayesNetParametersJSON).cpts.B.rows['A=1'][1] - 0.25) < 1e-12);
});
