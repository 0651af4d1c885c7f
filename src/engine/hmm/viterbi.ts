/**
 * The Viterbi path: the single most probable state sequence argmax_z p(z, x) (Rabiner 1989,
 * section III.B, in log space, eq. 105a-105c):
 *   delta_1(j) = log pi_j + log b_j(x_1)
 *   delta_t(j) = max_i [delta_{t-1}(i) + log a_ij] + log b_j(x_t),   psi_t(j) = the argmax i
 * then backtracking from argmax_j delta_T(j). Ties go to the lower state index.
 */
import type { HmmParameters } from './hmmParameters';

export class ViterbiWorkspace {
  delta: Float64Array;
  deltaNext: Float64Array;
  /** K x K: log a_ij. */
  logTransitions: Float64Array;
  /** T x K: psi_t(j). */
  backPointers = new Int32Array(0);

  constructor(readonly states: number) {
    this.delta = new Float64Array(states);
    this.deltaNext = new Float64Array(states);
    this.logTransitions = new Float64Array(states * states);
  }

  ensure(steps: number): void {
    if (this.backPointers.length < steps * this.states) this.backPointers = new Int32Array(steps * this.states);
  }
}

/**
 * Viterbi over one sequence of T steps whose log densities are logDensities[t*K + k]; writes
 * the 0-based states into path[pathOffset .. pathOffset+T) and returns log p(z*, x).
 */
export function viterbiPath(params: HmmParameters, logDensities: Float64Array, T: number, ws: ViterbiWorkspace, path: Int32Array, pathOffset: number): number {
  const K = params.states;
  ws.ensure(T);
  const logA = ws.logTransitions;
  for (let i = 0; i < K * K; i++) logA[i] = Math.log(params.transitions[i]);
  let delta = ws.delta;
  let next = ws.deltaNext;
  const psi = ws.backPointers;
  for (let k = 0; k < K; k++) delta[k] = Math.log(params.start[k]) + logDensities[k];
  for (let t = 1; t < T; t++) {
    const row = t * K;
    for (let j = 0; j < K; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < K; i++) {
        const v = delta[i] + logA[i * K + j];
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      next[j] = best + logDensities[row + j];
      psi[row + j] = arg;
    }
    const swap = delta;
    delta = next;
    next = swap;
  }
  let best = -Infinity;
  let state = 0;
  for (let k = 0; k < K; k++) {
    if (delta[k] > best) {
      best = delta[k];
      state = k;
    }
  }
  path[pathOffset + T - 1] = state;
  for (let t = T - 1; t > 0; t--) {
    state = psi[t * K + state];
    path[pathOffset + t - 1] = state;
  }
  return best;
}
