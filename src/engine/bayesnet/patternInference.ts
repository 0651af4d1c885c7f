/**
 * Exact inference for one distinct data pattern at a time under fixed parameters: the piece
 * the E-step, the posterior table, the step-through view and the fill-mode imputation share.
 * Wraps the junction-tree propagation (propagation.ts) with the pattern's evidence and reads
 * family and variable marginals off the calibrated cliques.
 */
import type { BayesNetwork } from './network';
import type { JunctionTree } from './junctionTree';
import { calibrate, cliquePotentials, collect, createWorkspace, type CliquePotentials, type PropagationWorkspace } from './propagation';

export class PatternInference {
  private readonly potentials: CliquePotentials;
  /** log theta, per CPT cell (-Infinity for a zero cell). */
  private readonly logTheta: Float64Array;
  private readonly ws: PropagationWorkspace;
  /** Observed state of every variable for the current pattern, -1 = unobserved (n). */
  readonly evidence: Int32Array;
  /** True when the current pattern observes every variable (no propagation was needed). */
  private complete = false;

  constructor(
    private readonly network: BayesNetwork,
    private readonly tree: JunctionTree,
    theta: Float64Array,
  ) {
    this.potentials = cliquePotentials(tree, theta, network.cptOffset);
    this.logTheta = theta.map(Math.log);
    this.ws = createWorkspace(tree);
    this.evidence = new Int32Array(network.names.length).fill(-1);
  }

  /**
   * Load pattern `p` of `codes` (P x C, C = observed variables) as evidence and return
   * log p(observed cells). With `posterior`, also calibrate so that the marginal readers
   * below can be used. -Infinity when the pattern is impossible (then the readers must not
   * be used).
   */
  infer(codes: Int32Array, p: number, posterior: boolean): number {
    const observed = this.network.observed;
    const width = observed.length;
    let missing = 0;
    for (let j = 0; j < width; j++) {
      const code = codes[p * width + j];
      this.evidence[observed[j]] = code;
      if (code < 0) missing++;
    }
    this.complete = missing === 0 && width === this.network.names.length;
    if (this.complete) {
      // every variable observed: log p(x) = sum of the log CPT cells the row selects
      let ll = 0;
      for (let v = 0; v < width; v++) ll += this.logTheta[this.network.cptOffset[v] + this.cellOf(v)];
      return ll;
    }
    const ll = collect(this.tree, this.potentials, this.evidence, this.ws);
    if (posterior && ll > -Infinity) calibrate(this.tree, this.ws);
    return ll;
  }

  /**
   * counts[cptOffset[v] + cell] += weight x q(family of v = cell), for every variable v, where
   * q = p(z | current pattern). Returns E_q[log p(x, z)] = sum over families and cells of
   * q(cell) log theta_cell (unweighted), from which the E-step gets the entropy of q by
   * Gibbs' identity H(q) = log p(x) - E_q[log p(x, z)] (log q(z) = log p(x, z) - log p(x)).
   */
  addFamilyCounts(counts: Float64Array, weight: number): number {
    const network = this.network;
    const logTheta = this.logTheta;
    let expectedLogJoint = 0;
    if (this.complete) {
      for (let v = 0; v < network.names.length; v++) {
        const cell = network.cptOffset[v] + this.cellOf(v);
        counts[cell] += weight;
        expectedLogJoint += logTheta[cell];
      }
      return expectedLogJoint;
    }
    const tree = this.tree;
    for (let v = 0; v < network.names.length; v++) {
      const c = tree.familyClique[v];
      const pot = this.ws.potentials[c];
      const list = this.ws.lists[c];
      const len = this.ws.listLength[c];
      const cells = tree.familyCell[v];
      const off = network.cptOffset[v];
      for (let k = 0; k < len; k++) {
        const i = list[k];
        const q = pot[i];
        if (q === 0) continue; // also keeps 0 x log 0 out
        const cell = off + cells[i];
        counts[cell] += weight * q;
        expectedLogJoint += q * logTheta[cell];
      }
    }
    return expectedLogJoint;
  }

  /** out[offset + s] = q(v = s | current pattern) for every state s of v. */
  variableMarginal(v: number, out: Float64Array | number[], offset = 0): void {
    const card = this.network.cards[v];
    for (let s = 0; s < card; s++) out[offset + s] = 0;
    if (this.complete || this.evidence[v] >= 0) {
      out[offset + this.evidence[v]] = 1;
      return;
    }
    const c = this.tree.variableClique[v];
    const pot = this.ws.potentials[c];
    const list = this.ws.lists[c];
    const len = this.ws.listLength[c];
    const states = this.tree.variableState[v];
    for (let k = 0; k < len; k++) out[offset + states[list[k]]] += pot[list[k]];
  }

  /** CPT cell (config x card + state) of v's family under complete evidence. */
  private cellOf(v: number): number {
    const network = this.network;
    let config = 0;
    for (const p of network.parents[v]) config = config * network.cards[p] + this.evidence[p];
    return config * network.cards[v] + this.evidence[v];
  }
}
