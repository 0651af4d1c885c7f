/**
 * What the E-step needs for the rows that share one missingness pattern: for each component,
 * the Gaussian's marginal over the observed dimensions O and the regression of the missing
 * dimensions M on them (the conditional Gaussian; Little & Rubin, "Statistical Analysis with
 * Missing Data", 2nd ed., 11.2; Ghahramani & Jordan 1994):
 *
 *   x_O ~ N(mu_O, S_OO),  S_OO = L L^T                  log density with L (as for complete rows)
 *   E[x_M | x_O]   = mu_M + S_MO S_OO^{-1}(x_O - mu_O) = mu_M + G z,   z = L^{-1}(x_O - mu_O),  G = S_MO L^{-T}
 *   Cov[x_M | x_O] = S_MM - S_MO S_OO^{-1} S_OM        = S_MM - G G^T
 *
 * Computed once per pattern per E-step call (cost per component: o^3/6 + m o^2/2 + m^2 o/2),
 * then used by every row of the pattern. Tied covariances share one block for every component.
 *
 * Diagonal and spherical covariances take a cheaper form ("diagonal" factors, cost D per
 * component): S_MO = 0, so G = 0, L = diag(sqrt(s_jj)) and Cov[x_M | x_O] = diag(S_MM): the
 * missing dimensions are independent of the observed ones. Its numbers are the ones the dense
 * form computes for a diagonal S (every term it adds beyond these is an exact zero), so both
 * forms give bit-identical E-steps; the dense form would cost o^3/6 and o^2 memory per
 * component for nothing (D = 1000 columns: seconds per iteration).
 */
import { choleskyInPlace, logDetOfFactor } from './denseCholesky';
import type { GmmCore } from './gmmParameters';
import { LOG_2PI, fullCovarianceOf } from './gmmParameters';

export interface PatternFactors {
  /**
   * true: the diagonal form: chol and gain empty; invDiag (1 / sqrt(s_kj)) and conditional
   * (s_kj) are K x D tables indexed by column, not by position in observed / missing.
   * false: the dense form described field by field below.
   */
  readonly diagonal: boolean;
  /** Observed and missing column indices, ascending. */
  readonly observed: Int32Array;
  readonly missing: Int32Array;
  /** K x D: the component means the factors belong to. */
  readonly means: Float64Array;
  /** Number of covariance blocks: K, or 1 when every component shares the covariance (tied). */
  readonly blocks: number;
  /** blocks x o x o: lower Cholesky factors of S_OO (empty when diagonal). */
  readonly chol: Float64Array;
  /** blocks x o: 1 / L_rr. */
  readonly invDiag: Float64Array;
  /** blocks x m x o: G = S_MO L^{-T} (empty when diagonal: G = 0). */
  readonly gain: Float64Array;
  /** blocks x m x m: the conditional covariance S_MM - G G^T of the missing cells. */
  readonly conditional: Float64Array;
  /** K: log w_k - o/2 log(2 pi) - 1/2 log|S_OO,k|. */
  readonly logNorm: Float64Array;
}

/**
 * Factors of the pattern whose observed columns are the 1s of `observedMask[maskOffset .. + D)`.
 * A marginal of a positive-definite covariance is positive definite; should rounding say
 * otherwise for a nearly singular one, its diagonal is raised by a relative 1e-12 steps until
 * the factorization succeeds (the M-step has already warned about such a component).
 */
export function patternFactors(p: GmmCore, observedMask: Uint8Array, maskOffset: number): PatternFactors {
  const { k, d } = p;
  let o = 0;
  for (let j = 0; j < d; j++) if (observedMask[maskOffset + j]) o++;
  const observed = new Int32Array(o);
  const missing = new Int32Array(d - o);
  for (let j = 0, r = 0, a = 0; j < d; j++) {
    if (observedMask[maskOffset + j]) observed[r++] = j;
    else missing[a++] = j;
  }
  if (p.covariance === 'diag' || p.covariance === 'spherical') {
    const diagonal = diagonalPatternFactors(p, observed, missing);
    if (diagonal !== undefined) return diagonal;
    // a variance that is not positive and finite: the dense form's jitter handles it
  }
  const m = missing.length;
  const blocks = p.covariance === 'tied' ? 1 : k;
  const chol = new Float64Array(blocks * o * o);
  const invDiag = new Float64Array(blocks * o);
  const gain = new Float64Array(blocks * m * o);
  const conditional = new Float64Array(blocks * m * m);
  const halfLogDet = new Float64Array(blocks);
  const full = new Float64Array(d * d);
  const column = new Float64Array(o);
  for (let b = 0; b < blocks; b++) {
    fullCovarianceOf(p, b, full);
    const cOff = b * o * o;
    for (let jitter = 0; ; jitter++) {
      let trace = 0;
      for (let r = 0; r < o; r++) trace += full[observed[r] * d + observed[r]];
      const lift = jitter === 0 ? 0 : (trace / Math.max(o, 1)) * 1e-12 * Math.pow(10, jitter - 1);
      for (let r = 0; r < o; r++) for (let c = 0; c < o; c++) chol[cOff + r * o + c] = full[observed[r] * d + observed[c]] + (r === c ? lift : 0);
      if (choleskyInPlace(chol, cOff, o)) break;
      if (jitter > 20) throw new Error('a marginal covariance is not positive definite even after jitter');
    }
    for (let r = 0; r < o; r++) invDiag[b * o + r] = 1 / chol[cOff + r * o + r];
    halfLogDet[b] = logDetOfFactor(chol, cOff, o);
    // G row j = (L^{-1} S_O,mj)^T
    for (let j = 0; j < m; j++) {
      for (let r = 0; r < o; r++) {
        let s = full[observed[r] * d + missing[j]];
        for (let q = 0; q < r; q++) s -= chol[cOff + r * o + q] * column[q];
        column[r] = s * invDiag[b * o + r];
      }
      gain.set(column, b * m * o + j * o);
    }
    for (let a = 0; a < m; a++) {
      for (let c = 0; c < m; c++) {
        let s = full[missing[a] * d + missing[c]];
        for (let q = 0; q < o; q++) s -= gain[b * m * o + a * o + q] * gain[b * m * o + c * o + q];
        conditional[b * m * m + a * m + c] = s;
      }
    }
  }
  const logNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) logNorm[c] = Math.log(p.weights[c]) - 0.5 * o * LOG_2PI - halfLogDet[blocks === 1 ? 0 : c];
  return { diagonal: false, observed, missing, means: p.means, blocks, chol, invDiag, gain, conditional, logNorm };
}

/** Per-parameter tables of the diagonal form, shared by every pattern of an E-step. */
interface DiagonalTables {
  /** K x D: 1 / sqrt(s_kj) (spherical: expanded over D). */
  readonly invSd: Float64Array;
  /** K x D: log sqrt(s_kj), the terms of log|S_OO| / 2. */
  readonly logSd: Float64Array;
  /** K x D: s_kj, the conditional variance of a missing cell. */
  readonly variances: Float64Array;
}

/** Tables per parameter object (parameters are immutable once made): computed once, not once per pattern. */
const diagonalTablesOf = new WeakMap<GmmCore, DiagonalTables | null>();

/** The tables of `p`, or null when some variance is not positive and finite. */
function diagonalTables(p: GmmCore): DiagonalTables | null {
  const cached = diagonalTablesOf.get(p);
  if (cached !== undefined) return cached;
  const { k, d } = p;
  const spherical = p.covariance === 'spherical';
  const invSd = new Float64Array(k * d);
  const logSd = new Float64Array(k * d);
  const variances = new Float64Array(k * d);
  let tables: DiagonalTables | null = { invSd, logSd, variances };
  for (let c = 0; c < k && tables !== null; c++) {
    for (let j = 0; j < d; j++) {
      const v = spherical ? p.covariances[c] : p.covariances[c * d + j];
      if (!(v > 0) || !Number.isFinite(v)) {
        tables = null;
        break;
      }
      const sd = Math.sqrt(v); // L_jj of the dense form's Cholesky factor
      invSd[c * d + j] = 1 / sd;
      logSd[c * d + j] = Math.log(sd);
      variances[c * d + j] = v;
    }
  }
  diagonalTablesOf.set(p, tables);
  return tables;
}

/**
 * The diagonal form for diag and spherical covariances (see the top of the file), or undefined
 * when some variance is not positive and finite. Each number is the one the dense form
 * computes for a diagonal S: 1 / L_rr with L_rr = sqrt(s_rr), and log|S_OO| / 2 = sum_r log L_rr
 * summed in the same (ascending column) order. Cost per pattern: o additions per component.
 */
function diagonalPatternFactors(p: GmmCore, observed: Int32Array, missing: Int32Array): PatternFactors | undefined {
  const tables = diagonalTables(p);
  if (tables === null) return undefined;
  const { k, d } = p;
  const o = observed.length;
  const logNorm = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let halfLogDet = 0;
    for (let r = 0; r < o; r++) halfLogDet += tables.logSd[c * d + observed[r]];
    logNorm[c] = Math.log(p.weights[c]) - 0.5 * o * LOG_2PI - halfLogDet;
  }
  const empty = new Float64Array(0);
  return { diagonal: true, observed, missing, means: p.means, blocks: k, chol: empty, invDiag: tables.invSd, gain: empty, conditional: tables.variances, logNorm };
}

/**
 * log(w_k N(x_O | mu_k,O, S_k,OO)) for every k, of the row at x[offset .. + D), into out[0 .. K).
 * `z` is scratch of length >= o. Used for posteriors (the E-step kernel inlines the same steps).
 */
export function patternLogJoint(f: PatternFactors, k: number, d: number, x: Float64Array, offset: number, out: Float64Array, z: Float64Array): void {
  const o = f.observed.length;
  for (let c = 0; c < k; c++) {
    const b = f.blocks === 1 ? 0 : c;
    const cOff = b * o * o;
    let maha = 0;
    if (f.diagonal) {
      for (let r = 0; r < o; r++) {
        const col = f.observed[r];
        const zr = (x[offset + col] - f.means[c * d + col]) * f.invDiag[c * d + col];
        maha += zr * zr;
      }
      out[c] = f.logNorm[c] - 0.5 * maha;
      continue;
    }
    for (let r = 0; r < o; r++) {
      let s = x[offset + f.observed[r]] - f.means[c * d + f.observed[r]];
      for (let q = 0; q < r; q++) s -= f.chol[cOff + r * o + q] * z[q];
      const zr = s * f.invDiag[b * o + r];
      z[r] = zr;
      maha += zr * zr;
    }
    out[c] = f.logNorm[c] - 0.5 * maha;
  }
}
