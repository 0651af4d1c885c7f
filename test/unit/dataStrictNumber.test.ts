// Strict decimal numbers: what counts as a number in a data cell, and that the fast path gives
// exactly the double that Number() (correctly rounded) gives for the same literal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isStrictFiniteNumber, parseStrictNumber } from '../../src/data/strictNumber';

test('accepted literals and their values', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['-0', -0],
    ['+7', 7],
    ['3.25', 3.25],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['-2.5e+2', -250],
    ['000123.4500', 123.45],
    ['0.1', 0.1],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['4.9e-324', 5e-324],
    ['1e-400', 0],
    ['9007199254740993', 9007199254740992],
  ];
  for (const [s, v] of cases) assert.ok(Object.is(parseStrictNumber(s), v), `${s} -> ${parseStrictNumber(s)}, expected ${v}`);
  assert.equal(parseStrictNumber('1e999'), Infinity);
  assert.equal(parseStrictNumber('-1e999'), -Infinity);
  assert.equal(isStrictFiniteNumber('1e999'), false);
  assert.equal(isStrictFiniteNumber('1e2'), true);
});

test('rejected: what Number() would take but a data cell must not', () => {
  for (const s of ['', ' ', ' 1', '1 ', '\t1', '0x10', '0b1', '0o7', '1_000', 'Infinity', '-Infinity', 'NaN', 'inf', '.', '-', '+', 'e5', '1e', '1e+', '1.2.3', '--1', '1,5', '١', '１']) {
    assert.ok(Number.isNaN(parseStrictNumber(s)), `${JSON.stringify(s)} should not be a number`);
  }
});

/** Decimal literals of the strict grammar, with long mantissas and extreme exponents. */
const literal = fc
  .record({
    sign: fc.constantFrom('', '+', '-'),
    int: fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), maxLength: 25 }),
    frac: fc.option(fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: 25 }), { nil: undefined }),
    exp: fc.option(fc.integer({ min: -340, max: 340 }), { nil: undefined }),
  })
  .filter((r) => r.int.length > 0 || (r.frac !== undefined && r.frac.length > 0))
  .map((r) => `${r.sign}${r.int}${r.frac !== undefined ? `.${r.frac}` : ''}${r.exp !== undefined ? `e${r.exp}` : ''}`);

test('every strict literal parses to exactly Number(literal)', () => {
  fc.assert(
    fc.property(literal, (s) => {
      assert.ok(Object.is(parseStrictNumber(s), Number(s)), `${s}: ${parseStrictNumber(s)} vs ${Number(s)}`);
    }),
    { numRuns: 10_000 },
  );
});

test('every double round-trips through its shortest string', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      assert.ok(Object.is(parseStrictNumber(String(x)), x + 0), String(x)); // String(-0) is "0"
      assert.ok(Object.is(parseStrictNumber(x.toExponential(20)), Number(x.toExponential(20))));
    }),
    { numRuns: 10_000 },
  );
});
