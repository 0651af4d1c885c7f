/**
 * Charts as standalone SVG documents for export: axes with nice ticks, lines (broken at
 * nulls), point markers and closed outlines, a title and a legend. Pure string building,
 * every text and attribute escaped, so the same data the canvas shows can be saved as a
 * vector file.
 */
import { extent, linearScale, niceTicks, tickLabel } from './chartScale';

export interface SvgSeries {
  readonly label: string;
  readonly color: string;
  /** [x, y]; a null y breaks the line. */
  readonly points: readonly (readonly [number, number | null])[];
  /** Draw a line through the points (default true). */
  readonly line?: boolean;
  readonly lineWidth?: number;
  readonly dash?: readonly number[];
  /** Draw a marker of this radius at every point. */
  readonly markerRadius?: number;
  /** Show in the legend (default true). */
  readonly legend?: boolean;
}

export interface SvgChartSpec {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly SvgSeries[];
  readonly background: string;
  readonly foreground: string;
  readonly grid: string;
  readonly fontFamily?: string;
  /** Only whole-number ticks on x (iterations, K). */
  readonly integerX?: boolean;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

const num = (v: number): string => (Math.round(v * 100) / 100).toString();

export function svgChart(spec: SvgChartSpec): string {
  const { width, height } = spec;
  const legendItems = spec.series.filter((s) => s.legend !== false);
  const margin = { left: 72, right: 16, top: legendItems.length > 0 ? 52 : 36, bottom: 44 };
  const plotW = Math.max(10, width - margin.left - margin.right);
  const plotH = Math.max(10, height - margin.top - margin.bottom);
  const xs = extent(spec.series.flatMap((s) => s.points.map((p) => p[0]))) ?? [0, 1];
  const ys = extent(spec.series.flatMap((s) => s.points.map((p) => p[1]))) ?? [0, 1];
  const xt = niceTicks(xs[0], xs[1], Math.max(2, Math.floor(plotW / 80)));
  const xTicks = spec.integerX ? { ...xt, values: xt.values.filter((v) => Number.isInteger(v)) } : xt;
  const yt = niceTicks(ys[0], ys[1], Math.max(2, Math.floor(plotH / 50)));
  const x = linearScale(xt.min, xt.max, margin.left, margin.left + plotW);
  const y = linearScale(yt.min, yt.max, margin.top + plotH, margin.top);
  const fg = escapeXml(spec.foreground);
  const grid = escapeXml(spec.grid);
  const font = escapeXml(spec.fontFamily ?? 'sans-serif');
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="${escapeXml(spec.background)}"/>`);
  out.push(`<text x="${margin.left}" y="20" fill="${fg}" font-size="14" font-weight="600">${escapeXml(spec.title)}</text>`);
  // grid and ticks
  for (const v of yt.values) {
    const py = num(y(v));
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${py}" y2="${py}" stroke="${grid}" stroke-width="1"/>`);
    out.push(`<text x="${margin.left - 6}" y="${py}" fill="${fg}" text-anchor="end" dominant-baseline="middle">${escapeXml(tickLabel(v, yt.step))}</text>`);
  }
  for (const v of xTicks.values) {
    const px = num(x(v));
    out.push(`<line x1="${px}" x2="${px}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="${grid}" stroke-width="1"/>`);
    out.push(`<text x="${px}" y="${margin.top + plotH + 16}" fill="${fg}" text-anchor="middle">${escapeXml(tickLabel(v, xt.step))}</text>`);
  }
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="${fg}" stroke-width="1"/>`);
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 8}" fill="${fg}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" fill="${fg}" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);
  // series
  for (const s of spec.series) {
    const color = escapeXml(s.color);
    if (s.line !== false) {
      let run: string[] = [];
      const flush = (): void => {
        if (run.length > 1) {
          const dash = s.dash && s.dash.length > 0 ? ` stroke-dasharray="${s.dash.map(num).join(' ')}"` : '';
          out.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${color}" stroke-width="${num(s.lineWidth ?? 1.5)}"${dash}/>`);
        }
        run = [];
      };
      for (const [px, py] of s.points) {
        if (py === null || !Number.isFinite(py) || !Number.isFinite(px)) flush();
        else run.push(`${num(x(px))},${num(y(py))}`);
      }
      flush();
    }
    if (s.markerRadius !== undefined) {
      for (const [px, py] of s.points) {
        if (py === null || !Number.isFinite(py) || !Number.isFinite(px)) continue;
        out.push(`<circle cx="${num(x(px))}" cy="${num(y(py))}" r="${num(s.markerRadius)}" fill="${color}"/>`);
      }
    }
  }
  // legend: one row under the title
  let lx = margin.left;
  for (const s of legendItems) {
    out.push(`<rect x="${num(lx)}" y="32" width="12" height="4" fill="${escapeXml(s.color)}"/>`);
    out.push(`<text x="${num(lx + 16)}" y="38" fill="${fg}">${escapeXml(s.label)}</text>`);
    lx += 28 + s.label.length * 7;
  }
  out.push('</svg>');
  return out.join('\n');
}
