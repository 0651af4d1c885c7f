/**
 * The inspector's three charts as SVG specs (svgChart.ts), from the same shaped data the
 * canvas draws: convergence, model selection, and the mixture scatter plot.
 */
import type { AlignedConvergence, RestartLine } from './convergenceSeries';
import type { ModelSelectionSeries } from './modelSelectionSeries';
import type { ScatterModel } from './scatterModel';
import { SCREENING_X_LABEL, SCREENING_Y_LABEL, type ScreeningSeries } from './screeningSeries';
import type { SvgChartSpec, SvgSeries } from './svgChart';

/** The colours a chart needs (the webview reads them from the theme). */
export interface ChartColors {
  readonly foreground: string;
  readonly background: string;
  readonly grid: string;
  readonly error: string;
  readonly fontFamily: string;
  readonly palette: readonly string[];
}

const size = { width: 800, height: 420 };

export function restartLabel(line: RestartLine): string {
  return `restart ${line.restart + 1}${line.seed !== undefined ? ` (seed ${line.seed})` : ''}${line.best ? (line.live ? ' (running)' : ' (best)') : ''}`;
}

export function restartColor(line: RestartLine, colors: ChartColors): string {
  return line.best ? colors.palette[0] : colors.palette[1 + (line.restart % (colors.palette.length - 1))];
}

export function convergenceSvgSpec(title: string, lines: readonly RestartLine[], aligned: AlignedConvergence, colors: ChartColors): SvgChartSpec {
  // the best line last, so that it is drawn over the others
  const order = lines.map((_, i) => i).sort((a, b) => Number(lines[a].best) - Number(lines[b].best));
  const series: SvgSeries[] = order.map((i) => ({
    label: restartLabel(lines[i]),
    color: restartColor(lines[i], colors),
    lineWidth: lines[i].best ? 3 : 1.25,
    points: aligned.x.map((x) => [x, aligned.lines[i][x]] as const),
  }));
  if (aligned.fallPoints.length > 0) {
    series.push({ label: 'log-likelihood fell', color: colors.error, line: false, markerRadius: 5, points: aligned.x.map((x) => [x, aligned.falls[x]] as const) });
  }
  if (aligned.stoppedOnFall.some((v) => v !== null)) {
    series.push({ label: 'stopped: next step fell', color: colors.error, line: false, markerRadius: 4, points: aligned.x.map((x) => [x, aligned.stoppedOnFall[x]] as const) });
  }
  return { ...size, title, xLabel: 'iteration', yLabel: 'log-likelihood', series, background: colors.background, foreground: colors.foreground, grid: colors.grid, fontFamily: colors.fontFamily, integerX: true };
}

/**
 * The k-means++ screening beside the convergence chart: every candidate in `faint` (a
 * translucent colour the caller makes from the theme), the chosen one thick on top.
 */
export function screeningSvgSpec(s: ScreeningSeries, colors: ChartColors, faint: string): SvgChartSpec {
  const order = s.lines.map((_, i) => i).sort((a, b) => Number(s.lines[a].chosen) - Number(s.lines[b].chosen));
  const series: SvgSeries[] = order.map((i) => {
    const l = s.lines[i];
    return {
      label: l.label,
      legend: l.chosen,
      color: l.chosen ? colors.palette[0] : faint,
      lineWidth: l.chosen ? 2.5 : 1,
      ...(l.repaired ? { dash: [4, 3] } : {}),
      points: s.x.map((x) => [x, l.values[x] ?? null] as const),
    };
  });
  // wider than the other charts: the title says what was screened on which rows
  return { width: 960, height: size.height, title: s.title, xLabel: SCREENING_X_LABEL, yLabel: SCREENING_Y_LABEL, series, background: colors.background, foreground: colors.foreground, grid: colors.grid, fontFamily: colors.fontFamily, integerX: true };
}

export function modelSelectionSvgSpec(s: ModelSelectionSeries, colors: ChartColors): SvgChartSpec {
  return {
    ...size,
    title: 'BIC and AIC against the number of components',
    xLabel: 'components K',
    yLabel: 'criterion (lower is better)',
    series: [
      { label: 'BIC', color: colors.palette[0], lineWidth: 2, markerRadius: 3, points: s.k.map((k, i) => [k, s.bic[i]] as const) },
      { label: 'AIC', color: colors.palette[1], lineWidth: 2, dash: [6, 4], markerRadius: 3, points: s.k.map((k, i) => [k, s.aic[i]] as const) },
      { label: `best K = ${s.bestK ?? '?'}`, color: colors.error, line: false, markerRadius: 6, points: s.k.map((k, i) => [k, s.bestMarker[i]] as const) },
    ],
    background: colors.background, foreground: colors.foreground, grid: colors.grid, fontFamily: colors.fontFamily, integerX: true,
  };
}

export function scatterSvgSpec(m: ScatterModel, colors: ChartColors): SvgChartSpec {
  const series: SvgSeries[] = [];
  for (const c of m.components) {
    const color = colors.palette[c.index % colors.palette.length];
    series.push({ label: `component ${c.index + 1} (${c.points.length})`, color, line: false, markerRadius: 1.8, points: c.points });
    c.ellipses.forEach((e, i) => series.push({ label: '', legend: false, color, lineWidth: 2, dash: i === 0 ? [] : [5, 4], points: e }));
  }
  if (m.unlabelled.length > 0) series.push({ label: 'unlabelled', color: colors.foreground, line: false, markerRadius: 1.5, points: m.unlabelled });
  series.push({ label: 'means', color: colors.foreground, line: false, markerRadius: 4, points: m.components.map((c) => c.mean) });
  return {
    width: 640, height: 560,
    title: `${m.yColumn} against ${m.xColumn} (${m.shown} of ${m.total} rows; ellipses at 1 and 2 standard deviations)`,
    xLabel: m.xColumn, yLabel: m.yColumn, series,
    background: colors.background, foreground: colors.foreground, grid: colors.grid, fontFamily: colors.fontFamily,
  };
}
