/**
 * The structure of a Bayesian network over categorical variables: names, states, parents,
 * which variables are hidden, and where each conditional probability table (CPT) lives in
 * the flat parameter vector. Plain data (arrays and typed arrays), so it can cross a worker
 * boundary with the prepared data.
 *
 * CPT layout: variable v owns theta[cptOffset[v] .. cptOffset[v+1]), rows = parent
 * configurations, row-major: cell (config, state) at cptOffset[v] + config * cards[v] + state.
 * A parent configuration is a mixed-radix number over the parents in declared order, the
 * first parent most significant, so rows enumerate "P1=s1,P2=s2" keys in lexicographic order.
 */

export interface BayesNetwork {
  /** Variable names in declaration order (n). */
  readonly names: readonly string[];
  /** State names of each variable (n lists). */
  readonly states: readonly (readonly string[])[];
  /** Number of states of each variable (n). */
  readonly cards: Int32Array;
  /** 1 = hidden (never observed), 0 = observed (read from a data column) (n). */
  readonly hidden: Uint8Array;
  /** Parents of each variable, indices in declared order (n lists). */
  readonly parents: readonly Int32Array[];
  /** Start of each variable's CPT in the flat parameter vector; cptOffset[n] = total cells (n + 1). */
  readonly cptOffset: Int32Array;
  /** Number of parent configurations (CPT rows) of each variable (n). */
  readonly rowCount: Int32Array;
  /** Observed variables in declaration order: observed[j] = the variable read from pattern column j. */
  readonly observed: Int32Array;
  /** Pattern column of each variable, -1 for hidden ones (n). */
  readonly columnOf: Int32Array;
  /** Data column each observed variable reads, indexed like `observed`. */
  readonly columns: readonly string[];
}

/** A variable before its states are resolved against the data. */
export interface VariableDeclaration {
  readonly name: string;
  readonly states: readonly string[];
  readonly hidden: boolean;
  /** Data column (observed variables only). */
  readonly column: string;
  readonly parents: readonly string[];
}

/**
 * Build the network from declarations (already validated: known parents, no cycles, at
 * least one state each; see validateStructure).
 */
export function buildNetwork(declarations: readonly VariableDeclaration[]): BayesNetwork {
  const n = declarations.length;
  const indexOf = new Map(declarations.map((d, i) => [d.name, i]));
  const cards = Int32Array.from(declarations, (d) => d.states.length);
  const hidden = Uint8Array.from(declarations, (d) => (d.hidden ? 1 : 0));
  const parents = declarations.map((d) => Int32Array.from(d.parents, (p) => indexOf.get(p) as number));
  const rowCount = new Int32Array(n);
  const cptOffset = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) {
    let rows = 1;
    for (const p of parents[v]) rows *= cards[p];
    rowCount[v] = rows;
    cptOffset[v + 1] = cptOffset[v] + rows * cards[v];
  }
  const observedList: number[] = [];
  const columnOf = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    if (!hidden[v]) {
      columnOf[v] = observedList.length;
      observedList.push(v);
    }
  }
  return {
    names: declarations.map((d) => d.name),
    states: declarations.map((d) => d.states.slice()),
    cards,
    hidden,
    parents,
    cptOffset,
    rowCount,
    observed: Int32Array.from(observedList),
    columnOf,
    columns: observedList.map((v) => declarations[v].column),
  };
}

/**
 * A problem with the structure, as a message naming the variable, or undefined when the
 * parents name declared variables, none twice, and the graph has no directed cycle.
 */
export function structureProblem(declarations: readonly VariableDeclaration[]): string | undefined {
  const indexOf = new Map(declarations.map((d, i) => [d.name, i]));
  for (const d of declarations) {
    const seen = new Set<string>();
    for (const p of d.parents) {
      if (!indexOf.has(p)) return `parent "${p}" of ${d.name} is not a declared variable`;
      if (p === d.name) return `${d.name} is its own parent`;
      if (seen.has(p)) return `parent "${p}" is listed twice for ${d.name}`;
      seen.add(p);
    }
  }
  // Depth-first search for a back edge; report the cycle found.
  const color = new Uint8Array(declarations.length); // 0 new, 1 on the stack, 2 done
  const stack: number[] = [];
  const visit = (v: number): string | undefined => {
    color[v] = 1;
    stack.push(v);
    for (const p of declarations[v].parents) {
      const u = indexOf.get(p) as number;
      if (color[u] === 1) {
        const cycle = stack.slice(stack.indexOf(u)).map((i) => declarations[i].name);
        return `the parents form a cycle: ${[...cycle, declarations[u].name].reverse().join(' -> ')}`;
      }
      if (color[u] === 0) {
        const found = visit(u);
        if (found) return found;
      }
    }
    stack.pop();
    color[v] = 2;
    return undefined;
  };
  for (let v = 0; v < declarations.length; v++) {
    if (color[v] === 0) {
      const found = visit(v);
      if (found) return found;
    }
  }
  return undefined;
}

/** The row key of parent configuration `config` of v: "P1=s1,P2=s2" ("" for a root). */
export function rowKey(network: BayesNetwork, v: number, config: number): string {
  const ps = network.parents[v];
  const parts = new Array<string>(ps.length);
  for (let k = ps.length - 1; k >= 0; k--) {
    const p = ps[k];
    const s = config % network.cards[p];
    config = (config - s) / network.cards[p];
    parts[k] = `${network.names[p]}=${network.states[p][s]}`;
  }
  return parts.join(',');
}

/** Total number of free parameters: each CPT row has (states - 1). */
export function freeParameterCount(network: BayesNetwork): number {
  let k = 0;
  for (let v = 0; v < network.names.length; v++) k += network.rowCount[v] * (network.cards[v] - 1);
  return k;
}
