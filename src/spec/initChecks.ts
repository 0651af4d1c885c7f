/**
 * Checks of explicit initial parameters in a model file, at the range of the offending node.
 *
 * - bayesnet / latent-class: the top-level `init`, CPT rows as DESIGN.md writes them
 *   (`"H": [0.6, 0.4]`, `"A": { "H=0": [..], "H=1": [..] }`). The engine
 *   (src/engine/bayesnet/initialParameters.ts) also takes a root as `{ "": [..] }` and a CPT in
 *   the results shape `{ "parents", "states", "rows" }`, and ignores spaces around names and
 *   states in row keys; so does this check, so that a file the engine runs is never refused here.
 * - gaussian-mixture: `{ "weights": [K], "means": [K][D], "covariances": full [K][D][D] |
 *   diag [K][D] | spherical [K] | tied [D][D] }` (src/engine/gmm/givenParameters.ts).
 * - hmm: `{ "startProbabilities": [K], "transitions": [K][K], "emission": { "means",
 *   "covariances" } | { "probabilities": [K][M], "symbols"?: [M] } }` (src/engine/hmm/hmmGivenInit.ts).
 *
 * What needs the data (observed states that the model does not declare, D when `data.columns`
 * is not given) is checked as far as the file allows; the engine checks the rest.
 */
import type { Node } from 'jsonc-parser/lib/esm/main.js';
import { canonicalRowKey } from '../shared/cptRowKey';
import type { CovarianceType } from '../shared/modelSpec';
import type { JsonChecker } from './jsonChecker';
import { MAX_LISTED_CONFIGURATIONS, PROBABILITY_SUM_TOLERANCE } from './vocabulary';

/** The variables a CPT init may name: states when known from the file, parents in order. */
export interface CptShape {
  readonly variables: ReadonlyMap<string, { readonly states?: readonly string[]; readonly parents: readonly string[] }>;
}

/**
 * A list of probabilities: finite, >= 0, summing to 1 within 1e-6, of length `length` when
 * known. Returns the row's length when it is well formed.
 */
export function checkProbabilityRow(c: JsonChecker, node: Node, what: string, length: number | undefined, lengthHint = ''): number | undefined {
  const values = c.numberList(node, what);
  if (!values) return undefined;
  let ok = true;
  (node.children ?? []).forEach((item, i) => {
    if (!(values[i] >= 0) || !Number.isFinite(values[i])) {
      c.error(item, `${what}[${i}] is ${values[i]}: a probability must be >= 0`);
      ok = false;
    }
  });
  if (length !== undefined && values.length !== length) {
    return c.error(node, `${what} has ${values.length} probabilit${values.length === 1 ? 'y' : 'ies'}, but ${length} are needed${lengthHint}`);
  }
  if (values.length === 0) return c.error(node, `${what} is empty`);
  if (!ok) return undefined;
  const sum = values.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) return c.error(node, `${what} sums to ${sum}, not 1`);
  return values.length;
}

const quoteList = (xs: readonly string[]): string => xs.map((x) => JSON.stringify(x)).join(', ');

/** Every configuration of `parents` (all with known states), in the engine's row order. */
function configurations(parents: readonly string[], statesOf: (p: string) => readonly string[]): string[] {
  let keys = [''];
  parents.forEach((p, i) => {
    const next: string[] = [];
    for (const k of keys) for (const s of statesOf(p)) next.push(i === 0 ? `${p}=${s}` : `${k},${p}=${s}`);
    keys = next;
  });
  return keys;
}

/** The top-level `init` of a bayesnet or latent-class model. */
export function checkCptInit(c: JsonChecker, init: Node, shape: CptShape): void {
  if (!c.expect(init, 'object', '"init"')) return;
  const names = [...shape.variables.keys()];
  for (const [name, { key, value }] of c.properties(init)) {
    const variable = shape.variables.get(name);
    if (!variable) {
      c.error(key, `"init" names ${JSON.stringify(name)}, which is not a variable of the model (variables: ${names.join(', ')})`);
      continue;
    }
    checkVariableRows(c, name, key, value, variable, shape);
  }
}

function checkVariableRows(
  c: JsonChecker,
  name: string,
  key: Node,
  value: Node,
  variable: { readonly states?: readonly string[]; readonly parents: readonly string[] },
  shape: CptShape,
): void {
  const { parents } = variable;
  let states = variable.states;
  const statesOf = (p: string): readonly string[] | undefined => shape.variables.get(p)?.states;
  const example = parents.map((p) => `${p}=${statesOf(p)?.[0] ?? '...'}`).join(',');
  const what = `init.${name}`;
  const lengthHint = (): string => (states ? ` (${name} has states ${quoteList(states)})` : '');

  if (value.type === 'array') {
    if (parents.length > 0) {
      c.error(value, `${name} has parents (${parents.join(', ')}): give one row per parent configuration, as { "${example}": [...], ... }`);
      return;
    }
    checkProbabilityRow(c, value, what, states?.length, lengthHint());
    return;
  }
  if (value.type !== 'object') {
    c.error(value, `${what} must be ${parents.length === 0 ? 'a list of probabilities' : `an object of rows keyed like "${example}"`}, not ${value.type === 'string' ? 'a string' : value.type}`);
    return;
  }
  let rows = value;
  const props = c.properties(value);
  const rowsProp = props.get('rows');
  if (rowsProp && (props.has('parents') || props.has('states'))) {
    // The results shape, pasted back as a start.
    const givenParents = props.get('parents');
    if (givenParents) {
      const list = c.stringList(givenParents.value, `${what}.parents`);
      if (list && list.join('\u0000') !== parents.join('\u0000')) c.error(givenParents.value, `${what}.parents must be the model's parents of ${name}: [${quoteList(parents)}]`);
    }
    const givenStates = props.get('states');
    if (givenStates) {
      const list = c.stringList(givenStates.value, `${what}.states`);
      if (list && states && list.join('\u0000') !== states.join('\u0000')) c.error(givenStates.value, `${what}.states must be ${name}'s states in declared order: [${quoteList(states)}]`);
      else if (list && !states) states = list;
    }
    for (const [k, p] of props) if (k !== 'rows' && k !== 'parents' && k !== 'states') c.error(p.key, `unknown key ${JSON.stringify(k)} in ${what} (a CPT has "parents", "states" and "rows")`);
    if (!c.expect(rowsProp.value, 'object', `${what}.rows`)) return;
    rows = rowsProp.value;
  }

  const seen = new Map<string, Node>();
  let rowLength = states?.length;
  for (const row of rows.children ?? []) {
    const [rowKeyNode, rowValue] = row.children ?? [];
    if (!rowKeyNode || !rowValue) continue;
    const written = rowKeyNode.value as string;
    const canonical = canonicalRowKey(written);
    const rowWhat = parents.length === 0 ? what : `${what}["${written}"]`;
    const problem = rowKeyProblem(canonical, parents, statesOf);
    if (problem) {
      c.error(rowKeyNode, `"${written}" is not a parent configuration of ${name}: ${problem}`);
      continue;
    }
    if (seen.has(canonical)) {
      c.error(rowKeyNode, `row "${written}" of ${name} is given twice`);
      continue;
    }
    seen.set(canonical, rowKeyNode);
    const length = checkProbabilityRow(c, rowValue, rowWhat, rowLength, rowLength !== undefined && !states ? ` (as in ${name}'s other rows)` : lengthHint());
    if (length !== undefined) rowLength ??= length;
  }
  const total = parents.reduce((n, p) => n * (statesOf(p)?.length ?? NaN), 1);
  if (total > MAX_LISTED_CONFIGURATIONS) {
    // Too many rows to name one by one (and to build the names of): say how many are given.
    if (seen.size < total) c.error(key, `init for ${name} gives ${seen.size} of its ${total} rows (one per configuration of ${parents.join(', ')}): give every row of ${name}, or leave ${name} out to start it at random`);
  } else if (parents.every((p) => statesOf(p) !== undefined)) {
    const missing = configurations(parents, (p) => statesOf(p) as readonly string[]).filter((k) => !seen.has(k));
    if (missing.length > 0) {
      const shown = missing.slice(0, 5).map((k) => `"${k}"`).join(', ') + (missing.length > 5 ? `, ... (${missing.length} in all)` : '');
      c.error(key, `init for ${name} lacks row${missing.length === 1 ? '' : 's'} ${shown}: give every row of ${name}, or leave ${name} out to start it at random`);
    }
  }
}

/** Why canonical row key `key` is not a configuration of `parents`, or undefined. */
function rowKeyProblem(key: string, parents: readonly string[], statesOf: (p: string) => readonly string[] | undefined): string | undefined {
  if (parents.length === 0) return key === '' ? undefined : 'it has no parents (its single row is keyed "")';
  const parts = key === '' ? [] : key.split(',');
  const expected = `rows are keyed like "${parents.map((p) => `${p}=${statesOf(p)?.[0] ?? '...'}`).join(',')}", parents in order ${parents.join(', ')}`;
  if (parts.length !== parents.length) return expected;
  for (let i = 0; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq < 0 || parts[i].slice(0, eq) !== parents[i]) return expected;
    const state = parts[i].slice(eq + 1);
    const states = statesOf(parents[i]);
    if (states && !states.includes(state)) return `${JSON.stringify(state)} is not a state of ${parents[i]} (states: ${quoteList(states)})`;
  }
  return undefined;
}

/** A list of `rows` lists of numbers of one length (`cols` when known); returns the matrix. */
function numberMatrix(c: JsonChecker, node: Node, what: string, rows: number, cols: number | undefined, rowsHint: string): number[][] | undefined {
  if (!c.expect(node, 'array', what)) return undefined;
  const items = node.children ?? [];
  if (items.length !== rows) return c.error(node, `${what} has ${items.length} row${items.length === 1 ? '' : 's'}, but ${rows} are needed (${rowsHint})`);
  const out: number[][] = [];
  let ok = true;
  items.forEach((item, i) => {
    const row = c.numberList(item, `${what}[${i}]`);
    if (!row) {
      ok = false;
      return;
    }
    if (cols === undefined) cols = row.length;
    if (row.length !== cols || row.length === 0) {
      c.error(item, `${what}[${i}] has ${row.length} entr${row.length === 1 ? 'y' : 'ies'}, but ${cols} are needed`);
      ok = false;
      return;
    }
    out.push(row);
  });
  return ok ? out : undefined;
}

/** Positive finite numbers (variances). */
function checkPositive(c: JsonChecker, node: Node, values: readonly number[], what: string): boolean {
  let ok = true;
  values.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) {
      c.error(node.children?.[i] ?? node, `${what}[${i}] is ${v}: a variance must be > 0`);
      ok = false;
    }
  });
  return ok;
}

/** A D x D covariance matrix: symmetric and positive definite (Cholesky succeeds). */
function checkCovarianceMatrix(c: JsonChecker, node: Node, what: string, d: number): void {
  const m = numberMatrix(c, node, what, d, d, `a ${d} x ${d} matrix`);
  if (!m) return;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const scale = Math.sqrt(Math.abs(m[i][i] * m[j][j]));
      if (Math.abs(m[i][j] - m[j][i]) > 1e-8 * Math.max(scale, Number.MIN_VALUE)) {
        c.error(node.children?.[i]?.children?.[j] ?? node, `${what} is not symmetric: [${i}][${j}] is ${m[i][j]} but [${j}][${i}] is ${m[j][i]}`);
        return;
      }
    }
  }
  // Cholesky-Banachiewicz: L L^T = m; a non-positive pivot means m is not positive definite.
  const l = m.map((row) => row.map(() => 0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 0)) {
          c.error(node, `${what} is not positive definite (a Gaussian's covariance matrix must be)`);
          return;
        }
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
}

/** Covariances in the layout of `type`, for K components in D dimensions. */
function checkCovariances(c: JsonChecker, node: Node, what: string, type: CovarianceType, k: number, d: number): void {
  switch (type) {
    case 'full': {
      if (!c.expect(node, 'array', what)) return;
      const blocks = node.children ?? [];
      if (blocks.length !== k) {
        c.error(node, `${what} has ${blocks.length} matrices, but ${k} are needed (covariance "full": one ${d} x ${d} matrix per component)`);
        return;
      }
      blocks.forEach((b, i) => checkCovarianceMatrix(c, b, `${what}[${i}]`, d));
      return;
    }
    case 'diag': {
      const m = numberMatrix(c, node, what, k, d, `covariance "diag": one row of ${d} variances per component`);
      m?.forEach((row, i) => checkPositive(c, node.children?.[i] as Node, row, `${what}[${i}]`));
      return;
    }
    case 'spherical': {
      const v = c.numberList(node, what);
      if (!v) return;
      if (v.length !== k) {
        c.error(node, `${what} has ${v.length} entries, but ${k} are needed (covariance "spherical": one variance per component)`);
        return;
      }
      checkPositive(c, node, v, what);
      return;
    }
    case 'tied':
      checkCovarianceMatrix(c, node, what, d);
      return;
    default: {
      const never: never = type;
      throw new Error(`unknown covariance type ${String(never)}`);
    }
  }
}

/** Keys of `object` must be among `allowed` (errors: the engine refuses others) and include `required`. */
function checkKeys(c: JsonChecker, object: Node, what: string, allowed: readonly string[], required: readonly string[]): boolean {
  const props = c.properties(object);
  let ok = true;
  for (const [k, p] of props) {
    if (!allowed.includes(k)) {
      c.error(p.key, `unknown key ${JSON.stringify(k)} in ${what} (expected ${allowed.map((a) => JSON.stringify(a)).join(', ')})`);
      ok = false;
    }
  }
  for (const k of required) {
    if (!props.has(k)) {
      c.error(c.missingKeyNode(object), `${what} lacks ${JSON.stringify(k)}`);
      ok = false;
    }
  }
  return ok;
}

/** D from the means, checked against `data.columns` when the file names them. */
function checkMeans(c: JsonChecker, node: Node, what: string, k: number, dataColumns: number | undefined): number | undefined {
  const means = numberMatrix(c, node, what, k, dataColumns, `one row per component, K = ${k}`);
  return means?.[0]?.length;
}

/** Explicit Gaussian-mixture parameters (`fit.init` as an object). */
export function checkGaussianMixtureInit(c: JsonChecker, init: Node, what: string, k: number, type: CovarianceType, dataColumns: number | undefined): void {
  if (!c.expect(init, 'object', what)) return;
  if (!checkKeys(c, init, what, ['weights', 'means', 'covariances'], ['weights', 'means', 'covariances'])) return;
  const props = c.properties(init);
  checkProbabilityRow(c, (props.get('weights') as { value: Node }).value, `${what}.weights`, k, ` (one weight per component, K = ${k})`);
  const d = checkMeans(c, (props.get('means') as { value: Node }).value, `${what}.means`, k, dataColumns);
  if (d !== undefined) checkCovariances(c, (props.get('covariances') as { value: Node }).value, `${what}.covariances`, type, k, d);
}

/** Explicit HMM parameters. */
export function checkHmmInit(c: JsonChecker, init: Node, what: string, k: number, emission: 'gaussian' | 'categorical', type: CovarianceType, dataColumns: number | undefined): void {
  if (!c.expect(init, 'object', what)) return;
  if (!checkKeys(c, init, what, ['startProbabilities', 'transitions', 'emission'], ['startProbabilities', 'transitions', 'emission'])) return;
  const props = c.properties(init);
  checkProbabilityRow(c, (props.get('startProbabilities') as { value: Node }).value, `${what}.startProbabilities`, k, ` (one per state, K = ${k})`);
  const transitions = (props.get('transitions') as { value: Node }).value;
  if (c.expect(transitions, 'array', `${what}.transitions`)) {
    const rows = transitions.children ?? [];
    if (rows.length !== k) c.error(transitions, `${what}.transitions has ${rows.length} rows, but ${k} are needed (one per state)`);
    else rows.forEach((row, i) => checkProbabilityRow(c, row, `${what}.transitions[${i}]`, k, ` (one per state, K = ${k})`));
  }
  const em = (props.get('emission') as { value: Node }).value;
  const emWhat = `${what}.emission`;
  if (!c.expect(em, 'object', emWhat)) return;
  if (emission === 'gaussian') {
    if (!checkKeys(c, em, emWhat, ['means', 'covariances'], ['means', 'covariances'])) return;
    const ep = c.properties(em);
    const d = checkMeans(c, (ep.get('means') as { value: Node }).value, `${emWhat}.means`, k, dataColumns);
    if (d !== undefined) checkCovariances(c, (ep.get('covariances') as { value: Node }).value, `${emWhat}.covariances`, type, k, d);
    return;
  }
  if (!checkKeys(c, em, emWhat, ['probabilities', 'symbols'], ['probabilities'])) return;
  const ep = c.properties(em);
  const symbolsNode = ep.get('symbols')?.value;
  const symbols = symbolsNode ? c.stringList(symbolsNode, `${emWhat}.symbols`, { nonEmpty: true }) : undefined;
  if (symbolsNode && !symbols) return;
  const probabilities = (ep.get('probabilities') as { value: Node }).value;
  if (!c.expect(probabilities, 'array', `${emWhat}.probabilities`)) return;
  const rows = probabilities.children ?? [];
  if (rows.length !== k) {
    c.error(probabilities, `${emWhat}.probabilities has ${rows.length} rows, but ${k} are needed (one per state)`);
    return;
  }
  let m = symbols?.length;
  rows.forEach((row, i) => {
    const length = checkProbabilityRow(c, row, `${emWhat}.probabilities[${i}]`, m, symbols ? ` (one per symbol: ${quoteList(symbols)})` : ' (as in the first row)');
    if (length !== undefined) m ??= length;
  });
}
