/**
 * The junction tree of a Bayesian network, built once per structure (Jensen & Nielsen,
 * "Bayesian Networks and Decision Graphs", ch. 4; Koller & Friedman, "Probabilistic
 * Graphical Models", 9.4 and 10.4):
 *   1. moralize: link every variable to its parents and the parents of a variable to each other;
 *   2. triangulate by variable elimination with the min-fill heuristic (ties: the smallest
 *      clique weight = product of state counts, then the lowest index);
 *   3. keep the maximal elimination cliques;
 *   4. join them by a maximum-weight spanning tree on separator sizes (Kruskal), which for
 *      the cliques of a chordal graph has the running-intersection property; cliques with no
 *      common variable stay in separate trees (a forest, one root per connected part);
 *   5. give every family (a variable and its parents) to the smallest clique holding it.
 * A hidden variable with 10 states and 20 observed children gives 20 cliques {H, X_i} of
 * 10 x |X_i| entries joined through the separator {H}, never the 10 x prod |X_i| joint.
 */
import type { BayesNetwork } from './network';

export interface Clique {
  /** Variables, ascending index. */
  readonly vars: Int32Array;
  /** State counts of `vars`. */
  readonly cards: Int32Array;
  /** Row-major strides of `vars` (the last variable varies fastest). */
  readonly strides: Int32Array;
  /** Number of entries of the clique table: product of `cards`. */
  readonly size: number;
}

export interface JunctionTree {
  /** Cliques in root-first order: every clique comes after its parent. */
  readonly cliques: readonly Clique[];
  /** Parent clique of each clique, -1 for a root (one root per connected part). */
  readonly parent: Int32Array;
  /** Entries of the separator between each clique and its parent (0 for a root). */
  readonly separatorSize: Int32Array;
  /** Variables of each clique's separator with its parent (empty for a root). */
  readonly separatorVars: readonly Int32Array[];
  /** For clique c: entry of c -> entry of its separator (empty for a root). */
  readonly childToSeparator: readonly Int32Array[];
  /** For clique c: entry of c's parent -> entry of c's separator (empty for a root). */
  readonly parentToSeparator: readonly Int32Array[];
  /** Clique that holds each variable's family (its CPT's potential and expected counts). */
  readonly familyClique: Int32Array;
  /** For variable v: entry of familyClique[v] -> CPT cell within v's CPT (config * card + state). */
  readonly familyCell: readonly Int32Array[];
  /** Smallest clique holding each variable (its posterior marginal is read there). */
  readonly variableClique: Int32Array;
  /** For variable v: entry of variableClique[v] -> state of v. */
  readonly variableState: readonly Int32Array[];
  /** Largest clique table (entries). */
  readonly maxCliqueSize: number;
}

/** Thrown when the cliques would hold more than the allowed number of table entries. */
export class JunctionTreeTooLargeError extends Error {
  constructor(
    readonly entries: number,
    readonly largestClique: number,
  ) {
    super(`the junction tree would have ${entries} table entries (largest clique ${largestClique})`);
    this.name = 'JunctionTreeTooLargeError';
  }
}

/**
 * Build the junction tree of `network` (structure only; no parameters). Throws
 * JunctionTreeTooLargeError, before allocating any table, when the maximal cliques hold more
 * than `maxEntries` entries in all.
 */
export function buildJunctionTree(network: BayesNetwork, maxEntries = Infinity): JunctionTree {
  const n = network.names.length;
  const cards = network.cards;

  // 1. Moral graph as adjacency sets.
  const adjacent: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  const link = (a: number, b: number): void => {
    if (a === b) return;
    adjacent[a].add(b);
    adjacent[b].add(a);
  };
  for (let v = 0; v < n; v++) {
    const ps = network.parents[v];
    for (let i = 0; i < ps.length; i++) {
      link(v, ps[i]);
      for (let j = i + 1; j < ps.length; j++) link(ps[i], ps[j]);
    }
  }

  // 2. Elimination with min-fill (ties: min weight, then lowest index).
  const eliminated = new Uint8Array(n);
  const eliminationCliques: number[][] = [];
  for (let step = 0; step < n; step++) {
    let best = -1;
    let bestFill = Infinity;
    let bestWeight = Infinity;
    for (let v = 0; v < n; v++) {
      if (eliminated[v]) continue;
      const nbrs = [...adjacent[v]];
      let fill = 0;
      for (let i = 0; i < nbrs.length; i++) {
        for (let j = i + 1; j < nbrs.length; j++) if (!adjacent[nbrs[i]].has(nbrs[j])) fill++;
      }
      let weight = cards[v];
      for (const u of nbrs) weight *= cards[u];
      if (fill < bestFill || (fill === bestFill && weight < bestWeight)) {
        best = v;
        bestFill = fill;
        bestWeight = weight;
      }
    }
    const nbrs = [...adjacent[best]];
    for (let i = 0; i < nbrs.length; i++) for (let j = i + 1; j < nbrs.length; j++) link(nbrs[i], nbrs[j]);
    eliminationCliques.push([best, ...nbrs].sort((a, b) => a - b));
    for (const u of nbrs) adjacent[u].delete(best);
    adjacent[best].clear();
    eliminated[best] = 1;
  }

  // 3. Maximal cliques: drop every elimination clique contained in another (keep the first of equals).
  const maximal: number[][] = [];
  for (let i = 0; i < eliminationCliques.length; i++) {
    const ci = eliminationCliques[i];
    let contained = false;
    for (let j = 0; j < eliminationCliques.length && !contained; j++) {
      if (i === j) continue;
      const cj = eliminationCliques[j];
      if (cj.length < ci.length || (cj.length === ci.length && j > i)) continue;
      if (isSubset(ci, cj)) contained = true;
    }
    if (!contained) maximal.push(ci);
  }

  let entries = 0;
  let largest = 0;
  for (const c of maximal) {
    let size = 1;
    for (const v of c) size *= cards[v];
    entries += size;
    largest = Math.max(largest, size);
  }
  if (entries > maxEntries) throw new JunctionTreeTooLargeError(entries, largest);

  // 4. Maximum spanning forest on separator size (Kruskal with union-find).
  const m = maximal.length;
  const edges: { a: number; b: number; weight: number; cost: number }[] = [];
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const sep = intersect(maximal[a], maximal[b]);
      if (sep.length === 0) continue;
      let cost = 1;
      for (const v of sep) cost *= cards[v];
      edges.push({ a, b, weight: sep.length, cost });
    }
  }
  // larger separators first; among equals, the smaller separator table, then index order
  edges.sort((x, y) => y.weight - x.weight || x.cost - y.cost || x.a - y.a || x.b - y.b);
  const root = Int32Array.from({ length: m }, (_, i) => i);
  const find = (x: number): number => {
    while (root[x] !== x) {
      root[x] = root[root[x]];
      x = root[x];
    }
    return x;
  };
  const treeAdjacent: number[][] = Array.from({ length: m }, () => []);
  for (const e of edges) {
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra === rb) continue;
    root[ra] = rb;
    treeAdjacent[e.a].push(e.b);
    treeAdjacent[e.b].push(e.a);
  }

  // Root-first order: breadth-first from the lowest-index clique of each part.
  const order: number[] = [];
  const parentOld = new Int32Array(m).fill(-1);
  const visited = new Uint8Array(m);
  for (let s = 0; s < m; s++) {
    if (visited[s]) continue;
    visited[s] = 1;
    order.push(s);
    for (let head = order.length - 1; head < order.length; head++) {
      const c = order[head];
      for (const d of treeAdjacent[c]) {
        if (visited[d]) continue;
        visited[d] = 1;
        parentOld[d] = c;
        order.push(d);
      }
    }
  }
  const newIndex = new Int32Array(m);
  order.forEach((old, i) => (newIndex[old] = i));

  const cliques: Clique[] = order.map((old) => makeClique(maximal[old], cards));
  const parent = Int32Array.from(order, (old) => (parentOld[old] < 0 ? -1 : newIndex[parentOld[old]]));
  const separatorSize = new Int32Array(m);
  const separatorVars: Int32Array[] = [];
  const childToSeparator: Int32Array[] = [];
  const parentToSeparator: Int32Array[] = [];
  for (let c = 0; c < m; c++) {
    if (parent[c] < 0) {
      separatorVars.push(new Int32Array(0));
      childToSeparator.push(new Int32Array(0));
      parentToSeparator.push(new Int32Array(0));
      continue;
    }
    const sepVars = Int32Array.from(intersect([...cliques[c].vars], [...cliques[parent[c]].vars]));
    const sep = makeClique([...sepVars], cards);
    separatorVars.push(sepVars);
    separatorSize[c] = sep.size;
    childToSeparator.push(projection(cliques[c], sep));
    parentToSeparator.push(projection(cliques[parent[c]], sep));
  }

  // 5. Families and single variables to their smallest holding clique.
  const familyClique = new Int32Array(n);
  const familyCell: Int32Array[] = [];
  const variableClique = new Int32Array(n);
  const variableState: Int32Array[] = [];
  for (let v = 0; v < n; v++) {
    const family = [v, ...network.parents[v]];
    const fc = smallestHolding(cliques, family);
    if (fc < 0) throw new Error(`internal: no clique holds the family of ${network.names[v]}`);
    familyClique[v] = fc;
    familyCell.push(familyCellMap(cliques[fc], v, network.parents[v], cards));
    const vc = smallestHolding(cliques, [v]);
    variableClique[v] = vc;
    variableState.push(coordinateMap(cliques[vc], v));
  }

  let maxCliqueSize = 0;
  for (const c of cliques) maxCliqueSize = Math.max(maxCliqueSize, c.size);
  return { cliques, parent, separatorSize, separatorVars, childToSeparator, parentToSeparator, familyClique, familyCell, variableClique, variableState, maxCliqueSize };
}

function makeClique(vars: readonly number[], allCards: Int32Array): Clique {
  const sorted = Int32Array.from(vars).sort();
  const cards = Int32Array.from(sorted, (v) => allCards[v]);
  const strides = new Int32Array(sorted.length);
  let size = 1;
  for (let k = sorted.length - 1; k >= 0; k--) {
    strides[k] = size;
    size *= cards[k];
  }
  return { vars: sorted, cards, strides, size };
}

/** State of variable v at each entry of clique c. */
function coordinateMap(c: Clique, v: number): Int32Array {
  const k = c.vars.indexOf(v);
  const out = new Int32Array(c.size);
  const stride = c.strides[k];
  const card = c.cards[k];
  for (let i = 0; i < c.size; i++) out[i] = Math.floor(i / stride) % card;
  return out;
}

/** Entry of `sub` (a clique over a subset of c's variables) at each entry of c. */
function projection(c: Clique, sub: Clique): Int32Array {
  const out = new Int32Array(c.size);
  for (let k = 0; k < sub.vars.length; k++) {
    const coord = coordinateMap(c, sub.vars[k]);
    const stride = sub.strides[k];
    for (let i = 0; i < c.size; i++) out[i] += coord[i] * stride;
  }
  return out;
}

/** CPT cell (config * card_v + state) of v's family at each entry of clique c. */
function familyCellMap(c: Clique, v: number, parents: Int32Array, cards: Int32Array): Int32Array {
  const out = coordinateMap(c, v);
  let weight = cards[v];
  for (let k = parents.length - 1; k >= 0; k--) {
    const coord = coordinateMap(c, parents[k]);
    for (let i = 0; i < c.size; i++) out[i] += coord[i] * weight;
    weight *= cards[parents[k]];
  }
  return out;
}

function smallestHolding(cliques: readonly Clique[], vars: readonly number[]): number {
  let best = -1;
  for (let c = 0; c < cliques.length; c++) {
    if (!vars.every((v) => cliques[c].vars.includes(v))) continue;
    if (best < 0 || cliques[c].size < cliques[best].size) best = c;
  }
  return best;
}

/** a is a subset of b (both ascending). */
function isSubset(a: readonly number[], b: readonly number[]): boolean {
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x) j++;
    if (j === b.length || b[j] !== x) return false;
  }
  return true;
}

/** Common elements of two ascending lists, ascending. */
function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}
