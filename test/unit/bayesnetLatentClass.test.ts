// The latent-class E-step (src/engine/bayesnet/latentClassEStep.ts) against the junction-tree
// E-step it stands in for: which networks take it, how it groups columns, and, on random data
// (missing cells, weights, zero CPT cells, any K), the same log-likelihood, expected counts and
// entropy to rounding, over any range of patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CategoricalColumn } from '../../src/data/dataset';
import { bayesNetEStep, junctionTreeEStep, randomParameters } from '../../src/engine/bayesnet/bayesNetFamily';
import { columnGroups, latentClassShape } from '../../src/engine/bayesnet/latentClassEStep';
import { prepareBayesNet } from '../../src/engine/bayesnet/prepare';
import type { BayesNetData, BayesNetParameters, BayesNetStats } from '../../src/engine/bayesnet/types';
import type { EStepOutput } from '../../src/engine/family';
import { Rng } from '../../src/engine/rng';
import { categorical, dataset, modelFile } from './bayesnetTestData';

/** Every combination of `levels` once (the first column slowest), as categorical columns. */
function allCombinations(levels: readonly number[]): CategoricalColumn[] {
  const total = levels.reduce((a, b) => a * b, 1);
  return levels.map((l, j) => {
    const inner = levels.slice(j + 1).reduce((a, b) => a * b, 1);
    const values = Array.from({ length: total }, (_, i) => String(Math.floor(i / inner) % l));
    return categorical(`c${j + 1}`, values, Array.from({ length: l }, (_, s) => String(s)));
  });
}

function latentClass(columns: CategoricalColumn[], classes: number, weights?: number[]): BayesNetData {
  return prepareBayesNet(modelFile({ kind: 'latent-class', classes, columns: columns.map((c) => c.name), prior: 0 }), dataset(columns, weights)).data;
}

function assertClose(fast: EStepOutput<BayesNetStats>, exact: EStepOutput<BayesNetStats>, what: string): void {
  if (exact.logLikelihood === -Infinity) {
    assert.equal(fast.logLikelihood, -Infinity, `${what}: impossible data`);
    return;
  }
  const scale = Math.max(1, Math.abs(exact.logLikelihood));
  assert.ok(Math.abs(fast.logLikelihood - exact.logLikelihood) <= 1e-12 * scale, `${what}: log-likelihood ${fast.logLikelihood} vs ${exact.logLikelihood}`);
  assert.ok(Math.abs(fast.stats.entropy - exact.stats.entropy) <= 1e-12 * scale, `${what}: entropy ${fast.stats.entropy} vs ${exact.stats.entropy}`);
  const a = fast.stats.expectedCounts;
  const b = exact.stats.expectedCounts;
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-12 * Math.max(1, b[i]), `${what}: cell ${i}: ${a[i]} vs ${b[i]}`);
}

test('the latent-class E-step is taken by networks with one hidden root whose children are all the observed variables', () => {
  const columns = allCombinations([2, 3]);
  assert.ok(latentClassShape(latentClass(columns, 3).network));
  const bayesnet = (variables: Record<string, { states?: string[]; hidden: boolean }>, parents: Record<string, string[]>) =>
    prepareBayesNet(modelFile({ kind: 'bayesnet', variables, parents, prior: 0 }), dataset(allCombinations([2, 3]).map((c, j) => ({ ...c, name: ['A', 'B'][j] })))).data.network;
  // the hidden variable declared anywhere, not only first
  const star = latentClassShape(bayesnet({ A: { hidden: false }, H: { states: ['x', 'y'], hidden: true }, B: { hidden: false } }, { A: ['H'], B: ['H'] }));
  assert.ok(star);
  assert.equal(star.classes, 2);
  assert.equal(star.classOffset, 4, 'H comes after A (2 rows x 2 states)');
  assert.deepEqual(Array.from(star.childCard), [2, 3]);
  assert.equal(latentClassShape(bayesnet({ A: { hidden: false }, B: { hidden: false } }, { B: ['A'] })), undefined, 'no hidden variable');
  assert.equal(latentClassShape(bayesnet({ H: { states: ['x', 'y'], hidden: true }, A: { hidden: false }, B: { hidden: false } }, { A: ['H'], B: ['H', 'A'] })), undefined, 'a child with two parents');
  assert.equal(latentClassShape(bayesnet({ H: { states: ['x', 'y'], hidden: true }, A: { hidden: false }, B: { hidden: false } }, { A: ['H'] })), undefined, 'an observed root');
  assert.equal(
    latentClassShape(bayesnet({ G: { states: ['x', 'y'], hidden: true }, H: { states: ['x', 'y'], hidden: true }, A: { hidden: false }, B: { hidden: false } }, { H: ['G'], A: ['H'], B: ['H'] })),
    undefined,
    'two hidden variables',
  );
});

test('column groups: issue 7\'s 576 patterns make groups of 48 and 12 combinations; few patterns, one column per group; a missing value is one more value', () => {
  const columns = allCombinations([2, 3, 4, 2, 3, 4]);
  const data = latentClass(columns, 3);
  const shape = latentClassShape(data.network);
  assert.ok(shape);
  const groups = columnGroups(shape, data.patterns);
  assert.deepEqual(Array.from(groups.first), [0, 4, 6]);
  assert.deepEqual(Array.from(groups.rowStart), [0, 48, 60]);
  // pattern p's combination in each group is its values read as mixed-radix digits
  const width = 6;
  for (let p = 0; p < data.patterns.counts.length; p += 37) {
    const x = Array.from(data.patterns.codes.subarray(p * width, (p + 1) * width));
    assert.equal(groups.comboOf[p * 2], ((x[0] * 3 + x[1]) * 4 + x[2]) * 2 + x[3]);
    assert.equal(groups.comboOf[p * 2 + 1], x[4] * 4 + x[5]);
  }

  const few = latentClass(allCombinations([2, 3, 4]).map((c) => ({ ...c, codes: c.codes.subarray(0, 10) })), 2);
  const fewShape = latentClassShape(few.network);
  assert.ok(fewShape);
  assert.deepEqual(Array.from(columnGroups(fewShape, few.patterns).first), [0, 1, 2, 3]);

  const withMissing = allCombinations([2, 3, 4, 2, 3, 4]);
  withMissing[1] = { ...withMissing[1], codes: withMissing[1].codes.map((c, i) => (i % 7 === 0 ? -1 : c)) };
  const missingData = latentClass(withMissing, 3);
  const missingShape = latentClassShape(missingData.network);
  assert.ok(missingShape);
  const missingGroups = columnGroups(missingShape, missingData.patterns);
  assert.deepEqual(Array.from(missingGroups.radix), [2, 4, 4, 2, 3, 4]);
  assert.deepEqual(Array.from(missingGroups.first), [0, 4, 6]);
  const codes = missingData.patterns.codes;
  const p = Array.from({ length: missingData.patterns.counts.length }, (_, i) => i).find((i) => codes[i * 6 + 1] < 0);
  assert.ok(p !== undefined);
  const x = Array.from(codes.subarray(p * 6, p * 6 + 6));
  assert.equal(missingGroups.comboOf[p * 2], ((x[0] * 4 + 3) * 4 + x[2]) * 2 + x[3], 'missing c2 is its value 3');
});

interface LatentClassCase {
  readonly seed: number;
  readonly classes: number;
  readonly levels: readonly number[];
  readonly rows: number;
  readonly missingRate: number;
  readonly weighted: boolean;
  readonly zeroCells: boolean;
}

/** Rows from a random latent-class model, cells blank at `missingRate`, and random parameters to E-step them under. */
function randomLatentClass(o: LatentClassCase): { data: BayesNetData; params: BayesNetParameters } {
  const rng = new Rng(o.seed);
  const profiles = Array.from({ length: o.classes }, () => o.levels.map((l) => rng.dirichlet(l, 0.5)));
  const codes = o.levels.map(() => new Array<string | null>(o.rows));
  for (let i = 0; i < o.rows; i++) {
    const k = rng.int(o.classes);
    o.levels.forEach((l, j) => {
      let u = rng.next();
      let s = 0;
      while (s < l - 1 && u >= profiles[k][j][s]) u -= profiles[k][j][s++];
      codes[j][i] = rng.next() < o.missingRate ? null : String(s);
    });
  }
  const columns = o.levels.map((l, j) => categorical(`c${j + 1}`, codes[j], Array.from({ length: l }, (_, s) => String(s))));
  const weights = o.weighted ? Array.from({ length: o.rows }, () => (rng.next() < 0.1 ? 0 : rng.next() * 3)) : undefined;
  if (weights) weights[0] = 1; // some row must weigh something
  const data = latentClass(columns, o.classes, weights);
  const params = randomParameters(data.network, rng);
  if (o.zeroCells) {
    // zero cells: a class that gives a value probability 0 (patterns may become impossible under every class)
    const theta = params.theta;
    for (let i = 0; i < theta.length; i++) if (rng.next() < 0.08) theta[i] = 0;
  }
  return { data, params };
}

test('the latent-class E-step equals the junction-tree E-step to rounding (missing cells, weights, zero cells, any K), over any range', () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        classes: fc.integer({ min: 1, max: 5 }),
        levels: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 7 }),
        rows: fc.integer({ min: 1, max: 1500 }),
        missingRate: fc.constantFrom(0, 0, 0.1, 0.4),
        weighted: fc.boolean(),
        zeroCells: fc.boolean(),
      }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (o, where) => {
        const { data, params } = randomLatentClass(o);
        assert.ok(latentClassShape(data.network));
        assertClose(bayesNetEStep(data, params), junctionTreeEStep(data, params), 'all patterns');
        const units = data.patterns.counts.length;
        const range = { start: Math.floor(where * units), end: units };
        assertClose(bayesNetEStep(data, params, range), junctionTreeEStep(data, params, range), `patterns ${range.start}..${range.end}`);
      },
    ),
    { numRuns: 150 },
  );
});

test('issue 7\'s shape (6 columns of 2-4 levels, K = 3, every pattern): the same numbers as the junction tree through 20 EM iterations', () => {
  const columns = allCombinations([2, 3, 4, 2, 3, 4]);
  const rng = new Rng(7);
  const weights = Array.from({ length: columns[0].codes.length }, () => 1 + rng.int(3000));
  const prepared = prepareBayesNet(modelFile({ kind: 'latent-class', classes: 3, columns: columns.map((c) => c.name), prior: 0 }), dataset(columns, weights));
  let params = prepared.family.initialize(prepared.data, new Rng(3));
  for (let it = 0; it < 20; it++) {
    const fast = bayesNetEStep(prepared.data, params);
    assertClose(fast, junctionTreeEStep(prepared.data, params), `iteration ${it}`);
    params = prepared.family.mStep(fast.stats, params, prepared.data);
  }
});
