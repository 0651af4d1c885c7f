// The model file: defaults and paths, every semantic check at the exact range of the node it is
// about, parseModelFile and checkModelFile agreeing, checks against the data's header, and
// overrides from flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LATENT_CLASS_VARIABLE as ENGINE_LATENT_CLASS_VARIABLE } from '../../src/engine/bayesnet/prepare';
import { InputError } from '../../src/shared/errors';
import { DEFAULT_FIT, DEFAULT_MISSING_TOKENS } from '../../src/shared/modelSpec';
import { applyOverrides, checkModelAgainstHeader, checkModelFile, LATENT_CLASS_VARIABLE, parseModelFile, type SpecProblem } from '../../src/spec/index';

const root = join(__dirname, '..', '..', '..');
const examples = join(root, 'examples');

/** Every *.em.json under `dir`. */
function modelFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    if (name.isDirectory()) out.push(...modelFiles(p));
    else if (name.name.endsWith('.em.json')) out.push(p);
  }
  return out;
}

/** The text a range covers (its first line only), so that each expectation shows what it points at. */
function covered(text: string, p: SpecProblem): string {
  const line = text.split(/\r\n|\r|\n/)[p.range.line - 1] ?? '';
  return line.slice(p.range.column - 1, p.range.endLine === p.range.line ? p.range.endColumn - 1 : undefined);
}

/** "line:col-endLine:endCol severity [covered text] message" of each problem, for exact comparisons. */
function describe(problems: readonly SpecProblem[], text = ''): string[] {
  return problems.map((p) => `${p.range.line}:${p.range.column}-${p.range.endLine}:${p.range.endColumn} ${p.severity} [${covered(text, p)}] ${p.message}`);
}

/** The one problem whose message matches `re`, as "line:col-endLine:endCol severity [covered text]". */
function where(text: string, re: RegExp): string {
  const all = checkModelFile(text, '/models/m.em.json');
  const found = all.filter((p) => re.test(p.message));
  assert.equal(found.length, 1, `one problem matching ${re}; got:\n${describe(all, text).join('\n')}`);
  const p = found[0];
  return `${p.range.line}:${p.range.column}-${p.range.endLine}:${p.range.endColumn} ${p.severity} [${covered(text, p)}]`;
}

const lines = (...ls: string[]): string => ls.join('\n');

const problemsOf = (text: string): string[] => describe(checkModelFile(text, 'm.em.json'), text);

// ---- valid files -----------------------------------------------------------------------------

test('every example and good fixture parses with no problem at all', () => {
  const files = [...modelFiles(examples), ...modelFiles(join(root, 'test', 'fixtures', 'spec', 'good'))];
  assert.ok(files.length >= 10, `found ${files.length} model files`);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.deepEqual(describe(checkModelFile(text, f), text), [], f);
    assert.equal(parseModelFile(text, f).model.file, f);
  }
});

test('tutorial example 2: the whole ModelFile, defaults filled, data path resolved', () => {
  const f = join(examples, 'tutorial', 'example2.em.json');
  const { model } = parseModelFile(readFileSync(f, 'utf8'), f);
  assert.deepEqual(model, {
    file: f,
    name: 'Tutorial example 2: MLE with a hidden variable',
    data: { path: join(examples, 'tutorial', 'example2.csv'), missing: DEFAULT_MISSING_TOKENS, weight: '#' },
    model: {
      kind: 'bayesnet',
      variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false }, B: { hidden: false } },
      parents: { A: ['H'], B: ['H'] },
      prior: 0,
    },
    init: {
      H: [0.6, 0.4],
      A: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] },
      B: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] },
    },
    fit: { ...DEFAULT_FIT, maxIterations: 1000, tolerance: 1e-10, restarts: 1, seed: 1, init: 'given' },
  });
});

test('defaults: data as a string, name from the file, fit from DEFAULT_FIT, covariance and emission', () => {
  const gmm = parseModelFile('{ "data": "sub/d.csv", "model": { "kind": "gaussian-mixture", "components": 3 } }', '/models/faithful.em.json').model;
  assert.equal(gmm.name, 'faithful');
  assert.deepEqual(gmm.data, { path: '/models/sub/d.csv', missing: DEFAULT_MISSING_TOKENS });
  assert.deepEqual(gmm.model, { kind: 'gaussian-mixture', components: 3, covariance: 'full' });
  assert.deepEqual(gmm.fit, DEFAULT_FIT);
  assert.equal(gmm.init, undefined);
  const hmm = parseModelFile('{ "data": { "path": "/abs/r.csv", "missing": [] }, "model": { "kind": "hmm", "states": 2 } }', 'rel/h.em.json').model;
  assert.deepEqual(hmm.model, { kind: 'hmm', states: 2, emission: 'gaussian', covariance: 'diag', prior: 0 });
  assert.deepEqual(hmm.data, { path: '/abs/r.csv', missing: [] });
  assert.equal(hmm.file, join(process.cwd(), 'rel/h.em.json'));
  const lc = parseModelFile('{ "data": "t.csv", "model": { "kind": "latent-class", "classes": 3, "columns": ["a", "b"] } }', '/m/lc.em.json').model;
  assert.deepEqual(lc.model, { kind: 'latent-class', classes: 3, columns: ['a', 'b'], prior: 0 });
  assert.equal(lc.fit.init, 'random', 'discrete families start from random CPTs');
});

test('"states": n means "0" .. "n-1"; observed variables may declare states and a column', () => {
  const text = '{ "data": "d.csv", "model": { "kind": "bayesnet", "variables": { "H": { "hidden": true, "states": 3 }, "X": { "column": "A", "states": ["n", "y"] } }, "parents": { "X": ["H"] } } }';
  const { model } = parseModelFile(text, '/m/b.em.json');
  assert.deepEqual(model.model, {
    kind: 'bayesnet',
    variables: { H: { hidden: true, states: ['0', '1', '2'] }, X: { hidden: false, states: ['n', 'y'], column: 'A' } },
    parents: { X: ['H'] },
    prior: 0,
  });
});

test('explicit Gaussian parameters in fit.init go to ModelFile.init with fit.init "given"', () => {
  const f = join(root, 'test', 'fixtures', 'spec', 'good', 'gaussian-given.em.json');
  const { model } = parseModelFile(readFileSync(f, 'utf8'), f);
  assert.equal(model.fit.init, 'given');
  assert.deepEqual(model.init, { weights: [0.35, 0.65], means: [[2.0, 54.5], [4.3, 80.0]], covariances: [[0.07, 34.0], [0.17, 36.0]] });
  assert.equal(model.fit.regularization, 0);
  const h = join(root, 'test', 'fixtures', 'spec', 'good', 'hmm-gaussian-full.em.json');
  const hmm = parseModelFile(readFileSync(h, 'utf8'), h).model;
  assert.equal(hmm.fit.init, 'given');
  assert.deepEqual((hmm.init as { startProbabilities: number[] }).startProbabilities, [1, 0]);
});

test('locate and locateKey give the ranges of values and keys', () => {
  const text = lines('{', '  "data": "d.csv",', '  "model": { "kind": "bayesnet", "variables": { "A": {} } }', '}');
  const parsed = parseModelFile(text, '/m/x.em.json');
  assert.deepEqual(parsed.locate(['data']), { line: 2, column: 11, endLine: 2, endColumn: 18 });
  assert.deepEqual(parsed.locateKey(['model', 'variables', 'A']), { line: 3, column: 49, endLine: 3, endColumn: 52 });
  assert.deepEqual(parsed.locate(['model', 'kind']), { line: 3, column: 22, endLine: 3, endColumn: 32 });
  assert.equal(parsed.locate(['fit']), undefined);
});

// ---- problems at their exact ranges ----------------------------------------------------------

test('JSON syntax errors and a file that is not an object', () => {
  assert.deepEqual(problemsOf('{\n  "data": "d.csv"\n  "model": {}\n}'), ['3:3-3:10 error ["model"] JSON syntax: a comma (,) is expected']);
  assert.deepEqual(problemsOf('[1, 2]'), ['1:1-1:7 error [[1, 2]] a model file is a JSON object: { "data": ..., "model": { "kind": ... } }']);
  assert.throws(() => parseModelFile('{ "data": ', 'bad.em.json'), (e: unknown) => e instanceof InputError && e.format() === 'bad.em.json:1:11: JSON syntax: a value is expected');
});

test('unknown kind, missing sections, unknown keys (warnings)', () => {
  const text = lines('{', '  "data": "d.csv",', '  "model": { "kind": "mixture" },', '  "colour": "red"', '}');
  assert.deepEqual(problemsOf(text), [
    '3:22-3:31 error ["mixture"] "model.kind" must be one of "bayesnet", "latent-class", "gaussian-mixture", "hmm", not "mixture"',
    '4:3-4:11 warning ["colour"] unknown key "colour" in the model file (ignored; known keys: $schema, name, data, model, init, fit)',
  ]);
  assert.equal(where('{ "model": { "kind": "hmm", "states": 2 } }', /needs "data"/), '1:1-1:2 error [{]');
  assert.equal(where('{ "data": "d.csv", "model": { "states": 2 } }', /needs "kind"/), '1:20-1:27 error ["model"]');
  assert.equal(where('{ "data": { "file": "d.csv" }, "model": { "kind": "hmm", "states": 2 } }', /"data" needs "path"/), '1:3-1:9 error ["data"]');
  assert.equal(where('{ "data": { "path": "d.csv", "wieght": "#" }, "model": { "kind": "hmm", "states": 2 } }', /unknown key "wieght"/), '1:30-1:38 warning ["wieght"]');
  assert.equal(where('{ "data": "d.csv", "model": { "kind": "hmm", "states": 2, "components": 3 } }', /unknown key "components" in a "hmm" model/), '1:59-1:71 warning ["components"]');
  assert.equal(where('{ "data": "d.csv", "data": "e.csv", "model": { "kind": "hmm", "states": 2 } }', /duplicate key "data"/), '1:20-1:26 error ["data"]');
});

test('wrong types and values in model and fit', () => {
  const gmm = (model: string, fit = '{}'): string => `{ "data": "d.csv", "model": { "kind": "gaussian-mixture", ${model} }, "fit": ${fit} }`;
  assert.equal(where(gmm('"components": 0'), /"model.components" must be a whole number >= 1 \(got 0\)/), '1:73-1:74 error [0]');
  assert.equal(where(gmm('"components": [2, -1]'), /each K in "model.components" must be a whole number >= 1 \(got -1\)/), '1:77-1:79 error [-1]');
  assert.equal(where(gmm('"components": [2, 2]'), /K = 2 is listed twice/), '1:77-1:78 error [2]');
  assert.equal(where(gmm('"components": "3"'), /must be a number of components or a list/), '1:73-1:76 error ["3"]');
  assert.equal(where(gmm('"components": 2, "covariance": "full-rank"'), /"model.covariance" must be one of "full", "diag", "spherical", "tied", not "full-rank"/), '1:90-1:101 error ["full-rank"]');
  const fit = (f: string): string => gmm('"components": 2', f);
  assert.equal(where(fit('{ "tolerance": -1e-3 }'), /"fit.tolerance" must be a number >= 0 \(got -0.001\)/), '1:100-1:105 error [-1e-3]');
  assert.equal(where(fit('{ "restarts": 0 }'), /"fit.restarts" must be a whole number >= 1 \(got 0\)/), '1:99-1:100 error [0]');
  assert.equal(where(fit('{ "maxIterations": -5 }'), /"fit.maxIterations" must be a whole number >= 0 \(got -5\)/), '1:104-1:106 error [-5]');
  assert.equal(where(fit('{ "maxIterations": 2.5 }'), /"fit.maxIterations" must be a whole number >= 0 \(got 2.5\)/), '1:104-1:107 error [2.5]');
  assert.equal(where(fit('{ "seed": 4294967296 }'), /"fit.seed" must be a whole number from 0 to 4294967295/), '1:95-1:105 error [4294967296]');
  assert.equal(where(fit('{ "missingData": "mean" }'), /"fit.missingData" must be one of "em", "drop", "fill-mode" \(got "mean"\)/), '1:102-1:108 error ["mean"]');
  assert.equal(where(fit('{ "threads": "2" }'), /"fit.threads" must be a whole number >= 0 \(got "2"\)/), '1:98-1:101 error ["2"]');
  assert.equal(where(fit('{ "regularization": -1 }'), /"fit.regularization" must be a number >= 0/), '1:105-1:107 error [-1]');
  assert.equal(where(fit('{ "init": "kmeans" }'), /"fit.init" must be one of "kmeans\+\+", "random", not "kmeans"/), '1:95-1:103 error ["kmeans"]');
  assert.equal(where(fit('{ "maxIter": 5 }'), /unknown key "maxIter" in "fit"/), '1:87-1:96 warning ["maxIter"]');
  const lc = (m: string): string => `{ "data": "d.csv", "model": { "kind": "latent-class", ${m} } }`;
  assert.equal(where(lc('"classes": -2, "columns": ["a"]'), /"model.classes" must be a whole number >= 1 \(got -2\)/), '1:66-1:68 error [-2]');
  assert.equal(where(lc('"classes": 2, "columns": ["a", "a"]'), /"a" is listed twice in "model.columns"/), '1:86-1:89 error ["a"]');
  assert.equal(where(lc('"classes": 2, "columns": []'), /"model.columns" must not be empty/), '1:80-1:82 error [[]]');
  assert.equal(where(lc('"classes": 2, "columns": ["a"], "prior": -1'), /"model.prior" must be a number >= 0 \(got -1\)/), '1:96-1:98 error [-1]');
  assert.equal(where(lc('"classes": 1, "columns": ["a"]'), /one class: nothing is latent/), '1:66-1:67 warning [1]');
  assert.equal(where('{ "data": 3, "model": { "kind": "hmm", "states": 2 } }', /"data" must be a file path or an object/), '1:11-1:12 error [3]');
  assert.equal(where('{ "data": { "path": "d.csv", "delimiter": "" }, "model": { "kind": "hmm", "states": 2 } }', /"data.delimiter" must be non-empty/), '1:43-1:45 error [""]');
  assert.equal(where('{ "data": "d.csv", "model": { "kind": "hmm", "states": 0 } }', /"model.states" must be a whole number >= 1 \(got 0\)/), '1:56-1:57 error [0]');
});

test('bayesnet: parents naming unknown variables, hidden variables without states or with one', () => {
  const net = (variables: string, parents: string): string =>
    lines('{', '  "data": "d.csv",', '  "model": {', '    "kind": "bayesnet",', `    "variables": ${variables},`, `    "parents": ${parents}`, '  }', '}');
  assert.deepEqual(problemsOf(net('{ "A": {}, "B": {} }', '{ "B": ["A", "Z"], "C": ["A"] }')), [
    '6:29-6:32 error ["Z"] parent "Z" of B is not a declared variable (variables: A, B)',
    '6:35-6:38 error ["C"] "parents" names "C", which is not a declared variable (variables: A, B)',
  ]);
  assert.deepEqual(problemsOf(net('{ "H": { "hidden": true }, "A": {} }', '{ "A": ["H"] }')), [
    '5:20-5:23 error ["H"] hidden variable H needs "states": a list of names (["0", "1"]) or a number of states (2)',
  ]);
  assert.deepEqual(problemsOf(net('{ "H": { "hidden": true, "states": 1 }, "A": {} }', '{ "A": ["H"] }')), [
    '5:53-5:54 warning [1] H has a single state: it carries no information',
  ]);
  assert.deepEqual(problemsOf(net('{ "H": { "hidden": true, "states": [] }, "A": {} }', '{ "A": ["H"] }')), [
    '5:53-5:55 error [[]] the states of H must not be empty',
  ]);
  assert.deepEqual(problemsOf(net('{ "H": { "hidden": true, "states": 0 }, "A": {} }', '{}')), [
    '5:53-5:54 error [0] the number of states of H must be a whole number >= 1 (got 0)',
  ]);
  assert.deepEqual(problemsOf(net('{ "A": {}, "B": { "column": "A" } }', '{}')), [
    '5:46-5:49 error ["A"] column "A" is already read by variable A',
  ]);
  assert.deepEqual(problemsOf(net('{ "A=1": {} }', '{}')), [
    '5:20-5:25 error ["A=1"] variable name "A=1" cannot be used: names must be non-empty and hold no "=" or "," (CPT rows are keyed "A=0,B=1")',
  ]);
});

test('a cycle in parents is reported at the edge that closes it, naming the cycle', () => {
  const text = lines(
    '{',
    '  "data": "d.csv",',
    '  "model": { "kind": "bayesnet",',
    '    "variables": { "A": {}, "B": {}, "C": {}, "D": {} },',
    '    "parents": {',
    '      "B": ["A"],',
    '      "C": ["B", "D"],',
    '      "A": ["C"],',
    '      "D": ["D"]',
    '    }',
    '  }',
    '}',
  );
  assert.deepEqual(problemsOf(text), [
    '6:13-6:16 error ["A"] the parents form a cycle: A -> B -> C -> A',
    '9:13-9:16 error ["D"] the parents form a cycle: D -> D',
  ]);
});

test('init: unknown variables, row keys that are not configurations, rows of the wrong length or sum', () => {
  const withInit = (init: string): string =>
    lines(
      '{',
      '  "data": "d.csv",',
      '  "model": { "kind": "bayesnet", "variables": { "H": { "hidden": true, "states": ["0", "1"] }, "A": { "states": ["a", "b"] }, "B": {} }, "parents": { "A": ["H"], "B": ["H", "A"] } },',
      `  "init": ${init}`,
      '}',
    );
  assert.equal(where(withInit('{ "Z": [1] }'), /"init" names "Z", which is not a variable/), '4:13-4:16 error ["Z"]');
  assert.equal(where(withInit('{ "H": [0.5, 0.25, 0.25] }'), /init.H has 3 probabilities, but 2 are needed \(H has states "0", "1"\)/), '4:18-4:35 error [[0.5, 0.25, 0.25]]');
  assert.equal(where(withInit('{ "H": [0.5, 0.6] }'), /init.H sums to 1.1, not 1/), '4:18-4:28 error [[0.5, 0.6]]');
  assert.equal(where(withInit('{ "H": [1.5, -0.5] }'), /init.H\[1\] is -0.5: a probability must be >= 0/), '4:24-4:28 error [-0.5]');
  assert.equal(where(withInit('{ "H": { "H=0": [1, 0] } }'), /"H=0" is not a parent configuration of H: it has no parents/), '4:20-4:25 error ["H=0"]');
  assert.equal(where(withInit('{ "A": [0.5, 0.5] }'), /A has parents \(H\): give one row per parent configuration, as \{ "H=0": \[...\], ... \}/), '4:18-4:28 error [[0.5, 0.5]]');
  assert.equal(where(withInit('{ "A": { "H=0": [1, 0], "H=2": [0, 1] } }'), /"H=2" is not a parent configuration of A: "2" is not a state of H \(states: "0", "1"\)/), '4:35-4:40 error ["H=2"]');
  assert.equal(where(withInit('{ "A": { "H=0": [1, 0] } }'), /init for A lacks row "H=1"/), '4:13-4:16 error ["A"]');
  assert.equal(where(withInit('{ "A": { "H=0": [1, 0], "H = 0": [0, 1], "H=1": [1, 0] } }'), /row "H = 0" of A is given twice/), '4:35-4:42 error ["H = 0"]');
  assert.equal(where(withInit('{ "B": { "A=a,H=0": [1, 0] } }'), /not a parent configuration of B: rows are keyed like "H=0,A=a", parents in order H, A/), '4:20-4:29 error ["A=a,H=0"]');
  // B's states come from the data: every row must have the same length as the first
  assert.equal(
    where(withInit('{ "B": { "H=0,A=a": [1, 0], "H=0,A=b": [0.5, 0.25, 0.25], "H=1,A=a": [1, 0], "H=1,A=b": [1, 0] } }'), /init.B\["H=0,A=b"\] has 3 probabilities, but 2 are needed \(as in B's other rows\)/),
    '4:50-4:67 error [[0.5, 0.25, 0.25]]',
  );
  assert.equal(where(withInit('[0.5, 0.5]'), /"init" must be an object/), '4:11-4:21 error [[0.5, 0.5]]');
});

test('init of a latent-class model uses the "class" variable with states "1" .. "K", as the engine does', () => {
  assert.equal(LATENT_CLASS_VARIABLE, ENGINE_LATENT_CLASS_VARIABLE);
  const text = (init: string): string => `{ "data": "d.csv", "model": { "kind": "latent-class", "classes": 2, "columns": ["x", "class"] }, "init": ${init} }`;
  assert.deepEqual(problemsOf(text('{ "class_": [0.5, 0.5], "x": { "class_=1": [1, 0], "class_=2": [0, 1] } }')), []);
  assert.equal(where(text('{ "x": { "class_=0": [1, 0], "class_=1": [0, 1] } }'), /"0" is not a state of class_ \(states: "1", "2"\)/), '1:115-1:125 error ["class_=0"]');
});

test('explicit Gaussian and HMM parameters: shapes, probabilities, covariances', () => {
  const gmm = (components: string, init: string, columns = ''): string =>
    `{ "data": { "path": "d.csv"${columns} }, "model": { "kind": "gaussian-mixture", "components": ${components}, "covariance": "full" }, "fit": { "init": ${init} } }`;
  const good = '{ "weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[2, 1], [1, 2]]] }';
  assert.deepEqual(problemsOf(gmm('2', good)), []);
  assert.equal(where(gmm('[2, 3]', good), /explicit initial parameters need one K/), `1:134-1:239 error [${good}]`);
  assert.equal(where(gmm('3', good), /fit.init.weights has 2 probabilities, but 3 are needed/), '1:142-1:152 error [[0.5, 0.5]]');
  assert.equal(where(gmm('2', good, ', "columns": ["x", "y", "z"]'), /fit.init.means\[0\] has 2 entries, but 3 are needed/), '1:192-1:198 error [[0, 0]]');
  assert.equal(where(gmm('2', good.replace('[[2, 1], [1, 2]]', '[[1, 2], [2, 1]]')), /fit.init.covariances\[1\] is not positive definite/), '1:215-1:231 error [[[1, 2], [2, 1]]]');
  assert.equal(where(gmm('2', good.replace('[[2, 1], [1, 2]]', '[[2, 1], [0, 2]]')), /fit.init.covariances\[1\] is not symmetric/), '1:220-1:221 error [1]');
  assert.equal(where(gmm('2', '{ "weights": [0.5, 0.5], "means": [[0], [1]] }'), /fit.init lacks "covariances"/), '1:121-1:127 error ["init"]');
  assert.equal(where(gmm('2', '{ "weights": [1, 0], "means": [[0], [1]], "covariances": [[[1]], [[1]]], "extra": 1 }'), /unknown key "extra" in fit.init/), '1:202-1:209 error ["extra"]');
  const hmm = '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2, "emission": "categorical" }, "init": { "startProbabilities": [0.5, 0.5], "transitions": [[0.9, 0.1], [0.5, 0.4]], "emission": { "probabilities": [[0.5, 0.5], [1]] } } }';
  assert.deepEqual(problemsOf(hmm), [
    '1:160-1:170 error [[0.5, 0.4]] init.transitions[1] sums to 0.9, not 1',
    '1:217-1:220 error [[1]] init.emission.probabilities[1] has 1 probability, but 2 are needed (as in the first row)',
  ]);
  assert.equal(where(hmm.replace('"init"', '"fit": { "init": { "startProbabilities": [1, 0] } }, "init"'), /given twice/), '1:141-1:147 error ["init"]');
});

// ---- parse and check agree -------------------------------------------------------------------

test('parseModelFile throws exactly the first error of checkModelFile; warnings do not throw', () => {
  const docs = [
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "fit": { "restarts": 0, "tolerance": -1 } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "extra": 1 }',
    '{ "model": { "kind": "bayesnet", "variables": { "A": {} }, "parents": { "A": ["A"] } }, "data": { "path": "" } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "fit": { "init": { "startProbabilities": [0.5] } } }',
    '{\n "data": "d.csv",\n "model": {\n "kind": "gaussian-mixture",\n "components": 2 }, "fit": { "init": { "weights": [1, 1] } } }',
  ];
  for (const text of docs) {
    const problems = checkModelFile(text, 'm.em.json');
    const first = problems.find((p) => p.severity === 'error');
    let thrown: unknown;
    try {
      parseModelFile(text, 'm.em.json');
    } catch (e) {
      thrown = e;
    }
    if (!first) {
      assert.equal(thrown, undefined, text);
      continue;
    }
    assert.ok(thrown instanceof InputError, text);
    assert.deepEqual({ line: thrown.line, column: thrown.column, message: thrown.message }, { line: first.range.line, column: first.range.column, message: first.message });
    assert.equal(thrown.file, 'm.em.json');
  }
  // problems come in file order
  const many = checkModelFile(docs[0], 'm.em.json');
  assert.deepEqual(many.map((p) => p.range.column), [...many.map((p) => p.range.column)].sort((a, b) => a - b));
  assert.equal(many.length, 2);
});

// ---- against the data's header ---------------------------------------------------------------

test('checkModelAgainstHeader: every column the model names must be in the header', () => {
  const text = lines(
    '{',
    '  "data": { "path": "data/d.csv", "weight": "n", "columns": ["A", "Q"] },',
    '  "model": { "kind": "bayesnet", "variables": { "H": { "hidden": true, "states": 2 }, "A": {}, "C": {}, "D": { "column": "dd" } } }',
    '}',
  );
  const parsed = parseModelFile(text, '/m/x.em.json');
  assert.deepEqual(describe(checkModelAgainstHeader(parsed, ['A', 'D', 'H', 'count']), text), [
    '2:45-2:48 error ["n"] the weight column "n" is not a column of d.csv; its columns are: "A", "D", "H", "count"',
    '2:67-2:70 error ["Q"] column "Q" is not a column of d.csv; its columns are: "A", "D", "H", "count"',
    '3:49-3:52 warning ["H"] H is hidden, so column "H" of d.csv is not used',
    '3:96-3:99 error ["C"] variable C reads column "C", which is not in d.csv (give "column" to read another; its columns are: "A", "D", "H", "count")',
    '3:122-3:126 error ["dd"] column "dd" is not a column of d.csv; its columns are: "A", "D", "H", "count"',
  ]);
  const lcText = '{ "data": { "path": "t.csv", "sequence": "s" }, "model": { "kind": "latent-class", "classes": 2, "columns": ["a", "b"] } }';
  const lc = parseModelFile(lcText, '/m/lc.em.json');
  assert.deepEqual(describe(checkModelAgainstHeader(lc, ['a', 'c']), lcText), [
    '1:42-1:45 error ["s"] the sequence column "s" is not a column of t.csv; its columns are: "a", "c"',
    '1:115-1:118 error ["b"] column "b" is not a column of t.csv; its columns are: "a", "c"',
  ]);
  assert.deepEqual(checkModelAgainstHeader(lc, ['a', 'b', 's']), []);
});

// ---- overrides -------------------------------------------------------------------------------

test('applyOverrides: flags replace fit values; bad values name the flag', () => {
  const f = join(examples, 'tutorial', 'example2.em.json');
  const { model } = parseModelFile(readFileSync(f, 'utf8'), f);
  const over = applyOverrides(model, { seed: 7, restarts: 4, missingData: 'drop', maxIterations: 0, tolerance: 1e-3, threads: 2 });
  assert.deepEqual(over.fit, { ...model.fit, seed: 7, restarts: 4, missingData: 'drop', maxIterations: 0, tolerance: 1e-3, threads: 2 });
  assert.equal(model.fit.seed, 1, 'the original is not modified');
  assert.deepEqual(applyOverrides(model, {}), model);
  const bad: [object, string][] = [
    [{ restarts: 0 }, '--restarts must be a whole number >= 1 (got 0)'],
    [{ maxIterations: -1 }, '--max-iterations must be a whole number >= 0 (got -1)'],
    [{ tolerance: -1 }, '--tolerance must be a number >= 0 (got -1)'],
    [{ tolerance: NaN }, '--tolerance must be a number >= 0 (got NaN)'],
    [{ seed: 1.5 }, '--seed must be a whole number from 0 to 4294967295 (got 1.5)'],
    [{ missingData: 'mean' }, '--missing-data must be one of "em", "drop", "fill-mode" (got "mean")'],
    [{ threads: -2 }, '--threads must be a whole number >= 0 (got -2)'],
    [{ regularization: 1 }, 'unknown fit override "regularization"'],
  ];
  for (const [o, message] of bad) {
    assert.throws(
      () => applyOverrides(model, o as never),
      (e: unknown) => e instanceof InputError && e.message === message && e.line === 0,
      message,
    );
  }
  assert.equal(dirname(model.data.path), dirname(f));
});
