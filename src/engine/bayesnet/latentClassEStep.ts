/**
 * The E-step of a latent-class network without the junction tree: one hidden variable H with no
 * parents, and every other variable an observed child of H alone (the `latent-class` kind, and
 * any `bayesnet` of that shape). The junction tree of such a network is a star of cliques
 * {H, X_j}; exact inference on it reduces to one log-sum-exp over the K states of H per
 * pattern, which this file does directly, with no per-pattern bookkeeping (consistent-entry
 * lists, messages, calibration). Issue 7's case (1e6 rows, 6 columns, K = 3: 576 patterns),
 * Node 20 on its 2-core machine: 0.07 ms per E-step against the propagation's 0.64 ms once V8
 * has optimized both, and 0.65 against 8 ms in V8's baseline code, which runs the first
 * iterations of a fit, until the optimizing compiler (a background thread, slower while other
 * work holds the cores) is done: a fit's E-steps 2 to 7 took about 0.2-0.8 ms each here.
 *
 * Per pattern x with observed cells O and missing cells M (tutorial, "Expectation step"):
 *   log p(x, H=k)   = log pi_k + sum_{j in O} log theta_j[k, x_j]   (a missing cell: its CPT row sums to 1)
 *   log p(x)        = m + log sum_k exp(log p(x, H=k) - m),  m = max_k log p(x, H=k)
 *   q(k)            = exp(log p(x, H=k) - log p(x))
 *   expected counts:  n[H=k] += w q(k);  n_j[k, x_j] += w q(k) for j in O;
 *                     n_j[k, s] += w q(k) theta_j[k, s] for j in M (the cell "filled with its
 *                     distribution", tutorial example 1, opt. 3: given H = k it is theta_j[k, .])
 *   E_q[log p(x, z)] = sum_k q(k) (log p(x, H=k) + sum_{j in M} sum_s theta_j[k, s] log theta_j[k, s])
 * and H(q) = log p(x) - E_q[log p(x, z)] (Gibbs' identity), as the general E-step computes them:
 * the two agree to rounding (test/unit/bayesnetLatentClass.test.ts). Zero cells are skipped in
 * every expectation (0 log 0 = 0), as there.
 */
import type { EStepOutput } from '../family';
import { CompensatedSum } from '../numerics';
import type { BayesNetwork } from './network';
import type { BayesNetData, BayesNetStats, ObservedPatterns } from './types';

/** Where the latent-class E-step finds its CPTs in the flat parameter vector (network.ts layout). */
export interface LatentClassShape {
  /** K: states of the hidden variable. */
  readonly classes: number;
  /** cptOffset of the hidden variable: its K cells are pi_0..pi_{K-1}. */
  readonly classOffset: number;
  /** Per pattern column j (C): cptOffset of the observed variable read there; cell (k, s) at childOffset[j] + k * childCard[j] + s. */
  readonly childOffset: Int32Array;
  /** Per pattern column j (C): states of that variable. */
  readonly childCard: Int32Array;
}

const shapes = new WeakMap<BayesNetwork, LatentClassShape | null>();

/** The shape of `network` when it is a latent-class network (see the file's comment), else undefined. Cached per network. */
export function latentClassShape(network: BayesNetwork): LatentClassShape | undefined {
  let shape = shapes.get(network);
  if (shape === undefined) {
    shape = findShape(network);
    shapes.set(network, shape);
  }
  return shape ?? undefined;
}

function findShape(network: BayesNetwork): LatentClassShape | null {
  let hidden = -1;
  for (let v = 0; v < network.names.length; v++) {
    if (!network.hidden[v]) continue;
    if (hidden >= 0) return null; // two hidden variables
    hidden = v;
  }
  if (hidden < 0 || network.parents[hidden].length !== 0) return null;
  const width = network.observed.length;
  if (width === 0) return null;
  const childOffset = new Int32Array(width);
  const childCard = new Int32Array(width);
  for (let j = 0; j < width; j++) {
    const v = network.observed[j];
    const parents = network.parents[v];
    if (parents.length !== 1 || parents[0] !== hidden) return null;
    childOffset[j] = network.cptOffset[v];
    childCard[j] = network.cards[v];
  }
  return { classes: network.cards[hidden], classOffset: network.cptOffset[hidden], childOffset, childCard };
}

/**
 * The pattern columns cut into contiguous groups, and each pattern's combination of values in
 * each group. Per E-step a group's table holds sum_{j in group} log theta_j[k, x_j] for every
 * combination of its values, so a pattern adds G table rows instead of C single cells, and its
 * posterior is added to one row per group, spread over the columns' counts after the loop.
 * Groups are large enough to cut the per-pattern work (issue 7's 576 patterns of 6 columns of
 * 2, 3, 4, 2, 3, 4 levels make a group of 48 combinations and one of 12: 1.7 times faster than
 * cell by cell, compiled or not; 12 four-level columns, K = 5, 43,000 patterns: 4.7 times) and
 * small enough that filling and spreading their tables
 * costs a fraction of the pattern loop: at most MAX_GROUP_SHARE of the patterns' number of
 * combinations (so one column per group for data with few patterns).
 */
export interface ColumnGroups {
  /** G + 1: group g holds pattern columns [first[g], first[g + 1]). */
  readonly first: Int32Array;
  /** C: the values of column j in a combination: its states, then "missing" when some pattern misses it. */
  readonly radix: Int32Array;
  /** G + 1: start of group g's rows in the concatenated tables (rows of K entries). */
  readonly rowStart: Int32Array;
  /** P x G, row-major: the combination of pattern p's values in group g (first column most significant). */
  readonly comboOf: Int32Array;
}

/** A group has at most this share of the patterns as combinations (and at most MAX_GROUP_COMBOS). */
const MAX_GROUP_SHARE = 1 / 8;
const MAX_GROUP_COMBOS = 4096;

const groupsByPatterns = new WeakMap<ObservedPatterns, ColumnGroups>();

/** The column groups of `patterns` (computed once per patterns object: they depend on the data alone). */
export function columnGroups(shape: LatentClassShape, patterns: ObservedPatterns): ColumnGroups {
  let groups = groupsByPatterns.get(patterns);
  if (groups === undefined) {
    groups = groupColumns(shape.childCard, patterns);
    groupsByPatterns.set(patterns, groups);
  }
  return groups;
}

function groupColumns(cards: Int32Array, patterns: ObservedPatterns): ColumnGroups {
  const width = cards.length;
  const patternCount = patterns.counts.length;
  const codes = patterns.codes;
  const radix = Int32Array.from(cards);
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0) radix[i % width] = cards[i % width] + 1;
  const limit = Math.min(MAX_GROUP_COMBOS, patternCount * MAX_GROUP_SHARE);
  const first = [0];
  const rowStart = [0];
  let combos = radix[0];
  for (let j = 1; j < width; j++) {
    if (combos * radix[j] <= limit) {
      combos *= radix[j];
      continue;
    }
    first.push(j);
    rowStart.push(rowStart[rowStart.length - 1] + combos);
    combos = radix[j];
  }
  first.push(width);
  rowStart.push(rowStart[rowStart.length - 1] + combos);
  const groupCount = first.length - 1;
  const comboOf = new Int32Array(patternCount * groupCount);
  for (let p = 0; p < patternCount; p++) {
    for (let g = 0; g < groupCount; g++) {
      let combo = 0;
      for (let j = first[g]; j < first[g + 1]; j++) {
        const x = codes[p * width + j];
        combo = combo * radix[j] + (x < 0 ? cards[j] : x);
      }
      comboOf[p * groupCount + g] = combo;
    }
  }
  return { first: Int32Array.from(first), radix, rowStart: Int32Array.from(rowStart), comboOf };
}

/**
 * The group tables under `theta` (rows x K, the groups' rows concatenated): `observed` holds
 * sum over the combination's observed cells of log theta_j[k, x_j] (and, for a missing cell,
 * the log of its CPT row's sum: 0 for a proper row, as the junction tree sums the row);
 * `missing` holds what E_q[log p(x, z)] adds to that for its missing cells: sum_s f_s log
 * theta_j[k, s] (f = the row over its sum, zero cells left out), the filled cell's expected log
 * CPT cell given H = k, less the log of the row's sum. Both must come in zeroed. Each group's
 * table is grown one column at a time, in place from its end: row c x r + d of the longer
 * table = row c of the shorter + column j's term for value d (no division per row).
 */
function fillGroupTables(shape: LatentClassShape, groups: ColumnGroups, theta: Float64Array, logTheta: Float64Array, observed: Float64Array, missing: Float64Array): void {
  const { classes, childOffset, childCard } = shape;
  const { first, radix, rowStart } = groups;
  const missingLogTotal = new Float64Array(classes); // K: the column's log row sums
  const missingExpected = new Float64Array(classes); // K: its filled cell's expected log, less that
  for (let g = 0; g + 1 < first.length; g++) {
    const base = rowStart[g] * classes;
    let size = 1;
    for (let j = first[g]; j < first[g + 1]; j++) {
      const r = radix[j];
      const card = childCard[j];
      const offset = childOffset[j];
      if (r > card) {
        // a missing cell: p = sum_s theta (1 for a proper CPT row), filled with theta / that sum
        for (let k = 0; k < classes; k++) {
          const cells = offset + k * card;
          let total = 0;
          for (let s = 0; s < card; s++) total += theta[cells + s];
          const logTotal = Math.log(total);
          let expected = -logTotal;
          for (let s = 0; s < card; s++) if (theta[cells + s] > 0) expected += (theta[cells + s] / total) * logTheta[cells + s];
          missingLogTotal[k] = logTotal;
          missingExpected[k] = expected;
        }
      }
      for (let c = size - 1; c >= 0; c--) {
        const from = base + c * classes;
        for (let d = r - 1; d >= 0; d--) {
          const to = base + (c * r + d) * classes;
          for (let k = 0; k < classes; k++) {
            const m = missing[from + k];
            if (d < card) {
              observed[to + k] = observed[from + k] + logTheta[offset + k * card + d];
              missing[to + k] = m;
            } else {
              observed[to + k] = observed[from + k] + missingLogTotal[k];
              missing[to + k] = m + missingExpected[k];
            }
          }
        }
      }
      size *= r;
    }
  }
}

/**
 * expectedCounts += the group rows' summed posteriors `posteriorSums` (rows x K), spread over
 * their columns: to the cell of an observed value, or to every state of a missing one in
 * proportion to theta_j[k, .] (tutorial example 1, opt. 3). Each group's table is summed over
 * its last column's values, which gives that column's counts and a shorter table, and so on to
 * the first: in place, so `posteriorSums` is spent.
 */
function spreadGroupSums(shape: LatentClassShape, groups: ColumnGroups, theta: Float64Array, posteriorSums: Float64Array, expectedCounts: Float64Array): void {
  const { classes, childOffset, childCard } = shape;
  const { first, radix, rowStart } = groups;
  const missingSums = new Float64Array(classes); // K: summed w q(k) of the rows missing the column
  for (let g = 0; g + 1 < first.length; g++) {
    const base = rowStart[g] * classes;
    let size = rowStart[g + 1] - rowStart[g];
    for (let j = first[g + 1] - 1; j >= first[g]; j--) {
      const r = radix[j];
      const card = childCard[j];
      const offset = childOffset[j];
      size /= r;
      missingSums.fill(0);
      for (let c = 0; c < size; c++) {
        const to = base + c * classes;
        for (let k = 0; k < classes; k++) {
          let sum = 0;
          for (let d = 0; d < r; d++) {
            const v = posteriorSums[base + (c * r + d) * classes + k];
            sum += v;
            if (d < card) expectedCounts[offset + k * card + d] += v;
            else missingSums[k] += v;
          }
          posteriorSums[to + k] = sum;
        }
      }
      if (r > card) {
        for (let k = 0; k < classes; k++) {
          if (missingSums[k] === 0) continue;
          const cells = offset + k * card;
          let total = 0;
          for (let s = 0; s < card; s++) total += theta[cells + s];
          for (let s = 0; s < card; s++) expectedCounts[cells + s] += missingSums[k] * (theta[cells + s] / total);
        }
      }
    }
  }
}

/**
 * The pattern loop of latentClassEStep: for each weighted pattern p in [start, end), log p(x)
 * by log-sum-exp over log p(x, H = k) = logPrior[k] + its G table rows of `observedLog`, and
 * w q(k) added to those rows of `posteriorSums`. Returns the summed w log p(x) (compensated,
 * Neumaier), or -Infinity at the first impossible pattern. A function of its own, apart from
 * the tables around it, so that V8 optimizes it soon: a small function compiles in a few
 * milliseconds, and until it has, every iteration runs it as baseline code (about ten times
 * slower, and boxing every double it computes).
 */
function addPatterns(
  counts: Float64Array, // P: pattern weights
  comboOf: Int32Array, // P x G: each pattern's row in each group
  rowStart: Int32Array, // G + 1
  classes: number,
  logPrior: Float64Array, // K: log pi_k
  observedLog: Float64Array, // rows x K
  posteriorSums: Float64Array, // rows x K, added to
  start: number,
  end: number,
): number {
  const groupCount = rowStart.length - 1;
  const logJoint = new Float64Array(classes); // K: log p(observed cells, H = k), then q(k) x its sum
  let llSum = 0;
  let llCompensation = 0;
  for (let p = start; p < end; p++) {
    const weight = counts[p];
    if (weight === 0) continue; // dropped rows and zero-weight rows add nothing (and may be impossible)
    for (let k = 0; k < classes; k++) logJoint[k] = logPrior[k];
    for (let g = 0; g < groupCount; g++) {
      const row = (rowStart[g] + comboOf[p * groupCount + g]) * classes;
      for (let k = 0; k < classes; k++) logJoint[k] += observedLog[row + k];
    }
    let max = -Infinity;
    for (let k = 0; k < classes; k++) if (logJoint[k] > max) max = logJoint[k];
    if (max === -Infinity) return -Infinity;
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const e = Math.exp(logJoint[k] - max);
      logJoint[k] = e;
      sum += e;
    }
    const scale = weight / sum;
    for (let g = 0; g < groupCount; g++) {
      const row = (rowStart[g] + comboOf[p * groupCount + g]) * classes;
      for (let k = 0; k < classes; k++) posteriorSums[row + k] += logJoint[k] * scale;
    }
    const a = weight * (max + Math.log(sum));
    const t = llSum + a;
    llCompensation += Math.abs(llSum) >= Math.abs(a) ? llSum - t + a : a - t + llSum;
    llSum = t;
  }
  return llSum + llCompensation;
}

/**
 * E-step over patterns [start, end) of a latent-class network `shape` under CPT cells `theta`.
 *
 * The pattern loop does only what each pattern needs: its log p(x, H = k) from G table rows, a
 * log-sum-exp, and w q(k) added to its G rows. Everything else is summed over table rows after
 * it: the class counts (group 0's rows hold every pattern once), the column counts
 * (spreadGroupSums), and E_q[log p(x, z)] = sum_k n[H=k] log pi_k + sum over rows and k of
 * (summed w q(k)) x (the row's expected log terms), so the entropy is the log-likelihood less
 * that, as the sum over patterns of w (log p(x) - E_q[log p(x, z)]) would give it.
 * The log-likelihood sum is compensated (Neumaier, as numerics.ts CompensatedSum) in local
 * variables rather than a CompensatedSum object: an object field that starts as the integer 0
 * and then holds doubles changes its hidden class, which discards V8's optimized code for the
 * loop once. The loop is kept this small because the first iterations of every fit run it
 * before V8 has optimized it (issue 7's case: all of iterations 1 to 6).
 */
export function latentClassEStep(shape: LatentClassShape, data: BayesNetData, theta: Float64Array, start: number, end: number): EStepOutput<BayesNetStats> {
  const { classes, classOffset } = shape;
  const counts = data.patterns.counts;
  const groups = columnGroups(shape, data.patterns);
  const { comboOf, rowStart } = groups;
  const groupCount = rowStart.length - 1;
  const logTheta = new Float64Array(theta.length); // -Infinity for a zero cell
  for (let i = 0; i < theta.length; i++) logTheta[i] = Math.log(theta[i]);
  const rows = rowStart[groupCount];
  const observedLog = new Float64Array(rows * classes);
  const missingLog = new Float64Array(rows * classes);
  fillGroupTables(shape, groups, theta, logTheta, observedLog, missingLog);
  const posteriorSums = new Float64Array(rows * classes); // sum over patterns of w q(k), per group row
  const expectedCounts = new Float64Array(theta.length);
  const logLikelihood = addPatterns(counts, comboOf, rowStart, classes, logTheta.subarray(classOffset, classOffset + classes), observedLog, posteriorSums, start, end);
  if (logLikelihood === -Infinity) return { logLikelihood, stats: { expectedCounts, entropy: 0 } };
  // class counts: every pattern added w q(k) to exactly one row of group 0
  for (let row = rowStart[0]; row < rowStart[1]; row++) {
    for (let k = 0; k < classes; k++) expectedCounts[classOffset + k] += posteriorSums[row * classes + k];
  }
  // E_q[log p(x, z)] summed over the patterns; a zero sum is skipped (its log term may be -Infinity: 0 log 0 = 0)
  const expectedLogJoint = new CompensatedSum();
  for (let k = 0; k < classes; k++) {
    const n = expectedCounts[classOffset + k];
    if (n > 0) expectedLogJoint.add(n * logTheta[classOffset + k]);
  }
  for (let i = 0; i < rows * classes; i++) {
    if (posteriorSums[i] > 0) expectedLogJoint.add(posteriorSums[i] * (observedLog[i] + missingLog[i]));
  }
  spreadGroupSums(shape, groups, theta, posteriorSums, expectedCounts); // last: it spends posteriorSums
  return { logLikelihood, stats: { expectedCounts, entropy: logLikelihood - expectedLogJoint.value } };
}
