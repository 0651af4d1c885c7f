/**
 * exp(g) for g in [NEGLIGIBLE_LOG, 0] (a log-responsibility gap: NEGLIGIBLE_LOG = -53 ln 2),
 * about twice as fast as Math.exp and computed with the same IEEE operations, in the same
 * order, as the WebAssembly kernel of wasm/diagonalKernel.wat.mjs, so the JavaScript and the
 * WebAssembly E-steps give the same bits (test/unit/gmmWasmKernel.test.ts).
 *
 * Method (Tang's table-driven exp): g = (64 m + j) ln2/64 + r with j in 0..63 and
 * |r| <= ln2/128, so exp(g) = 2^-m' * 2^(j/64) * exp(r), m' = -m >= 0:
 * - n = m * 64 + j = round(g * 64/ln2), by the 1.5 * 2^52 shift (round to nearest even);
 * - r = (g - n * C_HI) - n * C_LO, where C_HI = ln2/64 rounded to 24 bits (so n * C_HI is
 *   exact for |n| < 2^29) and C_LO = ln2/64 - C_HI;
 * - exp(r) by its Taylor polynomial to r^6 (next term < 2.5e-20);
 * - 2^(j/64) and 2^-m' from two 64-entry tables (the second exact).
 * Relative error against the exact value: a few units in the last place (the unit test bounds
 * it against Math.exp at 4e-15), far below what EM's statistics can resolve.
 */

/** 64 / ln 2 */
export const EXP_INV_STEP = 92.33248261689366;
/** ln2/64 rounded to 24 significant bits */
export const EXP_STEP_HI = 0.010830424726009369;
/** ln2/64 - EXP_STEP_HI */
export const EXP_STEP_LO = -2.9760223436840126e-11;
/** 1.5 * 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer. */
export const ROUND_SHIFT = 6755399441055744;

/** 2^(j/64), j = 0..63 */
export const EXP_FRACTION_TABLE = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
/** 2^-m, m = 0..63 (exact) */
export const EXP_SCALE_TABLE = Float64Array.from({ length: 64 }, (_, m) => 2 ** -m);

/** exp(g) for NEGLIGIBLE_LOG <= g <= 0; undefined behaviour outside that range. */
export function expOfGap(g: number): number {
  const nf = g * EXP_INV_STEP + ROUND_SHIFT - ROUND_SHIFT;
  const n = nf | 0;
  const r = g - nf * EXP_STEP_HI - nf * EXP_STEP_LO;
  const poly = 1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * (0.008333333333333333 + r * 0.001388888888888889)))));
  return EXP_FRACTION_TABLE[n & 63] * EXP_SCALE_TABLE[-(n >> 6)] * poly;
}
