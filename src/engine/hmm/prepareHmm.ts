/**
 * From a validated `"kind": "hmm"` model file and its dataset to the HMM family, its prepared
 * data (hmmData.ts) and its explicit initial parameters (hmmGivenInit.ts).
 *
 * Columns: a Gaussian emission reads `data.columns`, or by default every numeric column except
 * the sequence column; a categorical emission reads one column (`data.columns` naming it, or
 * the only column besides the sequence column); its symbols are the column's levels (a numeric
 * column's distinct values, in increasing order), or `init.emission.symbols` when given.
 * Every data row is one time step; a step whose emission cells are all missing stays in its
 * sequence and contributes no emission term. `fit.missingData` does not apply (HMM steps
 * cannot be dropped without changing the time structure); `data.weight` is refused.
 */
import type { CategoricalColumn, Column, Dataset, NumericColumn } from '../../data/dataset';
import { InputError } from '../../shared/errors';
import type { HmmModelSpec, ModelFile } from '../../shared/modelSpec';
import type { PreparedFit } from '../registry';
import { createHmmFamily, type HmmFamily } from './hmmFamily';
import { ALL_MISSING, COMPLETE, type CategoricalObservations, type GaussianObservations, type HmmData, type HmmSequences } from './hmmData';
import { givenSymbols, parseGivenInit } from './hmmGivenInit';
import type { HmmParameters, HmmStats } from './hmmParameters';

/** The family of an hmm model file, built from the file alone: prepareHmm's, and registry.ts familyFor's (the E-step threads rebuild it there). */
export function hmmFamilyFor(model: ModelFile): HmmFamily {
  const spec = model.model;
  if (spec.kind !== 'hmm') throw new Error(`hmmFamilyFor called for a "${spec.kind}" model`);
  return createHmmFamily({ prior: spec.prior });
}

export function prepareHmm(model: ModelFile, dataset: Dataset): PreparedFit<HmmData, HmmParameters, HmmStats> {
  const spec = model.model;
  if (spec.kind !== 'hmm') throw new Error(`prepareHmm called for a "${spec.kind}" model`);
  const where = { file: model.file };
  validateSpec(spec, model);
  if (model.data.weight !== undefined) {
    throw new InputError(`"data.weight" is not supported for hmm models (each row is one time step); remove it or expand the counts into rows`, { ...where, jsonPath: ['data', 'weight'] });
  }
  if (dataset.rowCount === 0) throw new InputError('the dataset has no data rows', { file: dataset.file });
  // K x K transitions (and their expected counts) are dense: past ~1 GiB the fit would die allocating them.
  const transitionBytes = spec.states * spec.states * 8;
  if (transitionBytes > 2 ** 30) {
    throw new InputError(`${spec.states} hidden states need a ${spec.states} x ${spec.states} transition matrix (${(transitionBytes / 2 ** 30).toFixed(0)} GiB): use fewer states`, where);
  }

  const sequenceColumn = model.data.sequence;
  const sequences = groupSequences(dataset, sequenceColumn);
  const observations = spec.emission === 'gaussian' ? gaussianObservations(model, spec, dataset, sequences) : categoricalObservations(model, dataset, sequences);

  const data: HmmData = {
    modelFile: model.file,
    states: spec.states,
    prior: spec.prior,
    initMethod: model.fit.init === 'random' ? 'random' : 'kmeans++',
    sequences,
    observations,
    rowCount: dataset.rowCount,
    ...(sequenceColumn !== undefined ? { sequenceColumn } : {}),
  };

  if (model.fit.init === 'given' && model.init === undefined) throw new InputError('"fit.init" is "given" but the model file has no "init"', where);
  const initialParameters = model.init !== undefined ? parseGivenInit(model.init, observations, { modelFile: model.file, states: spec.states, prior: spec.prior }) : undefined;

  const warnings: string[] = [];
  const m = observations.missingSteps;
  if (m > 0) warnings.push(`${m} of ${dataset.rowCount} time steps ${m === 1 ? 'has' : 'have'} no observation; ${m === 1 ? 'it contributes' : 'they contribute'} no emission term`);
  if (model.fit.missingData !== 'em') warnings.push(`"fit.missingData": "${model.fit.missingData}" does not apply to hmm models; missing observations are marginalized`);

  return {
    family: hmmFamilyFor(model),
    data,
    ...(initialParameters !== undefined ? { initialParameters } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

function validateSpec(spec: HmmModelSpec, model: ModelFile): void {
  const where = { file: model.file };
  if (!Number.isInteger(spec.states) || spec.states < 1) throw new InputError(`"model.states" must be a positive integer, not ${spec.states}`, where);
  if (!(spec.prior >= 0) || !Number.isFinite(spec.prior)) throw new InputError(`"model.prior" must be a pseudo-count >= 0, not ${spec.prior}`, where);
  if (!(model.fit.regularization >= 0) || !Number.isFinite(model.fit.regularization)) throw new InputError(`"fit.regularization" must be >= 0, not ${model.fit.regularization}`, where);
}

function requireColumn(dataset: Dataset, name: string): Column {
  const column = dataset.columns.find((c) => c.name === name);
  if (column === undefined) throw new InputError(`column "${name}" is not in the data (columns: ${dataset.header.join(', ')})`, { file: dataset.file, line: 1 });
  return column;
}

/**
 * Rows grouped by sequence id: sequences numbered by first appearance, rows in file order
 * within each (a stable counting sort, O(N)).
 */
export function groupSequences(dataset: Dataset, sequenceColumn: string | undefined): HmmSequences {
  const N = dataset.rowCount;
  const sequenceOfRow = new Int32Array(N);
  const ids: (string | number)[] = [];
  if (sequenceColumn === undefined) {
    ids.push(1);
  } else {
    const column = requireColumn(dataset, sequenceColumn);
    const missingId = (row: number): InputError =>
      new InputError(`the sequence id (column "${sequenceColumn}") is missing; every row must belong to a sequence`, { file: dataset.file, line: dataset.lines[row] });
    if (column.kind === 'numeric') {
      const index = new Map<number, number>();
      for (let i = 0; i < N; i++) {
        const v = column.values[i];
        if (Number.isNaN(v)) throw missingId(i);
        let s = index.get(v);
        if (s === undefined) {
          s = ids.length;
          index.set(v, s);
          ids.push(v);
        }
        sequenceOfRow[i] = s;
      }
    } else {
      const index = new Int32Array(column.levels.length).fill(-1);
      for (let i = 0; i < N; i++) {
        const code = column.codes[i];
        if (code < 0) throw missingId(i);
        if (index[code] < 0) {
          index[code] = ids.length;
          ids.push(column.levels[code]);
        }
        sequenceOfRow[i] = index[code];
      }
    }
  }
  const S = ids.length;
  const offsets = new Int32Array(S + 1);
  for (let i = 0; i < N; i++) offsets[sequenceOfRow[i] + 1]++;
  let maxLength = 0;
  for (let s = 0; s < S; s++) {
    maxLength = Math.max(maxLength, offsets[s + 1]);
    offsets[s + 1] += offsets[s];
  }
  const next = offsets.slice(0, S);
  const rowOfStep = new Int32Array(N);
  const stepOfRow = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const step = next[sequenceOfRow[i]]++;
    rowOfStep[step] = i;
    stepOfRow[i] = step;
  }
  return { count: S, offsets, ids, rowOfStep, stepOfRow, sequenceOfRow, maxLength };
}

function gaussianObservations(model: ModelFile, spec: HmmModelSpec, dataset: Dataset, sequences: HmmSequences): GaussianObservations {
  const exclude = new Set([model.data.sequence, model.data.weight].filter((c): c is string => c !== undefined));
  const names = model.data.columns !== undefined ? model.data.columns.filter((c) => !exclude.has(c)) : dataset.columns.filter((c) => c.kind === 'numeric' && !exclude.has(c.name)).map((c) => c.name);
  if (names.length === 0) throw new InputError('a gaussian hmm needs at least one numeric column besides the sequence column', { file: model.file });
  const columns: NumericColumn[] = names.map((name) => {
    const c = requireColumn(dataset, name);
    if (c.kind !== 'numeric') {
      throw new InputError(`column "${name}" is not numeric (values such as ${c.levels.slice(0, 3).map((l) => JSON.stringify(l)).join(', ')}); a gaussian emission needs numbers (or use "emission": "categorical")`, { file: dataset.file, line: 1 });
    }
    return c;
  });
  const D = columns.length;
  const N = dataset.rowCount;
  const values = new Float64Array(N * D);
  const pattern = new Int32Array(N);
  const patterns: Int32Array[] = [Int32Array.from({ length: D }, (_, a) => a)];
  const patternIndex = new Map<string, number>();
  const center = new Float64Array(D);
  const observedCount = new Float64Array(D);
  let missingSteps = 0;
  const observedNow: number[] = [];
  for (let step = 0; step < N; step++) {
    const row = sequences.rowOfStep[step];
    observedNow.length = 0;
    for (let a = 0; a < D; a++) {
      const v = columns[a].values[row];
      values[step * D + a] = v;
      if (!Number.isNaN(v)) {
        observedNow.push(a);
        center[a] += v;
        observedCount[a]++;
      }
    }
    if (observedNow.length === D) pattern[step] = COMPLETE;
    else if (observedNow.length === 0) {
      pattern[step] = ALL_MISSING;
      missingSteps++;
    } else {
      const key = observedNow.join(',');
      let p = patternIndex.get(key);
      if (p === undefined) {
        p = patterns.length;
        patternIndex.set(key, p);
        patterns.push(Int32Array.from(observedNow));
      }
      pattern[step] = p;
    }
  }
  for (let a = 0; a < D; a++) {
    if (observedCount[a] === 0) throw new InputError(`column "${names[a]}" has no values (every cell is missing): leave it out of data.columns, or check data.missing`, { file: dataset.file });
    center[a] /= observedCount[a];
  }
  return { kind: 'gaussian', columns: names, dim: D, covariance: spec.covariance, regularization: model.fit.regularization, values, pattern, patterns, center, missingSteps };
}

function categoricalObservations(model: ModelFile, dataset: Dataset, sequences: HmmSequences): CategoricalObservations {
  const exclude = new Set([model.data.sequence, model.data.weight].filter((c): c is string => c !== undefined));
  const candidates = model.data.columns !== undefined ? model.data.columns.filter((c) => !exclude.has(c)) : dataset.columns.filter((c) => !exclude.has(c.name)).map((c) => c.name);
  if (candidates.length !== 1) {
    throw new InputError(`a categorical hmm reads exactly one column; name it in "data.columns" (${candidates.length === 0 ? 'none found' : `found ${candidates.join(', ')}`})`, { file: model.file });
  }
  const name = candidates[0];
  const column = requireColumn(dataset, name);
  const N = dataset.rowCount;
  // codesByRow: per data row, an index into `levels`, -1 = missing
  let levels: string[];
  let codesByRow: Int32Array;
  if (column.kind === 'numeric') {
    ({ levels, codesByRow } = numericLevels(column));
  } else {
    levels = [...(column as CategoricalColumn).levels];
    codesByRow = column.codes;
  }
  // Symbols: the data's levels, or the explicit init's list (then levels map into it).
  const given = givenSymbols(model.init, model.file);
  const symbols = given ?? levels;
  const levelToSymbol = new Int32Array(levels.length);
  if (given !== undefined) {
    const index = new Map(given.map((s, i) => [s, i]));
    levels.forEach((level, l) => levelToSymbol[l] = index.get(level) ?? -1);
  } else {
    levels.forEach((_, l) => (levelToSymbol[l] = l));
  }
  const codes = new Int32Array(N);
  let missingSteps = 0;
  for (let step = 0; step < N; step++) {
    const row = sequences.rowOfStep[step];
    const level = codesByRow[row];
    if (level < 0) {
      codes[step] = -1;
      missingSteps++;
      continue;
    }
    const symbol = levelToSymbol[level];
    if (symbol < 0) throw new InputError(`"${levels[level]}" (column "${name}") is not among init.emission.symbols`, { file: dataset.file, line: dataset.lines[row] });
    codes[step] = symbol;
  }
  if (missingSteps === N) throw new InputError(`column "${name}" has no values (every cell is missing): leave it out of data.columns, or check data.missing`, { file: dataset.file });
  return { kind: 'categorical', column: name, symbols, codes, missingSteps };
}

/** A numeric column read as symbols: its distinct values in increasing order, written as numbers are. */
function numericLevels(column: NumericColumn): { levels: string[]; codesByRow: Int32Array } {
  const distinct = [...new Set(Array.from(column.values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, i) => [v, i]));
  const codesByRow = new Int32Array(column.values.length);
  for (let i = 0; i < column.values.length; i++) {
    const v = column.values[i];
    codesByRow[i] = Number.isNaN(v) ? -1 : (index.get(v) as number);
  }
  return { levels: distinct.map((v) => String(v)), codesByRow };
}
