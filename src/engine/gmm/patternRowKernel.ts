/**
 * The E-step over rows that share one missingness pattern (exact EM for incomplete Gaussian
 * data: Ghahramani & Jordan 1994, "Supervised learning from incomplete data via an EM
 * approach"; Little & Rubin 2002, 11.2):
 *
 *   l_k     = log w_k + log N(x_O | mu_k,O, S_k,OO)          the marginal over observed cells
 *   r_k     = w exp(l_k - log sum_j exp(l_j))
 *   xhat_k  = (x_O, mu_k,M + G_k z_k)                       E[x | x_O, k]
 *   s1[k]  += r_k (xhat_k - ref_k)
 *   s2[k]  += r_k (xhat_k - ref_k)(xhat_k - ref_k)^T,   and once per pattern  R_k Cov[x_M | x_O, k]
 * (gmmStats.ts) with R_k the pattern's total responsibility. For diagonal and spherical
 * covariances G = 0 and the conditional covariance is the missing cells' variances: the
 * missing dimensions are simply independent of the observed ones; with such ("diagonal")
 * factors the kernel skips the triangular solve and the regression, O(D) per row and
 * component instead of O(o^2 + m o), with the same numbers.
 *
 * With `fixed` responsibilities (initialization from k-means labels or random
 * responsibilities) the kernel accumulates the same statistics without computing posteriors.
 */
import { NEGLIGIBLE_LOG } from './completeRowKernels';
import type { GmmData } from './gmmData';
import type { GmmStats } from './gmmStats';
import type { PatternFactors } from './patternFactors';

/** Fills out[0 .. K) with the (unweighted) responsibilities of unit u. */
export type FixedResponsibilities = (unit: number, out: Float64Array) => void;

/** Accumulate units [start, end) of one pattern into `stats`; returns their weighted log-likelihood. */
export function patternRows(data: GmmData, f: PatternFactors, start: number, end: number, stats: GmmStats, fixed?: FixedResponsibilities): number {
  const { d, x, weights } = data;
  const { k, nk, s1, s2, reference } = stats;
  const type = stats.covariance;
  const { observed, missing, means, chol, invDiag, gain, logNorm } = f;
  const o = observed.length;
  const m = missing.length;
  const shared = f.blocks === 1;
  const diagonal = f.diagonal;
  const z = new Float64Array(o);
  const dev = new Float64Array(k * d); // xhat_k - ref_k
  const lp = new Float64Array(k);
  const patternMass = new Float64Array(k);
  let sum = 0;
  let comp = 0;
  for (let i = start; i < end; i++) {
    const row = i * d;
    let max = -Infinity;
    // fixed responsibilities first: a component they give 0 adds nothing, so it is skipped
    if (fixed) fixed(i, lp);
    for (let c = 0; c < k; c++) {
      if (fixed && lp[c] === 0) continue;
      const b = shared ? 0 : c;
      const cOff = b * o * o;
      const mOff = c * d;
      let maha = 0;
      if (diagonal) {
        // L diagonal, G = 0: z_r = (x - mu)_r / L_rr, E[x_M | x_O] = mu_M
        for (let r = 0; r < o; r++) {
          const col = observed[r];
          const xv = x[row + col];
          dev[mOff + col] = xv - reference[mOff + col];
          const zr = (xv - means[mOff + col]) * invDiag[mOff + col];
          maha += zr * zr;
        }
        for (let j = 0; j < m; j++) {
          const col = missing[j];
          dev[mOff + col] = means[mOff + col] - reference[mOff + col];
        }
      } else {
        for (let r = 0; r < o; r++) {
          const col = observed[r];
          const xv = x[row + col];
          dev[mOff + col] = xv - reference[mOff + col];
          let s = xv - means[mOff + col];
          const lRow = cOff + r * o;
          for (let q = 0; q < r; q++) s -= chol[lRow + q] * z[q];
          const zr = s * invDiag[b * o + r];
          z[r] = zr;
          maha += zr * zr;
        }
        const gOff = b * m * o;
        for (let j = 0; j < m; j++) {
          const col = missing[j];
          let e = means[mOff + col];
          for (let q = 0; q < o; q++) e += gain[gOff + j * o + q] * z[q];
          dev[mOff + col] = e - reference[mOff + col];
        }
      }
      if (fixed) continue;
      const l = logNorm[c] - 0.5 * maha;
      lp[c] = l;
      if (l > max) max = l;
    }
    const wi = weights === undefined ? 1 : weights[i];
    let scale: number;
    if (fixed) {
      scale = wi;
    } else {
      let total = 0;
      for (let c = 0; c < k; c++) {
        const gap = lp[c] - max;
        const e = gap < NEGLIGIBLE_LOG ? 0 : Math.exp(gap);
        lp[c] = e;
        total += e;
      }
      const term = wi * (max + Math.log(total));
      const t = sum + term;
      comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
      sum = t;
      scale = wi / total;
    }
    for (let c = 0; c < k; c++) {
      const r = lp[c] * scale;
      if (r === 0) continue;
      nk[c] += r;
      patternMass[c] += r;
      const mOff = c * d;
      for (let a = 0; a < d; a++) s1[mOff + a] += r * dev[mOff + a];
      switch (type) {
        case 'full':
        case 'tied': {
          const sOff = type === 'full' ? c * d * d : 0;
          for (let a = 0; a < d; a++) {
            const ra = r * dev[mOff + a];
            for (let b = a; b < d; b++) s2[sOff + a * d + b] += ra * dev[mOff + b];
          }
          break;
        }
        case 'diag':
        case 'spherical':
          for (let a = 0; a < d; a++) s2[mOff + a] += r * dev[mOff + a] * dev[mOff + a];
          break;
        default: {
          const never: never = type;
          throw new Error(`unknown covariance type ${String(never)}`);
        }
      }
    }
  }
  // The conditional covariance of the missing cells, once per pattern and component.
  if (m > 0) {
    for (let c = 0; c < k; c++) {
      const mass = patternMass[c];
      if (mass === 0) continue;
      const b = shared ? 0 : c;
      const cond = f.conditional;
      if (diagonal) {
        // a diagonal conditional covariance: only the (missing, missing) diagonal of s2 changes
        const sOff = type === 'full' ? c * d * d : type === 'tied' ? 0 : c * d;
        const stride = type === 'full' || type === 'tied' ? d + 1 : 1;
        for (let a = 0; a < m; a++) s2[sOff + missing[a] * stride] += mass * cond[c * d + missing[a]];
        continue;
      }
      const cBase = b * m * m;
      switch (type) {
        case 'full':
        case 'tied': {
          const sOff = type === 'full' ? c * d * d : 0;
          for (let a = 0; a < m; a++) for (let q = a; q < m; q++) s2[sOff + missing[a] * d + missing[q]] += mass * cond[cBase + a * m + q];
          break;
        }
        case 'diag':
        case 'spherical':
          for (let a = 0; a < m; a++) s2[c * d + missing[a]] += mass * cond[cBase + a * m + a];
          break;
        default: {
          const never: never = type;
          throw new Error(`unknown covariance type ${String(never)}`);
        }
      }
    }
  }
  return sum + comp;
}
