/**
 * The `parents` of a Bayesian network must form a DAG. A depth-first search from each variable
 * along parent links finds every back edge; each one closes a cycle and is reported at the
 * parent entry that makes it (`"B": ["A"]` is the edge A -> B), naming the cycle in the
 * direction of the arrows: "A -> B -> A". The engine's own check (structureProblem in
 * src/engine/bayesnet/network.ts) names cycles the same way.
 */
import type { Node } from 'jsonc-parser/lib/esm/main.js';

export interface ParentEdge {
  readonly parent: string;
  /** The parent's entry in the child's list, to report at. */
  readonly node: Node;
}

export interface Cycle {
  /** The names around the cycle, first = last: ["A", "B", "A"]. */
  readonly path: readonly string[];
  /** The parent entry whose edge closes the cycle. */
  readonly closingEdge: Node;
}

/**
 * Every cycle found by the search (one per back edge), over `variables` in declaration order.
 * `parents(v)` lists v's parents (unknown names are skipped: they are reported elsewhere).
 */
export function findCycles(variables: readonly string[], parents: (v: string) => readonly ParentEdge[]): Cycle[] {
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const known = new Set(variables);
  const stack: string[] = [];
  const cycles: Cycle[] = [];
  const visit = (v: string): void => {
    state.set(v, 1);
    stack.push(v);
    for (const edge of parents(v)) {
      const p = edge.parent;
      if (!known.has(p)) continue;
      const s = state.get(p);
      if (s === 1) {
        // stack = [..., p, x1, ..., v] with x1 -> p, ..., v -> x_n, and the edge p -> v closes it.
        const around = stack.slice(stack.indexOf(p)).reverse();
        cycles.push({ path: [p, ...around], closingEdge: edge.node });
      } else if (s === undefined) visit(p);
    }
    stack.pop();
    state.set(v, 2);
  };
  for (const v of variables) if (!state.has(v)) visit(v);
  return cycles;
}
