/**
 * Initial parameters of a Gaussian mixture.
 *
 * - "kmeans++" (default): each start screens CANDIDATES seedings and keeps the best
 *   ("short runs of EM", Biernacki, Celeux & Govaert 2003, "Choosing starting values for the
 *   EM algorithm ..."). A candidate is a k-means++ seeding (Arthur & Vassilvitskii 2007, in
 *   scikit-learn's greedy form: 2 + floor(ln K) draws per centre, keeping the one that lowers
 *   the potential most), LLOYD_STEPS Lloyd steps, one M-step from the hard assignment (as
 *   scikit-learn's init_params="kmeans"), then SHORT_ITERATIONS EM iterations; the candidate
 *   with the highest log-likelihood (and no repaired component) is the start. On data with
 *   more than SAMPLE_UNITS rows the screening runs on a uniform sample of that many.
 *   Distances are measured on standardized columns (each divided by its standard deviation),
 *   so the start does not depend on the columns' units.
 *   Why not scikit-learn's one k-means run to convergence: k-means from different seeds
 *   mostly converges to the same partition, so restarts explored little; on wine and
 *   breast_cancer (test/fixtures/gmm) mclust's hierarchical start then beat every one of 10
 *   scikit-learn-style restarts (e.g. wine, full: -2895.8 against mclust's -2788.4), while
 *   screened starts reach or beat both peers (bench/gmm/peer-table.ts).
 * - "random" (scikit-learn's init_params="random"): uniform random responsibilities,
 *   normalized per row, then one M-step.
 *
 * Missing cells: distances use the observed cells only, scaled by D / o (the "partial
 * distance" of Dixon 1979), centres average the observed cells; the first M-step treats the
 * missing cells by their conditional expectation under a provisional model (the centres with
 * the columns' variances), as every later M-step does.
 */
import type { CovarianceType } from '../../shared/modelSpec';
import type { ScreeningCandidate, StartScreening } from '../../shared/results';
import type { Rng } from '../rng';
import type { GmmData } from './gmmData';
import { subsampleUnits } from './gmmData';
import { gmmEStep } from './gmmEStep';
import { estimateParameters } from './gmmMStep';
import type { GmmCore, GmmParameters } from './gmmParameters';
import { emptyStats, referencePoints } from './gmmStats';
import type { GmmStats } from './gmmStats';
import type { EStepOutput } from '../family';
import { patternFactors } from './patternFactors';
import type { FixedResponsibilities } from './patternRowKernel';
import { patternRows } from './patternRowKernel';

export type InitMethod = 'kmeans++' | 'random';

/** Seedings screened per start. */
export const CANDIDATES = 10;
/** Lloyd steps after each seeding (scikit-learn runs k-means to convergence; fewer keep the candidates diverse). */
export const LLOYD_STEPS = 1;
/**
 * EM iterations that rank the candidates. Successive halving (all candidates 3-5 iterations,
 * the best 3-5 of them on to 10) costs half as much but lost the best start on breast_cancer
 * (full covariances) against mclust; 10 iterations for every candidate did not.
 */
export const SHORT_ITERATIONS = 10;
/** Screening runs on a uniform sample of at most this many rows. */
export const SAMPLE_UNITS = 20000;

/**
 * `onScreened` (optional) receives the record of a "kmeans++" start's screening: the values the
 * screening computed anyway, so asking for it changes no number and runs no extra E-step.
 */
export function initialParameters(data: GmmData, k: number, type: CovarianceType, regularization: number, method: InitMethod, rng: Rng, onScreened?: (screening: StartScreening) => void): GmmParameters {
  switch (method) {
    case 'kmeans++': {
      const { start, screening } = screenedStart(data, k, type, regularization, rng);
      onScreened?.(screening);
      return start;
    }
    case 'random': {
      const centers = new Float64Array(k * data.d);
      for (let c = 0; c < k; c++) centers.set(data.center, c * data.d);
      return fromResponsibilities(data, k, type, regularization, centers, (_u, out) => {
        let s = 0;
        for (let c = 0; c < k; c++) {
          out[c] = rng.next();
          s += out[c];
        }
        for (let c = 0; c < k; c++) out[c] /= s;
      });
    }
    default: {
      const never: never = method;
      throw new Error(`unknown initialization ${String(never)}`);
    }
  }
}

interface Candidate {
  params: GmmParameters;
  /** E-step under `params`: its log-likelihood ranks the candidate, its statistics make the next M-step. */
  eStep: EStepOutput<GmmStats>;
  /** Each E-step's log-likelihood on the screening sample, for the record (StartScreening). */
  readonly logLikelihoods: number[];
}

/**
 * The "kmeans++" start: CANDIDATES seedings screened by short EM runs (see the top of this file).
 * Returns the start and the record of how it was chosen (the log-likelihoods the ranking
 * computed anyway; keeping them changes nothing the start depends on).
 */
function screenedStart(data: GmmData, k: number, type: CovarianceType, regularization: number, rng: Rng): { start: GmmParameters; screening: StartScreening } {
  const screen = data.units > SAMPLE_UNITS ? subsampleUnits(data, SAMPLE_UNITS, rng) : data;
  const pool: Candidate[] = [];
  for (let c = 0; c < CANDIDATES; c++) {
    const centers = kmeansPlusPlus(screen, k, rng);
    const labels = lloyd(screen, centers, LLOYD_STEPS);
    const params = fromResponsibilities(screen, k, type, regularization, centers, (u, out) => {
      out.fill(0);
      out[labels[u]] = 1;
    });
    const eStep = gmmEStep(screen, params);
    pool.push({ params, eStep, logLikelihoods: [eStep.logLikelihood] });
  }
  // a candidate whose covariance had to be repaired ranks last: its likelihood is not to be trusted
  const isRepaired = (c: Candidate): boolean => c.params.repaired.some((r) => r !== 0);
  const score = (c: Candidate): number => (isRepaired(c) ? -Infinity : c.eStep.logLikelihood);
  let best = pool[0];
  for (const candidate of pool) {
    for (let t = 0; t < SHORT_ITERATIONS; t++) {
      candidate.params = estimateParameters(candidate.eStep.stats, regularization, screen);
      candidate.eStep = gmmEStep(screen, candidate.params);
      candidate.logLikelihoods.push(candidate.eStep.logLikelihood);
    }
    if (score(candidate) > score(best)) best = candidate; // ties: the earlier candidate
  }
  const candidates: ScreeningCandidate[] = pool.map((c) => ({
    logLikelihoods: c.logLikelihoods.map((v) => (Number.isFinite(v) ? v : null)),
    repaired: isRepaired(c),
  }));
  const screening: StartScreening = {
    method: 'kmeans++',
    sampleRows: screen.units,
    sampleWeightedRows: screen.weightedRows,
    sampled: screen !== data,
    iterations: SHORT_ITERATIONS,
    candidates,
    chosen: pool.indexOf(best),
  };
  return { start: best.params, screening };
}

/**
 * One M-step from given responsibilities (called once per unit, in unit order). Missing cells
 * take their conditional expectation under provisional components centred on `centers`
 * with the columns' variances (independent dimensions).
 */
export function fromResponsibilities(data: GmmData, k: number, type: CovarianceType, regularization: number, centers: Float64Array, fixed: FixedResponsibilities): GmmParameters {
  const d = data.d;
  const provisionalCov = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) provisionalCov[c * d + j] = Math.max(data.variance[j], 0) + Math.max(regularization, 1e-12);
  const provisional: GmmCore = { covariance: 'diag', k, d, weights: new Float64Array(k).fill(1 / k), means: centers, covariances: provisionalCov };
  const stats: GmmStats = emptyStats(type, k, d, referencePoints(type, k, d, centers, data.center));
  if (data.completeUnits > 0) {
    const all = new Uint8Array(d).fill(1);
    patternRows(data, patternFactors(provisional, all, 0), 0, data.completeUnits, stats, fixed);
  }
  for (let p = 0; p < data.patterns; p++) {
    patternRows(data, patternFactors(provisional, data.patternObserved, p * d), data.patternStart[p], data.patternStart[p + 1], stats, fixed);
  }
  return estimateParameters(stats, regularization, data);
}

/** Per column, 1 / its variance (1 for a constant column): distances are in standardized units. */
function inverseVariances(data: GmmData): Float64Array {
  return Float64Array.from(data.variance, (v) => 1 / (v || 1));
}

/**
 * Squared distance from unit u to the centre at centers[cOff ..] in standardized units, over
 * the observed cells scaled by D / o (complete rows, the first completeUnits units: all D).
 * Plain arguments rather than the data object: small enough for the JIT to inline.
 */
function partialDistance(data: GmmData, u: number, centers: Float64Array, cOff: number, inv: Float64Array): number {
  const { d, x } = data;
  return u < data.completeUnits ? completeDistance(x, u * d, d, centers, cOff, inv) : incompleteDistance(x, u * d, d, centers, cOff, inv);
}

function completeDistance(x: Float64Array, row: number, d: number, centers: Float64Array, cOff: number, inv: Float64Array): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = x[row + j] - centers[cOff + j];
    s += t * t * inv[j];
  }
  return s;
}

function incompleteDistance(x: Float64Array, row: number, d: number, centers: Float64Array, cOff: number, inv: Float64Array): number {
  let s = 0;
  let o = 0;
  for (let j = 0; j < d; j++) {
    const v = x[row + j];
    if (v !== v) continue;
    const t = v - centers[cOff + j];
    s += t * t * inv[j];
    o++;
  }
  return (s * d) / o;
}

/** Row u as a centre: its observed cells, the column means elsewhere. */
function rowAsCenter(data: GmmData, u: number, out: Float64Array, offset: number): void {
  for (let j = 0; j < data.d; j++) {
    const v = data.x[u * data.d + j];
    out[offset + j] = v === v ? v : data.center[j];
  }
}

/** Index of the first cumulative weight >= target (numpy's searchsorted, side="left"), clipped to n - 1. */
function searchCumulative(cum: Float64Array, target: number): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, cum.length - 1);
}

/** Greedy k-means++ seeding (scikit-learn's _kmeans_plusplus), weighted by row weights. Returns K x D centres. */
export function kmeansPlusPlus(data: GmmData, k: number, rng: Rng): Float64Array {
  const { d, units, weights } = data;
  const centers = new Float64Array(k * d);
  const inv = inverseVariances(data);
  const weightOf = (u: number): number => (weights === undefined ? 1 : weights[u]);
  const cum = new Float64Array(units);
  // first centre: drawn with probability proportional to the row weight
  let acc = 0;
  for (let u = 0; u < units; u++) cum[u] = acc += weightOf(u);
  rowAsCenter(data, searchCumulative(cum, rng.next() * acc), centers, 0);
  const closest = new Float64Array(units);
  let potential = 0;
  for (let u = 0; u < units; u++) {
    closest[u] = partialDistance(data, u, centers, 0, inv);
    potential += weightOf(u) * closest[u];
  }
  const trials = 2 + Math.floor(Math.log(k));
  const candidate = new Float64Array(d);
  for (let c = 1; c < k; c++) {
    acc = 0;
    for (let u = 0; u < units; u++) cum[u] = acc += weightOf(u) * closest[u];
    let bestUnit = 0;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      const unit = searchCumulative(cum, rng.next() * potential);
      rowAsCenter(data, unit, candidate, 0);
      let pot = 0;
      for (let u = 0; u < units; u++) pot += weightOf(u) * Math.min(closest[u], partialDistance(data, u, candidate, 0, inv));
      if (pot < bestPotential) {
        bestPotential = pot;
        bestUnit = unit;
      }
    }
    rowAsCenter(data, bestUnit, centers, c * d);
    potential = 0;
    for (let u = 0; u < units; u++) {
      const dist = partialDistance(data, u, centers, c * d, inv);
      if (dist < closest[u]) closest[u] = dist;
      potential += weightOf(u) * closest[u];
    }
  }
  return centers;
}

/**
 * Lloyd's k-means steps from `centers` (updated in place). A cluster left empty is moved to the
 * row farthest from its own centre. Returns the labels of the final centres.
 */
export function lloyd(data: GmmData, centers: Float64Array, maxSteps: number): Int32Array {
  const { d, units, weights, x } = data;
  const k = centers.length / d;
  const labels = new Int32Array(units).fill(-1);
  const distance = new Float64Array(units);
  // scikit-learn's KMeans tol (1e-4 of the mean column variance), in standardized units
  const tolerance = 1e-4;
  const inv = inverseVariances(data);
  const assign = (): number => {
    let changed = 0;
    for (let u = 0; u < units; u++) {
      let best = 0;
      let bestDist = Infinity;
      for (let c = 0; c < k; c++) {
        const dist = partialDistance(data, u, centers, c * d, inv);
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      distance[u] = bestDist;
      if (labels[u] !== best) changed++;
      labels[u] = best;
    }
    return changed;
  };
  assign();
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k * d);
  const clusterMass = new Float64Array(k);
  for (let step = 0; step < maxSteps; step++) {
    sums.fill(0);
    mass.fill(0);
    clusterMass.fill(0);
    for (let u = 0; u < units; u++) {
      const c = labels[u];
      const wu = weights === undefined ? 1 : weights[u];
      clusterMass[c] += wu;
      for (let j = 0; j < d; j++) {
        const v = x[u * d + j];
        if (v !== v) continue;
        sums[c * d + j] += wu * v;
        mass[c * d + j] += wu;
      }
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (clusterMass[c] > 0) {
        for (let j = 0; j < d; j++) {
          if (mass[c * d + j] === 0) continue;
          const v = sums[c * d + j] / mass[c * d + j];
          shift += (v - centers[c * d + j]) ** 2 / (data.variance[j] || 1);
          centers[c * d + j] = v;
        }
      } else {
        // relocate an empty cluster onto the row worst served by its centre
        let far = 0;
        for (let u = 1; u < units; u++) if (distance[u] > distance[far]) far = u;
        const before = centers.slice(c * d, (c + 1) * d);
        rowAsCenter(data, far, centers, c * d);
        distance[far] = 0;
        for (let j = 0; j < d; j++) shift += (centers[c * d + j] - before[j]) ** 2 / (data.variance[j] || 1);
      }
    }
    const changed = assign();
    if (changed === 0 || shift <= tolerance) break;
  }
  return labels;
}
