// The HMM E-step and decoding against enumeration over every state path: on small HMMs
// (K = 2..3, T <= 7, several interleaved sequences, missing steps) the log-likelihood,
// the per-step posteriors, the expected counts and the Viterbi path must equal what
// summing / maximizing p(z, x) over all K^T paths gives, to 1e-10.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/engine/rng';
import { prepareHmm } from '../../src/engine/hmm/prepareHmm';
import type { HmmData } from '../../src/engine/hmm/hmmData';
import type { HmmParameters, HmmStats } from '../../src/engine/hmm/hmmParameters';
import { categorical, dataset, hmmModelFile, numeric } from './hmmTestData';

const TOL = 1e-10;

function close(actual: number, expected: number, what: string, tol = TOL): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

// ---- independent reference arithmetic (no code shared with the engine) ----

/** Inverse and log|det| of a small matrix by Gauss-Jordan elimination with partial pivoting. */
function naiveInverse(m: number[][]): { inverse: number[][]; logDet: number } {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const pivot = a[c][c];
    logDet += Math.log(Math.abs(pivot));
    for (let j = 0; j < 2 * n; j++) a[c][j] /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return { inverse: a.map((row) => row.slice(n)), logDet };
}

function gaussianLogDensity(x: number[], mu: number[], cov: number[][]): number {
  const { inverse, logDet } = naiveInverse(cov);
  const d = x.map((v, i) => v - mu[i]);
  let q = 0;
  for (let i = 0; i < d.length; i++) for (let j = 0; j < d.length; j++) q += d[i] * inverse[i][j] * d[j];
  return -0.5 * (d.length * Math.log(2 * Math.PI) + logDet + q);
}

function sub(m: number[][], rows: number[], cols: number[]): number[][] {
  return rows.map((r) => cols.map((c) => m[r][c]));
}

interface Enumeration {
  readonly logZ: number;
  /** paths[p] = state sequence p, logJoint[p] = log p(z = paths[p], x). */
  readonly paths: number[][];
  readonly logJoint: number[];
}

/** Every one of the K^T paths with its log p(z, x); logE[t][k] = log b_k(x_t) (0 for a missing step). */
function enumeratePaths(K: number, logE: number[][], start: ArrayLike<number>, A: ArrayLike<number>): Enumeration {
  const T = logE.length;
  const paths: number[][] = [];
  const logJoint: number[] = [];
  const total = K ** T;
  for (let code = 0; code < total; code++) {
    const z: number[] = [];
    let c = code;
    for (let t = 0; t < T; t++) {
      z.push(c % K);
      c = Math.floor(c / K);
    }
    let lp = Math.log(start[z[0]]) + logE[0][z[0]];
    for (let t = 1; t < T; t++) lp += Math.log(A[z[t - 1] * K + z[t]]) + logE[t][z[t]];
    paths.push(z);
    logJoint.push(lp);
  }
  const max = Math.max(...logJoint);
  const logZ = max + Math.log(logJoint.reduce((s, v) => s + Math.exp(v - max), 0));
  return { logZ, paths, logJoint };
}

// ---- comparing the engine with the enumeration ----

interface Reference {
  logLikelihood: number;
  /** per data row: P(z = k | x) */
  posterior: number[][];
  /** per data row: the state on the argmax path, and whether that path is unique (gap > 1e-9) */
  viterbi: number[];
  viterbiUnique: boolean[];
  start: number[];
  transitions: number[];
}

/**
 * Enumerate every sequence of the prepared data. `emission(row, k)` gives log b_k of data row
 * `row`; `visit(row, k, weight)` is called for every (row, state) with the posterior weight of
 * every path through it, for emission statistics.
 */
function reference(data: HmmData, params: HmmParameters, emission: (row: number, k: number) => number, visit?: (row: number, k: number, w: number) => void): Reference {
  const K = params.states;
  const seq = data.sequences;
  const N = data.rowCount;
  const ref: Reference = {
    logLikelihood: 0,
    posterior: Array.from({ length: N }, () => new Array(K).fill(0)),
    viterbi: new Array(N).fill(-1),
    viterbiUnique: new Array(N).fill(false),
    start: new Array(K).fill(0),
    transitions: new Array(K * K).fill(0),
  };
  for (let s = 0; s < seq.count; s++) {
    const rows = Array.from(seq.rowOfStep.subarray(seq.offsets[s], seq.offsets[s + 1]));
    const logE = rows.map((row) => Array.from({ length: K }, (_, k) => emission(row, k)));
    const en = enumeratePaths(K, logE, params.start, params.transitions);
    ref.logLikelihood += en.logZ;
    let best = 0;
    let second = -Infinity;
    en.logJoint.forEach((lp, p) => {
      if (lp > en.logJoint[best]) {
        second = en.logJoint[best];
        best = p;
      } else if (p !== best && lp > second) second = lp;
      const w = Math.exp(lp - en.logZ);
      const z = en.paths[p];
      ref.start[z[0]] += w;
      for (let t = 0; t < rows.length; t++) {
        ref.posterior[rows[t]][z[t]] += w;
        if (t > 0) ref.transitions[z[t - 1] * K + z[t]] += w;
        visit?.(rows[t], z[t], w);
      }
    });
    rows.forEach((row, t) => {
      ref.viterbi[row] = en.paths[best][t];
      ref.viterbiUnique[row] = en.logJoint[best] - second > 1e-9;
    });
  }
  return ref;
}

function checkAgainstReference(prepared: ReturnType<typeof prepareHmm>, params: HmmParameters, ref: Reference): HmmStats {
  const { family, data } = prepared;
  const K = params.states;
  const out = family.eStep(data, params);
  close(out.logLikelihood, ref.logLikelihood, 'log-likelihood');
  // the same statistics from two shards of sequences, merged
  if (data.sequences.count > 1) {
    const cut = Math.floor(data.sequences.count / 2);
    const a = family.eStep(data, params, { start: 0, end: cut });
    const b = family.eStep(data, params, { start: cut, end: data.sequences.count });
    close(a.logLikelihood + b.logLikelihood, ref.logLikelihood, 'sharded log-likelihood');
    const merged = family.merge(a.stats, b.stats);
    merged.transitions.forEach((v, i) => close(v, out.stats.transitions[i], `merged transitions[${i}]`));
  }
  ref.start.forEach((v, k) => close(out.stats.start[k], v, `expected start count ${k}`));
  ref.transitions.forEach((v, i) => close(out.stats.transitions[i], v, `expected transition count ${i}`));

  const table = family.posteriors(data, params);
  assert.deepEqual(table.columns, ['sequence', 't', ...Array.from({ length: K }, (_, k) => `P(state=${k + 1})`), 'viterbi', 'label']);
  assert.equal(table.rowCount, data.rowCount);
  let uniqueRows = 0;
  for (let row = 0; row < data.rowCount; row++) {
    const cells = table.row(row);
    for (let k = 0; k < K; k++) close(cells[2 + k] as number, ref.posterior[row][k], `P(state=${k + 1}) of row ${row + 1}`);
    if (ref.viterbiUnique[row]) {
      uniqueRows++;
      assert.equal(cells[2 + K], ref.viterbi[row] + 1, `Viterbi state of row ${row + 1}`);
    }
    const label = ref.posterior[row].indexOf(Math.max(...ref.posterior[row])) + 1;
    assert.equal(cells[3 + K], label, `label of row ${row + 1}`);
  }
  assert.ok(uniqueRows === data.rowCount, 'the test data should have a unique Viterbi path');
  return out.stats;
}

function randomRow(rng: Rng, n: number): number[] {
  return Array.from(rng.dirichlet(n, 2));
}

function randomChain(rng: Rng, K: number): Pick<HmmParameters, 'states' | 'start' | 'transitions'> {
  const start = Float64Array.from(randomRow(rng, K));
  const transitions = Float64Array.from(Array.from({ length: K }, () => randomRow(rng, K)).flat());
  return { states: K, start, transitions };
}

test('categorical HMM: log-likelihood, posteriors, counts and Viterbi equal enumeration (interleaved sequences, a missing step)', () => {
  // three sequences whose rows interleave in the file; row 6 has no observation
  const seqIds = ['b', 'a', 'b', 'c', 'a', 'b', 'a', 'c', 'b', 'a', 'a', 'b', 'c', 'b', 'a', 'a'];
  const symbols: (string | undefined)[] = ['x', 'y', 'z', 'w', 'x', undefined, 'z', 'z', 'y', 'w', 'x', 'x', 'y', 'w', 'z', 'y'];
  const ds = dataset([categorical('seq', seqIds), categorical('obs', symbols)]);
  const model = hmmModelFile({ states: 3, emission: 'categorical', sequence: 'seq' });
  const prepared = prepareHmm(model, ds);
  const data = prepared.data;
  assert.deepEqual(data.sequences.ids, ['b', 'a', 'c']); // first-appearance order
  assert.deepEqual(Array.from(data.sequences.offsets), [0, 6, 13, 16]);
  const obs = data.observations;
  assert.equal(obs.kind, 'categorical');
  if (obs.kind !== 'categorical') return;
  const M = obs.symbols.length;
  assert.deepEqual(obs.symbols, ['w', 'x', 'y', 'z']);

  const rng = new Rng(7);
  const K = 3;
  const params: HmmParameters = {
    ...randomChain(rng, K),
    emission: { kind: 'categorical', column: 'obs', symbols: obs.symbols, probabilities: Float64Array.from(Array.from({ length: K }, () => randomRow(rng, M)).flat()) },
  };
  const counts = new Array(K * M).fill(0);
  const col = ds.columns[1];
  if (col.kind !== 'categorical') return;
  const symbolOf = (row: number): number => (col.codes[row] < 0 ? -1 : obs.symbols.indexOf(col.levels[col.codes[row]]));
  const ref = reference(
    data,
    params,
    (row, k) => (symbolOf(row) < 0 ? 0 : Math.log(params.emission.kind === 'categorical' ? params.emission.probabilities[k * M + symbolOf(row)] : NaN)),
    (row, k, w) => {
      if (symbolOf(row) >= 0) counts[k * M + symbolOf(row)] += w;
    },
  );
  const stats = checkAgainstReference(prepared, params, ref);
  assert.equal(stats.emission.kind, 'categorical');
  if (stats.emission.kind === 'categorical') {
    const c = stats.emission.counts;
    counts.forEach((v, i) => close(c[i], v, `expected emission count ${i}`));
  }
  // sequence and t columns: row 4 (0-based 3) is the first row of sequence "c"
  const row3 = prepared.family.posteriors(data, params).row(3);
  assert.equal(row3[0], 'c');
  assert.equal(row3[1], 1);
  const row15 = prepared.family.posteriors(data, params).row(15);
  assert.equal(row15[0], 'a');
  assert.equal(row15[1], 7);
});

function randomSpd(rng: Rng, D: number): number[][] {
  const L = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (j < i ? rng.normal() * 0.6 : j === i ? 0.5 + rng.next() : 0)));
  return Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => L[i].reduce((s, _v, k) => s + L[i][k] * L[j][k], 0) + (i === j ? 0.2 : 0)));
}

function gaussianCase(K: number, D: number, seqIds: number[], seed: number, missing: (row: number, a: number) => boolean): void {
  const rng = new Rng(seed);
  const N = seqIds.length;
  const cols = Array.from({ length: D }, (_, a) => Array.from({ length: N }, (_, i) => (missing(i, a) ? NaN : 2 * rng.normal() + a)));
  const names = cols.map((_, a) => `x${a + 1}`);
  const ds = dataset([numeric('id', seqIds), ...cols.map((v, a) => numeric(names[a], v))]);
  const prepared = prepareHmm(hmmModelFile({ states: K, emission: 'gaussian', sequence: 'id' }), ds);
  const data = prepared.data;
  const obs = data.observations;
  if (obs.kind !== 'gaussian') throw new Error('expected gaussian observations');
  const means = Array.from({ length: K }, () => Array.from({ length: D }, () => 1.5 * rng.normal()));
  const covs = Array.from({ length: K }, () => randomSpd(rng, D));
  const params: HmmParameters = {
    ...randomChain(rng, K),
    emission: { kind: 'gaussian', columns: names, dim: D, covariance: 'full', means: Float64Array.from(means.flat()), covariances: Float64Array.from(covs.flat(2)) },
  };
  const x = (row: number): number[] => cols.map((c) => c[row]);
  const observedOf = (row: number): number[] => x(row).flatMap((v, a) => (Number.isNaN(v) ? [] : [a]));
  const weight = new Array(K).fill(0);
  const sum = new Array(K * D).fill(0);
  const outer = new Array(K * D * D).fill(0);
  const ref = reference(
    data,
    params,
    (row, k) => {
      const o = observedOf(row);
      if (o.length === 0) return 0;
      return gaussianLogDensity(o.map((a) => x(row)[a]), o.map((a) => means[k][a]), sub(covs[k], o, o));
    },
    (row, k, w) => {
      const o = observedOf(row);
      if (o.length === 0) return;
      const m = Array.from({ length: D }, (_, a) => a).filter((a) => !o.includes(a));
      // E[x_m | x_o] and Cov[x_m | x_o] under state k, by the textbook formulas
      const filled = x(row).slice();
      const cond = Array.from({ length: D }, () => new Array(D).fill(0));
      if (m.length > 0) {
        const inv = naiveInverse(sub(covs[k], o, o)).inverse;
        const smo = sub(covs[k], m, o);
        const B = smo.map((r) => o.map((_, j) => r.reduce((s, v, l) => s + v * inv[l][j], 0)));
        m.forEach((a, r) => (filled[a] = means[k][a] + o.reduce((s, b, j) => s + B[r][j] * (x(row)[b] - means[k][b]), 0)));
        m.forEach((a, r) => m.forEach((b) => (cond[a][b] = covs[k][a][b] - o.reduce((s, c, j) => s + B[r][j] * covs[k][c][b], 0))));
      }
      weight[k] += w;
      for (let a = 0; a < D; a++) {
        const da = filled[a] - obs.center[a];
        sum[k * D + a] += w * da;
        for (let b = 0; b < D; b++) outer[k * D * D + a * D + b] += w * (da * (filled[b] - obs.center[b]) + cond[a][b]);
      }
    },
  );
  const stats = checkAgainstReference(prepared, params, ref);
  if (stats.emission.kind !== 'gaussian') throw new Error('expected gaussian statistics');
  const e = stats.emission;
  weight.forEach((v, k) => close(e.weight[k], v, `expected weight of state ${k}`));
  sum.forEach((v, i) => close(e.sum[i], v, `expected sum ${i}`));
  for (let k = 0; k < K; k++) for (let a = 0; a < D; a++) for (let b = a; b < D; b++) close(e.outer[k * D * D + a * D + b], outer[k * D * D + a * D + b], `expected outer product [${k}][${a}][${b}]`);
}

test('gaussian HMM, K=2, D=2: enumeration with an all-missing step and a partly missing step', () => {
  const ids = [1, 1, 2, 1, 2, 1, 3, 2, 1, 3, 3, 1, 2, 3, 1, 3];
  gaussianCase(2, 2, ids, 11, (row, a) => row === 4 || (row === 8 && a === 1));
});

test('gaussian HMM, K=3, D=3: enumeration with missing cells in several patterns', () => {
  const ids = [5, 5, 5, 9, 9, 5, 9, 5, 9, 9, 5, 9, 9];
  gaussianCase(3, 3, ids, 23, (row, a) => (row === 2 && a === 0) || (row === 6 && a !== 1) || row === 10);
});

test('gaussian HMM, one sequence (no data.sequence), K=3, D=1', () => {
  const rng = new Rng(5);
  const values = Array.from({ length: 7 }, () => 3 * rng.normal());
  values[3] = NaN;
  const ds = dataset([numeric('y', values)]);
  const prepared = prepareHmm(hmmModelFile({ states: 3, emission: 'gaussian' }), ds);
  assert.equal(prepared.data.sequences.count, 1);
  const params: HmmParameters = {
    ...randomChain(rng, 3),
    emission: { kind: 'gaussian', columns: ['y'], dim: 1, covariance: 'full', means: Float64Array.from([-2, 0, 2.5]), covariances: Float64Array.from([0.5, 2, 1]) },
  };
  const ref = reference(prepared.data, params, (row, k) => (Number.isNaN(values[row]) ? 0 : gaussianLogDensity([values[row]], [params.emission.kind === 'gaussian' ? params.emission.means[k] : 0], [[[0.5, 2, 1][k]]])));
  checkAgainstReference(prepared, params, ref);
  const table = prepared.family.posteriors(prepared.data, params);
  assert.deepEqual(table.row(6).slice(0, 2), [1, 7]);
});

test('the log-space fallback: a step only an unreachable state explains well still gives the exact likelihood', () => {
  // Every path starts in state 1 (pi_2 = 0), which is narrow at 0 and can never be left
  // (a_12 = 0); the second observation sits at 50, where state 1's density is about
  // exp(-1.25e7) while state 2 explains it well: the scaled pass's normalizer underflows to 0.
  const values = [0.001, 50, 0.002];
  const ds = dataset([numeric('y', values)]);
  const prepared = prepareHmm(hmmModelFile({ states: 2, emission: 'gaussian' }), ds);
  const params: HmmParameters = {
    states: 2,
    start: Float64Array.from([1, 0]),
    transitions: Float64Array.from([1, 0, 0.5, 0.5]),
    emission: { kind: 'gaussian', columns: ['y'], dim: 1, covariance: 'full', means: Float64Array.from([0, 48]), covariances: Float64Array.from([1e-4, 4]) },
  };
  const cov = [1e-4, 4];
  const means = [0, 48];
  const ref = reference(prepared.data, params, (row, k) => gaussianLogDensity([values[row]], [means[k]], [[cov[k]]]));
  assert.ok(Number.isFinite(ref.logLikelihood) && ref.logLikelihood < -1e5, `reference ${ref.logLikelihood}`);
  checkAgainstReference(prepared, params, ref);
});

test('an impossible sequence is an input error, not NaN', () => {
  const ds = dataset([categorical('obs', ['a', 'b', 'a'])]);
  const prepared = prepareHmm(hmmModelFile({ states: 2, emission: 'categorical' }), ds);
  const params: HmmParameters = {
    states: 2,
    start: Float64Array.from([0.5, 0.5]),
    transitions: Float64Array.from([0.5, 0.5, 0.5, 0.5]),
    emission: { kind: 'categorical', column: 'obs', symbols: ['a', 'b'], probabilities: Float64Array.from([1, 0, 1, 0]) },
  };
  assert.throws(() => prepared.family.eStep(prepared.data, params), (e: Error) => e.name === 'InputError' && /probability 0/.test(e.message));
});
