/**
 * Explicit initial CPTs from the model file's `init` (DESIGN.md, "The model file"):
 *   "H": [0.6, 0.4]                                  a root: P(H=s), states in declared order
 *   "A": { "H=0": [0.39, 0.61], "H=1": [0.45, 0.55] } rows keyed "P1=s1,P2=s2", parents in order
 * Also accepted, so that a result can be pasted back as a start: a root as { "": [...] } and
 * a CPT in the results shape { "parents": [...], "states": [...], "rows": { ... } }.
 *
 * Every row of a variable that is given must be given. Variables not given start as a random
 * start with seed `fit.seed` would (randomParameters with Rng(seed)): never uniform, because
 * uniform rows for the children of a hidden variable are a fixed point EM cannot leave.
 * Rows are checked to sum to 1 within 1e-6 and then normalized exactly.
 */
import { InputError } from '../../shared/errors';
import { canonicalRowKey } from '../../shared/cptRowKey';
import { Rng } from '../rng';
import { randomParameters } from './bayesNetFamily';
import { rowKey, type BayesNetwork } from './network';
import type { BayesNetParameters } from './types';

const SUM_TOLERANCE = 1e-6;

export function parseInitialParameters(init: unknown, network: BayesNetwork, file: string, seed: number): BayesNetParameters {
  let at: (string | number)[] = ['init'];
  const fail = (message: string): never => {
    throw new InputError(message, { file, jsonPath: at });
  };
  if (!isPlainObject(init)) fail(`init must be an object that maps variable names to their initial CPTs`);
  const base = randomParameters(network, new Rng(seed));
  const theta = base.theta;
  const indexOf = new Map(network.names.map((name, v) => [name, v]));
  for (const [name, given] of Object.entries(init as Record<string, unknown>)) {
    at = ['init', name];
    const v = indexOf.get(name);
    if (v === undefined) fail(`init: "${name}" is not a variable of the model (variables: ${network.names.join(', ')})`);
    const variable = v as number;
    const card = network.cards[variable];
    const parents = Array.from(network.parents[variable], (p) => network.names[p]);
    const rowsOf = new Map<string, number>();
    for (let r = 0; r < network.rowCount[variable]; r++) rowsOf.set(rowKey(network, variable, r), r);

    let rows: Record<string, unknown>;
    if (Array.isArray(given)) {
      if (parents.length > 0) {
        fail(`init.${name}: ${name} has parents (${parents.join(', ')}): give one row per parent configuration, as { "${rowKey(network, variable, 0)}": [...], ... }`);
      }
      rows = { '': given };
    } else if (isPlainObject(given)) {
      const g = given as Record<string, unknown>;
      rows = isPlainObject(g.rows) && ('parents' in g || 'states' in g) ? (g.rows as Record<string, unknown>) : g;
    } else {
      return fail(`init.${name}: expected ${parents.length === 0 ? `a list of ${card} probabilities` : `an object of rows keyed like "${rowKey(network, variable, 0)}"`}`);
    }

    const seen = new Set<number>();
    for (const [key, values] of Object.entries(rows)) {
      const canonical = canonicalRowKey(key);
      const r = rowsOf.get(canonical);
      const where = parents.length === 0 ? `init.${name}` : `init.${name}["${key}"]`;
      if (r === undefined) {
        fail(`init.${name}: row "${key}" is not a parent configuration of ${name} (parents: ${parents.length ? parents.join(', ') : 'none'}; rows are keyed like "${rowKey(network, variable, 0)}")`);
      }
      const row = r as number;
      if (!Array.isArray(values) || values.length !== card) {
        // A file the model-file check accepts fails here only when the states came from the data: say how to fix them.
        fail(
          `${where}: expected ${card} probabilities (states ${network.states[variable].join(', ')}), got ${Array.isArray(values) ? values.length : JSON.stringify(values)}; states not declared in the model are the values in the data: declare "states" of ${name} to fix them`,
        );
      }
      let sum = 0;
      for (const x of values as unknown[]) {
        if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) fail(`${where}: ${JSON.stringify(x)} is not a probability`);
        sum += x as number;
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE) fail(`${where}: the probabilities sum to ${sum}, not 1`);
      const off = network.cptOffset[variable] + row * card;
      (values as number[]).forEach((x, s) => (theta[off + s] = x / sum));
      seen.add(row);
    }
    for (let r = 0; r < network.rowCount[variable]; r++) {
      if (!seen.has(r)) fail(`init.${name}: row "${rowKey(network, variable, r)}" is missing (give every row of ${name}, or leave ${name} out to start it at random)`);
    }
  }
  return { network, theta };
}

function isPlainObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
