/**
 * Explicit initial parameters from the model file's `init`, validated with messages that name
 * the offending entry. Shape (the results shape of DESIGN.md, so a result can be pasted back):
 *   {
 *     "startProbabilities": [K],
 *     "transitions": [K][K],                       // row i: P(next state | state i)
 *     "emission": { "means": [K][D], "covariances": full [K][D][D] | diag [K][D] | spherical [K] | tied [D][D] }
 *              |  { "probabilities": [K][M], "symbols"?: [M] }
 *   }
 * Probability rows must be non-negative and sum to 1 within 1e-6 (they are then rescaled to
 * sum exactly 1). Categorical rows follow the data's symbols, or `symbols` when given (every
 * symbol in the data must then be among them). Covariances must be symmetric positive definite.
 * With a prior (pseudo-count > 0) every probability must be positive: the MAP objective is
 * -infinity at a zero. The other fields of a result (`kind`, `covariance`, `columns`, `column`)
 * are accepted and must agree with the model, so a fitted result can serve as an init.
 */
import type { CovarianceType } from '../../shared/modelSpec';
import { InputError } from '../../shared/errors';
import { choleskyInPlace, isSymmetric } from './denseMatrix';
import type { HmmObservations } from './hmmData';
import type { EmissionParameters, HmmParameters } from './hmmParameters';

/** Rows of probabilities must sum to 1 within this. */
const SUM_TOLERANCE = 1e-6;

interface Context {
  readonly modelFile: string;
  readonly states: number;
  readonly prior: number;
}

function fail(ctx: Pick<Context, 'modelFile'>, message: string): never {
  throw new InputError(message, { file: ctx.modelFile });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function numberArray(ctx: Context, v: unknown, path: string, length: number, what: string): number[] {
  if (!Array.isArray(v)) fail(ctx, `${path} must be an array of ${length} ${what}`);
  if (v.length !== length) fail(ctx, `${path} has ${v.length} entries; the model needs ${length} (${what})`);
  return v.map((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(ctx, `${path}[${i}] must be a finite number, not ${JSON.stringify(x)}`);
    return x;
  });
}

function probabilityRow(ctx: Context, v: unknown, path: string, length: number, what: string, out: Float64Array, offset: number): void {
  const row = numberArray(ctx, v, path, length, what);
  let sum = 0;
  row.forEach((p, i) => {
    if (p < 0) fail(ctx, `${path}[${i}] is ${p}: probabilities cannot be negative`);
    if (p === 0 && ctx.prior > 0) fail(ctx, `${path}[${i}] is 0, but with "prior" ${ctx.prior} every probability must be positive (the prior gives 0 density there); give a small positive value or set "prior" to 0`);
    sum += p;
  });
  if (Math.abs(sum - 1) > SUM_TOLERANCE) fail(ctx, `${path} sums to ${sum}, not 1`);
  row.forEach((p, i) => (out[offset + i] = p / sum));
}

/** `init.emission.symbols`, when the init gives them (validated: distinct strings). */
export function givenSymbols(init: unknown, modelFile: string): string[] | undefined {
  if (!isRecord(init) || !isRecord(init.emission) || init.emission.symbols === undefined) return undefined;
  const symbols = init.emission.symbols;
  const ctx = { modelFile };
  if (!Array.isArray(symbols) || symbols.length === 0) fail(ctx, 'init.emission.symbols must be a non-empty array of symbols');
  const out = symbols.map((s, i) => {
    if (typeof s !== 'string' && typeof s !== 'number') fail(ctx, `init.emission.symbols[${i}] must be a string`);
    return String(s);
  });
  const seen = new Set<string>();
  for (const s of out) {
    if (seen.has(s)) fail(ctx, `init.emission.symbols lists "${s}" twice`);
    seen.add(s);
  }
  return out;
}

/** Parse and validate `init` against the model (K states) and its observations. */
export function parseGivenInit(init: unknown, observations: HmmObservations, ctx: Context): HmmParameters {
  const K = ctx.states;
  if (!isRecord(init)) fail(ctx, 'init must be an object { "startProbabilities", "transitions", "emission" }');
  for (const key of Object.keys(init)) {
    if (key !== 'startProbabilities' && key !== 'transitions' && key !== 'emission') fail(ctx, `init.${key} is not an HMM parameter (expected "startProbabilities", "transitions", "emission")`);
  }
  if (init.startProbabilities === undefined) fail(ctx, 'init.startProbabilities is missing');
  if (init.transitions === undefined) fail(ctx, 'init.transitions is missing');
  if (init.emission === undefined) fail(ctx, 'init.emission is missing');
  const start = new Float64Array(K);
  probabilityRow(ctx, init.startProbabilities, 'init.startProbabilities', K, 'one per state', start, 0);
  const transitions = new Float64Array(K * K);
  if (!Array.isArray(init.transitions) || init.transitions.length !== K) fail(ctx, `init.transitions must be a ${K} x ${K} matrix (one row per state)`);
  init.transitions.forEach((row, i) => probabilityRow(ctx, row, `init.transitions[${i}]`, K, 'one per state', transitions, i * K));
  if (!isRecord(init.emission)) fail(ctx, 'init.emission must be an object');
  return { states: K, start, transitions, emission: parseEmission(init.emission, observations, ctx) };
}

function parseEmission(e: Record<string, unknown>, obs: HmmObservations, ctx: Context): EmissionParameters {
  const K = ctx.states;
  if (e.kind !== undefined && e.kind !== obs.kind) fail(ctx, `init.emission.kind is ${JSON.stringify(e.kind)} but the model's emission is "${obs.kind}"`);
  switch (obs.kind) {
    case 'categorical': {
      for (const key of Object.keys(e)) {
        if (!['kind', 'probabilities', 'symbols', 'column'].includes(key)) fail(ctx, `init.emission.${key} is not a categorical emission parameter (expected "probabilities", "symbols")`);
      }
      if (e.column !== undefined && e.column !== obs.column) fail(ctx, `init.emission.column is ${JSON.stringify(e.column)} but the model reads column "${obs.column}"`);
      const M = obs.symbols.length;
      if (!Array.isArray(e.probabilities) || e.probabilities.length !== K) fail(ctx, `init.emission.probabilities must be a ${K} x ${M} matrix (one row per state, one column per symbol: ${obs.symbols.join(', ')})`);
      const probabilities = new Float64Array(K * M);
      e.probabilities.forEach((row, k) => probabilityRow(ctx, row, `init.emission.probabilities[${k}]`, M, `one per symbol: ${obs.symbols.join(', ')}`, probabilities, k * M));
      return { kind: 'categorical', column: obs.column, symbols: obs.symbols, probabilities };
    }
    case 'gaussian': {
      for (const key of Object.keys(e)) {
        if (!['kind', 'means', 'covariances', 'covariance', 'columns'].includes(key)) fail(ctx, `init.emission.${key} is not a gaussian emission parameter (expected "means", "covariances")`);
      }
      if (e.covariance !== undefined && e.covariance !== obs.covariance) fail(ctx, `init.emission.covariance is ${JSON.stringify(e.covariance)} but the model's covariance is "${obs.covariance}"`);
      if (e.columns !== undefined && JSON.stringify(e.columns) !== JSON.stringify(obs.columns)) {
        fail(ctx, `init.emission.columns is ${JSON.stringify(e.columns)} but the model reads ${JSON.stringify(obs.columns)} (in that order)`);
      }
      const D = obs.dim;
      if (!Array.isArray(e.means) || e.means.length !== K) fail(ctx, `init.emission.means must be a ${K} x ${D} matrix (one row per state, one column per ${obs.columns.join(', ')})`);
      const means = new Float64Array(K * D);
      e.means.forEach((row, k) => means.set(numberArray(ctx, row, `init.emission.means[${k}]`, D, `one per column: ${obs.columns.join(', ')}`), k * D));
      if (e.covariances === undefined) fail(ctx, 'init.emission.covariances is missing');
      const covariances = parseCovariances(e.covariances, obs.covariance, K, D, ctx);
      return { kind: 'gaussian', columns: obs.columns, dim: D, covariance: obs.covariance, means, covariances };
    }
    default: {
      const never: never = obs;
      throw new Error(`unknown observations ${JSON.stringify(never)}`);
    }
  }
}

function matrix(ctx: Context, v: unknown, path: string, D: number): Float64Array {
  if (!Array.isArray(v) || v.length !== D) fail(ctx, `${path} must be a ${D} x ${D} matrix`);
  const m = new Float64Array(D * D);
  v.forEach((row, a) => m.set(numberArray(ctx, row, `${path}[${a}]`, D, 'one per column'), a * D));
  if (!isSymmetric(m, D)) fail(ctx, `${path} is not symmetric`);
  if (!choleskyInPlace(m.slice(), D)) fail(ctx, `${path} is not positive definite`);
  return m;
}

/** Covariances in the type's shape, expanded to K full D x D matrices. */
function parseCovariances(v: unknown, type: CovarianceType, K: number, D: number, ctx: Context): Float64Array {
  const DD = D * D;
  const out = new Float64Array(K * DD);
  const path = 'init.emission.covariances';
  switch (type) {
    case 'full':
      if (!Array.isArray(v) || v.length !== K) fail(ctx, `${path} must hold ${K} matrices of ${D} x ${D} (covariance "full")`);
      v.forEach((m, k) => out.set(matrix(ctx, m, `${path}[${k}]`, D), k * DD));
      return out;
    case 'tied': {
      const m = matrix(ctx, v, path, D);
      for (let k = 0; k < K; k++) out.set(m, k * DD);
      return out;
    }
    case 'diag':
      if (!Array.isArray(v) || v.length !== K) fail(ctx, `${path} must be a ${K} x ${D} matrix of variances (covariance "diag")`);
      v.forEach((row, k) => {
        numberArray(ctx, row, `${path}[${k}]`, D, 'one variance per column').forEach((x, a) => {
          if (!(x > 0)) fail(ctx, `${path}[${k}][${a}] is ${x}: variances must be positive`);
          out[k * DD + a * D + a] = x;
        });
      });
      return out;
    case 'spherical':
      numberArray(ctx, v, path, K, 'one variance per state (covariance "spherical")').forEach((x, k) => {
        if (!(x > 0)) fail(ctx, `${path}[${k}] is ${x}: variances must be positive`);
        for (let a = 0; a < D; a++) out[k * DD + a * D + a] = x;
      });
      return out;
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${JSON.stringify(never)}`);
    }
  }
}
