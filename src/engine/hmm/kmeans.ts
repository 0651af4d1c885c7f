/**
 * k-means for initializing Gaussian emissions: k-means++ seeding (Arthur & Vassilvitskii 2007,
 * "k-means++: the advantages of careful seeding": each new center drawn with probability
 * proportional to the squared distance to the nearest center so far) followed by Lloyd
 * iterations. Deterministic given the Rng. Cost O(n K D) per iteration.
 */
import type { Rng } from '../rng';

export interface KMeansResult {
  /** K x D, row-major. */
  readonly centers: Float64Array;
  /** n: the center of each point. */
  readonly labels: Int32Array;
}

/** Index drawn with probability weights[i] / sum(weights); uniform when all weights are 0. */
function drawIndex(weights: Float64Array, n: number, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  if (!(total > 0)) return rng.int(n);
  let u = rng.next() * total;
  for (let i = 0; i < n; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return n - 1;
}

function squaredDistance(points: Float64Array, i: number, centers: Float64Array, k: number, D: number): number {
  let s = 0;
  for (let a = 0; a < D; a++) {
    const d = points[i * D + a] - centers[k * D + a];
    s += d * d;
  }
  return s;
}

/** k-means++ centers for the n points (n x D). */
export function kMeansPlusPlusCenters(points: Float64Array, n: number, D: number, K: number, rng: Rng): Float64Array {
  const centers = new Float64Array(K * D);
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = rng.int(n);
  for (let k = 0; k < K; k++) {
    if (k > 0) chosen = drawIndex(nearest, n, rng);
    centers.set(points.subarray(chosen * D, (chosen + 1) * D), k * D);
    for (let i = 0; i < n; i++) {
      const d = squaredDistance(points, i, centers, k, D);
      if (d < nearest[i]) nearest[i] = d;
    }
  }
  return centers;
}

/** Lloyd iterations from `centers` (modified in place) until no label changes or `maxIterations`. */
export function kMeans(points: Float64Array, n: number, D: number, K: number, centers: Float64Array, maxIterations: number): KMeansResult {
  const labels = new Int32Array(n).fill(-1);
  const sums = new Float64Array(K * D);
  const counts = new Float64Array(K);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let arg = 0;
      for (let k = 0; k < K; k++) {
        const d = squaredDistance(points, i, centers, k, D);
        if (d < best) {
          best = d;
          arg = k;
        }
      }
      if (labels[i] !== arg) {
        labels[i] = arg;
        changed++;
      }
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const k = labels[i];
      counts[k]++;
      for (let a = 0; a < D; a++) sums[k * D + a] += points[i * D + a];
    }
    // An empty cluster keeps its center.
    for (let k = 0; k < K; k++) if (counts[k] > 0) for (let a = 0; a < D; a++) centers[k * D + a] = sums[k * D + a] / counts[k];
  }
  return { centers, labels };
}
