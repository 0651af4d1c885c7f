// The driver, monitor and RNG, with a small real family written here: a mixture of two
// binomials (the classic "two coins" EM example), whose E- and M-steps are a few lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEM } from '../../src/engine/driver';
import type { ModelFamily, PosteriorTable } from '../../src/engine/family';
import { ConvergenceMonitor } from '../../src/engine/convergenceMonitor';
import { Rng } from '../../src/engine/rng';
import { logSumExp, CompensatedSum } from '../../src/engine/numerics';
import { CancelledError } from '../../src/shared/errors';

/** Each unit: heads out of `flips` tosses of one of two coins. */
interface Coins { heads: number[]; flips: number }
interface CoinParams { weight: number; p: [number, number] }
interface CoinStats { n: [number, number]; heads: [number, number]; flips: number }

function logBinom(h: number, n: number, p: number): number {
  return h * Math.log(p) + (n - h) * Math.log(1 - p); // the binomial coefficient cancels in EM; kept out of the LL too
}

const coins: ModelFamily<Coins, CoinParams, CoinStats> = {
  kind: 'latent-class',
  units: (d) => d.heads.length,
  weightedRows: (d) => d.heads.length,
  initialize: (_d, rng) => ({ weight: 0.2 + 0.6 * rng.next(), p: [0.1 + 0.8 * rng.next(), 0.1 + 0.8 * rng.next()] }),
  eStep(d, params, range) {
    const start = range?.start ?? 0;
    const end = range?.end ?? d.heads.length;
    const stats: CoinStats = { n: [0, 0], heads: [0, 0], flips: d.flips };
    let ll = 0;
    for (let i = start; i < end; i++) {
      const a = Math.log(params.weight) + logBinom(d.heads[i], d.flips, params.p[0]);
      const b = Math.log(1 - params.weight) + logBinom(d.heads[i], d.flips, params.p[1]);
      const lse = logSumExp([a, b]);
      ll += lse;
      const ra = Math.exp(a - lse);
      stats.n[0] += ra;
      stats.n[1] += 1 - ra;
      stats.heads[0] += ra * d.heads[i];
      stats.heads[1] += (1 - ra) * d.heads[i];
    }
    return { logLikelihood: ll, stats };
  },
  merge: (a, b) => ({ n: [a.n[0] + b.n[0], a.n[1] + b.n[1]], heads: [a.heads[0] + b.heads[0], a.heads[1] + b.heads[1]], flips: a.flips }),
  mStep: (s) => ({ weight: s.n[0] / (s.n[0] + s.n[1]), p: [s.heads[0] / (s.n[0] * s.flips), s.heads[1] / (s.n[1] * s.flips)] }),
  freeParameters: () => 3,
  toJSON: (p) => ({ cpts: { Z: { parents: [], states: ['a', 'b'], rows: { '': [p.weight, 1 - p.weight] } }, X: { parents: ['Z'], states: ['p'], rows: { 'Z=a': [p.p[0]], 'Z=b': [p.p[1]] } } } }),
  posteriors: (d, params): PosteriorTable => ({
    columns: ['P(Z=a)'],
    rowCount: d.heads.length,
    row: (i) => {
      const a = Math.log(params.weight) + logBinom(d.heads[i], d.flips, params.p[0]);
      const b = Math.log(1 - params.weight) + logBinom(d.heads[i], d.flips, params.p[1]);
      return [Math.exp(a - logSumExp([a, b]))];
    },
  }),
};

// Do & Batzoglou (2008): five sets of ten tosses.
const data: Coins = { heads: [5, 9, 8, 4, 7], flips: 10 };
const given: CoinParams = { weight: 0.5, p: [0.6, 0.5] };

test('Rng: the same seed gives the same stream, other seeds another', () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 50 }, () => a.next());
  const xb = Array.from({ length: 50 }, () => b.next());
  const xc = Array.from({ length: 50 }, () => c.next());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
  assert.ok(xa.every((x) => x >= 0 && x < 1));
  // a fixed first value pins the generator across machines and releases
  assert.equal(new Rng(1).nextUint32(), new Rng(1).nextUint32());
});

test('Rng: uniform mean, normal moments and Dirichlet draws are right', () => {
  const r = new Rng(7);
  const n = 20000;
  let s = 0, s2 = 0, m = 0;
  for (let i = 0; i < n; i++) { const z = r.normal(); s += z; s2 += z * z; m += r.next(); }
  assert.ok(Math.abs(s / n) < 0.03, `normal mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 0.05, `normal variance ${s2 / n}`);
  assert.ok(Math.abs(m / n - 0.5) < 0.01, `uniform mean ${m / n}`);
  const d = r.dirichlet(5);
  assert.ok(Math.abs(d.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(d.every((x) => x > 0));
  const counts = new Array(4).fill(0);
  for (let i = 0; i < 4000; i++) counts[r.int(4)]++;
  assert.ok(counts.every((c) => c > 850 && c < 1150), `int(4) counts ${counts}`);
});

test('numerics: log-sum-exp is stable, compensated sums are exact where naive sums are not', () => {
  assert.equal(logSumExp([-1000, -1000]), -1000 + Math.log(2));
  assert.equal(logSumExp([1000, 1000]), 1000 + Math.log(2));
  assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
  const c = new CompensatedSum();
  let naive = 0;
  for (const v of [1e16, 1, -1e16, 1]) { c.add(v); naive += v; }
  assert.equal(c.value, 2);
  assert.notEqual(naive, 2);
});

test('monitor: stops on tolerance per weighted row, on maxIterations, and flags a decrease', () => {
  const m = new ConvergenceMonitor({ maxIterations: 10, tolerance: 0.01, weightedRows: 10 });
  assert.equal(m.report(-20), undefined);
  assert.equal(m.report(-19), undefined); // gain 1 / 10 rows = 0.1 >= 0.01
  assert.equal(m.report(-18.95), 'tolerance'); // 0.005 per row
  const k = new ConvergenceMonitor({ maxIterations: 2, tolerance: 0, weightedRows: 1 });
  assert.equal(k.report(-3), undefined);
  assert.equal(k.report(-2), undefined);
  assert.equal(k.report(-1), 'maxIterations');
  assert.equal(k.iterations, 2);
  const d = new ConvergenceMonitor({ maxIterations: 10, tolerance: 0, weightedRows: 1 });
  d.report(-5);
  assert.equal(d.report(-5 - 1e-12), 'tolerance'); // rounding is not a decrease
  assert.equal(d.report(-6), 'decreased');
  assert.deepEqual(d.decreases, [2]);
});

test('driver: the textbook two-coin example climbs to the known estimate', async () => {
  const { result, parameters } = await runEM(coins, data, { maxIterations: 200, tolerance: 1e-12, restarts: 1, seed: 1, initialParameters: given });
  // Do & Batzoglou report theta_A ~ 0.80, theta_B ~ 0.52 after 10 iterations from (0.6, 0.5)
  assert.ok(Math.abs(parameters.p[0] - 0.80) < 0.01, `p_A ${parameters.p[0]}`);
  assert.ok(Math.abs(parameters.p[1] - 0.52) < 0.01, `p_B ${parameters.p[1]}`);
  assert.equal(result.history.length, result.iterations + 1);
  for (let t = 1; t < result.history.length; t++) assert.ok(result.history[t] >= result.history[t - 1] - 1e-12, `fell at ${t}`);
  assert.equal(result.logLikelihood, result.history[result.history.length - 1]);
  assert.equal(result.stopReason, 'tolerance');
  assert.equal(result.converged, true);
  assert.equal(result.freeParameters, 3);
  assert.ok(Math.abs(result.bic - (-2 * result.logLikelihood + 3 * Math.log(5))) < 1e-12);
  assert.ok(Math.abs(result.aic - (-2 * result.logLikelihood + 6)) < 1e-12);
});

test('driver: maxIterations 0 evaluates the initial parameters without a step', async () => {
  const { result, parameters } = await runEM(coins, data, { maxIterations: 0, tolerance: 0, restarts: 1, seed: 1, initialParameters: given });
  assert.equal(result.iterations, 0);
  assert.equal(result.history.length, 1);
  assert.deepEqual(parameters, given);
  assert.equal(result.logLikelihood, coins.eStep(data, given).logLikelihood);
  assert.equal(result.stopReason, 'maxIterations');
});

test('driver: snapshots replay each E-step and M-step; the log-likelihood after step t is history[t]', async () => {
  const { result } = await runEM(coins, data, { maxIterations: 5, tolerance: 0, restarts: 1, seed: 1, initialParameters: given, snapshots: true });
  assert.equal(result.snapshots?.length, 5);
  let p = given;
  for (const s of result.snapshots ?? []) {
    const e = coins.eStep(data, p);
    assert.equal(s.logLikelihoodBefore, e.logLikelihood);
    assert.equal(s.logLikelihoodBefore, result.history[s.iteration - 1]);
    p = coins.mStep(e.stats, p, data);
    assert.deepEqual(s.parameters, coins.toJSON(p));
  }
});

test('driver: restarts are seeded (seed + r), all reported, the best kept; same seed, same numbers', async () => {
  const opts = { maxIterations: 50, tolerance: 1e-10, restarts: 4, seed: 11 };
  const a = await runEM(coins, data, opts);
  const b = await runEM(coins, data, opts);
  assert.deepEqual(a.parameters, b.parameters);
  assert.deepEqual(a.result.history, b.result.history);
  assert.deepEqual(a.result.restarts.map((r) => r.seed), [11, 12, 13, 14]);
  const best = Math.max(...a.result.restarts.map((r) => r.logLikelihood));
  assert.equal(a.result.logLikelihood, best);
  const c = await runEM(coins, data, { ...opts, seed: 99 });
  assert.notDeepEqual(c.result.restarts.map((r) => r.history[0]), a.result.restarts.map((r) => r.history[0]));
});

test('driver: sharded E-steps merged through the family give the same fit', async () => {
  const executor = {
    eStep: (p: CoinParams) => {
      const a = coins.eStep(data, p, { start: 0, end: 2 });
      const b = coins.eStep(data, p, { start: 2, end: 5 });
      return { logLikelihood: a.logLikelihood + b.logLikelihood, stats: coins.merge(a.stats, b.stats) };
    },
  };
  const one = await runEM(coins, data, { maxIterations: 30, tolerance: 0, restarts: 1, seed: 1, initialParameters: given });
  const sharded = await runEM(coins, data, { maxIterations: 30, tolerance: 0, restarts: 1, seed: 1, initialParameters: given, executor });
  for (let t = 0; t < one.result.history.length; t++) assert.ok(Math.abs(one.result.history[t] - sharded.result.history[t]) < 1e-12);
});

test('driver: cancellation stops between iterations and returns the last evaluated parameters', async () => {
  let calls = 0;
  const out = await runEM(coins, data, {
    maxIterations: 1000, tolerance: 0, restarts: 3, seed: 1, initialParameters: given,
    isCancelled: () => ++calls > 4,
  });
  assert.equal(out.result.stopReason, 'cancelled');
  assert.equal(out.result.restarts.length, 1);
  assert.equal(out.result.iterations, 3);
  assert.equal(out.result.logLikelihood, coins.eStep(data, out.parameters).logLikelihood);
  await assert.rejects(runEM(coins, data, { maxIterations: 10, tolerance: 0, restarts: 1, seed: 1, isCancelled: () => true }), CancelledError);
});

test('driver: a family whose objective falls is stopped with "decreased", keeping the better parameters', async () => {
  // a deliberately broken M-step: moves p_A away from the data after the second iteration
  let steps = 0;
  const broken: typeof coins = { ...coins, mStep: (s, prev, d) => (++steps >= 3 ? { ...prev, p: [0.05, prev.p[1]] } : coins.mStep(s, prev, d)) };
  const { result, parameters } = await runEM(broken, data, { maxIterations: 100, tolerance: 0, restarts: 1, seed: 1, initialParameters: given });
  assert.equal(result.stopReason, 'decreased');
  assert.equal(result.iterations, 2);
  assert.notEqual(parameters.p[0], 0.05);
  assert.ok(result.warnings?.some((w) => /fell/.test(w)));
});

test('monitor: a family that declares an inexact M-step may dip by its tolerance, and stops as converged', () => {
  const m = new ConvergenceMonitor({ maxIterations: 10, tolerance: 1e-8, weightedRows: 100, decreaseTolerance: 1e-6 });
  m.report(-1000);
  assert.equal(m.report(-1000 - 1e-4), 'tolerance'); // 1e-7 relative: within the declared 1e-6
  const strict = new ConvergenceMonitor({ maxIterations: 10, tolerance: 1e-8, weightedRows: 100 });
  strict.report(-1000);
  assert.equal(strict.report(-1000 - 1e-4), 'decreased');
  const m2 = new ConvergenceMonitor({ maxIterations: 10, tolerance: 1e-8, weightedRows: 100, decreaseTolerance: 1e-6 });
  m2.report(-1000);
  assert.equal(m2.report(-1000 - 1e-2), 'decreased'); // 1e-5 relative: beyond it
});
