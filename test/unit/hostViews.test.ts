// The host's pure parts, outside VS Code: parameter views (tree and hovers), CSV fields, model
// templates, settings as defaults, posterior pages and samples, and the extension bundle loading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fieldAt, fieldNames } from '../../src/host/csvFields';
import { groupPosteriors } from '../../src/host/posteriorRowView';
import { runOverrides } from '../../src/host/fitOverrides';
import { summarizeModelText } from '../../src/host/modelFileText';
import { classifyColumns, kindAvailability, modelTemplate, profileColumns, suggestKind } from '../../src/host/modelTemplate';
import { describeTarget, formatNumber, hoverTarget, parameterNodes, runSummary, withMove } from '../../src/host/parameterViews';
import { parseDataset } from '../../src/data/csvReader';
import type { PosteriorTable } from '../../src/engine/family';
import { DEFAULT_MISSING_TOKENS } from '../../src/shared/modelSpec';
import type { ModelKind } from '../../src/shared/modelSpec';
import type { FitResult } from '../../src/shared/results';
import { checkModelFile } from '../../src/spec/modelFile';
import { dataSample, labelBlock, sampleRows } from '../../src/worker/dataSample';
import { posteriorPage, rowAtLine, sortedOrder } from '../../src/worker/posteriorPages';

const root = join(__dirname, '..', '..', '..');

/** Example 2 at convergence (the tutorial's numbers), with its initial parameters. */
const example2: FitResult = {
  kind: 'bayesnet',
  logLikelihood: -13.52314553760811,
  iterations: 14,
  converged: true,
  stopReason: 'tolerance',
  history: [-17.061551632024624, -13.52314553760811],
  restarts: [{ seed: 1, logLikelihood: -13.52314553760811, iterations: 14, converged: true, stopReason: 'tolerance', history: [] }],
  parameters: {
    cpts: {
      H: { parents: [], states: ['0', '1'], rows: { '': [0.4831504392157352, 0.5168495607842648] } },
      A: { parents: ['H'], states: ['0', '1'], rows: { 'H=0': [0.1699933298332961, 0.8300066701667039], 'H=1': [0.9697231445841053, 0.03027685541589466] } },
      B: { parents: ['H'], states: ['0', '1'], rows: { 'H=0': [0.1699626450504572, 0.8300373549495428], 'H=1': [0.9697518286876254, 0.03024817131237457] } },
    },
  },
  initialParameters: {
    cpts: {
      H: { parents: [], states: ['0', '1'], rows: { '': [0.6, 0.4] } },
      A: { parents: ['H'], states: ['0', '1'], rows: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] } },
      B: { parents: ['H'], states: ['0', '1'], rows: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] } },
    },
  },
  rows: 12,
  freeParameters: 5,
  bic: 39.47,
  aic: 37.05,
  seconds: 0.003,
};

test('numbers: 4 decimals, exponents where 4 decimals would show 0, moves with a sign', () => {
  assert.equal(formatNumber(0.51684956), '0.5168');
  assert.equal(formatNumber(3.2e-7), '3.20e-7');
  assert.equal(formatNumber(0), '0.0000');
  assert.equal(withMove(0.5168495607842648, 0.4), '0.5168 (from 0.4000, +0.1168)');
  assert.equal(withMove(0.4831504392157352, 0.6), '0.4832 (from 0.6000, −0.1168)');
  assert.equal(withMove(0.5, undefined), '0.5000');
});

test('the tree under a bayesnet run: one node per CPT, rows under conditional ones', () => {
  const nodes = parameterNodes(example2);
  assert.deepEqual(nodes.map((n) => n.label), ['P(H)', 'P(A | H)', 'P(B | H)']);
  assert.equal(nodes[0].description, '0.4832, 0.5168');
  assert.equal(nodes[0].children, undefined);
  assert.deepEqual(nodes[1].children?.map((c) => [c.label, c.description]), [['H=0', '0.1700, 0.8300'], ['H=1', '0.9697, 0.0303']]);
  assert.deepEqual(runSummary(example2), { label: 'log-likelihood -13.5231', description: '14 iterations · converged' });
});

test('hover targets: init entries, variables, parents, states', () => {
  assert.deepEqual(hoverTarget(example2, ['init', 'H']), { kind: 'cpt', variable: 'H' });
  assert.deepEqual(hoverTarget(example2, ['init', 'H', 1]), { kind: 'cptCell', variable: 'H', row: '', state: 1 });
  assert.deepEqual(hoverTarget(example2, ['init', 'A', 'H=0']), { kind: 'cptRow', variable: 'A', row: 'H=0' });
  assert.deepEqual(hoverTarget(example2, ['init', 'A', 'H=0', 1]), { kind: 'cptCell', variable: 'A', row: 'H=0', state: 1 });
  assert.deepEqual(hoverTarget(example2, ['model', 'variables', 'B']), { kind: 'cpt', variable: 'B' });
  assert.deepEqual(hoverTarget(example2, ['model', 'variables', 'H', 'states', 1], '1'), { kind: 'state', variable: 'H', state: '1' });
  assert.deepEqual(hoverTarget(example2, ['model', 'parents', 'A', 0], 'H'), { kind: 'cpt', variable: 'H' });
  assert.equal(hoverTarget(example2, ['fit', 'maxIterations']), undefined);
  assert.equal(hoverTarget(example2, ['init', 'Z']), undefined);
});

test('hover text: the estimate, its initial value and the move, for the spot only', () => {
  const cell = describeTarget(example2, { kind: 'cptCell', variable: 'A', row: 'H=0', state: 1 }).join('\n');
  assert.match(cell, /\*\*P\(A=1 \| H=0\)\*\*/);
  assert.match(cell, /0\.8300 \(from 0\.6100, \+0\.2200\)/);
  assert.doesNotMatch(cell, /0\.1700/);
  const row = describeTarget(example2, { kind: 'cptRow', variable: 'B', row: 'H=1' }).join('\n');
  assert.match(row, /0\.9698 \(from 0\.5700, \+0\.3998\) \| 0\.0302 \(from 0\.4300, −0\.3998\)/);
  assert.doesNotMatch(row, /H=0 \|/);
  const state = describeTarget(example2, { kind: 'state', variable: 'H', state: '0' }).join('\n');
  assert.match(state, /0\.4832 \(from 0\.6000/);
  assert.deepEqual(describeTarget(example2, { kind: 'cptRow', variable: 'A', row: 'H=7' }), []);
});

test('mixture and HMM views: components, columns, states', () => {
  const gmm: FitResult = {
    ...example2,
    kind: 'gaussian-mixture',
    parameters: { weights: [0.3, 0.7], means: [[1, 2], [5, 6]], covariances: [[1, 1], [2, 2]], covariance: 'diag', columns: ['x', 'y'] },
    initialParameters: { weights: [0.5, 0.5], means: [[0, 0], [4, 4]], covariances: [[1, 1], [1, 1]], covariance: 'diag', columns: ['x', 'y'] },
  };
  assert.deepEqual(hoverTarget(gmm, ['model', 'components']), { kind: 'mixture' });
  assert.deepEqual(hoverTarget(gmm, ['fit', 'init', 'means', 1, 0]), { kind: 'component', component: 1 });
  assert.deepEqual(hoverTarget(gmm, ['data', 'columns', 1], 'y'), { kind: 'mixtureColumn', column: 'y' });
  const comp = describeTarget(gmm, { kind: 'component', component: 1 }).join('\n');
  assert.match(comp, /\| 2 \| 0\.7000 \(from 0\.5000, \+0\.2000\) \| 5\.0000 \(from 4\.0000, \+1\.0000\) \| 6\.0000/);
  assert.deepEqual(parameterNodes(gmm).map((n) => n.label), ['weights', 'component 1', 'component 2']);
  assert.equal(parameterNodes(gmm)[1].children?.[1].description, 'diagonal 1.0000, 1.0000');

  const hmm: FitResult = {
    ...example2,
    kind: 'hmm',
    parameters: { startProbabilities: [0.9, 0.1], transitions: [[0.95, 0.05], [0.2, 0.8]], emission: { kind: 'categorical', column: 'obs', symbols: ['a', 'b'], probabilities: [[0.7, 0.3], [0.1, 0.9]] } },
  };
  delete (hmm as { initialParameters?: unknown }).initialParameters;
  assert.deepEqual(hoverTarget(hmm, ['model', 'states']), { kind: 'hmmStates' });
  assert.match(describeTarget(hmm, { kind: 'hmmStates' }).join('\n'), /\| 2 \| 0\.1000 \| 0\.2000 \| 0\.8000 \|/);
  assert.deepEqual(hoverTarget(hmm, ['data', 'columns', 0], 'obs'), { kind: 'hmmColumn', column: 'obs' });
  assert.match(describeTarget(hmm, { kind: 'hmmEmission' }).join('\n'), /P\(obs \| state\)/);
});

test('CSV fields: quotes, doubled quotes, delimiters and line breaks inside quotes', () => {
  const rec = 'a,"b,c","say ""hi""\nthere",,e';
  assert.deepEqual(fieldAt(rec, 0, ','), { index: 0, start: 0, end: 1, value: 'a' });
  assert.equal(fieldAt(rec, 4, ',')?.index, 1);
  assert.equal(fieldAt(rec, 4, ',')?.value, 'b,c');
  const third = fieldAt(rec, rec.indexOf('there'), ',');
  assert.equal(third?.index, 2);
  assert.equal(third?.value, 'say "hi"\nthere');
  assert.deepEqual(fieldAt(rec, rec.lastIndexOf(',,') + 1, ','), { index: 3, start: rec.lastIndexOf(',,') + 1, end: rec.lastIndexOf(',,') + 1, value: '' });
  assert.equal(fieldAt('a\tb', 2, '\t')?.value, 'b');
  assert.equal(fieldAt('a,b\nc,d', 5, ','), undefined, 'past the record');
  assert.deepEqual(fieldNames('A,"B C",#,', ','), ['A', 'B C', '#', '']);
});

test('posterior rows grouped by variable for the dataset hover', () => {
  const groups = groupPosteriors({ index: 0, firstLine: 2, lastLine: 2, columns: ['P(H=0)', 'P(H=1)', 'P(B=0)', 'P(B=1)', 'label'], values: [0.2, 0.8, null, null, '1'] });
  assert.deepEqual([...groups.entries()], [['H', [['0', 0.2], ['1', 0.8]]]]);
});

test('settings default only the fit keys the model file leaves out; explicit overrides win', () => {
  const settings = { maxIterations: 50, tolerance: 1e-6, restarts: 3, threads: 2 };
  const text = '{ "fit": { "maxIterations": 1000, /* comment */ "seed": 4, }, }';
  assert.deepEqual(runOverrides(text, settings), { tolerance: 1e-6, restarts: 3, threads: 2 });
  assert.deepEqual(runOverrides(text, settings, { maxIterations: 10, restarts: 1 }), { tolerance: 1e-6, restarts: 1, threads: 2, maxIterations: 10 });
  assert.deepEqual(runOverrides('not json at all', settings), settings);
});

test('a model file summary: name, kind, the dataset path resolved beside it', () => {
  assert.deepEqual(summarizeModelText('{"name":"n","data":{"path":"d.csv","missing":["?"]},"model":{"kind":"hmm"}}', '/w/m.em.json'), { name: 'n', kind: 'hmm', dataPath: '/w/d.csv', missing: ['?'] });
  assert.deepEqual(summarizeModelText('{"data":"../x.tsv"}', '/w/a/m.em.json'), { dataPath: '/w/x.tsv' });
  assert.deepEqual(summarizeModelText('[1,2]', '/w/m.em.json'), {});
});

test('templates from the bundled datasets are valid model files', () => {
  const cases: [string, ModelKind[]][] = [
    ['latent-class/titanic.csv', ['latent-class', 'bayesnet', 'hmm']],
    ['gaussian-mixture/faithful.csv', ['gaussian-mixture', 'hmm']],
    ['tutorial/example2.csv', ['latent-class', 'bayesnet', 'hmm']],
    ['hmm/dax-returns.csv', ['gaussian-mixture', 'hmm']],
  ];
  for (const [rel, kinds] of cases) {
    const file = join(root, 'examples', rel);
    const profiles = profileColumns(parseDataset(readFileSync(file, 'utf8'), file, { missing: DEFAULT_MISSING_TOKENS }));
    const availability = kindAvailability(profiles);
    for (const kind of kinds) {
      assert.equal(availability[kind], undefined, `${rel}: ${kind} is available`);
      const text = modelTemplate(kind, profiles, rel.split('/')[1], rel);
      const errors = checkModelFile(text, join(root, 'examples', rel.split('/')[0], 'new.em.json')).filter((p) => p.severity === 'error');
      assert.deepEqual(errors, [], `${rel} as ${kind}: ${text}`);
    }
  }
  const titanic = join(root, 'examples', 'latent-class', 'titanic.csv');
  const tp = profileColumns(parseDataset(readFileSync(titanic, 'utf8'), titanic, { missing: DEFAULT_MISSING_TOKENS }));
  assert.deepEqual(classifyColumns(tp), { weight: 'Freq', categorical: ['Class', 'Sex', 'Age', 'Survived'], numeric: [] });
  assert.equal(suggestKind(tp), 'latent-class');
  const dax = join(root, 'examples', 'hmm', 'dax-returns.csv');
  const dp = profileColumns(parseDataset(readFileSync(dax, 'utf8'), dax, { missing: DEFAULT_MISSING_TOKENS }));
  assert.deepEqual(classifyColumns(dp), { categorical: [], numeric: ['return'] }, 'the day index is neither');
  assert.equal(suggestKind(dp), 'gaussian-mixture');
  assert.match(String(kindAvailability(dp)['latent-class']), /categorical/);
});

/** A small posterior table over 5 rows: P(H=0), P(H=1), label; row 3 is empty (a dropped row). */
const cells: (number | string | undefined)[][] = [[0.9, 0.1, '0'], [0.3, 0.7, '1'], [undefined, undefined, undefined], [0.5, 0.5, '0'], [0.2, 0.8, '1']];
const table: PosteriorTable = { columns: ['P(H=0)', 'P(H=1)', 'label'], rowCount: 5, row: (i) => cells[i] };

test('posterior pages: clamped, sorted stably with empty cells last, rows by line', () => {
  const page = posteriorPage(table, 3, 10);
  assert.deepEqual(page, { columns: ['row', 'P(H=0)', 'P(H=1)', 'label'], total: 5, offset: 3, rows: [[4, 0.5, 0.5, '0'], [5, 0.2, 0.8, '1']] });
  assert.deepEqual([...sortedOrder(table, 2, true)], [4, 1, 3, 0, 2]);
  assert.deepEqual([...sortedOrder(table, 2, false)], [0, 3, 1, 4, 2]);
  assert.deepEqual([...sortedOrder(table, 0, true)], [4, 3, 2, 1, 0]);
  assert.deepEqual(posteriorPage(table, 0, 2, sortedOrder(table, 2, true)).rows.map((r) => r[0]), [5, 2]);
  assert.deepEqual(posteriorPage(table, 1, 1).rows, [[2, 0.3, 0.7, '1']]);
  assert.deepEqual(posteriorPage(table, 2, 1).rows, [[3, null, null, null]]);
  // rows start on lines 2, 3, 6 (row 2 has two quoted line breaks), 7
  const lines = Int32Array.from([2, 3, 6, 7]);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 9].map((l) => rowAtLine(lines, l)), [-1, 0, 1, 1, 1, 2, 3, 3]);
});

test('data samples: an even stride, values by column kind, weights and labels', () => {
  assert.deepEqual(sampleRows(10, 4), [0, 2, 5, 7]);
  assert.deepEqual(sampleRows(3, 10), [0, 1, 2]);
  assert.deepEqual(labelBlock(table), { start: 0, end: 2 });
  const ds = parseDataset('x,c,n\n1,a,2\n?,b,3\n3,?,1\n4,a,0\n5,b,1\n', 'mem.csv', { missing: ['?'], weight: 'n', columns: ['x', 'c'] });
  const s = dataSample(ds, table, ['c', 'x'], 3);
  assert.deepEqual(s.rows, [1, 2, 4]);
  assert.deepEqual(s.values, [['a', 'b', 'a'], [1, null, 4]]);
  assert.deepEqual(s.weights, [2, 3, 0]);
  assert.deepEqual(s.labels, [0, 1, 0]);
  assert.throws(() => dataSample(ds, table, ['nope'], 3), /no column "nope"/);
});

/** Anything, at any depth: a constructible class whose properties are more of the same (a stand-in for vscode at load time). */
function stub(): unknown {
  class Stub {}
  return new Proxy(Stub, { get: (target, key) => (key === 'prototype' ? target.prototype : stub()) });
}

test('the extension bundle loads with nothing but vscode outside it', () => {
  // every require of dist/extension.js must resolve inside the bundle (a UMD build of a
  // dependency once left `require('./impl/format')` behind); vscode is the host's
  const bundle = join(root, process.env.EMW_DIST || 'dist', 'extension.js');
  const load = Module.prototype.require;
  const asked: string[] = [];
  Module.prototype.require = function (this: NodeJS.Module, id: string) {
    if (id === 'vscode') return stub();
    asked.push(id);
    return load.call(this, id);
  } as NodeJS.Require;
  try {
    const ext = load.call(module, bundle) as { activate?: unknown };
    assert.equal(typeof ext.activate, 'function');
  } finally {
    Module.prototype.require = load;
  }
  assert.deepEqual(asked.filter((id) => id.startsWith('.')), []);
});
