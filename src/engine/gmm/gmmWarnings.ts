/**
 * Warnings about a fitted mixture that the user can act on: a component that holds (almost)
 * no rows, a covariance that has fallen onto the regularization floor (a component on too few
 * distinct points, or collinear columns), a covariance the M-step had to repair. Each names
 * the component (1-based, in the returned order) and says what to try, as scikit-learn's
 * "Fitting the mixture model failed ... Try to decrease the number of components, or increase
 * reg_covar" does.
 */
import type { GmmData } from './gmmData';
import type { GmmParameters } from './gmmParameters';

export const COLLAPSE_ADVICE = 'Try fewer components, a larger fit.regularization, or scaled data.';

/** A component holding less than this many rows' weight is reported as empty. */
export const EMPTY_COMPONENT_ROWS = 1e-3;

export function gmmWarnings(p: GmmParameters, data: GmmData, regularization: number): string[] {
  const { k, d } = p;
  const out: string[] = [];
  const describe = (c: number): string => {
    const coords = data.columns.slice(0, 3).map((name, j) => `${name}=${formatNumber(p.means[c * d + j])}`);
    return `component ${c + 1} (weight ${formatNumber(p.weights[c])}, mean ${coords.join(', ')}${d > 3 ? ', ...' : ''})`;
  };
  // the variance floor: twice the regularization, or a 1e-10 fraction of the column's variance
  const floor = (j: number): number => 2 * regularization + 1e-10 * data.variance[j];
  /** The first column along which a covariance block is at the floor, with its (conditional) variance. */
  const collapsedAlong = (c: number): { column: string; variance: number } | undefined => {
    for (let j = 0; j < d; j++) {
      let v: number;
      switch (p.covariance) {
        case 'full':
          v = p.factors[c * d * d + j * d + j] ** 2; // variance of column j given the columns before it
          break;
        case 'tied':
          v = p.factors[j * d + j] ** 2;
          break;
        case 'diag':
          v = p.covariances[c * d + j];
          break;
        case 'spherical':
          v = p.covariances[c];
          break;
        default: {
          const never: never = p.covariance;
          throw new Error(`unknown covariance type ${String(never)}`);
        }
      }
      if (v <= floor(j)) return { column: data.columns[j], variance: v };
    }
    return undefined;
  };
  const atFloor = (v: number): string => `${formatNumber(v)}${regularization > 0 ? `, about what the regularization adds (fit.regularization = ${regularization})` : ''}`;
  const tied = p.covariance === 'tied';
  for (let c = 0; c < k; c++) {
    const mass = p.weights[c] * data.weightedRows;
    if (mass < EMPTY_COMPONENT_ROWS) {
      out.push(`${describe(c)} is empty: it holds ${formatNumber(mass)} of ${formatNumber(data.weightedRows)} rows' weight. ${COLLAPSE_ADVICE}`);
      continue;
    }
    if (tied) continue;
    if (p.repaired[c]) {
      out.push(`${describe(c)} collapsed: its covariance was not positive definite and its diagonal was raised to keep the fit finite. ${COLLAPSE_ADVICE}`);
      continue;
    }
    const at = collapsedAlong(c);
    if (at) out.push(`${describe(c)} collapsed: its variance along "${at.column}" is ${atFloor(at.variance)}; it sits on too few distinct points or on collinear columns. ${COLLAPSE_ADVICE}`);
  }
  if (tied) {
    const at = collapsedAlong(0);
    const why = 'the components sit on too few distinct points or some columns are collinear';
    if (p.repaired.some((r) => r !== 0)) out.push(`the shared (tied) covariance was not positive definite and its diagonal was raised to keep the fit finite: ${why}. ${COLLAPSE_ADVICE}`);
    else if (at) out.push(`the shared (tied) covariance is singular: its variance along "${at.column}" given the columns before it is ${atFloor(at.variance)}; ${why}. ${COLLAPSE_ADVICE}`);
  }
  return out;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
}
