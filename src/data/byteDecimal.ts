/**
 * Strict decimal numbers read straight from the bytes of a file, without making a string:
 * the same grammar and the same values as parseStrictNumber (strictNumber.ts),
 *
 *     [+-]? ( digits [ "." digits? ] | "." digits ) ( [eE] [+-]? digits )?
 *
 * but it reads the LONGEST literal starting at a byte and says where it stopped (`end`), so
 * that the byte scanner can check that a delimiter or a line break follows (then the whole
 * cell is that literal) in the same pass that finds where the cell ends.
 *
 * Values are correctly rounded, i.e. exactly what `Number()` gives for the literal:
 * - Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately",
 *   PLDI 1990): when the significant digits form an integer m < 2^53 (so m is exact in a
 *   double) and the decimal scale s has |s| <= 22 (10^|s| is exact), m * 10^s or m / 10^-s is
 *   ONE correctly rounded IEEE operation on exact operands. m is accumulated as m*10 + d in
 *   doubles; that is exact while the result stays below 2^53, and once a partial value reaches
 *   2^53 every later one stays >= 2^53 (rounding is monotone), so "m < 2^53 at the end" proves
 *   every step was exact. (strictNumber.ts takes the same path for <= 15 digits; both are
 *   correctly rounded, so both give the same double.)
 * - Everything else (17-digit mantissas, scales beyond 10^22, subnormals) with at most 19
 *   significant digits: the Eisel-Lemire algorithm (eiselLemire.ts), correctly rounded.
 * - Longer significands: `Number()` on the literal's bytes as Latin-1 text (the literal is
 *   ASCII), which rounds correctly.
 */

import { eiselLemire } from './eiselLemire';

const ZERO = 48; // '0'
const NINE = 57; // '9'
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/** 2^53: integers below it are exact in a double. */
const EXACT_INTEGER_LIMIT = 9007199254740992;

/** 10^0 .. 10^22: every one is exactly representable in a double. */
const EXACT_POWERS_OF_TEN: Float64Array = (() => {
  const p = new Float64Array(23);
  p[0] = 1;
  for (let i = 1; i < 23; i++) p[i] = p[i - 1] * 10;
  return p;
})();

/**
 * Reads decimal literals from bytes without allocating: `parseInto` writes the value straight
 * into a Float64Array cell and returns where the literal stopped. (Returning the double from a
 * call that V8 does not inline would box it: one heap number per cell, and garbage collections
 * that cost as much as the parsing.)
 */
export class ByteDecimalReader {
  /** After `parse`: index of the first byte that is not part of the literal. */
  end = 0;
  private readonly scratch = new Float64Array(1);

  /**
   * The value of the longest strict decimal literal starting at `start` (NaN if there is none:
   * no digits, or an exponent marker without digits), with `end` set to the byte after it.
   * Overflowing literals give +-Infinity; underflowing ones (+-)0 or a subnormal.
   * Reading stops at the first byte that cannot continue the literal, or at `bytes.length`.
   */
  parse(bytes: Uint8Array, start: number): number {
    this.end = this.parseInto(bytes, start, this.scratch, 0);
    return this.scratch[0];
  }

  /** As `parse`, but the value goes into `out[index]`; returns the index of the first byte after the literal. */
  parseInto(bytes: Uint8Array, start: number, out: Float64Array, index: number): number {
    let i = start;
    let c = bytes[i];
    let negative = false;
    if (c === PLUS || c === MINUS) {
      negative = c === MINUS;
      c = bytes[++i];
    }
    // The digit counts come from positions, not from counters in the loops (the loops are the hot part).
    let mantissa = 0; // significant digits as an integer (exact while < 2^53, see above)
    const integerStart = i;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      c = bytes[++i];
    }
    let digits = i - integerStart; // all mantissa digits, to require at least one
    let fractionDigits = 0;
    if (c === DOT) {
      const fractionStart = ++i;
      c = bytes[i];
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        c = bytes[++i];
      }
      fractionDigits = i - fractionStart;
      digits += fractionDigits;
    }
    if (digits === 0) {
      out[index] = NaN;
      return i;
    }
    let exponent = 0;
    if (c === LOWER_E || c === UPPER_E) {
      c = bytes[++i];
      let exponentNegative = false;
      if (c === PLUS || c === MINUS) {
        exponentNegative = c === MINUS;
        c = bytes[++i];
      }
      const exponentStart = i;
      while (c >= ZERO && c <= NINE) {
        // past 10^6 the value is 0 or Infinity anyway; stop growing the integer
        if (exponent < 1e6) exponent = exponent * 10 + (c - ZERO);
        c = bytes[++i];
      }
      if (i === exponentStart) {
        out[index] = NaN;
        return i;
      }
      if (exponentNegative) exponent = -exponent;
    }
    if (mantissa < EXACT_INTEGER_LIMIT) {
      // Leading zeros add nothing to m, so m < 2^53 here whenever the literal is short.
      const scale = exponent - fractionDigits;
      if (mantissa === 0) {
        out[index] = negative ? -0 : 0;
        return i;
      }
      if (scale >= 0 && scale <= 22) {
        out[index] = negative ? -(mantissa * EXACT_POWERS_OF_TEN[scale]) : mantissa * EXACT_POWERS_OF_TEN[scale];
        return i;
      }
      if (scale < 0 && scale >= -22) {
        out[index] = negative ? -(mantissa / EXACT_POWERS_OF_TEN[-scale]) : mantissa / EXACT_POWERS_OF_TEN[-scale];
        return i;
      }
    }
    // Beyond Clinger: Eisel-Lemire on the (up to 19) significant digits, else Number().
    this.slowValue(bytes, start, i, negative, integerStart, digits - fractionDigits, fractionDigits, exponent, out, index);
    return i;
  }

  /**
   * The value of a valid literal Clinger's fast path cannot take, into out[index]: its significant digits
   * (leading and trailing zeros dropped, the exponent adjusted) as w < 10^19 and w * 10^q
   * through Eisel-Lemire (eiselLemire.ts); Number() on the text for longer significands or
   * when Eisel-Lemire declines. Both round correctly.
   */
  private slowValue(bytes: Uint8Array, start: number, end: number, negative: boolean, integerStart: number, integerDigits: number, fractionDigits: number, exponent: number, out: Float64Array, index: number): void {
    // The digit sequence (integer digits, then fraction digits) as byte positions: digit k is
    // at integerStart + k, plus one past the dot.
    const total = integerDigits + fractionDigits;
    const dot = integerStart + integerDigits; // where digit `integerDigits` would be without the dot
    let first = 0;
    while (first < total && bytes[integerStart + first + (first >= integerDigits ? 1 : 0)] === ZERO) first++;
    let last = total - 1;
    while (last > first && bytes[integerStart + last + (last >= integerDigits ? 1 : 0)] === ZERO) last--;
    const significant = last - first + 1;
    if (first < total && significant <= 19) {
      // w = high * 10^9 + low, low the last (up to) 9 significant digits
      let high = 0;
      let low = 0;
      const split = last - 9;
      for (let k = first; k <= last; k++) {
        const b = integerStart + k;
        const digit = bytes[b >= dot ? b + 1 : b] - ZERO;
        if (k <= split) high = high * 10 + digit;
        else low = low * 10 + digit;
      }
      // w as two 32-bit words: w = bHigh * 2^16 + a, a = (high mod 2^16) * 10^9 + low, bHigh = floor(high / 2^16) * 10^9 (all exact)
      const highTop = Math.floor(high / 65536);
      const a = (high - highTop * 65536) * 1e9 + low;
      const bHigh = highTop * 1e9;
      const bTop = Math.floor(bHigh / 65536);
      const lowPart = (bHigh - bTop * 65536) * 65536 + a;
      const carry = Math.floor(lowPart / 4294967296);
      const wLow = lowPart - carry * 4294967296;
      const wHigh = bTop + carry;
      const q = exponent - fractionDigits + (total - 1 - last);
      if (eiselLemire(negative, wHigh, wLow, q, out, index)) return;
    }
    out[index] = Number(latin1(bytes, start, end));
  }
}

/** Bytes [start, end) as text, one character per byte (the literal is ASCII). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
