// Property: Baum-Welch never lowers its objective (the log-likelihood, plus the log prior when
// a pseudo-count is set), over random small HMMs and data of both emission kinds, every
// covariance type, missing steps and missing cells. And the driver runs the family end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng } from '../../src/engine/rng';
import { runEM } from '../../src/engine/driver';
import { prepareHmm } from '../../src/engine/hmm/prepareHmm';
import type { CovarianceType } from '../../src/shared/modelSpec';
import { categorical, dataset, hmmModelFile, numeric } from './hmmTestData';
import type { Column } from '../../src/data/dataset';

interface Case {
  readonly seed: number;
  readonly emission: 'gaussian' | 'categorical';
  readonly states: number;
  readonly dim: number;
  readonly covariance: CovarianceType;
  readonly prior: number;
  readonly lengths: readonly number[];
  readonly missingRate: number;
}

/** Data drawn from a random HMM (so that there is structure to find), with missing cells. */
function makeData(c: Case): Column[] {
  const rng = new Rng(c.seed);
  const K = c.states;
  const A = Array.from({ length: K }, () => Array.from(rng.dirichlet(K, 1)));
  const centers = Array.from({ length: K }, () => Array.from({ length: c.dim }, () => 3 * rng.normal()));
  const symbolRows = Array.from({ length: K }, () => Array.from(rng.dirichlet(4, 0.7)));
  const draw = (p: number[]): number => {
    let u = rng.next();
    for (let i = 0; i < p.length; i++) if ((u -= p[i]) < 0) return i;
    return p.length - 1;
  };
  const ids: number[] = [];
  const xs: number[][] = Array.from({ length: c.dim }, () => []);
  const symbols: (string | undefined)[] = [];
  c.lengths.forEach((T, s) => {
    let z = rng.int(K);
    for (let t = 0; t < T; t++) {
      ids.push(s + 1);
      for (let a = 0; a < c.dim; a++) xs[a].push(rng.next() < c.missingRate ? NaN : centers[z][a] + rng.normal());
      symbols.push(rng.next() < c.missingRate ? undefined : 'abcd'[draw(symbolRows[z])]);
      z = draw(A[z]);
    }
  });
  // every symbol appears at least once, so that the symbol set is the same as the generator's
  'abcd'.split('').forEach((sym, i) => (symbols[i % symbols.length] = sym));
  const seq = numeric('seq', ids);
  if (c.emission === 'categorical') return [seq, categorical('obs', symbols)];
  return [seq, ...xs.map((v, a) => numeric(`x${a + 1}`, v))];
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  emission: fc.constantFrom('gaussian' as const, 'categorical' as const),
  states: fc.integer({ min: 2, max: 3 }),
  dim: fc.integer({ min: 1, max: 2 }),
  covariance: fc.constantFrom<CovarianceType>('full', 'diag', 'spherical', 'tied'),
  prior: fc.constantFrom(0, 0.5),
  lengths: fc.array(fc.integer({ min: 4, max: 25 }), { minLength: 1, maxLength: 3 }).filter((l) => l.reduce((a, b) => a + b, 0) >= 20),
  missingRate: fc.constantFrom(0, 0.15),
});

test('property: the Baum-Welch objective never decreases (random small HMMs, both emissions, missing data)', () => {
  fc.assert(
    fc.property(caseArbitrary, (c) => {
      // No covariance regularization: adding it is not an exact M-step, so only plain EM is monotone.
      const model = hmmModelFile({ states: c.states, emission: c.emission, covariance: c.covariance, prior: c.prior, sequence: 'seq', fit: { regularization: 0 } });
      const { family, data } = prepareHmm(model, dataset(makeData(c)));
      let params = family.initialize(data, new Rng(c.seed + 1));
      let previous = -Infinity;
      for (let iteration = 0; iteration < 25; iteration++) {
        let out;
        try {
          out = family.eStep(data, params);
        } catch (e) {
          // a state collapsing onto one point makes its covariance singular: the fit stops there
          if (e instanceof Error && /not positive definite/.test(e.message)) return;
          throw e;
        }
        const objective = out.logLikelihood + (family.logPrior?.(params) ?? 0);
        assert.ok(Number.isFinite(objective), `objective ${objective} at iteration ${iteration}`);
        assert.ok(objective >= previous - 1e-9 * Math.max(1, Math.abs(previous)), `objective fell from ${previous} to ${objective} at iteration ${iteration} (${JSON.stringify(c)})`);
        previous = objective;
        params = family.mStep(out.stats, params, data);
      }
    }),
    { numRuns: 60, seed: 20261126 },
  );
});

test('the driver fits an HMM end to end: restarts, canonical order, results shape, BIC', async () => {
  const c: Case = { seed: 42, emission: 'gaussian', states: 2, dim: 2, covariance: 'diag', prior: 0, lengths: [60, 40], missingRate: 0.05 };
  const { family, data } = prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian', covariance: 'diag', sequence: 'seq' }), dataset(makeData(c)));
  const { result, parameters } = await runEM(family, data, { maxIterations: 200, tolerance: 1e-10, restarts: 3, seed: 1 });
  assert.equal(result.kind, 'hmm');
  assert.equal(result.restarts.length, 3);
  assert.notEqual(result.stopReason, 'decreased');
  for (let t = 1; t < result.history.length; t++) assert.ok(result.history[t] >= result.history[t - 1] - 1e-9 * Math.abs(result.history[t - 1]));
  // K-1 + K(K-1) + K D means + K D variances
  assert.equal(result.freeParameters, 1 + 2 + 4 + 4);
  assert.equal(result.rows, 100);
  assert.ok(Math.abs(result.bic - (-2 * result.logLikelihood + 11 * Math.log(100))) < 1e-9);
  const p = result.parameters;
  assert.ok('startProbabilities' in p);
  if (!('startProbabilities' in p)) return;
  assert.equal(p.emission.kind, 'gaussian');
  if (p.emission.kind !== 'gaussian') return;
  // canonical order: states sorted by the first coordinate of their mean
  assert.ok(p.emission.means[0][0] <= p.emission.means[1][0]);
  assert.equal((p.emission.covariances as number[][]).length, 2);
  assert.equal((p.emission.covariances as number[][])[0].length, 2);
  for (const row of p.transitions) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  // the canonical parameters give the same likelihood as reported
  assert.ok(Math.abs(family.eStep(data, parameters).logLikelihood - result.logLikelihood) < 1e-8 * Math.abs(result.logLikelihood));
  // same seed, same numbers
  const again = await runEM(family, data, { maxIterations: 200, tolerance: 1e-10, restarts: 3, seed: 1 });
  assert.deepEqual(again.result.history, result.history);
});

test('a categorical HMM with a prior climbs the log posterior through the driver', async () => {
  const c: Case = { seed: 9, emission: 'categorical', states: 3, dim: 1, covariance: 'full', prior: 1, lengths: [80, 50, 30], missingRate: 0.1 };
  const { family, data } = prepareHmm(hmmModelFile({ states: 3, emission: 'categorical', prior: 1, sequence: 'seq' }), dataset(makeData(c)));
  const { result } = await runEM(family, data, { maxIterations: 100, tolerance: 1e-9, restarts: 2, seed: 3 });
  assert.notEqual(result.stopReason, 'decreased');
  assert.equal(result.freeParameters, 2 + 6 + 3 * 3);
  const p = result.parameters;
  if (!('startProbabilities' in p) || p.emission.kind !== 'categorical') throw new Error('expected categorical HMM parameters');
  assert.deepEqual(p.emission.symbols, ['a', 'b', 'c', 'd']);
  // a pseudo-count of 1 keeps every probability away from 0
  for (const row of p.emission.probabilities) for (const v of row) assert.ok(v > 1e-4);
  // canonical order: rows by decreasing P(first symbol)
  const first = p.emission.probabilities.map((r) => r[0]);
  assert.deepEqual([...first].sort((a, b) => b - a), first);
});

test('snapshots for the step-through: per-iteration posterior tables of every row', async () => {
  const c: Case = { seed: 5, emission: 'categorical', states: 2, dim: 1, covariance: 'full', prior: 0, lengths: [15, 10], missingRate: 0 };
  const { family, data } = prepareHmm(hmmModelFile({ states: 2, emission: 'categorical', sequence: 'seq' }), dataset(makeData(c)));
  const { result } = await runEM(family, data, { maxIterations: 3, tolerance: 0, restarts: 1, seed: 2, snapshots: true });
  assert.equal(result.snapshots?.length, 3);
  const view = result.snapshots?.[0].eStep as { columns: string[]; rows: unknown[][] };
  assert.deepEqual(view.columns, ['sequence', 't', 'P(state=1)', 'P(state=2)', 'viterbi', 'label']);
  assert.equal(view.rows.length, 25);
  assert.deepEqual(view.rows[15].slice(0, 2), [2, 1]);
  const final = result.finalEStep as { rows: number[][] } | undefined;
  if (final !== undefined) assert.ok(Math.abs(final.rows[0][2] + final.rows[0][3] - 1) < 1e-12);
});
