/**
 * The Model selection tab: BIC and AIC against the number of components when a list of K
 * was fitted, the best model marked in the chart and the table.
 */
import type { ModelSelectionRow } from '../../../src/shared/results';
import { modelSelectionSvgSpec } from '../model/chartSvgSpecs';
import { modelSelectionSeries, modelSelectionTable } from '../model/modelSelectionSeries';
import { svgChart } from '../model/svgChart';
import { LineChart } from '../render/lineChart';
import { element, heading, note, renderTable } from '../render/tableElement';
import { themeColors } from '../render/themeColors';
import { chartExportButtons } from './exportActions';
import type { View, ViewContext } from './viewContext';

export class ModelSelectionView implements View {
  readonly id = 'selection';
  readonly label = 'Model selection';
  private chart: LineChart | undefined;

  constructor(private readonly ctx: ViewContext, private readonly rows: readonly ModelSelectionRow[]) {}

  mount(container: HTMLElement): void {
    const s = modelSelectionSeries(this.rows);
    const host = element('div', 'chart-host');
    host.setAttribute('role', 'img');
    host.setAttribute('aria-label', `BIC and AIC against K; best K = ${s.bestK ?? 'unknown'}`);
    container.append(
      heading('BIC and AIC against K'),
      note(`Best: K = ${s.bestK ?? '?'} (marked). Both criteria trade the log-likelihood against the number of free parameters; BIC penalizes them more.`),
      chartExportButtons(this.ctx, 'model-selection', () => this.chart?.toPng(), () => svgChart(modelSelectionSvgSpec(s, themeColors()))),
      host,
      renderTable(modelSelectionTable(this.rows)),
    );
    this.chart = new LineChart(host, { xLabel: 'components K', yLabel: 'criterion', integerX: true, height: 300 });
    this.draw();
  }

  themeChanged(): void {
    this.chart?.update([], []);
    this.draw();
  }

  dispose(): void {
    this.chart?.dispose();
  }

  private draw(): void {
    const s = modelSelectionSeries(this.rows);
    const c = themeColors();
    this.chart?.update(s.k, [
      { label: 'BIC', color: c.palette[0], width: 2, pointSize: 6, values: s.bic },
      { label: 'AIC', color: c.palette[1], width: 2, dash: [6, 4], pointSize: 6, values: s.aic },
      { label: 'best', color: c.error, line: false, pointSize: 13, values: s.bestMarker },
    ]);
  }
}
