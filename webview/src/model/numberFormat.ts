/**
 * How numbers read in the inspector: probabilities with three decimals (the tutorial prints
 * .48 and .971), log-likelihoods with four, other estimates with four significant digits.
 * The full value always goes into the cell's title, so nothing is lost to rounding.
 */

/** A probability: `0.477`; tiny non-zero values keep a significant digit (`4.1e-7`). */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p !== 0 && Math.abs(p) < 0.0005) return p.toExponential(1);
  return p.toFixed(3);
}

/** A log-likelihood, bound or information criterion: `-13.5231`. */
export function formatLogLikelihood(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e7 ? x.toExponential(6) : x.toFixed(4);
}

/** A real estimate (mean, variance): four significant digits, no exponent between 1e-3 and 1e6. */
export function formatReal(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(3);
  const digits = Math.max(0, 3 - Math.floor(Math.log10(a)));
  return x.toFixed(Math.min(digits, 6));
}

/** A count (row weight): an integer as is (grouped by thousands from 10,000), a fractional weight with three decimals. */
export function formatCount(x: number): string {
  if (!Number.isInteger(x)) return x.toFixed(3);
  return Math.abs(x) >= 10000 ? x.toLocaleString('en-US') : String(x);
}

/** A signed change: `+0.117`, `-0.032`, `±0` for no change. */
export function formatChange(delta: number, format: (x: number) => string): string {
  if (delta === 0) return '±0';
  return (delta > 0 ? '+' : '-') + format(Math.abs(delta));
}

/** The title of a parameter cell: its exact value and how it moved from a reference value. */
export function changeTitle(value: number, reference: number | undefined, referenceName: string): string {
  if (reference === undefined || !Number.isFinite(reference)) return `${value}`;
  return `${value}\n${referenceName} ${reference} → ${value} (${formatChange(value - reference, (x) => x.toPrecision(3))})`;
}

/**
 * `value` as a fraction over `rows` when it is a multiple of 1/(2 rows), as the tutorial
 * writes estimates from counts (3/7, 3.5/8); undefined otherwise.
 */
export function asFractionOf(value: number, rows: number): string | undefined {
  if (!(rows > 0) || !Number.isInteger(rows) || rows > 10000) return undefined;
  const twice = value * rows * 2;
  const nearest = Math.round(twice);
  if (Math.abs(twice - nearest) > 1e-9 * Math.max(1, twice)) return undefined;
  const numerator = nearest / 2;
  return `${numerator}/${rows}`;
}

/** A cell of the per-row posterior table: probabilities with three decimals, row numbers and labels as they are. */
export function formatPosteriorCell(column: string, value: number | string | null): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (column.startsWith('P(')) return formatProbability(value);
  return Number.isInteger(value) ? String(value) : formatReal(value);
}
