#!/usr/bin/env node
// Which data layout the Gaussian mixture's E-step should read: one row-major N x D block, or one
// Float64Array per column (as the dataset holds them). Times the same fused diagonal E+M pass
// (log-responsibilities, log-sum-exp, sufficient statistics) over both, in one run.
//   node bench/gmm/bench-layout.mjs [rows]
// Result that decided src/engine/gmm/gmmData.ts (N = 1e6, D = 8, K = 8, a shared 2-core
// machine): row-major 1.27-1.91 s, column-major 1.40-1.92 s per pass, row-major 0-10% ahead.
const N = Number(process.argv[2] ?? 1_000_000);
const D = 8;
const K = 8;

let state = 1;
const uniform = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
const rowMajor = new Float64Array(N * D);
const columns = Array.from({ length: D }, () => new Float64Array(N));
for (let i = 0; i < N; i++) {
  for (let d = 0; d < D; d++) {
    const v = uniform() * 4 + (i % K);
    rowMajor[i * D + d] = v;
    columns[d][i] = v;
  }
}
const means = Float64Array.from({ length: K * D }, (_, j) => Math.floor(j / D) + 2);
const invSd = new Float64Array(K * D).fill(1);
const logNorm = new Float64Array(K).fill(-8);

/** The fused pass; `load(i, row)` fills `row` with data row i. */
function pass(load) {
  const nk = new Float64Array(K);
  const s1 = new Float64Array(K * D);
  const s2 = new Float64Array(K * D);
  const lp = new Float64Array(K);
  const diff = new Float64Array(K * D);
  const row = new Float64Array(D);
  let ll = 0;
  for (let i = 0; i < N; i++) {
    load(i, row);
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      let m = 0;
      const o = k * D;
      for (let d = 0; d < D; d++) {
        const dd = row[d] - means[o + d];
        diff[o + d] = dd;
        const t = dd * invSd[o + d];
        m += t * t;
      }
      const v = logNorm[k] - 0.5 * m;
      lp[k] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(lp[k] - max);
      lp[k] = e;
      sum += e;
    }
    ll += max + Math.log(sum);
    for (let k = 0; k < K; k++) {
      const r = lp[k] / sum;
      nk[k] += r;
      const o = k * D;
      for (let d = 0; d < D; d++) {
        const rd = r * diff[o + d];
        s1[o + d] += rd;
        s2[o + d] += rd * diff[o + d];
      }
    }
  }
  return ll + nk[0] + s2[0];
}

const fromRows = (i, row) => {
  for (let d = 0; d < D; d++) row[d] = rowMajor[i * D + d];
};
const fromColumns = (i, row) => {
  for (let d = 0; d < D; d++) row[d] = columns[d][i];
};
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now();
  const a = pass(fromRows);
  const rowSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const b = pass(fromColumns);
  const columnSeconds = (performance.now() - t) / 1000;
  if (a !== b) throw new Error('the two layouts disagree');
  console.log(`N=${N} D=${D} K=${K}: row-major ${rowSeconds.toFixed(3)} s, column-major ${columnSeconds.toFixed(3)} s per pass`);
}
