// compressPatterns: distinct categorical rows with summed weights, against a plain
// string-keyed reference, on both of its key paths (direct mixed-radix table and hashing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compressPatterns } from '../../src/data/patterns';
import type { CategoricalColumn } from '../../src/data/dataset';
import { categorical } from './bayesnetTestData';

/** Reference: a Map keyed by the joined codes, patterns in order of first appearance. */
function reference(columns: readonly CategoricalColumn[], weights?: Float64Array) {
  const n = columns.length ? columns[0].codes.length : 0;
  const index = new Map<string, number>();
  const codes: number[][] = [];
  const counts: number[] = [];
  const rowToPattern: number[] = [];
  for (let i = 0; i < n; i++) {
    const tuple = columns.map((c) => c.codes[i]);
    const key = tuple.join(',');
    let p = index.get(key);
    if (p === undefined) {
      p = codes.length;
      index.set(key, p);
      codes.push(tuple);
      counts.push(0);
    }
    counts[p] += weights ? weights[i] : 1;
    rowToPattern.push(p);
  }
  return { codes: codes.flat(), counts, rowToPattern };
}

test('the tutorial example 1 table: four patterns, the missing cell its own pattern', () => {
  const a = categorical('A', ['0', '0', '0', '0', '0', '1', '1', '1']);
  const b = categorical('B', ['0', '0', '0', null, '1', '0', '1', '1']);
  const p = compressPatterns([a, b]);
  assert.deepEqual(p.columns, ['A', 'B']);
  assert.deepEqual([...p.cardinalities], [2, 2]);
  assert.deepEqual([...p.codes], [0, 0, 0, -1, 0, 1, 1, 0, 1, 1]);
  assert.deepEqual([...p.counts], [3, 1, 1, 1, 2]);
  assert.deepEqual([...p.rowToPattern], [0, 0, 0, 1, 2, 3, 4, 4]);
});

test('weights are summed and rows of weight 0 still map to a pattern', () => {
  const a = categorical('A', ['x', 'y', 'x', 'z']);
  const p = compressPatterns([a], Float64Array.from([6, 0, 1.5, 0]));
  assert.deepEqual([...p.codes], [0, 1, 2]);
  assert.deepEqual([...p.counts], [7.5, 0, 0]);
  assert.deepEqual([...p.rowToPattern], [0, 1, 0, 2]);
});

test('no columns: every row is the one empty pattern', () => {
  const p = compressPatterns([], Float64Array.from([1, 2, 3]));
  assert.deepEqual([...p.counts], [6]);
  assert.deepEqual([...p.rowToPattern], [0, 0, 0]);
  assert.equal(p.codes.length, 0);
});

test('mismatched lengths are an error', () => {
  assert.throws(() => compressPatterns([categorical('A', ['a', 'b']), categorical('B', ['a'])]), /rows/);
  assert.throws(() => compressPatterns([categorical('A', ['a', 'b'])], new Float64Array(3)), /weights/);
});

/** Random columns: `levels` per column, missing cells with probability 1/8. */
const columnsArb = (maxLevels: number, maxColumns: number) =>
  fc.integer({ min: 1, max: 200 }).chain((n) =>
    fc.tuple(
      fc.array(
        fc.integer({ min: 1, max: maxLevels }).chain((levels) =>
          fc.array(fc.integer({ min: -Math.ceil(levels / 7), max: levels - 1 }), { minLength: n, maxLength: n }).map((codes) => ({ levels, codes })),
        ),
        { minLength: 1, maxLength: maxColumns },
      ),
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
      fc.boolean(),
    ),
  );

function toColumns(spec: { levels: number; codes: number[] }[]): CategoricalColumn[] {
  return spec.map((s, j) => ({
    kind: 'categorical',
    name: `c${j}`,
    levels: Array.from({ length: s.levels }, (_, k) => `s${k}`),
    codes: Int32Array.from(s.codes, (c) => (c < 0 ? -1 : c)),
  }));
}

test('matches the reference on small key spaces (direct table)', () => {
  fc.assert(
    fc.property(columnsArb(4, 5), ([spec, w, weighted]) => {
      const columns = toColumns(spec);
      const weights = weighted ? Float64Array.from(w) : undefined;
      const p = compressPatterns(columns, weights);
      const r = reference(columns, weights);
      assert.deepEqual([...p.codes], r.codes);
      assert.deepEqual([...p.counts], r.counts);
      assert.deepEqual([...p.rowToPattern], r.rowToPattern);
    }),
    { numRuns: 100 },
  );
});

test('matches the reference on large key spaces (hashing)', () => {
  fc.assert(
    fc.property(columnsArb(400, 4), ([spec, w, weighted]) => {
      // at least three columns of 400 levels: 401^3 keys exceed the direct table
      while (spec.length < 3) spec.push({ levels: 400, codes: spec[0].codes.map((c, i) => (c * 7 + i) % 400) });
      for (const s of spec) s.levels = 400;
      const columns = toColumns(spec);
      const weights = weighted ? Float64Array.from(w) : undefined;
      const p = compressPatterns(columns, weights);
      const r = reference(columns, weights);
      assert.deepEqual([...p.codes], r.codes);
      assert.deepEqual([...p.counts], r.counts);
      assert.deepEqual([...p.rowToPattern], r.rowToPattern);
    }),
    { numRuns: 100 },
  );
});

test('hashing keeps working past its table growth (thousands of distinct patterns)', () => {
  const n = 5000;
  const a = Int32Array.from({ length: n }, (_, i) => i % 1000);
  const b = Int32Array.from({ length: n }, (_, i) => (i * 13) % 997);
  const c = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1 : i % 991));
  const levels = Array.from({ length: 1000 }, (_, k) => String(k));
  const columns: CategoricalColumn[] = [a, b, c].map((codes, j) => ({ kind: 'categorical', name: `c${j}`, levels, codes }));
  const p = compressPatterns(columns);
  const r = reference(columns);
  assert.equal(p.counts.length, r.counts.length);
  assert.deepEqual([...p.rowToPattern], r.rowToPattern);
  assert.deepEqual([...p.codes], r.codes);
});
