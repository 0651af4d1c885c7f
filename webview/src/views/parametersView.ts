/**
 * The Parameters tab: the fitted parameters of any family as tables, each value's title
 * telling how it moved from its initial value; for Gaussian families with two or more
 * columns, a scatter plot of the data coloured by component with covariance ellipses.
 */
import type { DataSample } from '../../../src/shared/inspectorProtocol';
import type { FitResult } from '../../../src/shared/results';
import { scatterSvgSpec } from '../model/chartSvgSpecs';
import { fullCovariances } from '../model/gaussianTables';
import { isGaussianMixtureParameters, isHmmParameters, parameterView } from '../model/parameterTables';
import { scatterModel } from '../model/scatterModel';
import { svgChart } from '../model/svgChart';
import { ScatterCanvas } from '../render/scatterCanvas';
import { element, heading, note } from '../render/tableElement';
import { themeColors } from '../render/themeColors';
import { dropdown, progressRing } from '../ui/toolkit';
import { chartExportButtons, runDataExportButton } from './exportActions';
import { parameterBlock } from './parameterBlock';
import type { View, ViewContext } from './viewContext';

const SAMPLE_POINTS = 5000;

/** Means and full covariances over named columns, for the scatter plot (Gaussian mixture or Gaussian HMM). */
interface GaussianShape {
  readonly columns: readonly string[];
  readonly means: readonly (readonly number[])[];
  readonly covariances: readonly (readonly (readonly number[])[])[];
}

export function gaussianShape(result: FitResult): GaussianShape | undefined {
  const p = result.parameters;
  if (isGaussianMixtureParameters(p)) {
    const covs = fullCovariances(p.covariance, p.covariances, p.weights.length, p.columns.length);
    return covs ? { columns: p.columns, means: p.means, covariances: covs } : undefined;
  }
  if (isHmmParameters(p) && p.emission.kind === 'gaussian') {
    const e = p.emission;
    const covs = fullCovariances(e.covariance, e.covariances, p.startProbabilities.length, e.columns.length);
    return covs ? { columns: e.columns, means: e.means, covariances: covs } : undefined;
  }
  return undefined;
}

export class ParametersView implements View {
  readonly id = 'parameters';
  readonly label = 'Parameters';
  private scatter: ScatterCanvas | undefined;

  constructor(private readonly ctx: ViewContext, private readonly result: FitResult, private readonly runId: string) {}

  mount(container: HTMLElement): void {
    const r = this.result;
    const bar = element('div', 'toolbar');
    bar.append(runDataExportButton(this.ctx, this.runId, 'parameters-json'));
    container.append(heading('Fitted parameters'), note('Hover over a value to see its initial value and how far EM moved it.'), bar);
    container.appendChild(parameterBlock(parameterView(r.kind, r.parameters, r.initialParameters, 'initial', r.rows), { keyPrefix: 'fitted' }));
    const shape = gaussianShape(r);
    if (shape && shape.columns.length >= 2) {
      const section = element('section', 'scatter-section');
      container.appendChild(section);
      this.mountScatter(section, shape);
    }
  }

  private mountScatter(section: HTMLElement, shape: GaussianShape): void {
    section.appendChild(heading('Data by component', 3));
    if (!this.ctx.capabilities.dataSample) {
      section.appendChild(note('The scatter plot needs data rows from the host, which this build does not provide.'));
      return;
    }
    const saved = this.ctx.state.current;
    let xCol = saved?.scatterX && shape.columns.includes(saved.scatterX) ? saved.scatterX : shape.columns[0];
    let yCol = saved?.scatterY && shape.columns.includes(saved.scatterY) ? saved.scatterY : shape.columns[1];
    const options = shape.columns.map((c) => ({ value: c, label: c }));
    const controls = element('div', 'toolbar');
    const plotHost = element('div', 'scatter-host');
    let sample: DataSample | undefined;
    const draw = (): void => {
      if (!sample) return;
      const m = scatterModel(sample, shape.columns, shape.means, shape.covariances, xCol, yCol);
      if (!m) return;
      this.scatter ??= new ScatterCanvas(plotHost);
      this.scatter.draw(m);
    };
    controls.append(
      dropdown('x', options, xCol, (v) => {
        xCol = v;
        this.ctx.state.update({ scatterX: v });
        draw();
      }),
      dropdown('y', options, yCol, (v) => {
        yCol = v;
        this.ctx.state.update({ scatterY: v });
        draw();
      }),
      chartExportButtons(this.ctx, 'scatter', () => this.scatter?.toPng(), () => {
        if (!sample) return undefined;
        const m = scatterModel(sample, shape.columns, shape.means, shape.covariances, xCol, yCol);
        return m ? svgChart(scatterSvgSpec(m, themeColors())) : undefined;
      }),
    );
    const ring = progressRing('Loading data rows');
    section.append(controls, ring, plotHost);
    const columns = shape.columns.length <= 16 ? shape.columns : [xCol, yCol];
    this.ctx.bridge.dataSample(this.runId, columns, SAMPLE_POINTS).then(
      (s) => {
        ring.remove();
        sample = s;
        if (s.rows.length < s.total) section.insertBefore(note(`Showing an even sample of ${s.rows.length.toLocaleString('en-US')} of ${s.total.toLocaleString('en-US')} rows.`), plotHost);
        draw();
      },
      (e: unknown) => {
        ring.remove();
        section.appendChild(note(`Could not load data rows: ${e instanceof Error ? e.message : String(e)}`, 'note error'));
      },
    );
  }

  themeChanged(): void {
    this.scatter?.redraw();
  }

  dispose(): void {
    this.scatter?.dispose();
  }
}
