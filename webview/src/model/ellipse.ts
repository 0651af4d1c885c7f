/**
 * Covariance ellipses for the scatter plot. The 2 x 2 covariance of the two shown columns,
 * S = [[sxx, sxy], [sxy, syy]], has eigenvalues l1 >= l2 and the major axis at angle
 * a = atan2(2 sxy, sxx - syy) / 2; the ellipse of Mahalanobis radius r around the mean has
 * semi-axes r sqrt(l1) and r sqrt(l2) (closed form for symmetric 2 x 2 matrices).
 */

export interface EllipseAxes {
  /** Semi-axis along the major direction (data units). */
  readonly major: number;
  readonly minor: number;
  /** Angle of the major axis from the x axis, radians. */
  readonly angle: number;
}

/** The 2 x 2 block [i, j] of a D x D covariance: [sxx, sxy, syy]. */
export function covarianceBlock(cov: readonly (readonly number[])[], i: number, j: number): [number, number, number] {
  return [cov[i][i], cov[i][j], cov[j][j]];
}

export function ellipseAxes(sxx: number, sxy: number, syy: number): EllipseAxes {
  const half = (sxx + syy) / 2;
  const disc = Math.sqrt(((sxx - syy) / 2) ** 2 + sxy * sxy);
  const l1 = half + disc;
  const l2 = half - disc;
  return { major: Math.sqrt(Math.max(0, l1)), minor: Math.sqrt(Math.max(0, l2)), angle: 0.5 * Math.atan2(2 * sxy, sxx - syy) };
}

/** `segments` points on the ellipse of radius `radius` (in standard deviations) around (cx, cy), closed. */
export function ellipsePoints(cx: number, cy: number, axes: EllipseAxes, radius: number, segments = 72): [number, number][] {
  const cos = Math.cos(axes.angle);
  const sin = Math.sin(axes.angle);
  const out: [number, number][] = [];
  for (let s = 0; s <= segments; s++) {
    const t = (2 * Math.PI * s) / segments;
    const u = radius * axes.major * Math.cos(t);
    const v = radius * axes.minor * Math.sin(t);
    out.push([cx + u * cos - v * sin, cy + u * sin + v * cos]);
  }
  return out;
}
