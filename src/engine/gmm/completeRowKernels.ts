/**
 * The fused E-step over rows with every cell observed: one pass over the rows computes each
 * row's log-responsibilities (log-sum-exp), adds its log-likelihood, and accumulates the
 * sufficient statistics of gmmStats.ts, so the data are read once per iteration.
 *
 * For row x (weight w) and component k (scikit-learn's _estimate_log_prob_resp):
 *   l_k   = log w_k - D/2 log(2 pi) - 1/2 log|S_k| - 1/2 |L_k^{-1}(x - mu_k)|^2
 *   l     = log sum_k exp(l_k)                    (the row's log-likelihood)
 *   r_k   = w exp(l_k - l)                        (its weighted responsibilities)
 * Scratch arrays are allocated once per call, never inside the row loop. A component whose
 * l_k - max_j l_j < NEGLIGIBLE_LOG (its responsibility < 2^-53, below rounding of the row's
 * total) gets responsibility 0 and adds nothing: no exp() and no statistics for it (on
 * well-separated data, most of them).
 *
 * Each kernel returns the weighted log-likelihood of rows [start, end), summed with
 * Neumaier's compensation (a million terms keep their last digits).
 */
import { expOfGap } from './fastExp';
import type { GmmData } from './gmmData';
import type { GmmParameters } from './gmmParameters';
import type { GmmStats } from './gmmStats';

/** log(2^-53): a term this far below the largest is lost in rounding of their sum. */
export const NEGLIGIBLE_LOG = -53 * Math.LN2;

/** Full covariances: per row and component a triangular solve (D^2/2) and a scatter update (D^2/2). */
export function completeRowsFull(data: GmmData, p: GmmParameters, start: number, end: number, stats: GmmStats): number {
  const { d, x, weights } = data;
  const k = p.k;
  const means = p.means;
  const chol = p.factors; // K x D x D lower
  const invDiag = p.inverseDiagonals; // K x D
  const logNorm = p.logNormalizers;
  const nk = stats.nk;
  const s1 = stats.s1;
  const s2 = stats.s2;
  const dd = d * d;
  const diff = new Float64Array(k * d); // x - mu_k for each k, reused by the accumulation
  const z = new Float64Array(d);
  const lp = new Float64Array(k);
  let sum = 0;
  let comp = 0;
  for (let i = start; i < end; i++) {
    const row = i * d;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const mOff = c * d;
      const lOff = c * dd;
      let maha = 0;
      for (let r = 0; r < d; r++) {
        const dr = x[row + r] - means[mOff + r];
        diff[mOff + r] = dr;
        let s = dr;
        const lRow = lOff + r * d;
        for (let q = 0; q < r; q++) s -= chol[lRow + q] * z[q];
        const zr = s * invDiag[mOff + r];
        z[r] = zr;
        maha += zr * zr;
      }
      const l = logNorm[c] - 0.5 * maha;
      lp[c] = l;
      if (l > max) max = l;
    }
    let total = 0;
    for (let c = 0; c < k; c++) {
      const gap = lp[c] - max;
      const e = gap < NEGLIGIBLE_LOG ? 0 : Math.exp(gap);
      lp[c] = e;
      total += e;
    }
    const wi = weights === undefined ? 1 : weights[i];
    const term = wi * (max + Math.log(total));
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    const scale = wi / total;
    for (let c = 0; c < k; c++) {
      const r = lp[c] * scale;
      if (r === 0) continue;
      nk[c] += r;
      const mOff = c * d;
      const sOff = c * dd;
      for (let a = 0; a < d; a++) {
        const ra = r * diff[mOff + a];
        s1[mOff + a] += ra;
        const sRow = sOff + a * d;
        for (let b = a; b < d; b++) s2[sRow + b] += ra * diff[mOff + b];
      }
    }
  }
  return sum + comp;
}

/**
 * Diagonal (and spherical, whose factors are expanded over D): per row and component D
 * multiply-adds for the distance and 2D for the statistics. exp by fastExp.ts: the same bits
 * as the WebAssembly kernel (wasmDiagonalKernel.ts), which serves where it can.
 */
export function completeRowsDiagonal(data: GmmData, p: GmmParameters, start: number, end: number, stats: GmmStats): number {
  const { d, x, weights } = data;
  const k = p.k;
  const means = p.means;
  const invSd = p.factors; // K x D
  const logNorm = p.logNormalizers;
  const nk = stats.nk;
  const s1 = stats.s1;
  const s2 = stats.s2;
  const diff = new Float64Array(k * d);
  const lp = new Float64Array(k);
  let sum = 0;
  let comp = 0;
  for (let i = start; i < end; i++) {
    const row = i * d;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const mOff = c * d;
      // even and odd columns summed apart (the order of the two-lane SIMD kernel)
      let even = 0;
      let odd = 0;
      for (let j = 0; j < d; j++) {
        const dj = x[row + j] - means[mOff + j];
        diff[mOff + j] = dj;
        const zj = dj * invSd[mOff + j];
        if ((j & 1) === 0) even += zj * zj;
        else odd += zj * zj;
      }
      const l = logNorm[c] - 0.5 * (even + odd);
      lp[c] = l;
      if (l > max) max = l;
    }
    let total = 0;
    for (let c = 0; c < k; c++) {
      const gap = lp[c] - max;
      const e = gap < NEGLIGIBLE_LOG ? 0 : expOfGap(gap);
      lp[c] = e;
      total += e;
    }
    const wi = weights === undefined ? 1 : weights[i];
    const term = wi * (max + Math.log(total));
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    const scale = wi / total;
    for (let c = 0; c < k; c++) {
      const r = lp[c] * scale;
      if (r === 0) continue;
      nk[c] += r;
      const mOff = c * d;
      for (let j = 0; j < d; j++) {
        const rj = r * diff[mOff + j];
        s1[mOff + j] += rj;
        s2[mOff + j] += rj * diff[mOff + j];
      }
    }
  }
  return sum + comp;
}

/**
 * Tied covariance S = L L^T shared by all components: whiten the row once,
 * z = L^{-1}(x - c) (D^2/2), then |L^{-1}(x - mu_k)|^2 = |z - L^{-1}(mu_k - c)|^2 costs D per
 * component. Because the responsibilities of a complete row sum to its weight, the shared
 * scatter sum_k r_k (x - c)(x - c)^T is w (x - c)(x - c)^T, the same in every iteration:
 * it is computed once per range of rows (tiedScatter) and added.
 */
export function completeRowsTied(data: GmmData, p: GmmParameters, start: number, end: number, stats: GmmStats): number {
  const { d, x, weights, center } = data;
  const k = p.k;
  const chol = p.factors; // D x D lower
  const invDiag = p.inverseDiagonals; // D
  const logNorm = p.logNormalizers;
  const nk = stats.nk;
  const s1 = stats.s1;
  const s2 = stats.s2;
  const wm = whitenedMeans(data, p);
  const y = new Float64Array(d);
  const z = new Float64Array(d);
  const lp = new Float64Array(k);
  let sum = 0;
  let comp = 0;
  for (let i = start; i < end; i++) {
    const row = i * d;
    for (let r = 0; r < d; r++) {
      const yr = x[row + r] - center[r];
      y[r] = yr;
      let s = yr;
      for (let q = 0; q < r; q++) s -= chol[r * d + q] * z[q];
      z[r] = s * invDiag[r];
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const mOff = c * d;
      let maha = 0;
      for (let j = 0; j < d; j++) {
        const t = z[j] - wm[mOff + j];
        maha += t * t;
      }
      const l = logNorm[c] - 0.5 * maha;
      lp[c] = l;
      if (l > max) max = l;
    }
    let total = 0;
    for (let c = 0; c < k; c++) {
      const gap = lp[c] - max;
      const e = gap < NEGLIGIBLE_LOG ? 0 : Math.exp(gap);
      lp[c] = e;
      total += e;
    }
    const wi = weights === undefined ? 1 : weights[i];
    const term = wi * (max + Math.log(total));
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    const scale = wi / total;
    for (let c = 0; c < k; c++) {
      const r = lp[c] * scale;
      if (r === 0) continue;
      nk[c] += r;
      const mOff = c * d;
      for (let j = 0; j < d; j++) s1[mOff + j] += r * y[j];
    }
  }
  const scatter = tiedScatter(data, start, end);
  for (let i = 0; i < scatter.length; i++) s2[i] += scatter[i];
  return sum + comp;
}

/** K x D: L^{-1}(mu_k - c) for the tied factor L, once per E-step call. */
export function whitenedMeans(data: GmmData, p: GmmParameters): Float64Array {
  const { k, d } = p;
  const chol = p.factors;
  const out = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < d; r++) {
      let s = p.means[c * d + r] - data.center[r];
      for (let q = 0; q < r; q++) s -= chol[r * d + q] * out[c * d + q];
      out[c * d + r] = s * p.inverseDiagonals[r];
    }
  }
  return out;
}

/** Per data set, the complete rows' scatter about the centre for each range asked for (few: one per shard). */
const scatterCache = new WeakMap<GmmData, Map<string, Float64Array>>();
const SCATTER_CACHE_RANGES = 64;

/** sum_i w_i (x_i - c)(x_i - c)^T over complete rows [start, end), upper triangle (D x D). */
export function tiedScatter(data: GmmData, start: number, end: number): Float64Array {
  let byRange = scatterCache.get(data);
  if (byRange === undefined) {
    byRange = new Map();
    scatterCache.set(data, byRange);
  }
  const key = `${start}:${end}`;
  const cached = byRange.get(key);
  if (cached !== undefined) return cached;
  const { d, x, weights, center } = data;
  const out = new Float64Array(d * d);
  const y = new Float64Array(d);
  for (let i = start; i < end; i++) {
    const wi = weights === undefined ? 1 : weights[i];
    for (let j = 0; j < d; j++) y[j] = x[i * d + j] - center[j];
    for (let a = 0; a < d; a++) {
      const wa = wi * y[a];
      for (let b = a; b < d; b++) out[a * d + b] += wa * y[b];
    }
  }
  if (byRange.size >= SCATTER_CACHE_RANGES) byRange.clear();
  byRange.set(key, out);
  return out;
}
