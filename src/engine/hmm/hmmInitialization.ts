/**
 * Random initial parameters for one start (deterministic given the Rng):
 * - start and transition rows: nearly uniform, p_j proportional to 1 + u_j with u_j ~ U[0, 1),
 *   so that starts differ but no row favors a state strongly (hmmlearn starts uniform);
 * - Gaussian emissions ("kmeans++", the default): the means are the k-means centers of the
 *   observed steps (missing cells filled with the column mean, for this purpose only), every
 *   state gets the pooled within-cluster covariance, plus `fit.regularization` on the diagonal
 *   and cast to the covariance type; ("random"): means at K observations drawn at random and the
 *   total covariance;
 * - categorical emissions: each state's row drawn from the flat Dirichlet(1).
 */
import { InputError } from '../../shared/errors';
import type { Rng } from '../rng';
import { choleskyInPlace } from './denseMatrix';
import { ALL_MISSING, type CategoricalObservations, type GaussianObservations, type HmmData } from './hmmData';
import type { CategoricalEmissionParameters, GaussianEmissionParameters, HmmParameters } from './hmmParameters';
import { kMeans, kMeansPlusPlusCenters } from './kmeans';

/** Lloyd iterations after seeding: the init needs rough centers, not converged ones. */
const KMEANS_ITERATIONS = 10;

function nearlyUniformRow(n: number, rng: Rng, out: Float64Array, offset: number): void {
  let s = 0;
  for (let j = 0; j < n; j++) {
    const v = 1 + rng.next();
    out[offset + j] = v;
    s += v;
  }
  for (let j = 0; j < n; j++) out[offset + j] /= s;
}

export function initializeHmm(data: HmmData, rng: Rng): HmmParameters {
  const K = data.states;
  const start = new Float64Array(K);
  nearlyUniformRow(K, rng, start, 0);
  const transitions = new Float64Array(K * K);
  for (let i = 0; i < K; i++) nearlyUniformRow(K, rng, transitions, i * K);
  const obs = data.observations;
  switch (obs.kind) {
    case 'gaussian':
      return { states: K, start, transitions, emission: initialGaussian(obs, data, rng) };
    case 'categorical':
      return { states: K, start, transitions, emission: initialCategorical(obs, K, rng) };
    default: {
      const never: never = obs;
      throw new Error(`unknown observations ${JSON.stringify(never)}`);
    }
  }
}

function initialCategorical(obs: CategoricalObservations, K: number, rng: Rng): CategoricalEmissionParameters {
  const M = obs.symbols.length;
  const probabilities = new Float64Array(K * M);
  for (let k = 0; k < K; k++) probabilities.set(rng.dirichlet(M, 1), k * M);
  return { kind: 'categorical', column: obs.column, symbols: obs.symbols, probabilities };
}

function initialGaussian(obs: GaussianObservations, data: HmmData, rng: Rng): GaussianEmissionParameters {
  const K = data.states;
  const D = obs.dim;
  const DD = D * D;
  // The observed steps, missing cells filled with the column mean.
  let n = 0;
  for (let i = 0; i < obs.pattern.length; i++) if (obs.pattern[i] !== ALL_MISSING) n++;
  const points = new Float64Array(n * D);
  for (let i = 0, r = 0; i < obs.pattern.length; i++) {
    if (obs.pattern[i] === ALL_MISSING) continue;
    for (let a = 0; a < D; a++) {
      const v = obs.values[i * D + a];
      points[r * D + a] = Number.isNaN(v) ? obs.center[a] : v;
    }
    r++;
  }
  let centers: Float64Array;
  const scatter = new Float64Array(DD);
  // diag and spherical keep only the scatter's diagonal (castCovariance): O(N D), not O(N D^2)
  const diagonalOnly = obs.covariance === 'diag' || obs.covariance === 'spherical';
  if (data.initMethod === 'random') {
    centers = new Float64Array(K * D);
    for (let k = 0; k < K; k++) {
      const i = rng.int(n);
      centers.set(points.subarray(i * D, (i + 1) * D), k * D);
    }
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < D; a++) for (let b = diagonalOnly ? a : 0; b < (diagonalOnly ? a + 1 : D); b++) scatter[a * D + b] += (points[i * D + a] - obs.center[a]) * (points[i * D + b] - obs.center[b]);
    }
  } else {
    const result = kMeans(points, n, D, K, kMeansPlusPlusCenters(points, n, D, K, rng), KMEANS_ITERATIONS);
    centers = result.centers;
    for (let i = 0; i < n; i++) {
      const k = result.labels[i];
      for (let a = 0; a < D; a++) for (let b = diagonalOnly ? a : 0; b < (diagonalOnly ? a + 1 : D); b++) scatter[a * D + b] += (points[i * D + a] - centers[k * D + a]) * (points[i * D + b] - centers[k * D + b]);
    }
  }
  for (let i = 0; i < DD; i++) scatter[i] /= n;
  const pooled = castCovariance(scatter, D, obs.covariance);
  for (let a = 0; a < D; a++) pooled[a * D + a] += obs.regularization;
  // a diagonal matrix is positive definite when its diagonal is (what the O(D^3) Cholesky would find)
  let positiveDefinite = true;
  if (diagonalOnly) for (let a = 0; a < D; a++) positiveDefinite &&= pooled[a * D + a] > 0 && Number.isFinite(pooled[a * D + a]);
  else positiveDefinite = choleskyInPlace(pooled.slice(), D);
  if (!positiveDefinite) {
    throw new InputError(`the observations of ${obs.columns.join(', ')} have no spread in some direction, so no initial covariance is positive definite; set "fit.regularization" above 0 or drop a constant column`, { file: data.modelFile });
  }
  const covariances = new Float64Array(K * DD);
  for (let k = 0; k < K; k++) covariances.set(pooled, k * DD);
  return { kind: 'gaussian', columns: obs.columns, dim: D, covariance: obs.covariance, means: centers, covariances };
}

/** A full D x D covariance reduced to the entries the type keeps (diag: the diagonal; spherical: its mean times I). */
function castCovariance(full: Float64Array, D: number, type: GaussianObservations['covariance']): Float64Array {
  const out = new Float64Array(D * D);
  switch (type) {
    case 'full':
    case 'tied':
      out.set(full);
      return out;
    case 'diag':
      for (let a = 0; a < D; a++) out[a * D + a] = full[a * D + a];
      return out;
    case 'spherical': {
      let v = 0;
      for (let a = 0; a < D; a++) v += full[a * D + a];
      for (let a = 0; a < D; a++) out[a * D + a] = v / D;
      return out;
    }
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${JSON.stringify(never)}`);
    }
  }
}
