/**
 * w * 10^q as the nearest double (ties to even), for a decimal significand w < 2^64 and any
 * decimal exponent q: the Eisel-Lemire algorithm (D. Lemire, "Number Parsing at a Gigabyte per
 * Second", Software: Practice and Experience 51(8), 2021; the same steps as fast_float's
 * `compute_float`), written with 16-bit limbs because JavaScript has no 64-bit integer
 * multiply. It is the slow path of byteDecimal.ts for literals Clinger's fast path cannot take
 * (17 to 19 significant digits, as repr() / `%.17g` writes doubles, or large exponents).
 *
 * Outline, for w normalized to 64 bits (w << lz, top bit set):
 * 1. T = the 128 leading bits of 5^q (truncated for q >= 0; for q < 0 a 128-bit reciprocal,
 *    rounded up), from a table built once with BigInt.
 * 2. The upper 64 bits of w * T (a second 64x64 product only when the first one's low bits
 *    could carry). Those bits hold the 54 leading bits of w * 10^q scaled by a power of two,
 *    and Mushtak and Lemire ("Fast Number Parsing Without Fallback", 2023) proved that 128 bits
 *    of 5^q always suffice for binary64; the original paper's conservative check (fall back
 *    when the low word is all ones outside q in [-27, 55]) is kept anyway, returning undefined.
 * 3. Round the 54 bits to 53 (ties to even: an exact tie is only possible for q in [-4, 23]),
 *    handle subnormals, overflow to Infinity and underflow to zero.
 * Declines (returns false) when the caller must use another method (Number() on the text).
 */

const SMALLEST_POWER_OF_TEN = -342;
const LARGEST_POWER_OF_TEN = 308;
const TWO_16 = 65536;
const TWO_32 = 4294967296;

/** 2^k for k in [-1074, 1100] (Infinity past 1023), exact: at k + 1074. */
let powersOfTwo: Float64Array = new Float64Array(0);
/** For q in [-342, 308]: the 128-bit approximation of 5^q as four 32-bit words, most significant first, at 4 * (q + 342). */
let powersOfFive: Uint32Array = new Uint32Array(0);

/** Builds the tables on first use (a few milliseconds of BigInt arithmetic that most reads never need). */
function buildTables(): void {
  const twos = new Float64Array(1074 + 1101);
  twos[1074] = 1;
  for (let k = 1; k <= 1100; k++) twos[1074 + k] = twos[1074 + k - 1] * 2;
  for (let k = -1; k >= -1074; k--) twos[1074 + k] = twos[1074 + k + 1] / 2;
  const fives = new Uint32Array(4 * (LARGEST_POWER_OF_TEN - SMALLEST_POWER_OF_TEN + 1));
  const one = BigInt(1);
  const limit128 = one << BigInt(128);
  const limit127 = one << BigInt(127);
  const mask32 = (one << BigInt(32)) - one;
  for (let q = SMALLEST_POWER_OF_TEN; q <= LARGEST_POWER_OF_TEN; q++) {
    let c: bigint;
    if (q < 0) {
      // 2^b / 5^-q rounded up, with b such that the result has 128 bits (or is truncated to them)
      const power5 = BigInt(5) ** BigInt(-q);
      const z = BigInt(power5.toString(2).length); // ceil(log2(5^-q)): 5^-q is not a power of two
      const b = q >= -27 ? z + BigInt(127) : BigInt(2) * z + BigInt(128);
      c = (one << b) / power5 + one;
      while (c >= limit128) c >>= one;
    } else {
      // 5^q with its leading bit moved to bit 127, truncated
      c = BigInt(5) ** BigInt(q);
      while (c < limit127) c <<= one;
      while (c >= limit128) c >>= one;
    }
    const at = 4 * (q - SMALLEST_POWER_OF_TEN);
    for (let k = 0; k < 4; k++) fives[at + k] = Number((c >> BigInt(32 * (3 - k))) & mask32);
  }
  powersOfTwo = twos;
  powersOfFive = fives;
}

/** The 128-bit product of two 64-bit numbers given as 32-bit words, into out[0..4) (most significant first). */
function multiply64(a1: number, a0: number, b1: number, b0: number, out: Float64Array): void {
  const x0 = a0 & 0xffff;
  const x1 = a0 >>> 16;
  const x2 = a1 & 0xffff;
  const x3 = a1 >>> 16;
  const y0 = b0 & 0xffff;
  const y1 = b0 >>> 16;
  const y2 = b1 & 0xffff;
  const y3 = b1 >>> 16;
  // column sums of 16-bit limb products (each < 2^32, a column < 2^35): exact in doubles;
  // (t - r) / 2^16 with r = t - floor(t / 2^16) * 2^16 (floating % is a slow library call)
  let t = x0 * y0;
  let c = Math.floor(t / TWO_16);
  const r0 = t - c * TWO_16;
  t = c + x0 * y1 + x1 * y0;
  c = Math.floor(t / TWO_16);
  const r1 = t - c * TWO_16;
  t = c + x0 * y2 + x1 * y1 + x2 * y0;
  c = Math.floor(t / TWO_16);
  const r2 = t - c * TWO_16;
  t = c + x0 * y3 + x1 * y2 + x2 * y1 + x3 * y0;
  c = Math.floor(t / TWO_16);
  const r3 = t - c * TWO_16;
  t = c + x1 * y3 + x2 * y2 + x3 * y1;
  c = Math.floor(t / TWO_16);
  const r4 = t - c * TWO_16;
  t = c + x2 * y3 + x3 * y2;
  c = Math.floor(t / TWO_16);
  const r5 = t - c * TWO_16;
  t = c + x3 * y3;
  c = Math.floor(t / TWO_16);
  const r6 = t - c * TWO_16;
  const r7 = c;
  out[0] = r7 * TWO_16 + r6;
  out[1] = r5 * TWO_16 + r4;
  out[2] = r3 * TWO_16 + r2;
  out[3] = r1 * TWO_16 + r0;
}

/** floor((h * 2^32 + l) / 2^s) for 32-bit words h, l and s in [1, 96]; exact when the result is below 2^53. */
function shiftRight(h: number, l: number, s: number): number {
  if (s >= 64) return 0;
  if (s >= 32) return h >>> (s - 32);
  return h * powersOfTwo[1074 + 32 - s] + (l >>> s);
}

const product = new Float64Array(4);
const second = new Float64Array(4);

/**
 * The double nearest to (-1)^negative * w * 10^q, w = wHigh * 2^32 + wLow (32-bit words, w > 0),
 * into out[index]; false when the algorithm declines (the caller then uses Number()). (Written
 * into an array, not returned: a returned double would be boxed, one allocation per cell.)
 */
export function eiselLemire(negative: boolean, wHigh: number, wLow: number, q: number, out: Float64Array, index: number): boolean {
  if (q < SMALLEST_POWER_OF_TEN) {
    out[index] = negative ? -0 : 0;
    return true;
  }
  if (q > LARGEST_POWER_OF_TEN) {
    out[index] = negative ? -Infinity : Infinity;
    return true;
  }
  if (powersOfFive.length === 0) buildTables();
  const twos = powersOfTwo;
  const fives = powersOfFive;
  // normalize w: top bit at 63
  const lz = wHigh !== 0 ? Math.clz32(wHigh) : 32 + Math.clz32(wLow);
  let w1: number;
  let w0: number;
  if (lz >= 32) {
    w1 = lz === 32 ? wLow : (wLow << (lz - 32)) >>> 0;
    w0 = 0;
  } else if (lz > 0) {
    w1 = ((wHigh << lz) | (wLow >>> (32 - lz))) >>> 0;
    w0 = (wLow << lz) >>> 0;
  } else {
    w1 = wHigh;
    w0 = wLow;
  }
  const at = 4 * (q - SMALLEST_POWER_OF_TEN);
  multiply64(w1, w0, fives[at], fives[at + 1], product);
  let high1 = product[0];
  let high0 = product[1];
  let low1 = product[2];
  let low0 = product[3];
  if ((high0 & 0x1ff) === 0x1ff) {
    // the lower half of 5^q may carry into the bits kept: add the upper 64 bits of w * T_low
    multiply64(w1, w0, fives[at + 2], fives[at + 3], second);
    low0 += second[1];
    const carry0 = low0 >= TWO_32 ? 1 : 0;
    low0 -= carry0 * TWO_32;
    low1 += second[0] + carry0;
    const carry1 = low1 >= TWO_32 ? 1 : 0;
    low1 -= carry1 * TWO_32;
    if (carry1) {
      high0 += 1;
      if (high0 >= TWO_32) {
        high0 -= TWO_32;
        high1 += 1;
      }
    }
  }
  // the original paper's guard (unneeded per Mushtak and Lemire, kept to be safe)
  if (low1 === 0xffffffff && low0 === 0xffffffff && (q < -27 || q > 55)) return false;
  const upperBit = high1 >>> 31;
  const shift = upperBit + 9; // keep 54 bits: 53 and one for rounding
  // power(q) = floor(q * log2(10)) + 63, with 152170 + 65536 = round(log2(10) * 2^16)
  let power2 = ((217706 * q) >> 16) + 63 + upperBit - lz + 1023;
  let value: number;
  if (power2 <= 0) {
    // subnormal (or zero): drop 1 - power2 more bits, then round half up as fast_float does
    const drop = 1 - power2;
    if (drop >= 64) {
      out[index] = negative ? -0 : 0;
      return true;
    }
    const kept = shiftRight(high1, high0, shift + drop); // < 2^53
    const half = Math.floor(kept / 2);
    const mantissa = half + (kept - 2 * half); // round half up
    value = mantissa * twos[0]; // mantissa * 2^-1074 (also right when rounding reached the smallest normal)
  } else {
    let lowBits = (high0 >>> shift) & 3; // the two lowest of the 54 bits
    // an exact tie between two doubles can only happen for small q, with nothing below the kept bits
    if (low1 === 0 && low0 <= 1 && q >= -4 && q <= 23 && lowBits === 1 && (high0 & ((1 << shift) - 1)) === 0) lowBits = 0;
    const halved = shiftRight(high1, high0, shift + 1); // the 53 leading bits, < 2^53
    const mantissa = halved + (lowBits & 1); // round half up (half-even handled above); may reach 2^53
    if (power2 >= 2047) power2 = 2047;
    value = mantissa * twos[1074 + power2 - 1075];
  }
  out[index] = negative ? -value : value;
  return true;
}
