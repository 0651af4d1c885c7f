/**
 * The Gaussian mixture's prepared data: the selected numeric columns copied once into one
 * row-major block, with the rows that have missing cells grouped by missingness pattern.
 *
 * Layout (decided by bench/gmm/bench-layout.mjs): one row-major `units x D` block. A fused
 * E+M pass over N = 1e6, D = 8, K = 8 ran as fast with it as with one Float64Array per column
 * (row-major was 0-10% faster), and the block has two further merits: the rows can be
 * reordered (complete rows first, then the incomplete ones pattern by pattern, so that each
 * pattern's sub-covariance factors are computed once per iteration), and one buffer
 * (a SharedArrayBuffer where available) can be handed to worker threads without a copy.
 *
 * Units: the E-step's unit is a used row, in this order:
 *   [0, completeUnits)                           rows with every cell observed, in data order
 *   [patternStart[p], patternStart[p + 1])       rows with missingness pattern p, in data order
 * Rows with no observed cell (nothing to learn from) and rows dropped by
 * `missingData: "drop"` are not units; `unitOfRow` maps them to -1.
 */
import { InputError } from '../../shared/errors';

/**
 * The parts of a dataset (src/data/dataset.ts `Dataset`) that the mixture reads. Declared here
 * structurally so that engine/ does not import data/ (test/unit/layout.test.ts); a `Dataset`
 * is one of these.
 */
export interface NumericTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly columns: readonly (
    | { readonly kind: 'numeric'; readonly name: string; readonly values: Float64Array }
    | { readonly kind: 'categorical'; readonly name: string; readonly levels: readonly string[] }
  )[];
  readonly rowCount: number;
  /** Row weights (counts), or undefined when every row counts 1. */
  readonly weights?: Float64Array;
  /** 1-based file line of each row. */
  readonly lines: Int32Array;
}

export interface GmmData {
  /** Names of the D modelled columns, in order. */
  readonly columns: readonly string[];
  readonly d: number;
  /** Number of E-step units (used rows). */
  readonly units: number;
  /** units x D, row-major, in unit order; NaN at missing cells. */
  readonly x: Float64Array;
  /** Row weights in unit order, or undefined when every row counts 1. */
  readonly weights: Float64Array | undefined;
  /** Sum of the used rows' weights. */
  readonly weightedRows: number;
  /** Units [0, completeUnits) have every cell observed. */
  readonly completeUnits: number;
  /** P x D: 1 where pattern p observes column d. */
  readonly patternObserved: Uint8Array;
  /** P + 1 unit offsets: pattern p holds units [patternStart[p], patternStart[p + 1]). patternStart[0] = completeUnits. */
  readonly patternStart: Int32Array;
  /** Number of missingness patterns among incomplete rows (P). */
  readonly patterns: number;
  /** Rows of the dataset (used or not). */
  readonly rowCount: number;
  /** Dataset row -> unit, -1 for a row that is not used. */
  readonly unitOfRow: Int32Array;
  /** Unit -> dataset row (0-based). */
  readonly rowOfUnit: Int32Array;
  /** D: weighted mean of each column's observed cells (the tied covariance's reference point). */
  readonly center: Float64Array;
  /** D: weighted variance of each column's observed cells (scales for tolerances and warnings). */
  readonly variance: Float64Array;
  /** Rows left out because no modelled cell is observed (missingData "em"). */
  readonly emptyRows: number;
  /** Rows left out because a modelled cell is missing (missingData "drop"). */
  readonly droppedRows: number;
  /** Modelled cells that are missing, over all used rows (for notes). */
  readonly missingCells: number;
  /** How rows with missing cells were treated ("em": marginalized; "drop": left out). */
  readonly missingData: 'em' | 'drop';
}

export interface GmmDataOptions {
  /** Columns to model; default every numeric column except `exclude`. */
  readonly columns?: readonly string[];
  /** Columns never modelled by default (the weight and sequence columns). */
  readonly exclude?: readonly string[];
  /** "em" (marginalize missing cells) or "drop" (complete-case analysis). */
  readonly missingData: 'em' | 'drop';
  /** The model file, for error messages. */
  readonly modelFile: string;
}

/** A Float64Array on a SharedArrayBuffer when the platform has one (worker threads share it). */
export function sharedFloat64(n: number): Float64Array {
  return typeof SharedArrayBuffer === 'function' ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
}

/** Select the columns, check them, and lay the rows out as described at the top of this file. */
export function prepareGmmData(ds: NumericTable, options: GmmDataOptions): GmmData {
  const exclude = new Set(options.exclude ?? []);
  let selected: Float64Array[];
  let names: string[];
  if (options.columns !== undefined) {
    selected = [];
    names = [];
    for (const name of options.columns) {
      const col = ds.columns.find((c) => c.name === name);
      if (!col) throw new InputError(`data.columns names "${name}", which is not a column of ${ds.file} (its columns: ${ds.header.join(', ')})`, { file: options.modelFile });
      if (col.kind !== 'numeric') throw new InputError(`column "${name}" is not numeric (it has values such as "${col.levels[0] ?? ''}"); a Gaussian mixture models numeric columns only`, { file: options.modelFile });
      selected.push(col.values);
      names.push(name);
    }
  } else {
    const numeric = ds.columns.filter((c) => c.kind === 'numeric' && !exclude.has(c.name));
    selected = numeric.map((c) => (c.kind === 'numeric' ? c.values : new Float64Array(0)));
    names = numeric.map((c) => c.name);
  }
  const d = selected.length;
  if (d === 0) throw new InputError(`${ds.file} has no numeric column to model; a Gaussian mixture needs at least one (check data.columns and data.missing)`, { file: options.modelFile });
  if (new Set(names).size !== names.length) throw new InputError(`data.columns lists a column twice (${names.join(', ')})`, { file: options.modelFile });
  // A column without one value has nothing to estimate its mean and variance from.
  names.forEach((name, j) => {
    if (selected[j].every((v) => Number.isNaN(v))) {
      const fix = options.columns !== undefined ? 'leave it out of data.columns' : 'list the columns to model in data.columns';
      throw new InputError(`column "${name}" has no values (every cell is missing): ${fix}, or check data.missing`, { file: options.modelFile });
    }
  });

  const n = ds.rowCount;
  const w = ds.weights;
  // Pass 1: classify rows by missingness pattern (a bit mask over the D columns, as a string key
  // when D > 30), check values.
  const patternOfRow = new Int32Array(n); // -2 = unused, -1 = complete, p >= 0 = pattern p
  const patternIndex = new Map<string, number>();
  const patternMasks: Uint8Array[] = [];
  const patternCounts: number[] = [];
  let completeUnits = 0;
  let emptyRows = 0;
  let droppedRows = 0;
  let missingCells = 0;
  const mask = new Uint8Array(d);
  for (let i = 0; i < n; i++) {
    // fast path: v - v is 0 for every finite v, NaN for NaN and the infinities
    let finite = true;
    for (let j = 0; j < d && finite; j++) {
      const v = selected[j][i];
      finite = v - v === 0;
    }
    if (finite && (w === undefined || (w[i] >= 0 && Number.isFinite(w[i])))) {
      patternOfRow[i] = -1;
      completeUnits++;
      continue;
    }
    let observed = 0;
    for (let j = 0; j < d; j++) {
      const v = selected[j][i];
      if (v === Infinity || v === -Infinity) throw new InputError(`column "${names[j]}" holds an infinite value`, { file: ds.file, line: ds.lines[i] ?? 0 });
      mask[j] = Number.isNaN(v) ? 0 : 1;
      observed += mask[j];
    }
    if (w !== undefined && !(w[i] >= 0 && Number.isFinite(w[i]))) throw new InputError(`row weight ${w[i]} is not a finite number >= 0`, { file: ds.file, line: ds.lines[i] ?? 0 });
    if (observed === d) {
      patternOfRow[i] = -1;
      completeUnits++;
    } else if (observed === 0) {
      patternOfRow[i] = -2;
      emptyRows++;
    } else if (options.missingData === 'drop') {
      patternOfRow[i] = -2;
      droppedRows++;
    } else {
      missingCells += d - observed;
      const key = String.fromCharCode(...mask.map((b) => 48 + b));
      let p = patternIndex.get(key);
      if (p === undefined) {
        p = patternMasks.length;
        patternIndex.set(key, p);
        patternMasks.push(mask.slice());
        patternCounts.push(0);
      }
      patternCounts[p]++;
      patternOfRow[i] = p;
    }
  }
  const patterns = patternMasks.length;
  const patternStart = new Int32Array(patterns + 1);
  patternStart[0] = completeUnits;
  for (let p = 0; p < patterns; p++) patternStart[p + 1] = patternStart[p] + patternCounts[p];
  const units = patternStart[patterns];
  const patternObserved = new Uint8Array(patterns * d);
  for (let p = 0; p < patterns; p++) patternObserved.set(patternMasks[p], p * d);

  // Pass 2: copy the rows into unit order.
  const x = sharedFloat64(units * d);
  const weights = w !== undefined ? sharedFloat64(units) : undefined;
  const unitOfRow = new Int32Array(n).fill(-1);
  const rowOfUnit = new Int32Array(units);
  const next = Int32Array.from(patternStart.subarray(0, patterns));
  let nextComplete = 0;
  let weightedRows = 0;
  for (let i = 0; i < n; i++) {
    const p = patternOfRow[i];
    if (p === -2) continue;
    const u = p === -1 ? nextComplete++ : next[p]++;
    unitOfRow[i] = u;
    rowOfUnit[u] = i;
    for (let j = 0; j < d; j++) x[u * d + j] = selected[j][i];
    const wi = w !== undefined ? w[i] : 1;
    if (weights !== undefined) weights[u] = wi;
    weightedRows += wi;
  }
  if (units === 0 || !(weightedRows > 0)) {
    throw new InputError(`no row of ${ds.file} has an observed value in ${names.join(', ')}${options.missingData === 'drop' ? ' with every cell observed (missingData "drop")' : ''}`, { file: options.modelFile });
  }

  // Column means and variances over observed cells (two passes: mean first, then centered squares).
  const center = new Float64Array(d);
  const variance = new Float64Array(d);
  const mass = new Float64Array(d);
  for (let u = 0; u < units; u++) {
    const wu = weights !== undefined ? weights[u] : 1;
    for (let j = 0; j < d; j++) {
      const v = x[u * d + j];
      if (v === v) {
        center[j] += wu * v;
        mass[j] += wu;
      }
    }
  }
  for (let j = 0; j < d; j++) {
    if (!(mass[j] > 0)) throw new InputError(`column "${names[j]}" has no observed value in the rows used; leave it out of data.columns`, { file: options.modelFile });
    center[j] = center[j] / mass[j];
  }
  for (let u = 0; u < units; u++) {
    const wu = weights !== undefined ? weights[u] : 1;
    for (let j = 0; j < d; j++) {
      const v = x[u * d + j];
      if (v === v) variance[j] += wu * (v - center[j]) * (v - center[j]);
    }
  }
  for (let j = 0; j < d; j++) variance[j] /= mass[j];

  return {
    columns: names,
    d,
    units,
    x,
    weights,
    weightedRows,
    completeUnits,
    patternObserved,
    patternStart,
    patterns,
    rowCount: n,
    unitOfRow,
    rowOfUnit,
    center,
    variance,
    emptyRows,
    droppedRows,
    missingCells,
    missingData: options.missingData,
  };
}

/**
 * A uniform random sample of `m` units (without replacement, kept in unit order) as data of
 * their own: initialization screens candidate starts on it when the data are large.
 */
export function subsampleUnits(data: GmmData, m: number, rng: { int(n: number): number }): GmmData {
  // The first m steps of a Fisher-Yates shuffle of 0 .. units-1, with the array held sparsely
  // (only the slots a swap moved), so the cost is O(m), not O(units).
  const moved = new Map<number, number>();
  const slot = (i: number): number => moved.get(i) ?? i;
  const chosen = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(data.units - i);
    const t = slot(i);
    chosen[i] = slot(j);
    moved.set(j, t);
  }
  chosen.sort();
  const d = data.d;
  const columns = data.columns.map((name, j) => ({ kind: 'numeric' as const, name, values: Float64Array.from(chosen, (u) => data.x[u * d + j]) }));
  const table: NumericTable = {
    file: 'sample',
    header: data.columns,
    columns,
    rowCount: m,
    ...(data.weights ? { weights: Float64Array.from(chosen, (u) => (data.weights as Float64Array)[u]) } : {}),
    lines: new Int32Array(m),
  };
  return prepareGmmData(table, { missingData: data.missingData, modelFile: '' });
}
