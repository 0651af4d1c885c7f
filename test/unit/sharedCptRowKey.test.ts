// The one reading of CPT row keys (src/shared/cptRowKey.ts) that the model-file checks and the
// engine share: spaces around names and states do not count, a blank key is a root's row, and
// a key the checks accept is the key the engine finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareBayesNet } from '../../src/engine/bayesnet/prepare';
import { canonicalRowKey } from '../../src/shared/cptRowKey';
import { checkModelFile } from '../../src/spec/index';
import { categorical, dataset, modelFile } from './bayesnetTestData';

test('row keys: spaces around names and states are dropped, nothing else changes', () => {
  assert.equal(canonicalRowKey('H=0'), 'H=0');
  assert.equal(canonicalRowKey('H = 0 , G=1'), 'H=0,G=1');
  assert.equal(canonicalRowKey('  H=1,G =  0  '), 'H=1,G=0');
  assert.equal(canonicalRowKey('Class = first class'), 'Class=first class', 'spaces inside a state stay');
  assert.equal(canonicalRowKey('Op = a=b'), 'Op=a=b', 'only the first "=" of a part splits name from state');
  assert.equal(canonicalRowKey(' H '), 'H', 'a part without "=" is trimmed (and then matches no row)');
  assert.equal(canonicalRowKey('H=0,,G=1'), 'H=0,,G=1', 'an empty part is kept (and then matches no row)');
});

test('row keys: a blank key is the root row ""', () => {
  for (const key of ['', ' ', '\t ']) assert.equal(canonicalRowKey(key), '');
});

test('the model-file checks and the engine accept the same spaced keys, for the same rows', () => {
  const init = { H: { ' ': [0.6, 0.4] }, A: { ' H = 1 ': [0.45, 0.55], 'H=0': [0.39, 0.61] }, B: { 'H =0': [0.48, 0.52], 'H= 1': [0.57, 0.43] } };
  const spec = { kind: 'bayesnet' as const, variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false }, B: { hidden: false } }, parents: { A: ['H'], B: ['H'] }, prior: 0 };
  const text = JSON.stringify({ data: 'example2.csv', model: { kind: 'bayesnet', variables: { H: { states: ['0', '1'], hidden: true }, A: { states: ['0', '1'] }, B: { states: ['0', '1'] } }, parents: { A: ['H'], B: ['H'] } }, init });
  assert.deepEqual(checkModelFile(text, '/models/m.em.json').filter((p) => p.severity === 'error'), []);
  const data = dataset([categorical('A', ['0', '0', '1', '1']), categorical('B', ['0', '1', '0', '1'])], [6, 1, 1, 4]);
  const spaced = prepareBayesNet(modelFile(spec, { init, weight: '#' }), data);
  const plain = prepareBayesNet(modelFile(spec, { init: { H: [0.6, 0.4], A: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] }, B: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] } }, weight: '#' }), data);
  assert.deepEqual(spaced.initialParameters?.theta, plain.initialParameters?.theta);
  // and both refuse a key that names no parent configuration
  const wrong = { ...init, A: { 'H=0': [0.39, 0.61], 'H=2': [0.45, 0.55] } };
  assert.ok(checkModelFile(JSON.stringify({ ...JSON.parse(text), init: wrong }), '/models/m.em.json').some((p) => p.severity === 'error' && /"H=2" is not a parent configuration of A/.test(p.message)));
  assert.throws(() => prepareBayesNet(modelFile(spec, { init: wrong, weight: '#' }), data), /row "H=2" is not a parent configuration of A/);
});
