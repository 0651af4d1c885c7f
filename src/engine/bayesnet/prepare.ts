/**
 * From a `bayesnet` or `latent-class` model file and its dataset to a fit ready to run:
 * the network and its junction tree, the observed columns resolved to states and compressed
 * into patterns, the missing-data strategy applied, explicit initial parameters parsed.
 *
 * The pipeline first asks `bayesNetReadOptions(model)` which columns to read, which of them as
 * categorical with which declared states, and the weight column; then it calls
 * `prepareBayesNet(model, dataset)` (through registry.ts's prepareFit).
 */
import type { CategoricalColumn, Dataset } from '../../data/dataset';
import { compressPatterns } from '../../data/patterns';
import { InputError } from '../../shared/errors';
import type { ModelFile } from '../../shared/modelSpec';
import type { ModelFamily } from '../family';
import type { PreparedFit } from '../registry';
import { Rng } from '../rng';
import { bayesNetEStep, createBayesNetFamily } from './bayesNetFamily';
import { parseInitialParameters } from './initialParameters';
import { buildJunctionTree, JunctionTreeTooLargeError, type JunctionTree } from './junctionTree';
import { fillWithMode, fitSynchronously, incompleteRowMask, withoutIncompleteRows } from './missingData';
import { buildNetwork, structureProblem, type BayesNetwork, type VariableDeclaration } from './network';
import { PatternInference } from './patternInference';
import { sortClassesByWeight } from './statePermutation';
import type { BayesNetData, BayesNetParameters, BayesNetStats, ObservedPatterns } from './types';

/** Name of latent-class's hidden variable (suffixed with "_" while a column has that name). */
export const LATENT_CLASS_VARIABLE = 'class';

/** Largest total junction-tree table size (entries over all cliques) that exact inference accepts. */
const MAX_TREE_ENTRIES = 1 << 23;

export interface BayesNetReadOptions {
  /** Data columns to read: one per observed variable, in declaration order. */
  readonly columns: string[];
  /** Every column above is categorical; its declared states when the model gives them (else the data's sorted values). */
  readonly categorical: Record<string, string[] | undefined>;
  /** The count column (`data.weight`), when there is one. */
  readonly weight?: string;
}

/** What the dataset reader must read for `model` (kind bayesnet or latent-class). */
export function bayesNetReadOptions(model: ModelFile): BayesNetReadOptions {
  const observed = declarationsOf(model).filter((d) => !d.hidden);
  const categorical: Record<string, string[] | undefined> = {};
  for (const d of observed) categorical[d.column] = d.states ? d.states.slice() : undefined;
  return {
    columns: [...new Set(observed.map((d) => d.column))],
    categorical,
    ...(model.data.weight !== undefined ? { weight: model.data.weight } : {}),
  };
}

export type BayesNetPreparedFit = PreparedFit<BayesNetData, BayesNetParameters, BayesNetStats>;

/**
 * The family of a bayesnet or latent-class model file, built from the file alone: prepareBayesNet's,
 * and registry.ts familyFor's (the E-step threads rebuild it there). Latent-class orders its
 * classes by weight; the class variable is the network's first (declarationsOf declares it first).
 */
export function bayesNetFamilyFor(model: ModelFile): ModelFamily<BayesNetData, BayesNetParameters, BayesNetStats> {
  const spec = model.model;
  if (spec.kind !== 'bayesnet' && spec.kind !== 'latent-class') throw new Error(`bayesNetFamilyFor called for kind ${spec.kind}`);
  return createBayesNetFamily(spec.kind, spec.prior, spec.kind === 'latent-class' ? (params) => sortClassesByWeight(params, 0) : undefined);
}

/** Prepare the fit. Throws InputError naming the model file or the data file (and line) on bad input. */
export function prepareBayesNet(model: ModelFile, dataset: Dataset): BayesNetPreparedFit {
  const kind = model.model.kind;
  if (kind !== 'bayesnet' && kind !== 'latent-class') throw new Error(`prepareBayesNet called for kind ${kind}`);
  const prior = model.model.prior;
  if (!(prior >= 0) || !Number.isFinite(prior)) throw new InputError(`"prior" must be a number >= 0 (got ${prior})`, { file: model.file });

  // Variables, with observed states resolved against the data.
  const pending = declarationsOf(model);
  const problem = structureProblem(pending.map((d) => ({ ...d, states: d.states ?? [] })));
  if (problem) throw new InputError(problem, { file: model.file });
  const columns: CategoricalColumn[] = [];
  const declarations: VariableDeclaration[] = pending.map((d) => {
    if (d.hidden) {
      if (!d.states || d.states.length === 0) throw new InputError(`hidden variable ${d.name} needs "states" (for example ["0", "1"])`, { file: model.file });
      return { ...d, states: d.states };
    }
    const column = observedColumn(d.name, d.column, d.states, dataset, model.file);
    columns.push(column);
    return { ...d, states: column.levels };
  });
  for (const d of declarations) {
    if (new Set(d.states).size !== d.states.length) throw new InputError(`variable ${d.name} lists a state twice`, { file: model.file });
  }

  const network = buildNetwork(declarations);
  let tree: JunctionTree;
  try {
    tree = buildJunctionTree(network, MAX_TREE_ENTRIES);
  } catch (e) {
    if (!(e instanceof JunctionTreeTooLargeError)) throw e;
    throw new InputError(`the network is too densely connected for exact inference (its junction tree would have ${e.entries} table entries, the largest clique ${e.largestClique}); use fewer parents or fewer states`, { file: model.file });
  }

  checkWeights(dataset);
  const rowPatterns: ObservedPatterns = compressPatterns(columns, dataset.weights);
  const family = bayesNetFamilyFor(model);
  const warnings: string[] = [];
  const initialParameters = model.init !== undefined ? parseInitialParameters(model.init, network, model.file, model.fit.seed) : undefined;

  let data: BayesNetData;
  const strategy = model.fit.missingData;
  switch (strategy) {
    case 'em':
      data = makeData(network, tree, rowPatterns, rowPatterns);
      break;
    case 'drop': {
      const kept = withoutIncompleteRows(rowPatterns);
      const droppedRows = incompleteRowMask(rowPatterns);
      let dropped = 0;
      for (const d of droppedRows) dropped += d;
      data = { ...makeData(network, tree, kept, rowPatterns), ...(dropped > 0 ? { droppedRows } : {}) };
      if (dataset.rowCount > 0 && dropped === dataset.rowCount) {
        throw new InputError(`missingData "drop": every row has a missing cell, so no row is left to fit; use "em" (soft EM) or "fill-mode"`, { file: model.file, jsonPath: ['fit', 'missingData'] });
      }
      if (dropped > 0) warnings.push(`missingData "drop": ${dropped} of ${dataset.rowCount} rows have a missing cell and were left out (weight ${totalWeight(rowPatterns) - data.weightedRows})`);
      break;
    }
    case 'fill-mode': {
      const complete = withoutIncompleteRows(rowPatterns);
      const completeData = makeData(network, tree, complete, rowPatterns);
      if (completeData.weightedRows === 0 && totalWeight(rowPatterns) > 0) {
        throw new InputError(`missingData "fill-mode": no row is complete, so there is nothing to estimate the filled values from; use "em" (soft EM)`, { file: model.file, jsonPath: ['fit', 'missingData'] });
      }
      if (initialParameters) checkPossible(initialParameters, completeData, dataset, model.file);
      const start = initialParameters ?? family.initialize(completeData, new Rng(model.fit.seed));
      const estimate = fitSynchronously(family, completeData, start, model.fit.maxIterations, model.fit.tolerance);
      const filled = fillWithMode(completeData, estimate, rowPatterns, (codes, _cards, names, weights) =>
        compressPatterns(
          codes.map((c, j) => ({ kind: 'categorical', name: names[j], levels: network.states[network.observed[j]], codes: c })),
          weights,
        ),
      );
      data = makeData(network, tree, filled.patterns, rowPatterns);
      if (filled.cellsFilled > 0) {
        warnings.push(
          `missingData "fill-mode": filled ${filled.cellsFilled} missing cell${filled.cellsFilled === 1 ? '' : 's'} in ${filled.rowsFilled} row${filled.rowsFilled === 1 ? '' : 's'} with the most probable value given the row's other cells, under the estimate from the complete rows (weight ${completeData.weightedRows})` +
            (filled.rowsWithoutEvidence > 0 ? `; ${filled.rowsWithoutEvidence} rows had values never seen in the complete rows and were filled with the overall most probable value` : ''),
        );
      }
      break;
    }
    default: {
      const never: never = strategy;
      throw new InputError(`unknown missingData ${JSON.stringify(never)}`, { file: model.file });
    }
  }
  if (!(data.weightedRows > 0)) {
    const why = dataset.weights ? `every row's weight in column "${model.data.weight ?? ''}" is 0; give the rows to fit a positive count` : 'the file has no rows';
    throw new InputError(`no rows to fit: ${why}`, { file: dataset.file });
  }

  if (initialParameters) checkPossible(initialParameters, data, dataset, model.file);
  return { family, data, ...(initialParameters ? { initialParameters } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
}

interface PendingDeclaration {
  readonly name: string;
  readonly states?: readonly string[];
  readonly hidden: boolean;
  readonly column: string;
  readonly parents: readonly string[];
}

function declarationsOf(model: ModelFile): PendingDeclaration[] {
  const spec = model.model;
  switch (spec.kind) {
    case 'bayesnet': {
      const names = Object.keys(spec.variables);
      for (const child of Object.keys(spec.parents)) {
        if (!(child in spec.variables)) throw new InputError(`"parents" names ${child}, which is not a declared variable`, { file: model.file });
      }
      return names.map((name) => {
        const v = spec.variables[name];
        return { name, ...(v.states ? { states: v.states } : {}), hidden: v.hidden, column: v.column ?? name, parents: spec.parents[name] ?? [] };
      });
    }
    case 'latent-class': {
      const k = spec.classes;
      if (!Number.isInteger(k) || k < 1) throw new InputError(`"classes" must be a whole number >= 1 (got ${k})`, { file: model.file });
      if (spec.columns.length === 0) throw new InputError(`latent-class needs at least one column in "columns"`, { file: model.file });
      if (new Set(spec.columns).size !== spec.columns.length) throw new InputError(`"columns" lists a column twice`, { file: model.file });
      let name = LATENT_CLASS_VARIABLE;
      while (spec.columns.includes(name)) name += '_';
      const states = Array.from({ length: k }, (_, i) => String(i + 1));
      return [{ name, states, hidden: true, column: name, parents: [] }, ...spec.columns.map((c) => ({ name: c, hidden: false, column: c, parents: [name] }))];
    }
    case 'gaussian-mixture':
    case 'hmm':
      throw new Error(`not a categorical network: ${spec.kind}`);
    default: {
      const never: never = spec;
      throw new Error(`unknown model kind ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The data column of an observed variable with codes in the variable's state order: the
 * declared states when given (a value outside them is an error at its line), else the
 * column's levels.
 */
function observedColumn(variable: string, name: string, declared: readonly string[] | undefined, dataset: Dataset, modelFile: string): CategoricalColumn {
  const column = dataset.columns.find((c) => c.name === name);
  if (!column) throw new InputError(`column "${name}" (variable ${variable}) is not in the data (columns: ${dataset.header.join(', ')})`, { file: dataset.file, line: 1 });
  if (column.kind !== 'categorical') throw new InputError(`column "${name}" (variable ${variable}) was read as numbers, not categories`, { file: dataset.file, line: 1 });
  if (!declared) {
    if (column.levels.length === 0) throw new InputError(`column "${name}" has no values (every cell is missing): declare the "states" of ${variable}`, { file: modelFile });
    return column;
  }
  if (declared.length === 0) throw new InputError(`variable ${variable} declares no states`, { file: modelFile });
  if (column.levels.length === declared.length && column.levels.every((l, i) => l === declared[i])) return column;
  const stateOf = new Map(declared.map((s, i) => [s, i]));
  const remap = Int32Array.from(column.levels, (l) => stateOf.get(l) ?? -2);
  const codes = new Int32Array(column.codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = column.codes[i];
    if (c < 0) {
      codes[i] = -1;
      continue;
    }
    if (remap[c] === -2) {
      throw new InputError(`${JSON.stringify(column.levels[c])} is not a state of ${variable} (states: ${declared.join(', ')})`, { file: dataset.file, line: dataset.lines[i] ?? 0 });
    }
    codes[i] = remap[c];
  }
  return { kind: 'categorical', name: column.name, levels: declared.slice(), codes };
}

function checkWeights(dataset: Dataset): void {
  const w = dataset.weights;
  if (!w) return;
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i])) {
      throw new InputError(`the row weight ${w[i]} is not a count >= 0`, { file: dataset.file, line: dataset.lines[i] ?? 0 });
    }
  }
}

function makeData(network: BayesNetwork, tree: JunctionTree, patterns: ObservedPatterns, rowPatterns: ObservedPatterns): BayesNetData {
  return { network, tree, patterns, rowPatterns, weightedRows: totalWeight(patterns) };
}

function totalWeight(patterns: ObservedPatterns): number {
  let s = 0;
  for (let p = 0; p < patterns.counts.length; p++) s += patterns.counts[p];
  return s;
}

/** InputError at the first weighted row the initial parameters give probability 0. */
function checkPossible(params: BayesNetParameters, data: BayesNetData, dataset: Dataset, modelFile: string): void {
  // one E-step (the fit's own, fast for latent-class networks) says whether any weighted row is impossible; only then is the first one looked for
  if (bayesNetEStep(data, params).logLikelihood > -Infinity) return;
  const { network, tree, patterns } = data;
  const inference = new PatternInference(network, tree, params.theta);
  for (let p = 0; p < patterns.counts.length; p++) {
    if (patterns.counts[p] === 0 || inference.infer(patterns.codes, p, false) > -Infinity) continue;
    const row = patterns.rowToPattern.indexOf(p);
    const width = network.observed.length;
    const cells = Array.from(network.observed, (v, j) => {
      const code = patterns.codes[p * width + j];
      return `${network.names[v]}=${code < 0 ? '?' : network.states[v][code]}`;
    }).join(', ');
    const where = row >= 0 && dataset.lines[row] ? ` (${dataset.file.split(/[\\/]/).pop()} line ${dataset.lines[row]})` : '';
    throw new InputError(`init gives probability 0 to the data row ${cells}${where}: make the CPT cells it uses positive`, { file: modelFile, jsonPath: ['init'] });
  }
}
