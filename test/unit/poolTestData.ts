// Model files and CSV datasets for the parallel E-step tests, written to a temporary folder and
// fitted through runFitJob as the CLI and the extension fit them. Each is just large enough for
// the pool to be used (shardPlan.ts MIN_POOLED_WORK) and small enough to fit in about a second.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/engine/rng';

/** A temporary folder for one test file's data; remove() deletes it. */
export function scratchFolder(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'emw-pool-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function write(dir: string, name: string, csv: string, model: object): string {
  writeFileSync(join(dir, `${name}.csv`), csv);
  const modelPath = join(dir, `${name}.em.json`);
  writeFileSync(modelPath, JSON.stringify({ name, data: { path: `${name}.csv` }, ...model }, null, 1));
  return modelPath;
}

/**
 * Gaussian mixture: `rows` rows of 3 columns from 3 well-separated clusters, about 2% of cells
 * blank (so that shards hold incomplete rows of several missingness patterns too).
 */
export function gaussianMixtureCase(dir: string, rows = 12_000, fit: object = { maxIterations: 8, tolerance: 0, seed: 1, init: 'random' }): string {
  const rng = new Rng(11);
  const lines = ['x,y,z'];
  for (let i = 0; i < rows; i++) {
    const c = rng.int(3);
    const cells: string[] = [rng.normal() + 4 * c, rng.normal() * 0.7 - 2 * c, rng.normal() * 0.5 + c + 0.3 * rng.normal()].map((v) => (rng.next() < 0.02 ? '' : v.toFixed(6)));
    if (!cells.some((v) => v !== '')) cells[0] = '0';
    lines.push(cells.join(','));
  }
  return write(dir, 'mixture', lines.join('\n') + '\n', { model: { kind: 'gaussian-mixture', components: 3, covariance: 'full' }, fit });
}

/**
 * Latent class: 20,000 rows of 8 four-level columns from 3 classes, about 3% of cells missing:
 * about 15,000 distinct patterns, enough work for the pool (6 columns give too few patterns
 * since the latent-class E-step needs no junction tree).
 */
export function latentClassCase(dir: string, fit: object = { maxIterations: 8, tolerance: 0, seed: 2 }): string {
  const rng = new Rng(12);
  const levels = ['a', 'b', 'c', 'd'];
  const columns = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
  const profiles = Array.from({ length: 3 }, () => Array.from({ length: columns.length }, () => rng.dirichlet(4, 0.7)));
  const lines = [columns.join(',')];
  for (let i = 0; i < 20_000; i++) {
    const k = rng.int(3);
    const cells = profiles[k].map((p) => {
      if (rng.next() < 0.03) return '';
      let u = rng.next();
      let s = 0;
      while (s < 3 && u > p[s]) u -= p[s++];
      return levels[s];
    });
    lines.push(cells.join(','));
  }
  return write(dir, 'classes', lines.join('\n') + '\n', {
    data: { path: 'classes.csv', missing: [''] },
    model: { kind: 'latent-class', classes: 3, columns },
    fit,
  });
}

/**
 * Latent class of issue 7's shape, small: 5,000 rows of 6 columns of 2, 3, 4, 2, 3, 4 levels from
 * 3 classes (at most 576 distinct patterns): far below the work that pays for threads.
 */
export function smallLatentClassCase(dir: string, fit: object = { maxIterations: 8, tolerance: 0, seed: 4 }): string {
  const rng = new Rng(14);
  const levels = [2, 3, 4, 2, 3, 4];
  const columns = levels.map((_, j) => `c${j + 1}`);
  const profiles = Array.from({ length: 3 }, () => levels.map((l) => rng.dirichlet(l, 1)));
  const lines = [columns.join(',')];
  for (let i = 0; i < 5_000; i++) {
    const k = rng.int(3);
    const cells = levels.map((l, j) => {
      let u = rng.next();
      let s = 0;
      while (s < l - 1 && u > profiles[k][j][s]) u -= profiles[k][j][s++];
      return `v${s}`;
    });
    lines.push(cells.join(','));
  }
  return write(dir, 'small-classes', lines.join('\n') + '\n', { model: { kind: 'latent-class', classes: 3, columns }, fit });
}

/** Gaussian HMM: 120 sequences of 40 to 260 steps (about 18,000 in all) from a 3-state chain. */
export function hmmCase(dir: string, fit: object = { maxIterations: 8, tolerance: 0, seed: 3 }): string {
  const rng = new Rng(13);
  const means = [-3, 0, 3];
  const lines = ['seq,value'];
  for (let s = 0; s < 120; s++) {
    const length = 40 + rng.int(221);
    let state = rng.int(3);
    for (let t = 0; t < length; t++) {
      if (rng.next() < 0.1) state = rng.int(3);
      lines.push(`s${s},${(means[state] + rng.normal()).toFixed(6)}`);
    }
  }
  return write(dir, 'chain', lines.join('\n') + '\n', {
    data: { path: 'chain.csv', sequence: 'seq', columns: ['value'] },
    model: { kind: 'hmm', states: 3, emission: 'gaussian', covariance: 'diag' },
    fit,
  });
}

/**
 * Categorical HMM whose explicit start gives symbol "z" probability 0 in every state, and
 * only the last of its 100 sequences holds a "z": the E-step of the shard holding it fails
 * with an input error (the sequence has probability 0), and no other shard does.
 */
export function impossibleLastSequenceCase(dir: string): string {
  const rng = new Rng(14);
  const lines = ['seq,symbol'];
  for (let s = 0; s < 100; s++) {
    for (let t = 0; t < 150; t++) lines.push(`s${s},${s === 99 && t === 75 ? 'z' : ['x', 'y'][rng.int(2)]}`);
  }
  return write(dir, 'impossible', lines.join('\n') + '\n', {
    data: { path: 'impossible.csv', sequence: 'seq', columns: ['symbol'] },
    model: { kind: 'hmm', states: 2, emission: 'categorical' },
    init: {
      startProbabilities: [0.5, 0.5],
      transitions: [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
      emission: {
        symbols: ['x', 'y', 'z'],
        probabilities: [
          [0.6, 0.4, 0],
          [0.3, 0.7, 0],
        ],
      },
    },
    fit: { maxIterations: 5, tolerance: 0, seed: 1 },
  });
}
