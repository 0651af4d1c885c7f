/**
 * Per-row posteriors of a fitted mixture, computed lazily row by row (a million rows are never
 * materialized): P(component = k | x_O) over the row's observed cells, and `label`, the
 * 1-based component of largest posterior. A row with no observed cell has the mixing weights
 * as its posterior; a row dropped by missingData "drop" has empty cells.
 */
import type { PosteriorTable } from '../family';
import type { GmmData } from './gmmData';
import { firstPatternAtOrAfter } from './gmmEStep';
import type { GmmParameters } from './gmmParameters';
import type { PatternFactors } from './patternFactors';
import { patternFactors, patternLogJoint } from './patternFactors';

export function gmmPosteriorColumns(k: number): string[] {
  const columns: string[] = [];
  for (let c = 1; c <= k; c++) columns.push(`P(component=${c})`);
  columns.push('label');
  return columns;
}

export function gmmPosteriors(data: GmmData, params: GmmParameters): PosteriorTable {
  const { k, d } = params;
  const cache = new Map<number, PatternFactors>(); // pattern index (-1: complete rows) -> factors
  const allObserved = new Uint8Array(d).fill(1);
  const lp = new Float64Array(k);
  const z = new Float64Array(d);
  const factorsOf = (pattern: number): PatternFactors => {
    let f = cache.get(pattern);
    if (f === undefined) {
      f = pattern < 0 ? patternFactors(params, allObserved, 0) : patternFactors(params, data.patternObserved, pattern * d);
      cache.set(pattern, f);
    }
    return f;
  };
  const withLabel = (probabilities: ArrayLike<number>): (number | undefined)[] => {
    const out: (number | undefined)[] = Array.from(probabilities);
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[c] > probabilities[best]) best = c;
    out.push(best + 1);
    return out;
  };
  return {
    columns: gmmPosteriorColumns(k),
    rowCount: data.rowCount,
    row(i: number): readonly (number | string | undefined)[] {
      if (!(i >= 0 && i < data.rowCount)) throw new RangeError(`row ${i} is outside 0..${data.rowCount - 1}`);
      const u = data.unitOfRow[i];
      if (u < 0) return data.missingData === 'drop' ? new Array<undefined>(k + 1).fill(undefined) : withLabel(params.weights);
      const pattern = u < data.completeUnits ? -1 : firstPatternAtOrAfter(data, u);
      patternLogJoint(factorsOf(pattern), k, d, data.x, u * d, lp, z);
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (lp[c] > max) max = lp[c];
      let total = 0;
      for (let c = 0; c < k; c++) {
        lp[c] = Math.exp(lp[c] - max);
        total += lp[c];
      }
      for (let c = 0; c < k; c++) lp[c] /= total;
      return withLabel(lp);
    },
  };
}
