/**
 * The forward-backward pass of one sequence (Rabiner 1989, section V.A "Scaling"), with the
 * Baum-Welch expected counts accumulated on the way back, so that beta never needs T x K
 * storage.
 *
 * Fast path, scaled: emissions are first shifted per step, e_t(k) = exp(log b_k(x_t) - m_t)
 * with m_t = max_k log b_k(x_t) (so no density underflows, whatever its magnitude), then
 *   alpha^_1(k) = pi_k e_1(k) / c_1,   alpha^_t(j) = sum_i alpha^_{t-1}(i) a_ij e_t(j) / c_t
 * with c_t the normalizer, so log p(x) = sum_t (log c_t + m_t) (Rabiner eq. 103 with shifts);
 *   beta^_T = 1,   beta^_t(i) = sum_j a_ij e_{t+1}(j) beta^_{t+1}(j) / c_{t+1}
 *   gamma_t(i) = alpha^_t(i) beta^_t(i),   xi_t(i,j) = alpha^_t(i) a_ij e_{t+1}(j) beta^_{t+1}(j) / c_{t+1}.
 * Every quantity stays O(1) per step, so sequences of millions of steps are safe.
 *
 * Slow path, log space: when a normalizer c_t is zero or tiny (a step whose best-explaining
 * state is unreachable, e.g. after a transition probability went to 0) or a value overflows,
 * the sequence is redone with log alpha / log beta and log-sum-exp. Results agree; only speed differs.
 *
 * Nothing is allocated per step: the buffers live in a ForwardBackwardWorkspace, grown to the
 * longest sequence and reused across sequences and E-steps.
 */
import { logSumExp } from '../numerics';
import type { EmissionKernel } from './emissionKernel';
import type { HmmParameters } from './hmmParameters';

/** A normalizer below this makes 1/c_t and the backward variables risk overflow: use log space. */
const MIN_SCALE = 1e-250;

export class ForwardBackwardWorkspace {
  /** T x K: log b_k(x_t), then (fast path) the shifted densities e_t(k). */
  emission = new Float64Array(0);
  /** T x K: alpha^_t(k) (or log alpha in the slow path), overwritten by gamma_t(k) on the way back. */
  alpha = new Float64Array(0);
  /** T: c_t. */
  scale = new Float64Array(0);
  /** K: beta of the step being computed and of the next step. */
  beta: Float64Array;
  betaNext: Float64Array;
  /** K: e_{t+1}(j) beta^_{t+1}(j) / c_{t+1}, or log terms in the slow path. */
  weight: Float64Array;
  /** K x K: this sequence's sum of xi, added to the statistics only once the sequence succeeded. */
  xi: Float64Array;
  /** K x K: log a_ij, for the slow path. */
  logTransitions: Float64Array;
  /** K: log b_j(x_{t+1}) + log beta_{t+1}(j), for the slow path. */
  logNext: Float64Array;
  /** Steps the buffers hold. */
  private capacity = 0;

  constructor(readonly states: number) {
    this.beta = new Float64Array(states);
    this.betaNext = new Float64Array(states);
    this.weight = new Float64Array(states);
    this.xi = new Float64Array(states * states);
    this.logTransitions = new Float64Array(states * states);
    this.logNext = new Float64Array(states);
  }

  /** Make room for a sequence of `steps` steps (grows, never shrinks). */
  ensure(steps: number): void {
    if (steps <= this.capacity) return;
    const k = this.states;
    this.emission = new Float64Array(steps * k);
    this.alpha = new Float64Array(steps * k);
    this.scale = new Float64Array(steps);
    this.capacity = steps;
  }
}

/**
 * Forward-backward over steps [first, first+T) of the data behind `kernel`. Leaves gamma
 * (T x K) in ws.alpha, adds gamma_1 into `startCounts` (K) and sum_t xi_t into
 * `transitionCounts` (K x K). Returns log p(x_1..x_T); -Infinity when the sequence is
 * impossible under `params` (then nothing is added).
 */
export function forwardBackward(params: HmmParameters, kernel: EmissionKernel, first: number, T: number, ws: ForwardBackwardWorkspace, startCounts: Float64Array, transitionCounts: Float64Array): number {
  ws.ensure(T);
  kernel.logDensities(first, T, ws.emission);
  let logLikelihood = scaledPass(params, T, ws);
  if (Number.isNaN(logLikelihood)) {
    kernel.logDensities(first, T, ws.emission);
    logLikelihood = logSpacePass(params, T, ws);
  }
  if (logLikelihood === -Infinity) return logLikelihood;
  const K = params.states;
  for (let k = 0; k < K; k++) startCounts[k] += ws.alpha[k];
  for (let i = 0; i < K * K; i++) transitionCounts[i] += ws.xi[i];
  return logLikelihood;
}

/** The scaled pass; NaN when it cannot be trusted (then the caller redoes it in log space). */
function scaledPass(params: HmmParameters, T: number, ws: ForwardBackwardWorkspace): number {
  const K = params.states;
  const A = params.transitions;
  const pi = params.start;
  const e = ws.emission;
  const alpha = ws.alpha;
  const scale = ws.scale;

  // Forward, shifting and exponentiating each step's densities on the way. log p(x) =
  // sum_t (log c_t + m_t): the c_t (all in (MIN_SCALE, 1]) are multiplied and their product's
  // log taken whenever it falls below 1e-50, far from underflow, saving a Math.log per step.
  let logLikelihood = 0;
  let product = 1;
  for (let t = 0; t < T; t++) {
    const row = t * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (e[row + k] > m) m = e[row + k];
    if (!(m > -Infinity) || m === Infinity) return NaN;
    logLikelihood += m;
    let c = 0;
    if (t === 0) {
      for (let k = 0; k < K; k++) {
        const ek = Math.exp(e[k] - m);
        e[k] = ek;
        const v = pi[k] * ek;
        alpha[k] = v;
        c += v;
      }
    } else {
      const prev = row - K;
      for (let j = 0; j < K; j++) {
        let s = 0;
        for (let i = 0; i < K; i++) s += alpha[prev + i] * A[i * K + j];
        const ej = Math.exp(e[row + j] - m);
        e[row + j] = ej;
        const v = s * ej;
        alpha[row + j] = v;
        c += v;
      }
    }
    if (!(c > MIN_SCALE)) return NaN;
    const inv = 1 / c;
    for (let j = 0; j < K; j++) alpha[row + j] *= inv;
    scale[t] = c;
    product *= c;
    if (product < 1e-50) {
      logLikelihood += Math.log(product);
      product = 1;
    }
  }
  logLikelihood += Math.log(product);

  // Backward, turning alpha^_t into gamma_t and summing xi_t.
  let beta = ws.beta;
  let betaNext = ws.betaNext;
  const w = ws.weight;
  const xi = ws.xi;
  xi.fill(0);
  betaNext.fill(1); // beta^_T
  for (let t = T - 2; t >= 0; t--) {
    const row = t * K;
    const next = row + K;
    const inv = 1 / scale[t + 1];
    for (let j = 0; j < K; j++) w[j] = e[next + j] * betaNext[j] * inv;
    for (let i = 0; i < K; i++) {
      const a = alpha[row + i];
      let s = 0;
      for (let j = 0; j < K; j++) {
        const v = A[i * K + j] * w[j];
        s += v;
        xi[i * K + j] += a * v;
      }
      beta[i] = s;
      alpha[row + i] = a * s; // gamma_t(i)
    }
    const swap = beta;
    beta = betaNext;
    betaNext = swap;
  }
  let check = 0;
  for (let i = 0; i < K * K; i++) check += xi[i];
  for (let k = 0; k < K; k++) check += alpha[k];
  if (!Number.isFinite(check)) return NaN;
  return logLikelihood;
}

/** The same pass in log space (ws.emission holds log b_k(x_t)). */
function logSpacePass(params: HmmParameters, T: number, ws: ForwardBackwardWorkspace): number {
  const K = params.states;
  const logA = ws.logTransitions;
  for (let i = 0; i < K * K; i++) logA[i] = Math.log(params.transitions[i]);
  const le = ws.emission;
  const la = ws.alpha;
  const terms = ws.weight;

  for (let k = 0; k < K; k++) la[k] = Math.log(params.start[k]) + le[k];
  for (let t = 1; t < T; t++) {
    const prev = (t - 1) * K;
    const row = t * K;
    for (let j = 0; j < K; j++) {
      for (let i = 0; i < K; i++) terms[i] = la[prev + i] + logA[i * K + j];
      la[row + j] = logSumExp(terms, 0, K) + le[row + j];
    }
  }
  const last = (T - 1) * K;
  for (let k = 0; k < K; k++) terms[k] = la[last + k];
  const logLikelihood = logSumExp(terms, 0, K);
  if (logLikelihood === -Infinity || Number.isNaN(logLikelihood)) return -Infinity;

  let lb = ws.beta;
  let lbNext = ws.betaNext;
  const u = ws.logNext;
  const xi = ws.xi;
  xi.fill(0);
  lbNext.fill(0);
  for (let k = 0; k < K; k++) la[last + k] = Math.exp(la[last + k] - logLikelihood);
  for (let t = T - 2; t >= 0; t--) {
    const row = t * K;
    const next = row + K;
    for (let j = 0; j < K; j++) u[j] = le[next + j] + lbNext[j];
    for (let i = 0; i < K; i++) {
      const a = la[row + i];
      for (let j = 0; j < K; j++) {
        const v = logA[i * K + j] + u[j];
        terms[j] = v;
        xi[i * K + j] += Math.exp(a + v - logLikelihood);
      }
      lb[i] = logSumExp(terms, 0, K);
      la[row + i] = Math.exp(a + lb[i] - logLikelihood);
    }
    const swap = lb;
    lb = lbNext;
    lbNext = swap;
  }
  return logLikelihood;
}
