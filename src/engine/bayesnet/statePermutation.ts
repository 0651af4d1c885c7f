/**
 * Relabelling the states of a hidden variable (which leaves the likelihood unchanged), and
 * the latent-class canonical order built on it.
 */
import type { BayesNetParameters } from './types';

/**
 * Parameters with the states of variable v reordered: new state k is old state order[k].
 * v's own CPT columns and the rows of every child of v are permuted accordingly.
 */
export function permuteStates(params: BayesNetParameters, v: number, order: readonly number[]): BayesNetParameters {
  const network = params.network;
  const card = network.cards[v];
  const old = params.theta;
  const theta = old.slice();
  const newOf = new Int32Array(card); // old state -> new state
  order.forEach((oldState, k) => (newOf[oldState] = k));

  const offV = network.cptOffset[v];
  for (let r = 0; r < network.rowCount[v]; r++) {
    for (let k = 0; k < card; k++) theta[offV + r * card + k] = old[offV + r * card + order[k]];
  }
  for (let u = 0; u < network.names.length; u++) {
    const ps = network.parents[u];
    const pos = ps.indexOf(v);
    if (pos < 0) continue;
    // weight of v's coordinate in u's row index (mixed radix, first parent most significant)
    let weight = 1;
    for (let k = ps.length - 1; k > pos; k--) weight *= network.cards[ps[k]];
    const cardU = network.cards[u];
    const offU = network.cptOffset[u];
    for (let r = 0; r < network.rowCount[u]; r++) {
      const s = Math.floor(r / weight) % card;
      const target = r + (newOf[s] - s) * weight;
      const src = offU + r * cardU;
      theta.set(old.subarray(src, src + cardU), offU + target * cardU);
    }
    // v's own CPT is never a child's (no self-loops), so the two updates do not overlap
  }
  return { network, theta };
}

/**
 * Latent-class canonical order: classes sorted by descending class weight P(class = k)
 * (ties keep their order), so that restarts and reruns, which find the same classes under
 * arbitrary labels, report them identically: class "1" is always the largest.
 * `classVariable` must be a root.
 */
export function sortClassesByWeight(params: BayesNetParameters, classVariable: number): BayesNetParameters {
  const network = params.network;
  const card = network.cards[classVariable];
  const off = network.cptOffset[classVariable];
  const order = Array.from({ length: card }, (_, k) => k).sort((a, b) => params.theta[off + b] - params.theta[off + a] || a - b);
  if (order.every((k, i) => k === i)) return params;
  return permuteStates(params, classVariable, order);
}
