/**
 * Gaussian parameters (mixture components, Gaussian HMM emissions) as tables: weights,
 * means (K x D) and covariances in the four layouts of scikit-learn (full [K][D][D],
 * diag [K][D], spherical [K], tied [D][D]).
 */
import type { GaussianMixtureParametersJSON } from '../../../src/shared/results';
import { changeTitle, formatProbability, formatReal } from './numberFormat';
import { textCell, type Cell, type TableModel } from './tableModel';

export type CovarianceKind = GaussianMixtureParametersJSON['covariance'];
/** What one of the K rows is called: a mixture component or an HMM state. */
export type UnitName = 'component' | 'state';

type Matrix = readonly (readonly number[])[];

function isVector(x: unknown, n?: number): x is readonly number[] {
  return Array.isArray(x) && (n === undefined || x.length === n) && x.every((v) => typeof v === 'number');
}
function isMatrix(x: unknown, rows?: number, cols?: number): x is Matrix {
  return Array.isArray(x) && (rows === undefined || x.length === rows) && x.every((r) => isVector(r, cols));
}

/**
 * Every component's full D x D covariance, whatever the layout (a diagonal or a variance
 * expands to a matrix, a tied one repeats); undefined when the shape does not match K and D.
 */
export function fullCovariances(kind: CovarianceKind, covariances: unknown, k: number, d: number): Matrix[] | undefined {
  const diagonal = (v: readonly number[]): number[][] => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
  switch (kind) {
    case 'full':
      return Array.isArray(covariances) && covariances.length === k && covariances.every((c) => isMatrix(c, d, d)) ? (covariances as Matrix[]) : undefined;
    case 'diag':
      return isMatrix(covariances, k, d) ? covariances.map((v) => diagonal(v)) : undefined;
    case 'spherical':
      return isVector(covariances, k) ? covariances.map((s) => diagonal(new Array<number>(d).fill(s))) : undefined;
    case 'tied':
      return isMatrix(covariances, d, d) ? new Array<Matrix>(k).fill(covariances) : undefined;
    default: {
      const never: never = kind;
      throw new Error(`unknown covariance layout ${String(never)}`);
    }
  }
}

// 1-based, as the engine names posterior columns (P(component=1), P(state=1))
const name = (unit: UnitName, k: number): string => `${unit} ${k + 1}`;

export function weightsTable(weights: readonly number[], reference: readonly number[] | undefined, unit: UnitName, caption: string, key: string, referenceName = 'initial'): TableModel {
  return {
    caption,
    header: [unit, 'probability'],
    rowHeaders: true,
    rows: weights.map((w, k) => [textCell(name(unit, k)), textCell(formatProbability(w), { numeric: true, title: changeTitle(w, reference?.[k], referenceName), key: `${key}|${k}` })]),
    key,
  };
}

export function meansTable(means: Matrix, reference: Matrix | undefined, columns: readonly string[], unit: UnitName, key = 'means', referenceName = 'initial'): TableModel {
  return {
    caption: 'Means',
    header: [unit, ...columns],
    rowHeaders: true,
    rows: means.map((row, k) => [
      textCell(name(unit, k)),
      ...row.map((m, j) => textCell(formatReal(m), { numeric: true, title: changeTitle(m, reference?.[k]?.[j], referenceName), key: `${key}|${k}|${j}` })),
    ]),
    key,
  };
}

/** The covariance tables in the layout they were estimated in (a diagonal is not padded with zeros). */
export function covarianceTables(kind: CovarianceKind, covariances: unknown, reference: unknown, columns: readonly string[], k: number, unit: UnitName, key = 'cov', referenceName = 'initial'): TableModel[] {
  const d = columns.length;
  const cell = (v: number, ref: number | undefined, cellKey: string): Cell => textCell(formatReal(v), { numeric: true, title: changeTitle(v, ref, referenceName), key: cellKey });
  const square = (m: Matrix, ref: Matrix | undefined, caption: string, tableKey: string): TableModel => ({
    caption,
    header: ['', ...columns],
    rowHeaders: true,
    rows: m.map((row, i) => [textCell(columns[i]), ...row.map((v, j) => cell(v, ref?.[i]?.[j], `${tableKey}|${i}|${j}`))]),
    key: tableKey,
  });
  switch (kind) {
    case 'full': {
      if (!(Array.isArray(covariances) && covariances.length === k && covariances.every((c) => isMatrix(c, d, d)))) return [];
      const refs = Array.isArray(reference) ? reference : [];
      return (covariances as Matrix[]).map((m, c) => square(m, isMatrix(refs[c], d, d) ? refs[c] : undefined, `Covariance of ${name(unit, c)}`, `${key}-${c}`));
    }
    case 'diag': {
      if (!isMatrix(covariances, k, d)) return [];
      const ref = isMatrix(reference, k, d) ? reference : undefined;
      return [{
        caption: 'Variances (diagonal covariances)',
        header: [unit, ...columns],
        rowHeaders: true,
        rows: covariances.map((row, c) => [textCell(name(unit, c)), ...row.map((v, j) => cell(v, ref?.[c]?.[j], `${key}|${c}|${j}`))]),
        key,
      }];
    }
    case 'spherical': {
      if (!isVector(covariances, k)) return [];
      const ref = isVector(reference, k) ? reference : undefined;
      return [{
        caption: 'Variance (spherical covariances)',
        header: [unit, 'variance'],
        rowHeaders: true,
        rows: covariances.map((v, c) => [textCell(name(unit, c)), cell(v, ref?.[c], `${key}|${c}`)]),
        key,
      }];
    }
    case 'tied': {
      if (!isMatrix(covariances, d, d)) return [];
      return [square(covariances, isMatrix(reference, d, d) ? reference : undefined, `Covariance shared by every ${unit} (tied)`, key)];
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown covariance layout ${String(never)}`);
    }
  }
}

/** Every table of a Gaussian mixture: weights, means, covariances. */
export function gaussianMixtureTables(params: GaussianMixtureParametersJSON, reference?: GaussianMixtureParametersJSON, referenceName = 'initial'): TableModel[] {
  const k = params.weights.length;
  return [
    weightsTable(params.weights, reference?.weights, 'component', 'Mixture weights', 'weights', referenceName),
    meansTable(params.means, reference?.means, params.columns, 'component', 'means', referenceName),
    ...covarianceTables(params.covariance, params.covariances, reference?.covariances, params.columns, k, 'component', 'cov', referenceName),
  ];
}
