/**
 * Strict decimal numbers for data cells.
 *
 * `Number()` is too lenient for data: it reads '' and ' ' as 0, ' 1' as 1, '0x10' as 16,
 * '1_0' as NaN but '0b1' as 1, and 'Infinity' as Infinity. A cell is a number here only if
 * it matches, with nothing around it,
 *
 *     [+-]? ( digits [ "." digits? ] | "." digits ) ( [eE] [+-]? digits )?
 *
 * (the decimal literals that pandas' C parser and R's read.csv agree on). A cell that matches
 * but overflows a double (`1e999`) comes back as +-Infinity so the caller can reject it with
 * its own message: data are finite.
 *
 * Speed matters (a million-row file has millions of cells), so the grammar check and the
 * conversion happen in one pass. The conversion uses Clinger's fast path (W. D. Clinger,
 * "How to read floating point numbers accurately", PLDI 1990): when the significant digits
 * form an integer m < 10^15 (exact in a double) and the decimal exponent e has |e| <= 22
 * (10^|e| exact in a double), then m * 10^e or m / 10^-e is ONE correctly rounded IEEE
 * operation on exact operands, so the result equals the correctly rounded decimal value.
 * Everything else goes to `Number()`, which is correctly rounded, on a string already known
 * to be a plain decimal literal.
 */

/** 10^0 .. 10^22: every one is exactly representable in a double. */
const EXACT_POWERS_OF_TEN: Float64Array = (() => {
  const p = new Float64Array(23);
  p[0] = 1;
  for (let i = 1; i < 23; i++) p[i] = p[i - 1] * 10;
  return p;
})();

const ZERO = 48; // '0'
const NINE = 57; // '9'
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * The value of `s` if it is a strict decimal literal (see above), else NaN.
 * Overflowing literals give +-Infinity; underflowing ones give (+-)0 or a subnormal, as IEEE does.
 * Cost: one pass over `s`, no allocation.
 */
export function parseStrictNumber(s: string): number {
  const n = s.length;
  let i = 0;
  let negative = false;
  if (n === 0) return NaN;
  let c = s.charCodeAt(0);
  if (c === PLUS || c === MINUS) {
    negative = c === MINUS;
    i = 1;
  }
  let mantissa = 0; // significant digits as an integer, while it stays exact
  let significantDigits = 0; // digits after the leading zeros
  let digits = 0; // all mantissa digits, to require at least one
  let fractionDigits = 0;
  // integer part
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    digits++;
    if (significantDigits > 0 || c !== ZERO) {
      significantDigits++;
      mantissa = mantissa * 10 + (c - ZERO);
    }
  }
  // fraction
  if (i < n && s.charCodeAt(i) === DOT) {
    i++;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < ZERO || c > NINE) break;
      digits++;
      fractionDigits++;
      if (significantDigits > 0 || c !== ZERO) {
        significantDigits++;
        mantissa = mantissa * 10 + (c - ZERO);
      }
    }
  }
  if (digits === 0) return NaN;
  // exponent
  let exponent = 0;
  if (i < n) {
    c = s.charCodeAt(i);
    if (c !== LOWER_E && c !== UPPER_E) return NaN;
    i++;
    let exponentNegative = false;
    if (i < n) {
      c = s.charCodeAt(i);
      if (c === PLUS || c === MINUS) {
        exponentNegative = c === MINUS;
        i++;
      }
    }
    const exponentStart = i;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < ZERO || c > NINE) return NaN;
      // past 10^6 the value is 0 or Infinity anyway; stop growing the integer
      if (exponent < 1e6) exponent = exponent * 10 + (c - ZERO);
    }
    if (i === exponentStart) return NaN;
    if (exponentNegative) exponent = -exponent;
  }
  const scale = exponent - fractionDigits;
  if (significantDigits <= 15) {
    if (mantissa === 0) return negative ? -0 : 0;
    if (scale >= 0 && scale <= 22) {
      const v = mantissa * EXACT_POWERS_OF_TEN[scale];
      return negative ? -v : v;
    }
    if (scale < 0 && scale >= -22) {
      const v = mantissa / EXACT_POWERS_OF_TEN[-scale];
      return negative ? -v : v;
    }
  }
  // Slow path: the literal is valid, Number() rounds it correctly.
  return Number(s);
}

/** True if `s` is a strict decimal literal with a finite value. */
export function isStrictFiniteNumber(s: string): boolean {
  const v = parseStrictNumber(s);
  return v - v === 0;
}
