// Shared by the gmm*.test.ts files: plain Dataset and ModelFile objects (the CSV reader and the
// model-file parser are separate parts), the peer fixtures of bench/gmm/make-peer-fixtures.py,
// and seeded synthetic mixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, NumericColumn } from '../../src/data/dataset';
import type { CovarianceType, FitSpec, ModelFile } from '../../src/shared/modelSpec';
import { DEFAULT_FIT, DEFAULT_MISSING_TOKENS } from '../../src/shared/modelSpec';
import { Rng } from '../../src/engine/rng';

export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'gmm');

/** A dataset of numeric columns (NaN = missing), as the CSV reader would give it. */
export function numericDataset(names: readonly string[], columns: readonly Float64Array[], weights?: Float64Array, file = 'data.csv'): Dataset {
  const rowCount = columns[0]?.length ?? 0;
  const cols: NumericColumn[] = names.map((name, j) => ({ kind: 'numeric', name, values: columns[j] }));
  return { file, header: names.slice(), columns: cols, rowCount, ...(weights ? { weights } : {}), lines: Int32Array.from({ length: rowCount }, (_, i) => i + 2) };
}

/** A dataset from row-major numbers. */
export function datasetFromRows(names: readonly string[], rows: readonly (readonly number[])[], weights?: Float64Array): Dataset {
  return numericDataset(names, names.map((_, j) => Float64Array.from(rows, (r) => r[j])), weights);
}

/** A numbers-only CSV with a header row (the fixtures' format). */
export function readNumericCsv(path: string): Dataset {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const names = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map((v) => (v === '' ? NaN : Number(v))));
  return { ...datasetFromRows(names, rows), file: path };
}

export function gmmModel(components: number, covariance: CovarianceType, fit: Partial<FitSpec> = {}, init?: unknown): ModelFile {
  return {
    file: '/work/model.em.json',
    name: 'test',
    data: { path: '/work/data.csv', missing: DEFAULT_MISSING_TOKENS },
    model: { kind: 'gaussian-mixture', components, covariance },
    ...(init !== undefined ? { init } : {}),
    fit: { ...DEFAULT_FIT, ...(init !== undefined ? { init: 'given' as const } : {}), ...fit },
  };
}

export interface PeerCase {
  readonly init: { weights: number[]; means: number[][]; covariances: unknown };
  readonly history: number[];
  readonly final: { weights: number[]; means: number[][]; covariances: unknown };
  readonly best: { sklearnNInit10: number; mclust: number | null; mclustModel: string; oursRegularization0?: number };
}

export interface PeerFixture {
  readonly dataset: string;
  readonly csv: string;
  readonly columns: string[];
  readonly components: number;
  readonly regularization: number;
  readonly iterations: number;
  readonly covariance: Record<CovarianceType, PeerCase>;
}

export const PEER_DATASETS = ['iris', 'wine', 'breast_cancer', 'faithful'] as const;

export function loadPeer(name: string): { fixture: PeerFixture; dataset: Dataset } {
  const fixture = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as PeerFixture;
  return { fixture, dataset: readNumericCsv(join(FIXTURES, fixture.csv)) };
}

export interface Synthetic {
  readonly dataset: Dataset;
  /** K */
  readonly weights: number[];
  /** K x D */
  readonly means: number[][];
  /** K x D x D */
  readonly covariances: number[][][];
  /** N: the generating component of each row. */
  readonly labels: Int32Array;
}

/** N rows from a K-component full-covariance mixture (covariance = A A^T with the given A per component). */
export function sampleMixture(n: number, weights: number[], means: number[][], factors: number[][][], seed: number): Synthetic {
  const rng = new Rng(seed);
  const d = means[0].length;
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  const labels = new Int32Array(n);
  const e = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let u = rng.next();
    let c = 0;
    while (c < weights.length - 1 && u >= weights[c]) u -= weights[c++];
    labels[i] = c;
    for (let j = 0; j < d; j++) e[j] = rng.normal();
    for (let j = 0; j < d; j++) {
      let v = means[c][j];
      for (let q = 0; q < d; q++) v += factors[c][j][q] * e[q];
      cols[j][i] = v;
    }
  }
  // S = A A^T: S[r][c] = sum_q A[r][q] A[c][q]
  const covariances = factors.map((a) => a.map((ra) => a.map((rb) => ra.reduce((s, v, q) => s + v * rb[q], 0))));
  return { dataset: numericDataset(Array.from({ length: d }, (_, j) => `x${j + 1}`), cols), weights, means, covariances, labels };
}

/** Blank each cell with probability `rate` (missing completely at random), in place; returns the count. */
export function blankCells(ds: Dataset, rate: number, seed: number): number {
  const rng = new Rng(seed);
  let blanked = 0;
  for (let i = 0; i < ds.rowCount; i++) {
    for (const col of ds.columns) {
      if (col.kind === 'numeric' && rng.next() < rate) {
        col.values[i] = NaN;
        blanked++;
      }
    }
  }
  return blanked;
}
