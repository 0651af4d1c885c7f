// Property tests of the bayesnet family on random small networks (0-2 hidden variables,
// random DAGs with loops, missing cells, weights): the junction tree against brute-force
// enumeration, EM's monotone objective, reproducible seeds, the one-step counting estimate,
// and sharded E-steps merging to the whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { prepareBayesNet } from '../../src/engine/bayesnet/prepare';
import { randomParameters, bayesNetEStep, mergeBayesNetStats, bayesNetLowerBound } from '../../src/engine/bayesnet/bayesNetFamily';
import { PatternInference } from '../../src/engine/bayesnet/patternInference';
import { runEM } from '../../src/engine/driver';
import { Rng } from '../../src/engine/rng';
import { bruteForce, cellOf, randomCase, type RandomCaseOptions } from './bayesnetTestData';

const RUNS = 100;

const optionsArb = (overrides: Partial<Record<keyof RandomCaseOptions, fc.Arbitrary<unknown>>> = {}) =>
  fc.record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    variables: fc.integer({ min: 2, max: 6 }),
    hidden: fc.integer({ min: 0, max: 2 }),
    rows: fc.integer({ min: 3, max: 40 }),
    missingRate: fc.constantFrom(0, 0.1, 0.3),
    prior: fc.constantFrom(0, 0, 0.5),
    weighted: fc.boolean(),
    ...overrides,
  }) as fc.Arbitrary<RandomCaseOptions>;

function prepared(o: RandomCaseOptions) {
  const c = randomCase(o, new Rng(o.seed));
  return prepareBayesNet(c.model, c.data);
}

test('junction-tree log-likelihood, family and variable marginals and entropy equal brute-force enumeration', () => {
  fc.assert(
    fc.property(optionsArb(), (o) => {
      const { data } = prepared(o);
      const params = randomParameters(data.network, new Rng(o.seed + 7));
      const inference = new PatternInference(data.network, data.tree, params.theta);
      const network = data.network;
      const width = network.observed.length;
      for (let p = 0; p < data.patterns.counts.length; p++) {
        const ll = inference.infer(data.patterns.codes, p, true);
        const evidence = new Int32Array(network.names.length).fill(-1);
        for (let j = 0; j < width; j++) evidence[network.observed[j]] = data.patterns.codes[p * width + j];
        const exact = bruteForce(network, params.theta, evidence);
        assert.ok(Math.abs(ll - exact.logLikelihood) <= 1e-10, `log p(x): ${ll} vs ${exact.logLikelihood}`);
        const counts = new Float64Array(exact.familyMarginals.length);
        const expectedLogJoint = inference.addFamilyCounts(counts, 1);
        for (let i = 0; i < counts.length; i++) assert.ok(Math.abs(counts[i] - exact.familyMarginals[i]) <= 1e-10, `family cell ${i}: ${counts[i]} vs ${exact.familyMarginals[i]}`);
        for (let v = 0; v < network.names.length; v++) {
          const m = new Float64Array(network.cards[v]);
          inference.variableMarginal(v, m);
          m.forEach((x, s) => assert.ok(Math.abs(x - exact.variableMarginals[v][s]) <= 1e-10, `marginal of ${network.names[v]}`));
        }
        // the E-step's entropy of q by Gibbs' identity H(q) = log p(x) - E_q[log p(x, z)]
        const entropy = ll - expectedLogJoint;
        assert.ok(Math.abs(entropy - exact.entropy) <= 1e-10, `entropy ${entropy} vs ${exact.entropy}`);
      }
    }),
    { numRuns: RUNS },
  );
});

test('the objective (log-likelihood + log prior) never decreases, and l(theta_t) <= L(q_t+1, theta_t+1) <= l(theta_t+1)', () => {
  fc.assert(
    fc.property(optionsArb({ hidden: fc.integer({ min: 0, max: 2 }) }), (o) => {
      const { family, data } = prepared(o);
      let params = family.initialize(data, new Rng(o.seed));
      let out = family.eStep(data, params);
      let objective = out.logLikelihood + (family.logPrior ? family.logPrior(params) : 0);
      for (let t = 0; t < 25; t++) {
        const next = family.mStep(out.stats, params, data);
        const nextOut = family.eStep(data, next);
        const nextObjective = nextOut.logLikelihood + (family.logPrior ? family.logPrior(next) : 0);
        assert.ok(nextObjective >= objective - 1e-9 * Math.max(1, Math.abs(objective)), `iteration ${t + 1}: ${nextObjective} < ${objective}`);
        if (o.prior === 0) {
          const bound = bayesNetLowerBound(out.stats, next);
          const slack = 1e-9 * Math.max(1, Math.abs(objective));
          assert.ok(bound >= out.logLikelihood - slack, `L(q, theta_new) = ${bound} < l(theta_old) = ${out.logLikelihood}`);
          assert.ok(bound <= nextOut.logLikelihood + slack, `L(q, theta_new) = ${bound} > l(theta_new) = ${nextOut.logLikelihood}`);
          // the E-step makes the bound tight: L(q_t+1, theta_t) = l(theta_t)
          const tight = bayesNetLowerBound(out.stats, params);
          assert.ok(Math.abs(tight - out.logLikelihood) <= slack, `L(q, theta_old) = ${tight} vs l(theta_old) = ${out.logLikelihood}`);
        }
        params = next;
        out = nextOut;
        objective = nextObjective;
      }
    }),
    { numRuns: RUNS },
  );
});

test('equal seeds give identical results (restarts, history, parameters, posteriors)', async () => {
  await fc.assert(
    fc.asyncProperty(optionsArb({ hidden: fc.integer({ min: 1, max: 2 }) }), async (o) => {
      const results = [];
      for (let k = 0; k < 2; k++) {
        const { family, data } = prepared(o);
        const { result, parameters } = await runEM(family, data, { maxIterations: 15, tolerance: 1e-10, restarts: 2, seed: o.seed });
        const table = family.posteriors(data, parameters);
        results.push({ result: { ...result, seconds: 0 }, rows: Array.from({ length: table.rowCount }, (_, i) => table.row(i)) });
      }
      assert.deepEqual(results[0], results[1]);
    }),
    { numRuns: RUNS },
  );
});

test('no hidden variable and complete data: fitted in one step to the counting estimate', async () => {
  await fc.assert(
    fc.asyncProperty(optionsArb({ hidden: fc.constant(0), missingRate: fc.constant(0) }), async (o) => {
      const c = randomCase(o, new Rng(o.seed));
      const { family, data } = prepareBayesNet(c.model, c.data);
      const { result, parameters } = await runEM(family, data, { maxIterations: 100, tolerance: 1e-10, restarts: 1, seed: o.seed });
      assert.ok(result.iterations <= 1, `${result.iterations} iterations`);
      assert.equal(result.history.length, result.iterations + 1);
      // counting estimate from the rows themselves: (n_cell + prior) / (n_row + S prior), uniform for unseen rows
      const network = data.network;
      const counts = new Float64Array(parameters.theta.length);
      const x = new Int32Array(network.names.length);
      for (let i = 0; i < c.data.rowCount; i++) {
        const w = c.data.weights ? c.data.weights[i] : 1;
        network.observed.forEach((v, j) => (x[v] = data.rowPatterns.codes[data.rowPatterns.rowToPattern[i] * network.observed.length + j]));
        for (let v = 0; v < network.names.length; v++) counts[network.cptOffset[v] + cellOf(network, v, x)] += w;
      }
      const prior = o.prior ?? 0;
      for (let v = 0; v < network.names.length; v++) {
        const card = network.cards[v];
        for (let r = 0; r < network.rowCount[v]; r++) {
          const off = network.cptOffset[v] + r * card;
          let total = 0;
          for (let s = 0; s < card; s++) total += counts[off + s] + prior;
          for (let s = 0; s < card; s++) {
            const expected = total > 0 ? (counts[off + s] + prior) / total : 1 / card;
            assert.ok(Math.abs(parameters.theta[off + s] - expected) <= 1e-12, `${network.names[v]} row ${r} state ${s}: ${parameters.theta[off + s]} vs ${expected}`);
          }
        }
      }
    }),
    { numRuns: RUNS },
  );
});

test('E-steps over two halves of the patterns, merged, equal the E-step over all', () => {
  fc.assert(
    fc.property(optionsArb(), fc.double({ min: 0, max: 1, noNaN: true }), (o, where) => {
      const { data } = prepared(o);
      const params = randomParameters(data.network, new Rng(o.seed + 1));
      const units = data.patterns.counts.length;
      const split = Math.floor(where * units);
      const all = bayesNetEStep(data, params);
      const a = bayesNetEStep(data, params, { start: 0, end: split });
      const b = bayesNetEStep(data, params, { start: split, end: units });
      const merged = mergeBayesNetStats(a.stats, b.stats);
      assert.ok(Math.abs(a.logLikelihood + b.logLikelihood - all.logLikelihood) <= 1e-12 * Math.max(1, Math.abs(all.logLikelihood)));
      assert.ok(Math.abs(merged.entropy - all.stats.entropy) <= 1e-12 * Math.max(1, all.stats.entropy));
      for (let i = 0; i < merged.expectedCounts.length; i++) {
        assert.ok(Math.abs(merged.expectedCounts[i] - all.stats.expectedCounts[i]) <= 1e-12 * Math.max(1, all.stats.expectedCounts[i]), `cell ${i}`);
      }
    }),
    { numRuns: RUNS },
  );
});
