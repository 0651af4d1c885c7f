/**
 * Exact inference for one evidence pattern on a junction tree: Hugin-style sum-product
 * (Jensen, Lauritzen & Olesen 1990; Koller & Friedman 10.3). Given the evidence of one
 * distinct data pattern it returns log p(observed cells) and calibrates every clique to the
 * posterior p(clique variables | observed cells), from which the E-step reads each family's
 * marginal (expected counts) and each variable's marginal (posteriors, imputations).
 *
 * Numerical care: clique potentials are kept in log space and, scaled by their largest entry,
 * in linear space; a pattern whose consistent entries are all below 1e-200 of that largest
 * entry exponentiates its logs shifted by their own maximum instead; messages are normalized and
 * their logs accumulated; a clique that absorbs many messages is rescaled when its largest
 * entry falls below 1e-280. So log p(x) is exact to rounding for long chains and variables
 * with many states, with no underflow.
 *
 * Cost: only the entries consistent with the evidence are ever visited (they are listed
 * once per clique per pattern by an odometer over the clique's unobserved variables).
 */
import type { Clique, JunctionTree } from './junctionTree';

const RESCALE_BELOW = 1e-280;
/** A clique's consistent entries are taken from the linear table when the largest is at least this. */
const LINEAR_FLOOR = 1e-200;

/** Scratch space for propagation on one tree; reuse it across patterns (no allocation per pattern). */
export interface PropagationWorkspace {
  /** Clique tables: after `calibrate`, each holds the normalized posterior on its listed entries. */
  readonly potentials: Float64Array[];
  /** Entries of each clique consistent with the evidence (first `listLength[c]` are valid). */
  readonly lists: Int32Array[];
  readonly listLength: Int32Array;
  /** Collect-phase message of each clique to its parent, normalized. */
  readonly upward: Float64Array[];
  /** Sum of each clique's collect message before it was normalized. */
  readonly upwardSum: Float64Array;
  /** Distribute-phase scratch: the update ratio over each clique's separator. */
  readonly downward: Float64Array[];
  /** Odometer scratch (clique width). */
  readonly counter: Int32Array;
  readonly freeCards: Int32Array;
  readonly freeStrides: Int32Array;
}

export function createWorkspace(tree: JunctionTree): PropagationWorkspace {
  let width = 1;
  for (const c of tree.cliques) width = Math.max(width, c.vars.length);
  return {
    potentials: tree.cliques.map((c) => new Float64Array(c.size)),
    lists: tree.cliques.map((c) => new Int32Array(c.size)),
    listLength: new Int32Array(tree.cliques.length),
    upward: Array.from(tree.separatorSize, (s) => new Float64Array(s)),
    upwardSum: new Float64Array(tree.cliques.length),
    downward: Array.from(tree.separatorSize, (s) => new Float64Array(s)),
    counter: new Int32Array(width),
    freeCards: new Int32Array(width),
    freeStrides: new Int32Array(width),
  };
}

/**
 * The clique potentials under fixed CPTs, computed once per E-step: the log potential of
 * every entry (sum of the log CPT cells of the families assigned to the clique, -Infinity
 * for a zero cell), and the same in linear space scaled by the clique's largest entry,
 * which a pattern uses directly unless its consistent entries are all tiny (then it falls
 * back to exponentiating the logs shifted by their own maximum).
 */
export interface CliquePotentials {
  readonly logs: readonly Float64Array[];
  /** exp(logs - shift), per clique. */
  readonly linear: readonly Float64Array[];
  /** Largest log entry of each clique (0 when every entry is -Infinity). */
  readonly shift: Float64Array;
}

export function cliquePotentials(tree: JunctionTree, theta: Float64Array, cptOffset: Int32Array): CliquePotentials {
  const logs = tree.cliques.map((c) => new Float64Array(c.size));
  for (let v = 0; v < tree.familyClique.length; v++) {
    const table = logs[tree.familyClique[v]];
    const cells = tree.familyCell[v];
    const off = cptOffset[v];
    for (let i = 0; i < table.length; i++) table[i] += Math.log(theta[off + cells[i]]);
  }
  const shift = new Float64Array(logs.length);
  const linear = logs.map((table, c) => {
    let max = -Infinity;
    for (let i = 0; i < table.length; i++) if (table[i] > max) max = table[i];
    if (max === -Infinity) max = 0;
    shift[c] = max;
    return table.map((x) => Math.exp(x - max));
  });
  return { logs, linear, shift };
}

/**
 * Collect phase: load the evidence (`evidence[v]` = observed state of v, -1 if unobserved)
 * and pass messages to the roots. Returns log p(evidence), -Infinity if it is impossible.
 * After it, `calibrate` may be called to get the posterior clique marginals.
 */
export function collect(tree: JunctionTree, potentials: CliquePotentials, evidence: Int32Array, ws: PropagationWorkspace): number {
  const cliques = tree.cliques;
  let logScale = 0;
  for (let c = 0; c < cliques.length; c++) {
    const len = listConsistent(cliques[c], evidence, ws, ws.lists[c]);
    ws.listLength[c] = len;
    const list = ws.lists[c];
    const linear = potentials.linear[c];
    const pot = ws.potentials[c];
    let max = 0;
    for (let k = 0; k < len; k++) {
      const x = linear[list[k]];
      pot[list[k]] = x;
      if (x > max) max = x;
    }
    if (max >= LINEAR_FLOOR) {
      logScale += potentials.shift[c];
      continue;
    }
    // every consistent entry is tiny next to the clique's largest: exponentiate relative to their own maximum
    const logs = potentials.logs[c];
    let logMax = -Infinity;
    for (let k = 0; k < len; k++) if (logs[list[k]] > logMax) logMax = logs[list[k]];
    if (logMax === -Infinity) return -Infinity;
    for (let k = 0; k < len; k++) pot[list[k]] = Math.exp(logs[list[k]] - logMax);
    logScale += logMax;
  }
  for (let c = cliques.length - 1; c >= 0; c--) {
    const list = ws.lists[c];
    const len = ws.listLength[c];
    const pot = ws.potentials[c];
    const p = tree.parent[c];
    if (p < 0) {
      // a root: its total is p(evidence of this part) / (the scales taken out so far)
      let sum = 0;
      for (let k = 0; k < len; k++) sum += pot[list[k]];
      if (!(sum > 0)) return -Infinity;
      const inv = 1 / sum;
      for (let k = 0; k < len; k++) pot[list[k]] *= inv;
      logScale += Math.log(sum);
      continue;
    }
    // message to the parent: the clique summed onto the separator, normalized
    const msg = ws.upward[c];
    for (let s = 0; s < msg.length; s++) msg[s] = 0;
    const toSep = tree.childToSeparator[c];
    for (let k = 0; k < len; k++) msg[toSep[list[k]]] += pot[list[k]];
    let sum = 0;
    for (let s = 0; s < msg.length; s++) sum += msg[s];
    if (!(sum > 0)) return -Infinity;
    const inv = 1 / sum;
    for (let s = 0; s < msg.length; s++) msg[s] *= inv;
    ws.upwardSum[c] = sum;
    logScale += Math.log(sum);
    // absorb into the parent
    const plist = ws.lists[p];
    const plen = ws.listLength[p];
    const ppot = ws.potentials[p];
    const fromSep = tree.parentToSeparator[c];
    let pmax = 0;
    for (let k = 0; k < plen; k++) {
      const i = plist[k];
      const val = ppot[i] * msg[fromSep[i]];
      ppot[i] = val;
      if (val > pmax) pmax = val;
    }
    if (pmax === 0) return -Infinity;
    if (pmax < RESCALE_BELOW) {
      const r = 1 / pmax;
      for (let k = 0; k < plen; k++) ppot[plist[k]] *= r;
      logScale += Math.log(pmax);
    }
  }
  return logScale;
}

/**
 * Distribute phase (after a finite `collect`): every clique becomes the normalized posterior
 * over its variables given the evidence. Hugin update for a clique C below parent P through
 * separator S: C <- C x q_P(S) / m_C(S), where m_C is C's collect message before
 * normalization (so the result sums to 1 without a normalizing pass); 0/0 = 0.
 */
export function calibrate(tree: JunctionTree, ws: PropagationWorkspace): void {
  const cliques = tree.cliques;
  for (let c = 0; c < cliques.length; c++) {
    const p = tree.parent[c];
    if (p < 0) continue; // roots were normalized by collect
    // the parent is calibrated and normalized: its marginal on S is the posterior there
    const ratio = ws.downward[c];
    const nsep = ratio.length;
    for (let s = 0; s < nsep; s++) ratio[s] = 0;
    const plist = ws.lists[p];
    const plen = ws.listLength[p];
    const ppot = ws.potentials[p];
    const fromSep = tree.parentToSeparator[c];
    for (let k = 0; k < plen; k++) ratio[fromSep[plist[k]]] += ppot[plist[k]];
    const old = ws.upward[c];
    const scale = 1 / ws.upwardSum[c];
    for (let s = 0; s < nsep; s++) ratio[s] = old[s] > 0 ? (ratio[s] / old[s]) * scale : 0;
    const list = ws.lists[c];
    const len = ws.listLength[c];
    const pot = ws.potentials[c];
    const toSep = tree.childToSeparator[c];
    for (let k = 0; k < len; k++) {
      const i = list[k];
      pot[i] *= ratio[toSep[i]];
    }
  }
}

/**
 * Write into `list` the entries of clique `c` consistent with `evidence`, ascending, and
 * return how many: an odometer over the unobserved variables from the offset of the
 * observed ones.
 */
export function listConsistent(c: Clique, evidence: Int32Array, ws: PropagationWorkspace, list: Int32Array): number {
  const vars = c.vars;
  const strides = c.strides;
  const cards = c.cards;
  const freeCards = ws.freeCards;
  const freeStrides = ws.freeStrides;
  const counter = ws.counter;
  let base = 0;
  let free = 0;
  for (let k = 0; k < vars.length; k++) {
    const e = evidence[vars[k]];
    if (e >= 0) base += e * strides[k];
    else {
      freeCards[free] = cards[k];
      freeStrides[free] = strides[k];
      counter[free] = 0;
      free++;
    }
  }
  if (free === 0) {
    list[0] = base;
    return 1;
  }
  if (free === 1) {
    // the common case of one unobserved variable: a strided run
    const n = freeCards[0];
    const step = freeStrides[0];
    for (let k = 0; k < n; k++) list[k] = base + k * step;
    return n;
  }
  let len = 0;
  let index = base;
  for (;;) {
    list[len++] = index;
    let k = free - 1;
    for (; k >= 0; k--) {
      counter[k]++;
      index += freeStrides[k];
      if (counter[k] < freeCards[k]) break;
      index -= freeStrides[k] * freeCards[k];
      counter[k] = 0;
    }
    if (k < 0) return len;
  }
}
