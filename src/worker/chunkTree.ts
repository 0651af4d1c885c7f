/**
 * The fixed reduction tree over a chunked E-step's chunks, which makes the merged statistics
 * independent of how many threads computed them.
 *
 * Floating-point addition is not associative: summing chunk statistics in an order that
 * depends on the thread count (thread sums first, then their total) would change the last
 * bits with the thread count. Instead the chunks [0, C) are the leaves of one binary tree,
 * node [lo, hi) = merge(node [lo, mid), node [mid, hi)) with mid = floor((lo + hi) / 2), and
 * every node is computed by that one rule wherever it is computed. A thread holding a block of
 * chunks returns the largest nodes inside its block (coverNodes: at most about 2 log2 C of
 * them); the calling thread completes the tree from them. Each node's value is then the same
 * to the bit for every split of the chunks into blocks, and so is the root. (a + b = b + a
 * exactly in IEEE arithmetic, so merge(a, b) adding b into a is the same sum either way.)
 */
import type { EStepOutput, UnitRange } from '../engine/family';

/** A node of the tree: the chunks [lo, hi). */
export interface TreeNode {
  readonly lo: number;
  readonly hi: number;
}

/** A node with its merged E-step output. */
export type ReducedNode<S> = TreeNode & EStepOutput<S>;

/** The largest nodes of the tree over [0, count) that lie inside `block`, in chunk order; they partition the block. */
export function coverNodes(count: number, block: UnitRange): TreeNode[] {
  const out: TreeNode[] = [];
  const visit = (lo: number, hi: number): void => {
    if (hi <= block.start || lo >= block.end) return;
    if (block.start <= lo && hi <= block.end) {
      out.push({ lo, hi });
      return;
    }
    const mid = (lo + hi) >>> 1;
    visit(lo, mid);
    visit(mid, hi);
  };
  if (count > 0) visit(0, count);
  return out;
}

/** Output keyed by node, for reduceNode's `known`. */
export function nodeKey(node: TreeNode): string {
  return `${node.lo}:${node.hi}`;
}

/**
 * The output of node [lo, hi): taken from `known` when it is there (computed elsewhere), else
 * the leaf's E-step for a single chunk, else the merge of its two halves. The log-likelihoods
 * add by the same tree. `merge` may reuse its first argument's storage (ModelFamily.merge).
 */
export function reduceNode<S>(node: TreeNode, leaf: (chunk: number) => EStepOutput<S>, merge: (a: S, b: S) => S, known?: ReadonlyMap<string, EStepOutput<S>>): EStepOutput<S> {
  const given = known?.get(nodeKey(node));
  if (given !== undefined) return given;
  if (node.hi - node.lo === 1) return leaf(node.lo);
  const mid = (node.lo + node.hi) >>> 1;
  const left = reduceNode({ lo: node.lo, hi: mid }, leaf, merge, known);
  const right = reduceNode({ lo: mid, hi: node.hi }, leaf, merge, known);
  return { logLikelihood: left.logLikelihood + right.logLikelihood, stats: merge(left.stats, right.stats) };
}

/** The cover nodes of `block` with their outputs, the leaves computed by `leaf`. */
export function reduceBlock<S>(count: number, block: UnitRange, leaf: (chunk: number) => EStepOutput<S>, merge: (a: S, b: S) => S): ReducedNode<S>[] {
  return coverNodes(count, block).map((node) => ({ ...node, ...reduceNode(node, leaf, merge) }));
}
