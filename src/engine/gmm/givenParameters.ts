/**
 * Explicit initial parameters of a Gaussian mixture, as written in the model file
 * (`fit.init: { "weights": [K], "means": [K][D], "covariances": ... }`, covariances in the
 * layout of the covariance type: full [K][D][D], diag [K][D], spherical [K], tied [D][D]),
 * checked for shape, finiteness, symmetry and positive definiteness. Every problem is an
 * InputError that says where and what.
 */
import { InputError } from '../../shared/errors';
import type { CovarianceType } from '../../shared/modelSpec';
import { choleskyInPlace } from './denseCholesky';
import type { GmmCore } from './gmmParameters';
import { covarianceLength } from './gmmParameters';

/** How far the given weights may sum from 1 before they are refused (scikit-learn checks allclose). */
const WEIGHT_SUM_TOLERANCE = 1e-6;

export function parseGivenParameters(init: unknown, type: CovarianceType, k: number, columns: readonly string[], modelFile: string): GmmCore {
  const d = columns.length;
  const fail = (message: string): never => {
    throw new InputError(message, { file: modelFile });
  };
  if (typeof init !== 'object' || init === null || Array.isArray(init)) fail('fit.init must be "kmeans++", "random", or an object { "weights", "means", "covariances" }');
  const obj = init as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key !== 'weights' && key !== 'means' && key !== 'covariances') fail(`fit.init has an unknown key "${key}" (expected "weights", "means", "covariances")`);
  }
  for (const key of ['weights', 'means', 'covariances']) if (!(key in obj)) fail(`fit.init lacks "${key}"`);

  const vector = (v: unknown, n: number, path: string, what: string): Float64Array => {
    if (!Array.isArray(v)) return fail(`${path} must be a list of ${n} numbers (${what})`);
    if (v.length !== n) return fail(`${path} has ${v.length} ${v.length === 1 ? 'entry' : 'entries'}, but ${n} are needed (${what})`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${i}] must be a finite number, not ${JSON.stringify(x)}`);
      out[i] = x as number;
    }
    return out;
  };
  const list = (v: unknown, n: number, path: string, what: string): unknown[] => {
    if (!Array.isArray(v)) return fail(`${path} must be a list of ${n} ${what}`);
    if (v.length !== n) return fail(`${path} has ${v.length} ${v.length === 1 ? 'entry' : 'entries'}, but ${n} are needed (${what})`);
    return v;
  };
  const columnList = `${d} column${d === 1 ? '' : 's'}: ${columns.join(', ')}`;

  const weights = vector(obj.weights, k, 'fit.init.weights', `one per component, K = ${k}`);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    if (weights[c] < 0) fail(`fit.init.weights[${c}] is negative (${weights[c]})`);
    sum += weights[c];
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) fail(`fit.init.weights sum to ${sum}, not 1`);
  for (let c = 0; c < k; c++) weights[c] /= sum;

  const means = new Float64Array(k * d);
  const meanRows = list(obj.means, k, 'fit.init.means', `rows, one per component (K = ${k})`);
  for (let c = 0; c < k; c++) means.set(vector(meanRows[c], d, `fit.init.means[${c}]`, columnList), c * d);

  const covariances = new Float64Array(covarianceLength(type, k, d));
  /** Read a D x D symmetric positive-definite matrix at `path` into covariances[offset ..]. */
  const matrix = (v: unknown, path: string, offset: number): void => {
    const rows = list(v, d, path, `rows of a ${d} x ${d} covariance matrix (${columnList})`);
    for (let r = 0; r < d; r++) covariances.set(vector(rows[r], d, `${path}[${r}]`, `a row of a ${d} x ${d} covariance matrix`), offset + r * d);
    for (let r = 0; r < d; r++) {
      for (let c = r + 1; c < d; c++) {
        const a = covariances[offset + r * d + c];
        const b = covariances[offset + c * d + r];
        const scale = Math.sqrt(Math.abs(covariances[offset + r * d + r] * covariances[offset + c * d + c]));
        if (Math.abs(a - b) > 1e-8 * Math.max(scale, Number.MIN_VALUE)) fail(`${path} is not symmetric: entry [${r}][${c}] is ${a} but [${c}][${r}] is ${b}`);
        covariances[offset + r * d + c] = covariances[offset + c * d + r] = (a + b) / 2;
      }
    }
    if (!choleskyInPlace(covariances.slice(offset, offset + d * d), 0, d)) fail(`${path} is not positive definite (a Gaussian's covariance matrix must be; check for collinear columns or a zero variance)`);
  };
  switch (type) {
    case 'full': {
      const blocks = list(obj.covariances, k, 'fit.init.covariances', `${d} x ${d} matrices, one per component (covariance "full")`);
      for (let c = 0; c < k; c++) matrix(blocks[c], `fit.init.covariances[${c}]`, c * d * d);
      break;
    }
    case 'tied':
      matrix(obj.covariances, 'fit.init.covariances', 0);
      break;
    case 'diag': {
      const rows = list(obj.covariances, k, 'fit.init.covariances', `rows of ${d} variances, one per component (covariance "diag")`);
      for (let c = 0; c < k; c++) covariances.set(vector(rows[c], d, `fit.init.covariances[${c}]`, `variances of ${columnList}`), c * d);
      for (let i = 0; i < k * d; i++) if (!(covariances[i] > 0)) fail(`fit.init.covariances[${Math.floor(i / d)}][${i % d}] is ${covariances[i]}; a variance must be > 0`);
      break;
    }
    case 'spherical': {
      covariances.set(vector(obj.covariances, k, 'fit.init.covariances', `one variance per component (covariance "spherical")`));
      for (let c = 0; c < k; c++) if (!(covariances[c] > 0)) fail(`fit.init.covariances[${c}] is ${covariances[c]}; a variance must be > 0`);
      break;
    }
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
  return { covariance: type, k, d, weights, means, covariances };
}
