/**
 * The benchmark's input files, generated with fixed seeds under bench/data/ (git-ignored) and
 * reused while they exist: every tool reads the same bytes. Each is written to `*.partial` and
 * renamed when complete, so an interrupted run never leaves a short file to be reused.
 *
 * - Gaussian mixture: `gmm-<N>x<D>-k<K>-seed<S>.csv`, drawn exactly as bench/gmm/bench-gmm.ts
 *   draws its file (same name, same bytes for D = 8, K = 8, seed 42: either program reuses the
 *   other's file), and the shared start `...-init-<type>.json` as bench-gmm.ts computes it.
 * - Gaussian mixture with missing cells: the same draw with a separate seeded mask that blanks
 *   each cell with probability `missingFraction` (a row may lose every cell).
 * - Latent class: 6 categorical columns of 2-4 levels (`a`, `b`, ...) from K = 3 hidden classes.
 * - HMM: the sequences of bench/hmm/peerData.ts (the pomegranate fixture's cases), as CSV with
 *   columns seq, x1, x2 and numbers written with String(v) (they read back to the same doubles,
 *   so the peer that draws them itself from the same seed fits identical data).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Rng } from '../../src/engine/rng';
import { generatePeerData, loadPeerFixture } from '../hmm/peerData';

/** Writes `pieces` to `path` unless a non-empty file is already there; returns the path. */
export function writeOnce(path: string, pieces: () => Iterable<string>): string {
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    for (const piece of pieces()) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}

/** Joins CSV lines into pieces of about 1 MB (one write call each). */
function* batched(header: string, lines: Iterable<string>): Generator<string> {
  let piece = header + '\n';
  for (const line of lines) {
    piece += line + '\n';
    if (piece.length > 1 << 20) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

export interface GmmDataSpec {
  readonly rows: number;
  readonly dimensions: number;
  readonly components: number;
  readonly seed: number;
  /** Probability that a cell is blank (0: complete data). */
  readonly missingFraction: number;
}

export function gmmDataPath(dataDir: string, s: GmmDataSpec): string {
  const missing = s.missingFraction > 0 ? `-missing${Math.round(s.missingFraction * 100)}` : '';
  return join(dataDir, `gmm-${s.rows}x${s.dimensions}-k${s.components}-seed${s.seed}${missing}.csv`);
}

/**
 * Rows of a mixture of K Gaussians with means in [-5, 5)^D and covariances A A^T, A lower
 * triangular with entries 0.4 N(0,1) below the diagonal and [0.4, 1.0) on it; equal weights.
 * The draw order is bench-gmm.ts's: K means, K factors (row by row), then per row the component
 * and D normals. The mask (its own Rng, seed + 1000) draws one uniform per cell after the values.
 */
function* gmmLines(s: GmmDataSpec): Generator<string> {
  const D = s.dimensions;
  const K = s.components;
  const rng = new Rng(s.seed);
  const mask = new Rng(s.seed + 1000);
  const means = Array.from({ length: K }, () => Array.from({ length: D }, () => 10 * rng.next() - 5));
  const factors = Array.from({ length: K }, () => Array.from({ length: D }, (_, r) => Array.from({ length: D }, (_, c) => (c < r ? 0.4 * rng.normal() : c === r ? 0.4 + 0.6 * rng.next() : 0))));
  const e = new Float64Array(D); // standard normals of one row
  const cells = new Array<string>(D);
  for (let i = 0; i < s.rows; i++) {
    const k = rng.int(K);
    for (let j = 0; j < D; j++) e[j] = rng.normal();
    for (let r = 0; r < D; r++) {
      let v = means[k][r];
      for (let c = 0; c <= r; c++) v += factors[k][r][c] * e[c];
      cells[r] = v.toFixed(6);
    }
    if (s.missingFraction > 0) for (let r = 0; r < D; r++) if (mask.next() < s.missingFraction) cells[r] = '';
    yield cells.join(',');
  }
}

export function ensureGmmData(dataDir: string, s: GmmDataSpec): string {
  const header = Array.from({ length: s.dimensions }, (_, j) => `x${j + 1}`).join(',');
  return writeOnce(gmmDataPath(dataDir, s), () => batched(header, gmmLines(s)));
}

export type GivenCovariance = 'diag' | 'full';

/** The shared start of a Gaussian mixture in the model file's "init" shape (DESIGN.md). */
export interface GmmStart {
  readonly weights: number[]; // K
  readonly means: number[][]; // K x D
  readonly covariances: number[][] | number[][][]; // diag K x D | full K x D x D
}

/** Numeric columns of a CSV of numbers (blank = NaN), parsed with Number() as every reader here does. */
function readNumericColumns(path: string, rows: number): Float64Array[] {
  const text = readFileSync(path, 'latin1');
  const firstNewline = text.indexOf('\n');
  const width = text.slice(0, firstNewline).split(',').length;
  const columns = Array.from({ length: width }, () => new Float64Array(rows));
  let pos = firstNewline + 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < width; j++) {
      const end = j === width - 1 ? text.indexOf('\n', pos) : text.indexOf(',', pos);
      columns[j][i] = end === pos ? NaN : Number(text.slice(pos, end));
      pos = end + 1;
    }
  }
  return columns;
}

/**
 * The start every tool is given (bench-gmm.ts's recipe): K data rows (drawn with Rng(seed + 1))
 * as means, the data's biased covariance (full) or its diagonal (diag) for every component,
 * equal weights. With missing cells: a mean's blank cell is the column's observed mean, and the
 * covariance is the diagonal of the observed variances (positive definite whatever is missing).
 */
export function gmmStart(columns: readonly Float64Array[], components: number, seed: number, type: GivenCovariance): GmmStart {
  const D = columns.length;
  const n = columns[0].length;
  const anyMissing = columns.some((v) => v.some((x) => Number.isNaN(x)));
  const rng = new Rng(seed + 1);
  let cov: number[][]; // D x D
  let mean: number[]; // D
  if (!anyMissing) {
    // bench-gmm.ts's arithmetic, in its order, so that its init file and ours are the same bytes
    mean = columns.map((v) => v.reduce((s, x) => s + x, 0) / n);
    cov = Array.from({ length: D }, (_, a) =>
      Array.from({ length: D }, (_, b) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += (columns[a][i] - mean[a]) * (columns[b][i] - mean[b]);
        return s / n;
      }),
    );
  } else {
    mean = columns.map((v) => {
      let s = 0;
      let m = 0;
      for (const x of v) {
        if (Number.isNaN(x)) continue;
        s += x;
        m++;
      }
      return s / m;
    });
    const variance = columns.map((v, a) => {
      let s = 0;
      let m = 0;
      for (const x of v) {
        if (Number.isNaN(x)) continue;
        s += (x - mean[a]) ** 2;
        m++;
      }
      return s / m;
    });
    cov = Array.from({ length: D }, (_, a) => Array.from({ length: D }, (_, b) => (a === b ? variance[a] : 0)));
  }
  const means = Array.from({ length: components }, () => {
    const i = rng.int(n);
    return columns.map((v, j) => (Number.isNaN(v[i]) ? mean[j] : v[i]));
  });
  const diag = cov.map((row, j) => row[j]);
  return { weights: new Array<number>(components).fill(1 / components), means, covariances: type === 'full' ? means.map(() => cov) : means.map(() => diag) };
}

/** Writes (once) `<data>-init-<type>.json` beside the data file; returns its path and contents. */
export function ensureGmmStart(csv: string, s: GmmDataSpec, type: GivenCovariance): { path: string; start: GmmStart } {
  const path = csv.replace(/\.csv$/, `-init-${type}.json`);
  if (existsSync(path) && statSync(path).size > 0) return { path, start: JSON.parse(readFileSync(path, 'utf8')) as GmmStart };
  const start = gmmStart(readNumericColumns(csv, s.rows), s.components, s.seed, type);
  writeFileSync(path, JSON.stringify(start));
  return { path, start };
}

export interface LatentClassSpec {
  readonly rows: number;
  /** Levels of each categorical column. */
  readonly levels: readonly number[];
  readonly classes: number;
  readonly seed: number;
}

const LEVEL_NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];

export function latentClassPath(dataDir: string, s: LatentClassSpec): string {
  return join(dataDir, `lc-${s.rows}x${s.levels.length}-k${s.classes}-seed${s.seed}.csv`);
}

/** Column names c1..cJ of the latent-class data. */
export function latentClassColumns(s: LatentClassSpec): string[] {
  return s.levels.map((_, j) => `c${j + 1}`);
}

/** Rows: class k from weights (0.5, 0.3, 0.2, ... renormalized), column j from a Dirichlet(1) profile per class. */
function* latentClassLines(s: LatentClassSpec): Generator<string> {
  const rng = new Rng(s.seed);
  const raw = Array.from({ length: s.classes }, (_, k) => 1 / (k + 2));
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const profiles = Array.from({ length: s.classes }, () => s.levels.map((m) => rng.dirichlet(m, 1)));
  const cells = new Array<string>(s.levels.length);
  for (let i = 0; i < s.rows; i++) {
    const k = pick(rng, weights);
    for (let j = 0; j < s.levels.length; j++) cells[j] = LEVEL_NAMES[pick(rng, profiles[k][j])];
    yield cells.join(',');
  }
}

/** The first i with u - p_0 - ... - p_i < 0 (the last on rounding). */
function pick(rng: Rng, p: ArrayLike<number>): number {
  let u = rng.next();
  for (let i = 0; i < p.length; i++) {
    u -= p[i];
    if (u < 0) return i;
  }
  return p.length - 1;
}

export function ensureLatentClassData(dataDir: string, s: LatentClassSpec): string {
  return writeOnce(latentClassPath(dataDir, s), () => batched(latentClassColumns(s).join(','), latentClassLines(s)));
}

/** The shared latent-class start: equal class weights, CPT rows from Dirichlet(5) with Rng(seed + 1). */
export interface LatentClassStart {
  readonly classWeights: number[]; // K
  /** Per column, per class, the probability of each level (levels `a`, `b`, ... in order). */
  readonly profiles: number[][][]; // J x K x levels[j]
}

export function latentClassStart(s: LatentClassSpec): LatentClassStart {
  const rng = new Rng(s.seed + 1);
  return {
    classWeights: new Array<number>(s.classes).fill(1 / s.classes),
    profiles: s.levels.map((m) => Array.from({ length: s.classes }, () => Array.from(rng.dirichlet(m, 5)))),
  };
}

/** The model file's "init" for latent-class (hidden variable `class` with states "1".."K"). */
export function latentClassInit(s: LatentClassSpec, start: LatentClassStart): Record<string, unknown> {
  const init: Record<string, unknown> = { class: start.classWeights };
  latentClassColumns(s).forEach((name, j) => {
    init[name] = Object.fromEntries(start.profiles[j].map((row, k) => [`class=${k + 1}`, row]));
  });
  return init;
}

/** Writes (once) the start as JSON for the peers; returns its path. */
export function ensureLatentClassStart(csv: string, s: LatentClassSpec): { path: string; start: LatentClassStart } {
  const path = csv.replace(/\.csv$/, '-init.json');
  const start = latentClassStart(s);
  if (!(existsSync(path) && statSync(path).size > 0)) writeFileSync(path, JSON.stringify({ ...start, levels: s.levels.map((m) => LEVEL_NAMES.slice(0, m)) }));
  return { path, start };
}

/** One HMM case of the pomegranate fixture (test/fixtures/hmm/pomegranate-histories.json), as CSV. */
export function ensureHmmData(root: string, dataDir: string, caseName: string): { path: string; init: unknown; sequences: number; length: number } {
  const fixture = loadPeerFixture(root);
  const c = fixture.cases.find((x) => x.name === caseName);
  if (c === undefined) throw new Error(`no HMM case ${caseName} in the pomegranate fixture`);
  const path = join(dataDir, `hmm-${c.name}-seed${c.seed}.csv`);
  writeOnce(path, () => {
    const { dataset } = generatePeerData(fixture, c);
    const columns = dataset.columns.map((col) => (col.kind === 'numeric' ? col.values : Float64Array.from(col.codes)));
    const lines = function* (): Generator<string> {
      for (let i = 0; i < dataset.rowCount; i++) yield columns.map((v) => String(v[i])).join(',');
    };
    return batched(dataset.header.join(','), lines());
  });
  return { path, init: c.emission === 'gaussian' ? fixture.gaussian.init : fixture.categorical.init, sequences: c.sequences, length: c.length };
}
