/** One data row's posteriors, grouped by variable, for the dataset hover. No vscode import. */
import type { PosteriorRow } from '../shared/protocol';

/** `P(H=0)` -> ["H", "0"]. */
function splitColumn(column: string): [string, string] | undefined {
  const m = /^P\((.+?)=(.*)\)$/.exec(column);
  return m ? [m[1], m[2]] : undefined;
}

/** Posterior values grouped by variable: H -> [[state, p], ...], skipping empty cells. */
export function groupPosteriors(row: PosteriorRow): Map<string, [string, number][]> {
  const groups = new Map<string, [string, number][]>();
  row.columns.forEach((c, i) => {
    const v = row.values[i];
    const parts = splitColumn(c);
    if (!parts || typeof v !== 'number') return;
    const list = groups.get(parts[0]) ?? [];
    list.push([parts[1], v]);
    groups.set(parts[0], list);
  });
  return groups;
}
