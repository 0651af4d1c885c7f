// Test helpers for the bayesnet family: datasets and model files built as plain data (the CSV
// reader and the model-file parser are tested on their own), the tutorial fixture, and a
// brute-force enumeration of the joint to check the junction tree against.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CategoricalColumn, Dataset } from '../../src/data/dataset';
import { DEFAULT_FIT, DEFAULT_MISSING_TOKENS, type FitSpec, type ModelFile, type ModelSpec } from '../../src/shared/modelSpec';
import type { BayesNetwork } from '../../src/engine/bayesnet/network';

/** The repository root, from out[-name]/test/unit/<file>.js. */
export const repoRoot = join(__dirname, '..', '..', '..');

/** The tutorial fixture: the repository's copy, else the shared one. */
export function loadTutorialFixture(): TutorialFixture {
  const own = join(repoRoot, 'test', 'fixtures', 'tutorial.json');
  const shared = join(repoRoot, '..', 'shared', 'fixtures', 'tutorial.json');
  return JSON.parse(readFileSync(existsSync(own) ? own : shared, 'utf8')) as TutorialFixture;
}

export interface TutorialFixture {
  example1: {
    data_csv: string;
    drop_incomplete_rows: Record<string, number>;
    fill_best_guess: Record<string, number>;
    soft_em_from_uniform: ({ iteration: number; 'fill_P(B=0|A=0)': number } & Record<string, number>)[];
    soft_em_fixed_point: Record<string, number>;
  };
  example2: {
    data_csv: string;
    init: Record<string, number>;
    log_likelihood_at_init: number;
    iterations: { iteration: number; 'e_step_P(H=1|A,B)': Record<string, number>; m_step: Record<string, number>; log_likelihood_after: number }[];
    converged_log_likelihood: number;
    converged: Record<string, number>;
    tutorial_printed: Record<string, { e: number[]; m: number[] }>;
  };
}

/** A categorical column from values (null = missing); levels sorted as the reader sorts them unless given. */
export function categorical(name: string, values: readonly (string | null)[], levels?: readonly string[]): CategoricalColumn {
  const lv = levels ? levels.slice() : sortLevels([...new Set(values.filter((v): v is string => v !== null))]);
  const index = new Map(lv.map((l, i) => [l, i]));
  return { kind: 'categorical', name, levels: lv, codes: Int32Array.from(values, (v) => (v === null ? -1 : (index.get(v) ?? -1))) };
}

function sortLevels(levels: string[]): string[] {
  const numeric = levels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric ? levels.sort((a, b) => Number(a) - Number(b)) : levels.sort();
}

export function dataset(columns: CategoricalColumn[], weights?: number[], file = 'data.csv'): Dataset {
  const rowCount = columns.length ? columns[0].codes.length : (weights?.length ?? 0);
  return {
    file,
    header: columns.map((c) => c.name).concat(weights ? ['#'] : []),
    columns,
    rowCount,
    ...(weights ? { weights: Float64Array.from(weights) } : {}),
    lines: Int32Array.from({ length: rowCount }, (_, i) => i + 2),
  };
}

/**
 * A small CSV text (the fixture's data_csv) as a dataset: every column categorical except the
 * weight column; `missing` tokens become missing cells. Only for the fixture's plain CSV.
 */
export function datasetFromCsv(text: string, weight?: string, missing: readonly string[] = DEFAULT_MISSING_TOKENS): Dataset {
  const lines = text.trim().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const columns: CategoricalColumn[] = [];
  let weights: number[] | undefined;
  header.forEach((name, j) => {
    const cells = rows.map((r) => r[j]);
    if (name === weight) weights = cells.map(Number);
    else columns.push(categorical(name, cells.map((c) => (missing.includes(c) ? null : c))));
  });
  return { ...dataset(columns, weights), header };
}

export function modelFile(model: ModelSpec, options: { init?: unknown; fit?: Partial<FitSpec>; weight?: string } = {}): ModelFile {
  return {
    file: '/work/test/model.em.json',
    name: 'test',
    data: { path: '/work/test/data.csv', missing: DEFAULT_MISSING_TOKENS, ...(options.weight ? { weight: options.weight } : {}) },
    model,
    ...(options.init !== undefined ? { init: options.init } : {}),
    fit: { ...DEFAULT_FIT, ...options.fit },
  };
}

export interface BruteForce {
  /** log p(evidence) */
  logLikelihood: number;
  /** Posterior family marginals in the CPT layout (sum over cells of each family = 1). */
  familyMarginals: Float64Array;
  /** Posterior marginal of each variable. */
  variableMarginals: number[][];
  /** Entropy of the posterior over the unobserved variables. */
  entropy: number;
}

/** Exact inference by enumerating every joint assignment (small networks only). */
export function bruteForce(network: BayesNetwork, theta: Float64Array, evidence: Int32Array): BruteForce {
  const n = network.names.length;
  const x = new Int32Array(n);
  const joint: { p: number; x: Int32Array }[] = [];
  let total = 0;
  for (;;) {
    let consistent = true;
    for (let v = 0; v < n; v++) if (evidence[v] >= 0 && evidence[v] !== x[v]) consistent = false;
    if (consistent) {
      let p = 1;
      for (let v = 0; v < n; v++) p *= theta[network.cptOffset[v] + cellOf(network, v, x)];
      joint.push({ p, x: x.slice() });
      total += p;
    }
    let v = n - 1;
    for (; v >= 0; v--) {
      x[v]++;
      if (x[v] < network.cards[v]) break;
      x[v] = 0;
    }
    if (v < 0) break;
  }
  const familyMarginals = new Float64Array(network.cptOffset[n]);
  const variableMarginals = Array.from({ length: n }, (_, v) => new Array<number>(network.cards[v]).fill(0));
  let entropy = 0;
  for (const { p, x: a } of joint) {
    const q = p / total;
    for (let v = 0; v < n; v++) {
      familyMarginals[network.cptOffset[v] + cellOf(network, v, a)] += q;
      variableMarginals[v][a[v]] += q;
    }
    if (q > 0) entropy -= q * Math.log(q);
  }
  return { logLikelihood: Math.log(total), familyMarginals, variableMarginals, entropy };
}

export function cellOf(network: BayesNetwork, v: number, x: Int32Array): number {
  let config = 0;
  for (const p of network.parents[v]) config = config * network.cards[p] + x[p];
  return config * network.cards[v] + x[v];
}

/** A random small network with data, from one seed (for property tests). */
export interface RandomCase {
  model: ModelFile;
  data: Dataset;
}

export interface RandomCaseOptions {
  seed: number;
  /** Number of variables (2-6). */
  variables: number;
  /** How many of them are hidden (at least one variable stays observed). */
  hidden: number;
  rows: number;
  /** Probability that an observed cell is missing. */
  missingRate: number;
  prior?: number;
  weighted?: boolean;
  missingData?: FitSpec['missingData'];
}

/**
 * Variables in a random topological order, each with up to 3 earlier parents (probability 1/2
 * each), 2-3 states; observed states declared as "a", "b", "c" while the data's levels are in
 * another order (so the reader-to-state remapping is exercised); integer weights 0-3.
 */
export function randomCase(o: RandomCaseOptions, rng: { next(): number; int(n: number): number }): RandomCase {
  const n = o.variables;
  const names = Array.from({ length: n }, (_, i) => `V${i}`);
  const order = names.slice();
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const hiddenSet = new Set<string>();
  while (hiddenSet.size < Math.min(o.hidden, n - 1)) hiddenSet.add(names[rng.int(n)]);
  const cards = new Map(names.map((name) => [name, 2 + rng.int(2)]));
  const parents: Record<string, string[]> = {};
  order.forEach((name, i) => {
    const ps: string[] = [];
    for (let j = 0; j < i && ps.length < 3; j++) if (rng.next() < 0.5) ps.push(order[j]);
    if (ps.length) parents[name] = ps;
  });
  const variables: Record<string, { states: string[]; hidden: boolean }> = {};
  for (const name of names) {
    const card = cards.get(name) as number;
    const hidden = hiddenSet.has(name);
    variables[name] = { states: Array.from({ length: card }, (_, k) => (hidden ? `h${k}` : 'abc'[k])), hidden };
  }
  const columns: CategoricalColumn[] = [];
  for (const name of names) {
    if (hiddenSet.has(name)) continue;
    const states = variables[name].states;
    const levels = states.slice().reverse();
    const codes = Int32Array.from({ length: o.rows }, () => (rng.next() < o.missingRate ? -1 : rng.int(states.length)));
    columns.push({ kind: 'categorical', name, levels, codes });
  }
  const weights = o.weighted ? Array.from({ length: o.rows }, (_, i) => (i === 0 ? 1 + rng.int(3) : rng.int(4))) : undefined;
  const model = modelFile(
    { kind: 'bayesnet', variables, parents, prior: o.prior ?? 0 },
    { fit: { seed: o.seed, missingData: o.missingData ?? 'em' }, ...(weights ? { weight: '#' } : {}) },
  );
  return { model, data: dataset(columns, weights) };
}
