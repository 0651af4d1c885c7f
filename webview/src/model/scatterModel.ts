/**
 * The scatter plot of a Gaussian mixture (or Gaussian HMM) as data: sampled rows of two
 * columns grouped by their most probable component, each component's mean and its 1 and
 * 2 standard-deviation ellipses in those columns. Drawn on a canvas and exported as SVG.
 */
import type { DataSample } from '../../../src/shared/inspectorProtocol';
import { covarianceBlock, ellipseAxes, ellipsePoints } from './ellipse';
import { extent } from './chartScale';

export interface ScatterComponent {
  readonly index: number;
  /** Sampled points labelled with this component: [x, y]. */
  readonly points: [number, number][];
  readonly mean: readonly [number, number];
  /** Closed outlines at 1 and 2 standard deviations. */
  readonly ellipses: [number, number][][];
}

export interface ScatterModel {
  readonly xColumn: string;
  readonly yColumn: string;
  readonly components: ScatterComponent[];
  /** Points whose label is unknown (no labels in the sample). */
  readonly unlabelled: [number, number][];
  readonly xExtent: [number, number];
  readonly yExtent: [number, number];
  /** Sampled rows / all rows. */
  readonly shown: number;
  readonly total: number;
}

/**
 * Build the scatter model. `means` is K x D and `covariances` K full D x D matrices, over
 * `columns`; the sample must hold `xColumn` and `yColumn`. Rows missing either value are left out.
 */
export function scatterModel(
  sample: DataSample,
  columns: readonly string[],
  means: readonly (readonly number[])[],
  covariances: readonly (readonly (readonly number[])[])[],
  xColumn: string,
  yColumn: string,
): ScatterModel | undefined {
  const xi = columns.indexOf(xColumn);
  const yi = columns.indexOf(yColumn);
  const sx = sample.columns.indexOf(xColumn);
  const sy = sample.columns.indexOf(yColumn);
  if (xi < 0 || yi < 0 || sx < 0 || sy < 0) return undefined;
  const components: ScatterComponent[] = means.map((m, k) => {
    const axes = ellipseAxes(...covarianceBlock(covariances[k], xi, yi));
    return { index: k, points: [], mean: [m[xi], m[yi]] as const, ellipses: [1, 2].map((r) => ellipsePoints(m[xi], m[yi], axes, r)) };
  });
  const unlabelled: [number, number][] = [];
  let shown = 0;
  for (let i = 0; i < sample.rows.length; i++) {
    const x = sample.values[sx][i];
    const y = sample.values[sy][i];
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    shown++;
    const label = sample.labels?.[i];
    if (typeof label === 'number' && label >= 0 && label < components.length) components[label].points.push([x, y]);
    else unlabelled.push([x, y]);
  }
  const allX = function* (): Generator<number> {
    for (const c of components) {
      for (const p of c.points) yield p[0];
      for (const e of c.ellipses) for (const p of e) yield p[0];
    }
    for (const p of unlabelled) yield p[0];
  };
  const allY = function* (): Generator<number> {
    for (const c of components) {
      for (const p of c.points) yield p[1];
      for (const e of c.ellipses) for (const p of e) yield p[1];
    }
    for (const p of unlabelled) yield p[1];
  };
  return {
    xColumn, yColumn, components, unlabelled,
    xExtent: extent(allX()) ?? [0, 1],
    yExtent: extent(allY()) ?? [0, 1],
    shown, total: sample.total,
  };
}
