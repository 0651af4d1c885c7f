// The WebAssembly diagonal kernel (wasmDiagonalKernel.ts) and fastExp.ts: the SIMD kernel gives
// the JavaScript kernels' numbers to the bit (log-likelihood and every statistic), for odd and
// even D, D past the unrolled widths, several K, weights, ranges that start mid-data and cross
// the kernel's row blocks; and the fast exp stays within a few ulps of Math.exp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeRowsDiagonal, NEGLIGIBLE_LOG } from '../../src/engine/gmm/completeRowKernels';
import { expOfGap } from '../../src/engine/gmm/fastExp';
import { prepareGaussianMixture } from '../../src/engine/gmm/prepareGaussianMixture';
import { emptyStats, referencePoints } from '../../src/engine/gmm/gmmStats';
import { unrolledKernel } from '../../src/engine/gmm/unrolledKernels';
import { wasmDiagonalAvailable, wasmRowsDiagonal } from '../../src/engine/gmm/wasmDiagonalKernel';
import { Rng } from '../../src/engine/rng';
import type { CovarianceType } from '../../src/shared/modelSpec';
import { datasetFromRows, gmmModel } from './gmmFixtures';

test('expOfGap agrees with Math.exp to 4e-15 relative over [NEGLIGIBLE_LOG, 0], ends included', () => {
  const rng = new Rng(11);
  const gaps = [0, -0, NEGLIGIBLE_LOG, -1e-300, -Math.LN2 / 128, -Math.LN2 / 64, -1, -20];
  for (let i = 0; i < 200_000; i++) gaps.push(NEGLIGIBLE_LOG * rng.next());
  let worst = 0;
  for (const g of gaps) {
    const rel = Math.abs(expOfGap(g) - Math.exp(g)) / Math.exp(g);
    worst = Math.max(worst, rel);
  }
  assert.ok(worst <= 4e-15, `worst relative error ${worst}`);
  assert.equal(expOfGap(0), 1);
});

test('WebAssembly SIMD is available on this Node, so the kernel below is the one that runs', () => {
  assert.equal(wasmDiagonalAvailable(), true);
});

/** n rows of D columns: K clusters, some far apart (responsibilities that underflow to 0), some overlapping. */
function clustered(n: number, d: number, k: number, seed: number) {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k }, (_, c) => Array.from({ length: d }, () => (c % 2 === 0 ? 12 : 1.5) * rng.normal()));
  const rows = Array.from({ length: n }, () => {
    const c = rng.int(k);
    return centres[c].map((m) => m + rng.normal() * (0.3 + (c % 3) * 0.4));
  });
  return datasetFromRows(Array.from({ length: d }, (_, j) => `x${j + 1}`), rows);
}

for (const type of ['diag', 'spherical'] as CovarianceType[]) {
  for (const [d, k, n, weighted] of [
    [1, 3, 300, false], [2, 1, 200, true], [3, 8, 500, true], [7, 3, 400, false], [8, 8, 40_000, true],
    [9, 4, 300, true], [16, 3, 300, false], [17, 5, 20_000, true], [40, 3, 300, false],
  ] as const) {
    test(`${type}, D=${d}, K=${k}, ${n} rows${weighted ? ', weighted' : ''}: the WebAssembly kernel gives the JavaScript kernels' bits`, () => {
      const ds = clustered(n, d, k, 100 + d * 7 + k);
      const weights = weighted ? Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 4)) : undefined;
      const prepared = prepareGaussianMixture(gmmModel(k, type), { ...ds, weights }, k);
      const { family, data } = prepared;
      const params = family.initialize(data, new Rng(5));
      const reference = referencePoints(type, k, d, params.means, data.center);
      // the whole data, and a range starting mid-data
      for (const [start, end] of [[0, data.units], [Math.floor(n / 3), n - 1]]) {
        const generic = emptyStats(type, k, d, reference);
        const simd = emptyStats(type, k, d, reference);
        const a = completeRowsDiagonal(data, params, start, end, generic);
        const b = wasmRowsDiagonal(data, params, start, end, simd);
        assert.ok(Number.isFinite(a));
        assert.equal(b, a, `log-likelihood of rows ${start}..${end}`);
        assert.deepEqual(simd, generic);
        const kernel = unrolledKernel('diagonal', d);
        if (kernel !== undefined) {
          const unrolled = emptyStats(type, k, d, reference);
          assert.equal(kernel(data, params, start, end, unrolled), a);
          assert.deepEqual(unrolled, generic);
        }
        // some responsibilities are exactly 0 and others are not: both paths of the kernel ran
        if (k > 1) assert.ok(generic.nk.some((v) => v > 0));
      }
    });
  }
}
