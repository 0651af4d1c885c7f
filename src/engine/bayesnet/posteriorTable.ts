/**
 * Per-row posteriors of a fitted network (the `--posteriors` CSV, dataset hovers, the
 * inspector): computed once per distinct pattern and looked up per row, so a million rows
 * cost one inference per pattern and nothing is materialized per row until asked.
 *
 * Columns: `P(H=s)` for every hidden variable H and state s (declaration order); then
 * `P(B=s)` for every observed variable B that is missing in some row (empty where B is
 * observed); then `label`, the most probable state of the hidden variable, when there is
 * exactly one. Rows dropped by missingData "drop" and rows whose cells are impossible under
 * the parameters have every cell empty. With "fill-mode" the evidence is the cells as read
 * (not the filled ones), so the filled cells show their distribution under the final fit.
 */
import type { PosteriorTable } from '../family';
import { PatternInference } from './patternInference';
import type { BayesNetData, BayesNetParameters } from './types';

export function bayesNetPosteriorTable(data: BayesNetData, params: BayesNetParameters): PosteriorTable {
  const { network, tree } = data;
  const patterns = data.rowPatterns;
  const width = network.observed.length;
  const patternCount = patterns.counts.length;

  const hiddenVars: number[] = [];
  for (let v = 0; v < network.names.length; v++) if (network.hidden[v]) hiddenVars.push(v);
  // observed variables missing in at least one pattern (so in at least one row)
  const imputedVars: number[] = [];
  for (let j = 0; j < width; j++) {
    for (let p = 0; p < patternCount; p++) {
      if (patterns.codes[p * width + j] < 0) {
        imputedVars.push(network.observed[j]);
        break;
      }
    }
  }
  const columns: string[] = [];
  const blocks: { v: number; offset: number }[] = [];
  for (const v of [...hiddenVars, ...imputedVars]) {
    blocks.push({ v, offset: columns.length });
    for (const s of network.states[v]) columns.push(`P(${network.names[v]}=${s})`);
  }
  const numeric = columns.length;
  const single = hiddenVars.length === 1 ? hiddenVars[0] : -1;
  if (single >= 0) columns.push('label');

  // values: P x numeric, NaN = empty; label: most probable state of the single hidden variable
  const values = new Float64Array(patternCount * numeric).fill(NaN);
  const label = new Int32Array(patternCount).fill(-1);
  const inference = new PatternInference(network, tree, params.theta);
  for (let p = 0; p < patternCount; p++) {
    const ll = inference.infer(patterns.codes, p, true);
    if (ll === -Infinity) continue;
    for (const { v, offset } of blocks) {
      const j = network.columnOf[v];
      if (j >= 0 && patterns.codes[p * width + j] >= 0) continue; // observed here: empty
      inference.variableMarginal(v, values, p * numeric + offset);
    }
    if (single >= 0) {
      const off = p * numeric + blocks[0].offset;
      let best = 0;
      for (let s = 1; s < network.cards[single]; s++) if (values[off + s] > values[off + best]) best = s;
      label[p] = best;
    }
  }

  const dropped = data.droppedRows;
  const rowCount = patterns.rowToPattern.length;
  return {
    columns,
    rowCount,
    row(i: number): readonly (number | string | undefined)[] {
      if (i < 0 || i >= rowCount) throw new RangeError(`row ${i} is outside 0..${rowCount - 1}`);
      const out: (number | string | undefined)[] = new Array(columns.length).fill(undefined);
      if (dropped && dropped[i]) return out;
      const p = patterns.rowToPattern[i];
      for (let k = 0; k < numeric; k++) {
        const x = values[p * numeric + k];
        if (!Number.isNaN(x)) out[k] = x;
      }
      if (single >= 0 && label[p] >= 0) out[numeric] = network.states[single][label[p]];
      return out;
    },
  };
}
