/**
 * Line charts on a canvas with uPlot (small, fast, no eval, so it runs under the strict CSP):
 * the convergence curves and BIC/AIC against K. Colours come from the theme at draw time;
 * the chart is rebuilt when the theme or the set of series changes, and only its data is
 * replaced on a live update.
 */
import uPlot from 'uplot';
import { tickLabel } from '../model/chartScale';
import { themeColors, withAlpha } from './themeColors';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly width?: number;
  readonly dash?: readonly number[];
  /** false: markers only (e.g. the points where the log-likelihood fell). */
  readonly line?: boolean;
  /** Marker size in px (markers shown when set). */
  readonly pointSize?: number;
  readonly values: readonly (number | null)[];
}

export interface ChartSpec {
  readonly xLabel: string;
  readonly yLabel: string;
  /** Only whole-number ticks on x. */
  readonly integerX?: boolean;
  readonly height?: number;
}

const noPath: uPlot.Series.PathBuilder = () => null;

export class LineChart {
  private plot: uPlot | undefined;
  private signature = '';
  private x: number[] = [];
  private series: readonly ChartSeries[] = [];
  private readonly resizeObserver: ResizeObserver;

  constructor(
    private readonly container: HTMLElement,
    private readonly spec: ChartSpec,
  ) {
    container.classList.add('chart');
    // resize on the next frame: resizing inside the observer's callback would re-trigger it
    this.resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => this.fit()));
    this.resizeObserver.observe(container);
  }

  update(x: readonly number[], series: readonly ChartSeries[]): void {
    this.x = x.slice();
    this.series = series;
    const signature = series.map((s) => `${s.label}|${s.color}|${s.width}|${s.line}|${s.pointSize}|${s.dash?.join(',')}`).join(';');
    const data = this.data();
    if (this.plot && signature === this.signature) {
      this.plot.setData(data);
      return;
    }
    this.signature = signature;
    this.build(data);
  }

  /** Rebuild with the current theme's colours. */
  redraw(): void {
    if (this.plot) this.build(this.data());
  }

  /** The chart as a PNG data URL on the editor's background colour. */
  toPng(): string | undefined {
    const canvas = this.plot?.ctx.canvas;
    if (!canvas) return undefined;
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext('2d');
    if (!ctx) return undefined;
    ctx.fillStyle = themeColors().background;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    return out.toDataURL('image/png');
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private data(): uPlot.AlignedData {
    return [this.x, ...this.series.map((s) => s.values.slice() as (number | null)[])] as uPlot.AlignedData;
  }

  private width(): number {
    return Math.max(240, Math.floor(this.container.clientWidth || 600));
  }

  private fit(): void {
    if (this.plot && this.container.clientWidth > 0 && Math.abs(this.plot.width - this.width()) > 1) {
      this.plot.setSize({ width: this.width(), height: this.spec.height ?? 300 });
    }
  }

  private build(data: uPlot.AlignedData): void {
    this.plot?.destroy();
    const t = themeColors();
    const font = `12px ${t.fontFamily}`;
    const axis = (label: string, integer: boolean): uPlot.Axis => ({
      label,
      stroke: t.foreground,
      font,
      labelFont: font,
      grid: { stroke: withAlpha(t.grid, 0.6), width: 1 },
      ticks: { stroke: t.grid, width: 1 },
      ...(integer ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] } : {}),
      // as many decimals as the tick step needs (uPlot's default shows -1,130.264 twice on a narrow range)
      values: (_u, splits, _axis, _space, increment) => splits.map((v) => tickLabel(v, increment)),
      size: integer ? 40 : 80,
    });
    const opts: uPlot.Options = {
      width: this.width(),
      height: this.spec.height ?? 300,
      scales: {
        x: { time: false },
        // 10% of the data's span around it; a (nearly) flat line gets a narrow band, not uPlot's
        // default of the whole order of magnitude (-2000..0 around a flat -1130)
        y: { range: (_u, min, max): uPlot.Range.MinMax => {
          const pad = Math.max((max - min) * 0.1, Math.abs(max) * 1e-6, 1e-9);
          return [min - pad, max + pad];
        } },
      },
      axes: [axis(this.spec.xLabel, this.spec.integerX ?? false), axis(this.spec.yLabel, false)],
      cursor: { drag: { x: true, y: false } },
      // with many restarts the legend would bury the chart; the restarts table lists them instead
      legend: { show: this.series.length <= 10, live: true },
      series: [
        { label: this.spec.xLabel },
        ...this.series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          spanGaps: false,
          ...(s.dash ? { dash: s.dash.slice() } : {}),
          ...(s.line === false ? { paths: noPath } : {}),
          points: s.pointSize !== undefined ? { show: true, size: s.pointSize, fill: s.color, stroke: s.color } : { show: false },
        })),
      ],
    };
    this.plot = new uPlot(opts, data, this.container);
  }
}
