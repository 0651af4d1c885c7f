/**
 * The Convergence tab: the log-likelihood after each iteration for every restart (the best
 * one thick), a marker wherever a line fell, each restart's final value and stop reason, and
 * the live line of a fit that is still running. Beside the chart, for a Gaussian mixture's
 * k-means++ start, the screening that chose the start before iteration 0 (screeningPanel.ts).
 */
import type { FitResult } from '../../../src/shared/results';
import { convergenceSvgSpec, restartColor, restartLabel } from '../model/chartSvgSpecs';
import { alignConvergence, convergenceLines, describeStopReason } from '../model/convergenceSeries';
import { formatLogLikelihood } from '../model/numberFormat';
import { svgChart } from '../model/svgChart';
import { textCell } from '../model/tableModel';
import { LineChart, type ChartSeries } from '../render/lineChart';
import { element, heading, note, renderTable } from '../render/tableElement';
import { themeColors } from '../render/themeColors';
import { chartExportButtons } from './exportActions';
import { ScreeningPanel } from './screeningPanel';
import type { View, ViewContext } from './viewContext';

export class ConvergenceView implements View {
  readonly id = 'convergence';
  readonly label = 'Convergence';
  private chart: LineChart | undefined;
  private summary: HTMLElement | undefined;
  private details: HTMLElement | undefined;
  private screening: ScreeningPanel | undefined;

  constructor(private readonly ctx: ViewContext, private readonly result: FitResult | undefined) {}

  mount(container: HTMLElement): void {
    this.summary = element('p', 'summary');
    this.summary.setAttribute('aria-live', 'polite');
    const chartHost = element('div', 'chart-host');
    chartHost.setAttribute('role', 'img');
    chartHost.setAttribute('aria-label', 'Log-likelihood against iteration for every restart');
    this.details = element('div', 'convergence-details');
    this.screening = new ScreeningPanel(this.ctx);
    // the main chart and the screening panel side by side where there is room (media/inspector.css)
    const charts = element('div', 'convergence-charts');
    const main = element('div', 'convergence-main');
    main.append(chartExportButtons(this.ctx, 'convergence', () => this.chart?.toPng(), () => this.svg()), chartHost);
    charts.append(main, this.screening.element);
    container.append(
      heading('Log-likelihood per iteration'),
      this.summary,
      note('Drag across the chart to zoom into some iterations (the axis fits what is shown); double-click to see them all again.'),
      charts,
      this.details,
      this.screening.table,
    );
    this.chart = new LineChart(chartHost, { xLabel: 'iteration', yLabel: 'log-likelihood', integerX: true, height: 320 });
    this.refresh();
  }

  progress(): void {
    this.refresh();
  }

  themeChanged(): void {
    this.refresh(true);
  }

  dispose(): void {
    this.chart?.dispose();
    this.screening?.dispose();
  }

  private svg(): string {
    const lines = convergenceLines(this.result, this.ctx.live());
    return svgChart(convergenceSvgSpec(`Log-likelihood per iteration${this.result?.name ? `: ${this.result.name}` : ''}`, lines, alignConvergence(lines), themeColors()));
  }

  private refresh(rebuild = false): void {
    if (!this.chart || !this.summary || !this.details) return;
    const live = this.ctx.live();
    const lines = convergenceLines(this.result, live);
    const aligned = alignConvergence(lines);
    const colors = themeColors();
    // the best line last, so that it is drawn over the others
    const order = lines.map((_, i) => i).sort((a, b) => Number(lines[a].best) - Number(lines[b].best));
    const series: ChartSeries[] = order.map((i) => ({
      label: restartLabel(lines[i]),
      color: restartColor(lines[i], colors),
      width: lines[i].best ? 3 : 1.25,
      values: aligned.lines[i],
      ...(lines[i].history.length <= 40 ? { pointSize: lines[i].best ? 6 : 4 } : {}),
    }));
    if (aligned.fallPoints.length > 0) series.push({ label: 'log-likelihood fell', color: colors.error, line: false, pointSize: 11, values: aligned.falls });
    if (aligned.stoppedOnFall.some((v) => v !== null)) series.push({ label: 'stopped: next step fell', color: colors.error, line: false, pointSize: 9, values: aligned.stoppedOnFall });
    if (rebuild) this.chart.update([], []);
    this.chart.update(aligned.x, series);
    this.screening?.update(this.result, live !== undefined, rebuild);

    if (live) {
      const h = live.histories[live.current] ?? [];
      this.summary.textContent = `Running: restart ${live.current + 1} of ${live.restarts}, iteration ${live.iteration} of ${live.maxIterations}, log-likelihood ${h.length > 0 ? formatLogLikelihood(h[h.length - 1]) : '…'}`;
      this.details.replaceChildren();
      return;
    }
    const r = this.result;
    if (!r) {
      this.summary.textContent = 'No run yet.';
      return;
    }
    const reason = describeStopReason(r.stopReason);
    this.summary.textContent = `${reason.charAt(0).toUpperCase()}${reason.slice(1)} after ${r.iterations} iteration${r.iterations === 1 ? '' : 's'}; log-likelihood ${formatLogLikelihood(r.logLikelihood)}${r.restarts.length > 1 ? `, best of ${r.restarts.length} restarts` : ''}.`;
    this.summary.dataset.stopReason = r.stopReason;
    this.details.replaceChildren();
    this.details.appendChild(renderTable({
      caption: 'Restarts',
      header: ['restart', 'seed', 'final log-likelihood', 'iterations', 'stop reason', ''],
      rowHeaders: true,
      rows: lines.map((l) => {
        const s = r.restarts[l.restart];
        return [
          textCell(String(l.restart + 1), { emphasis: l.best }),
          textCell(s ? String(s.seed) : '', { numeric: true }),
          textCell(s ? formatLogLikelihood(s.logLikelihood) : '', { numeric: true, emphasis: l.best, title: s ? String(s.logLikelihood) : '', key: `restart|${l.restart}` }),
          textCell(s ? String(s.iterations) : '', { numeric: true }),
          textCell(describeStopReason(s?.stopReason)),
          textCell(l.best ? 'best' : '', { emphasis: l.best }),
        ];
      }),
      key: 'restarts',
    }));
    if (aligned.fallPoints.length > 0) {
      this.details.appendChild(note(`The log-likelihood fell at ${aligned.fallPoints.map((f) => `iteration ${f.iteration} of restart ${f.restart + 1} (${formatLogLikelihood(f.before)} → ${formatLogLikelihood(f.after)})`).join('; ')}. EM never lowers the log-likelihood, so this points at a numerical problem.`, 'note error'));
    }
    const fellAndStopped = lines.filter((l) => l.stopReason === 'decreased');
    if (fellAndStopped.length > 0) {
      this.details.appendChild(note(`Restart ${fellAndStopped.map((l) => l.restart + 1).join(', ')} stopped because the next step lowered the log-likelihood; the marked point is the last value kept.`, 'note error'));
    }
  }
}
