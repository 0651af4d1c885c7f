// Our Baum-Welch against pomegranate 0.14's, from the same initial parameters on the same
// generated data (bench/hmm/peerData.ts and its Python twin draw identical sequences): the
// log-likelihood at the initial parameters and after each of the first 10 iterations must agree
// to 1e-6 relative (acceptance); in practice they agree to rounding. pomegranate's numbers come
// from bench/hmm/pomegranate_hmm.py (test/fixtures/hmm/pomegranate-histories.json); the
// 100,000-step cases are compared by bench/hmm/hmmBench.ts to keep this test fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { prepareHmm } from '../../src/engine/hmm/prepareHmm';
import type { HmmParameters } from '../../src/engine/hmm/hmmParameters';
import { generatePeerData, loadPeerFixture, type PeerCase } from '../../bench/hmm/peerData';
import { hmmModelFile } from './hmmTestData';

const root = join(__dirname, '..', '..', '..');
const fixture = loadPeerFixture(root);
const RELATIVE = 1e-6;

/** Our log-likelihood history over the fixture's iterations, from its init, with `regularization` on Gaussian covariances. */
function ourHistory(c: PeerCase, regularization: number): number[] {
  const { dataset, checksum } = generatePeerData(fixture, c);
  // the same data on both sides (normals may differ in the last bit where libm's log differs from V8's)
  assert.ok(Math.abs(checksum - c.checksum) <= 1e-9 * Math.max(1, Math.abs(c.checksum)), `${c.name}: checksum ${checksum} vs the peer's ${c.checksum}`);
  const init = c.emission === 'gaussian' ? fixture.gaussian.init : fixture.categorical.init;
  const model = hmmModelFile({ states: 3, emission: c.emission, covariance: 'full', prior: c.pseudocount, sequence: 'seq', init, fit: { regularization } });
  const { family, data, initialParameters } = prepareHmm(model, dataset);
  assert.ok(initialParameters !== undefined);
  let params = initialParameters as HmmParameters;
  const history: number[] = [];
  for (let t = 0; t <= fixture.iterations; t++) {
    const out = family.eStep(data, params);
    history.push(out.logLikelihood);
    params = family.mStep(out.stats, params, data);
  }
  return history;
}

function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));
}

for (const c of fixture.cases.filter((x) => x.length < 100_000)) {
  test(`pomegranate ${fixture.pomegranate}: ${c.name}, log-likelihood after each of ${fixture.iterations} iterations to ${RELATIVE} relative`, () => {
    const ours = ourHistory(c, 0);
    const diff = maxRelativeDifference(ours, c.history);
    assert.ok(diff <= RELATIVE, `max relative difference ${diff}\nours   ${ours.join(', ')}\npeer   ${c.history.join(', ')}`);
    // plain EM climbs the likelihood (with a pseudo-count it climbs the posterior instead)
    if (c.pseudocount === 0) for (let t = 1; t < ours.length; t++) assert.ok(ours[t] >= ours[t - 1]);
    if (process.env.EMW_HMM_VERBOSE) console.log(`${c.name}: max relative difference ${diff}`);
  });
}

test('the default covariance regularization (1e-6) is a documented difference from pomegranate: visible, and small', () => {
  const c = fixture.cases.find((x) => x.name === 'gaussian-1x10000');
  assert.ok(c !== undefined);
  const exact = maxRelativeDifference(ourHistory(c, 0), c.history);
  const regularized = maxRelativeDifference(ourHistory(c, 1e-6), c.history);
  assert.ok(regularized > 10 * exact, `regularized ${regularized} vs exact ${exact}`);
  assert.ok(regularized < 1e-6, `regularized ${regularized}`);
});
