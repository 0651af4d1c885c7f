// Timings of the bayesnet family at PERFORMANCE.md's latent-class size (1,000,000 rows x 6
// categorical columns of 2-4 levels, K = 3): measured and printed, never asserted. Skipped
// unless EMW_PERF=1 (it takes seconds and memory the unit tier should not spend):
//   EMW_PERF=1 node --test --test-reporter=spec out/test/unit/bayesnetPerformance.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compressPatterns } from '../../src/data/patterns';
import type { CategoricalColumn } from '../../src/data/dataset';
import { prepareBayesNet } from '../../src/engine/bayesnet/prepare';
import { runEM } from '../../src/engine/driver';
import { Rng } from '../../src/engine/rng';
import { dataset, modelFile } from './bayesnetTestData';

const enabled = process.env.EMW_PERF === '1';

/** Rows drawn from a latent-class model with K classes and the given column levels. */
function generate(rows: number, levels: number[], k: number, seed: number): CategoricalColumn[] {
  const rng = new Rng(seed);
  const weights = rng.dirichlet(k, 5);
  const tables = levels.map((l) => Array.from({ length: k }, () => rng.dirichlet(l, 0.5)));
  const codes = levels.map(() => new Int32Array(rows));
  for (let i = 0; i < rows; i++) {
    let u = rng.next();
    let c = 0;
    while (c < k - 1 && u >= weights[c]) u -= weights[c++];
    levels.forEach((l, j) => {
      let v = rng.next();
      let s = 0;
      while (s < l - 1 && v >= tables[j][c][s]) v -= tables[j][c][s++];
      codes[j][i] = s;
    });
  }
  return levels.map((l, j) => ({ kind: 'categorical', name: `X${j}`, levels: Array.from({ length: l }, (_, s) => String(s)), codes: codes[j] }));
}

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

test('latent class K=3, 1,000,000 rows x 6 columns: compression and 100 EM iterations', { skip: !enabled && 'set EMW_PERF=1 to measure' }, async (t) => {
  const levels = [2, 3, 4, 2, 3, 4];
  let t0 = performance.now();
  const columns = generate(1_000_000, levels, 3, 42);
  const generateSeconds = seconds(t0);

  t0 = performance.now();
  const patterns = compressPatterns(columns);
  const compressSeconds = seconds(t0);

  const model = modelFile({ kind: 'latent-class', classes: 3, columns: columns.map((c) => c.name), prior: 0 });
  t0 = performance.now();
  const { family, data } = prepareBayesNet(model, dataset(columns));
  const prepareSeconds = seconds(t0);

  t0 = performance.now();
  const { result, parameters } = await runEM(family, data, { maxIterations: 100, tolerance: -Infinity, restarts: 1, seed: 1 });
  const emSeconds = seconds(t0);
  assert.equal(result.iterations, 100);

  t0 = performance.now();
  const table = family.posteriors(data, parameters);
  let sum = 0;
  for (let i = 0; i < table.rowCount; i++) sum += table.row(i)[0] as number;
  const posteriorSeconds = seconds(t0);
  assert.ok(sum > 0);

  const lines = [
    `generate 1e6 rows: ${generateSeconds.toFixed(3)} s`,
    `compressPatterns: ${compressSeconds.toFixed(3)} s -> ${patterns.counts.length} distinct patterns`,
    `prepareBayesNet (compression + junction tree): ${prepareSeconds.toFixed(3)} s`,
    `100 EM iterations: ${emSeconds.toFixed(3)} s (${(emSeconds / 100).toFixed(5)} s/iter), log-likelihood ${result.logLikelihood.toFixed(3)}`,
    `posterior table + reading all 1e6 rows: ${posteriorSeconds.toFixed(3)} s`,
  ];
  for (const l of lines) t.diagnostic(l);
  console.log(lines.join('\n'));
});

test('a hidden variable with 10 states and 20 observed children (3 levels), 20,000 rows: 10 EM iterations', { skip: !enabled && 'set EMW_PERF=1 to measure' }, async (t) => {
  const columns = generate(20_000, new Array(20).fill(3), 10, 7);
  const model = modelFile({ kind: 'latent-class', classes: 10, columns: columns.map((c) => c.name), prior: 0 });
  let t0 = performance.now();
  const { family, data } = prepareBayesNet(model, dataset(columns));
  const prepareSeconds = seconds(t0);
  t0 = performance.now();
  const { result } = await runEM(family, data, { maxIterations: 10, tolerance: -Infinity, restarts: 1, seed: 1 });
  const emSeconds = seconds(t0);
  assert.equal(result.iterations, 10);
  const lines = [
    `prepare: ${prepareSeconds.toFixed(3)} s, ${data.patterns.counts.length} distinct patterns, largest clique ${data.tree.maxCliqueSize} entries`,
    `10 EM iterations: ${emSeconds.toFixed(3)} s (${(emSeconds / 10).toFixed(4)} s/iter)`,
  ];
  for (const l of lines) t.diagnostic(l);
  console.log(lines.join('\n'));
});
