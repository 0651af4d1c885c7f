// Deterministic HMM data for the pomegranate comparison, drawn with the engine's seeded Rng
// (xoshiro128**). bench/hmm/peer_data.py draws the same numbers in Python (same generator, same
// order of draws), so the peer and we fit identical data without storing it: only the true
// models, the initial parameters, a checksum and the peer's log-likelihoods are kept in
// test/fixtures/hmm/pomegranate-histories.json.
//
// Draw order per sequence: z_1 ~ start (one uniform), then per step: the emission (Gaussian:
// D standard normals, x = mu_z + L_z n; categorical: one uniform), then z_{t+1} ~ A[z_t, .]
// (one uniform). A categorical draw is the first i with u - p_0 - ... - p_i < 0.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Column, Dataset } from '../../src/data/dataset';
import { Rng } from '../../src/engine/rng';

export interface GaussianTruth {
  readonly start: number[];
  readonly transitions: number[][];
  readonly means: number[][];
  /** Lower Cholesky factors of the covariances. */
  readonly choleskyFactors: number[][][];
}

export interface CategoricalTruth {
  readonly start: number[];
  readonly transitions: number[][];
  readonly symbols: string[];
  readonly probabilities: number[][];
}

export interface PeerCase {
  readonly name: string;
  readonly emission: 'gaussian' | 'categorical';
  readonly sequences: number;
  readonly length: number;
  readonly seed: number;
  /** pomegranate's transition_pseudocount = emission_pseudocount; our model's "prior". */
  readonly pseudocount: number;
  /** Sum of every generated value (Gaussian) or of the symbol indices (categorical): both sides must agree. */
  readonly checksum: number;
  /** pomegranate's log-likelihood at the initial parameters, then after each iteration. */
  readonly history: number[];
}

export interface PeerFixture {
  readonly pomegranate: string;
  readonly iterations: number;
  readonly gaussian: { readonly truth: GaussianTruth; readonly init: unknown };
  readonly categorical: { readonly truth: CategoricalTruth; readonly init: unknown };
  readonly cases: PeerCase[];
}

export function loadPeerFixture(root: string): PeerFixture {
  return JSON.parse(readFileSync(join(root, 'test/fixtures/hmm/pomegranate-histories.json'), 'utf8')) as PeerFixture;
}

function draw(rng: Rng, p: readonly number[]): number {
  let u = rng.next();
  for (let i = 0; i < p.length; i++) {
    u -= p[i];
    if (u < 0) return i;
  }
  return p.length - 1;
}

export interface GeneratedData {
  readonly dataset: Dataset;
  readonly checksum: number;
}

/** `sequences` sequences of `length` steps from the truth, as a dataset with columns seq, x1..xD (or obs). */
export function generatePeerData(fixture: PeerFixture, c: Pick<PeerCase, 'emission' | 'sequences' | 'length' | 'seed'>): GeneratedData {
  const rng = new Rng(c.seed);
  const N = c.sequences * c.length;
  const ids = new Float64Array(N);
  let checksum = 0;
  const columns: Column[] = [];
  if (c.emission === 'gaussian') {
    const truth = fixture.gaussian.truth;
    const D = truth.means[0].length;
    const xs = Array.from({ length: D }, () => new Float64Array(N));
    const n = new Float64Array(D);
    let i = 0;
    for (let s = 0; s < c.sequences; s++) {
      let z = draw(rng, truth.start);
      for (let t = 0; t < c.length; t++, i++) {
        ids[i] = s + 1;
        for (let a = 0; a < D; a++) n[a] = rng.normal();
        const L = truth.choleskyFactors[z];
        for (let a = 0; a < D; a++) {
          let v = truth.means[z][a];
          for (let b = 0; b <= a; b++) v += L[a][b] * n[b];
          xs[a][i] = v;
          checksum += v;
        }
        z = draw(rng, truth.transitions[z]);
      }
    }
    columns.push({ kind: 'numeric', name: 'seq', values: ids }, ...xs.map((values, a) => ({ kind: 'numeric' as const, name: `x${a + 1}`, values })));
  } else {
    const truth = fixture.categorical.truth;
    const codes = new Int32Array(N);
    let i = 0;
    for (let s = 0; s < c.sequences; s++) {
      let z = draw(rng, truth.start);
      for (let t = 0; t < c.length; t++, i++) {
        ids[i] = s + 1;
        codes[i] = draw(rng, truth.probabilities[z]);
        checksum += codes[i];
        z = draw(rng, truth.transitions[z]);
      }
    }
    columns.push({ kind: 'numeric', name: 'seq', values: ids }, { kind: 'categorical', name: 'obs', levels: truth.symbols, codes });
  }
  const dataset: Dataset = {
    file: `generated-${c.emission}-${c.sequences}x${c.length}.csv`,
    header: columns.map((col) => col.name),
    columns,
    rowCount: N,
    lines: Int32Array.from({ length: N }, (_, r) => r + 2),
  };
  return { dataset, checksum };
}
