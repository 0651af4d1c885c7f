// Numbers read straight from bytes (byteDecimal.ts) must be exactly what Number() gives for the
// same decimal literal (correct rounding), and what parseStrictNumber gives for the same text:
// random literals with long mantissas, big and small exponents, subnormals, leading and
// trailing zeros; and where the literal stops, for the byte scanner's "is this the whole cell".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteDecimalReader } from '../../src/data/byteDecimal';
import { eiselLemire } from '../../src/data/eiselLemire';
import { parseStrictNumber } from '../../src/data/strictNumber';

const RUNS = 3000;

/** The value of `literal` read from bytes, with a delimiter after it (as in a file). */
function fromBytes(literal: string, after = ','): { value: number; end: number } {
  const bytes = Buffer.from(literal + after, 'latin1');
  const reader = new ByteDecimalReader();
  const value = reader.parse(bytes, 0);
  return { value, end: reader.end };
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: min, maxLength: max });

/** Strict decimal literals: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?, with mantissas up to 40 digits. */
const literal = fc
  .record({
    sign: fc.constantFrom('', '+', '-'),
    intPart: digits(0, 25),
    dot: fc.boolean(),
    fracPart: digits(0, 25),
    exp: fc.option(fc.record({ marker: fc.constantFrom('e', 'E'), sign: fc.constantFrom('', '+', '-'), value: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 280, max: 345 }), fc.integer({ min: 0, max: 400 })) }), { nil: undefined }),
  })
  .filter((r) => r.intPart.length > 0 || (r.dot && r.fracPart.length > 0))
  .map((r) => {
    const mantissa = r.dot ? `${r.intPart}.${r.fracPart}` : r.intPart;
    return `${r.sign}${mantissa}${r.exp ? `${r.exp.marker}${r.exp.sign}${r.exp.value}` : ''}`;
  });

/** Literals near the edges of the double range: subnormals, the smallest normal, the largest finite. */
const edgeLiteral = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 2.2250738585072014e-308, noNaN: true }), fc.integer({ min: 0, max: 20 })).map(([d, k]) => d.toExponential(k)),
  fc.tuple(digits(1, 20), fc.integer({ min: 300, max: 330 })).map(([m, e]) => `${m}e-${e}`),
  fc.tuple(digits(1, 20), fc.integer({ min: 290, max: 310 })).map(([m, e]) => `0.${m}e${e}`),
  fc.constantFrom('4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '2.2250738585072011e-308', '9007199254740993', '9007199254740992.5', '0.1', '0.30000000000000004'),
);

test('bytes give exactly Number() for random decimal literals (long mantissas, exponents)', () => {
  fc.assert(
    fc.property(literal, (s) => {
      const { value, end } = fromBytes(s);
      assert.ok(Object.is(value, Number(s)), `${s}: ${value} vs Number() ${Number(s)}`);
      assert.equal(end, s.length);
      assert.ok(Object.is(parseStrictNumber(s), Number(s)), `parseStrictNumber(${s})`);
    }),
    { numRuns: RUNS },
  );
});

test('bytes give exactly Number() near the edges: subnormals, underflow, overflow', () => {
  fc.assert(
    fc.property(edgeLiteral, fc.constantFrom('', '-'), (s, sign) => {
      const text = sign + s;
      const { value } = fromBytes(text, '\n');
      assert.ok(Object.is(value, Number(text)), `${text}: ${value} vs Number() ${Number(text)}`);
    }),
    { numRuns: RUNS },
  );
});

test('every double written by String(), toExponential() and toPrecision() reads back as itself', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), (d, p) => {
      for (const s of [String(d), d.toExponential(), d.toPrecision(p), d.toExponential(p - 1)]) {
        const { value } = fromBytes(s);
        assert.ok(Object.is(value, Number(s)), `${s}: ${value} vs ${Number(s)}`);
      }
      // String() is the shortest round-trip form: it reads back as d itself (String(-0) is "0")
      assert.ok(Object.is(fromBytes(String(d)).value, Object.is(d, -0) ? 0 : d), String(d));
    }),
    { numRuns: RUNS },
  );
});

test('the literal ends at the first byte that cannot continue it; no literal is NaN', () => {
  const cases: [string, number, number][] = [
    // text, value (NaN: none), where it stops
    ['1.5x', 1.5, 3],
    ['1.5.3', 1.5, 3],
    ['-', NaN, 1],
    ['.', NaN, 1],
    ['+.e5', NaN, 2],
    ['1e', NaN, 2],
    ['1e+', NaN, 3],
    ['1e5e', 1e5, 3],
    ['5.', 5, 2],
    ['.5', 0.5, 2],
    ['-0', -0, 2],
    ['0x10', 0, 1],
    ['', NaN, 0],
    ['1"', 1, 1],
  ];
  for (const [text, value, end] of cases) {
    const bytes = Buffer.from(text, 'latin1');
    const reader = new ByteDecimalReader();
    const v = reader.parse(bytes, 0);
    assert.ok(Object.is(v, value), `${JSON.stringify(text)}: ${v}`);
    assert.equal(reader.end, end, JSON.stringify(text));
  }
  // reading from an offset inside a buffer (the scanner's case)
  const bytes = Buffer.from('a,-12.5e-1,b', 'latin1');
  const reader = new ByteDecimalReader();
  assert.equal(reader.parse(bytes, 2), -1.25);
  assert.equal(reader.end, 10);
});

test('16 to 19 significant digits at any exponent (the Eisel-Lemire path) give exactly Number()', () => {
  const significand = fc.tuple(fc.integer({ min: 1, max: 9 }), digits(15, 18)).map(([lead, rest]) => `${lead}${rest}`);
  fc.assert(
    fc.property(significand, fc.integer({ min: -365, max: 330 }), fc.integer({ min: 0, max: 19 }), fc.constantFrom('', '-'), (m, e, dotAt, sign) => {
      // the same significand written with a decimal point somewhere and a compensating exponent
      const at = Math.min(dotAt, m.length);
      const text = `${sign}${m.slice(0, at)}.${m.slice(at)}e${e}`;
      const { value } = fromBytes(text);
      assert.ok(Object.is(value, Number(text)), `${text}: ${value} vs Number() ${Number(text)}`);
    }),
    { numRuns: 20000 },
  );
});

test('Eisel-Lemire on any 64-bit significand and exponent, ties to even included', () => {
  const out = new Float64Array(1);
  const valueOf = (w: bigint, q: number): number | undefined => (eiselLemire(false, Number(w >> BigInt(32)), Number(w & BigInt(0xffffffff)), q, out, 0) ? out[0] : undefined);
  fc.assert(
    fc.property(fc.bigInt({ min: BigInt(1), max: (BigInt(1) << BigInt(64)) - BigInt(1) }), fc.integer({ min: -360, max: 320 }), (w, q) => {
      const v = valueOf(w, q);
      // it may decline (the caller then uses Number()), but it never answers wrongly
      if (v !== undefined) assert.ok(Object.is(v, Number(`${w}e${q}`)), `${w}e${q}: ${v} vs ${Number(`${w}e${q}`)}`);
    }),
    { numRuns: 20000 },
  );
  // exact ties between two doubles round to even; the edges of the range
  const cases: [string, number][] = [
    ['9007199254740993', 0], // 2^53 + 1: halfway, rounds down to even
    ['9007199254740995', 0], // 2^53 + 3: halfway, rounds up to even
    ['18014398509481990', 0],
    ['17976931348623157', 292], // the largest double
    ['17976931348623159', 292], // past it: Infinity
    ['24703282292062327', -340], // just under half the smallest subnormal: 0
    ['24703282292062328', -340], // just over: the smallest subnormal
    ['22250738585072011', -324], // the largest subnormal / smallest normal boundary
    ['1', -343], // below every subnormal: 0
    ['1', 309], // Infinity
  ];
  for (const [w, q] of cases) assert.ok(Object.is(valueOf(BigInt(w), q), Number(`${w}e${q}`)), `${w}e${q}`);
});
