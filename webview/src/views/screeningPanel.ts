/**
 * The k-means++ screening panel of the Convergence tab: beside the convergence chart, the
 * candidates a Gaussian mixture's start was chosen from (faint lines, the chosen one thick),
 * per row of the screening's rows, with the values as a table. Hidden when the shown start
 * was not screened, and while a fit runs (the live curve has no result yet).
 */
import type { FitResult } from '../../../src/shared/results';
import { screeningSvgSpec } from '../model/chartSvgSpecs';
import { SCREENING_X_LABEL, SCREENING_Y_LABEL, screeningSeries, screeningTable, type ScreeningSeries } from '../model/screeningSeries';
import { svgChart } from '../model/svgChart';
import { LineChart, type ChartSeries } from '../render/lineChart';
import { element, heading, note, renderTable } from '../render/tableElement';
import { themeColors, withAlpha } from '../render/themeColors';
import { chartExportButtons } from './exportActions';
import type { ViewContext } from './viewContext';

export class ScreeningPanel {
  /** The panel beside the convergence chart. */
  readonly element = element('section', 'screening-panel');
  /** Its table alternative (placed with the other tables, under the charts). */
  readonly table = element('div', 'screening-table');
  private readonly title = heading('', 3);
  private readonly explanation = note('');
  private readonly chartHost = element('div', 'chart-host screening-chart');
  private chart: LineChart | undefined;
  private series: ScreeningSeries | undefined;

  constructor(ctx: ViewContext) {
    this.element.dataset.panel = 'screening';
    this.chartHost.setAttribute('role', 'img');
    this.element.append(
      this.title,
      this.explanation,
      chartExportButtons(ctx, 'screening', () => this.chart?.toPng(), () => this.svg()),
      this.chartHost,
    );
    this.element.hidden = true;
    this.table.hidden = true;
  }

  /** Show the screening of the result's best start; hide the panel when there is none or a fit is running. */
  update(result: FitResult | undefined, running: boolean, rebuild = false): void {
    const s = running ? undefined : screeningSeries(result);
    this.series = s;
    this.element.hidden = s === undefined;
    this.table.hidden = s === undefined;
    if (!s) {
      this.table.replaceChildren();
      return;
    }
    this.element.setAttribute('aria-label', s.title);
    this.title.textContent = s.title;
    this.explanation.textContent = s.note;
    this.chartHost.setAttribute('aria-label', `${SCREENING_Y_LABEL} against ${SCREENING_X_LABEL} for each of ${s.lines.length} k-means++ candidates; the table "k-means++ screening" below lists the values`);
    // the chart needs a width: built once the panel is shown
    this.chart ??= new LineChart(this.chartHost, { xLabel: SCREENING_X_LABEL, yLabel: SCREENING_Y_LABEL, integerX: true, height: 320 });
    const colors = themeColors();
    const faint = withAlpha(colors.muted, 0.55);
    // the chosen candidate last, so that it is drawn over the others
    const order = s.lines.map((_, i) => i).sort((a, b) => Number(s.lines[a].chosen) - Number(s.lines[b].chosen));
    const lines: ChartSeries[] = order.map((i) => {
      const l = s.lines[i];
      return {
        label: l.label,
        color: l.chosen ? colors.palette[0] : faint,
        width: l.chosen ? 2.5 : 1,
        ...(l.repaired ? { dash: [4, 3] } : {}),
        values: l.values,
      };
    });
    if (rebuild) this.chart.update([], []);
    this.chart.update(s.x, lines);
    this.table.replaceChildren(renderTable(screeningTable(s)));
  }

  dispose(): void {
    this.chart?.dispose();
  }

  private svg(): string | undefined {
    if (!this.series) return undefined;
    const colors = themeColors();
    return svgChart(screeningSvgSpec(this.series, colors, withAlpha(colors.muted, 0.55)));
  }
}
