// The diagonal Gaussian emission kernel (diagonalGaussianEmission.ts) against the dense one
// (gaussianEmission.ts) on the same diag and spherical parameters: the dense kernel handles
// any covariance, so on a diagonal one the two must agree to the bit (log densities of
// complete, partly missing and all-missing steps, and the statistics the M-step reads),
// while the diagonal one costs O(D) per step instead of O(D^2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagonalGaussianKernel } from '../../src/engine/hmm/diagonalGaussianEmission';
import { gaussianKernel } from '../../src/engine/hmm/gaussianEmission';
import type { HmmData } from '../../src/engine/hmm/hmmData';
import { createHmmStats, type HmmParameters } from '../../src/engine/hmm/hmmParameters';
import { prepareHmm } from '../../src/engine/hmm/prepareHmm';
import { Rng } from '../../src/engine/rng';
import { dataset, hmmModelFile, numeric } from './hmmTestData';

const K = 3;
const D = 6;
const N = 120;

function prepared(covariance: 'diag' | 'spherical'): { data: HmmData; params: HmmParameters } {
  const rng = new Rng(31);
  const cols = Array.from({ length: D }, () => new Float64Array(N));
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) cols[j][i] = (i % K) * 2 + rng.normal() * (1 + 0.3 * j);
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) if (rng.next() < 0.15) cols[j][i] = NaN;
  for (let j = 0; j < D; j++) cols[j][7] = NaN; // a step with no observed cell
  const model = hmmModelFile({ states: K, emission: 'gaussian', covariance });
  const fit = prepareHmm(model, dataset(cols.map((c, j) => numeric(`x${j + 1}`, c))));
  return { data: fit.data, params: fit.family.initialize(fit.data, new Rng(5)) };
}

for (const covariance of ['diag', 'spherical'] as const) {
  test(`${covariance}: the diagonal kernel gives the dense kernel's log densities and M-step statistics to the bit`, () => {
    const { data, params } = prepared(covariance);
    const obs = data.observations;
    const e = params.emission;
    assert.ok(obs.kind === 'gaussian' && e.kind === 'gaussian');
    const patterns = new Set(obs.pattern);
    assert.ok(patterns.has(-1) && patterns.has(0) && patterns.size > 10, `patterns: ${[...patterns].length}`);
    const dense = gaussianKernel(obs, e, K, data.modelFile);
    const diagonal = diagonalGaussianKernel(obs, e, K, data.modelFile);
    const a = new Float64Array(N * K);
    const b = new Float64Array(N * K);
    dense.logDensities(0, N, a);
    diagonal.logDensities(0, N, b);
    assert.deepEqual(b, a);
    assert.ok(a.every((v) => Number.isFinite(v)));
    // posteriors: any positive weights, some exactly 0
    const rng = new Rng(8);
    const gamma = Float64Array.from({ length: N * K }, () => (rng.next() < 0.1 ? 0 : rng.next()));
    const sa = createHmmStats(params).emission;
    const sb = createHmmStats(params).emission;
    // two blocks, as a sequence split into pieces would give
    dense.accumulate(0, 50, gamma, sa);
    dense.accumulate(50, N - 50, gamma.subarray(50 * K), sa);
    dense.finish(sa);
    diagonal.accumulate(0, 50, gamma, sb);
    diagonal.accumulate(50, N - 50, gamma.subarray(50 * K), sb);
    diagonal.finish(sb);
    assert.ok(sa.kind === 'gaussian' && sb.kind === 'gaussian');
    assert.deepEqual(sb.weight, sa.weight);
    assert.deepEqual(sb.sum, sa.sum);
    // the diagonal of the second moments is what the diag and spherical M-steps read
    for (let k = 0; k < K; k++) for (let j = 0; j < D; j++) assert.equal(sb.outer[k * D * D + j * D + j], sa.outer[k * D * D + j * D + j], `state ${k + 1}, column ${j + 1}`);
  });
}
