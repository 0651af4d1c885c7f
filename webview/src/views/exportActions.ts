/**
 * Export buttons: charts are drawn here and sent as PNG (canvas.toDataURL) or SVG text; the
 * parameters JSON and the posterior CSV are written by the host from its own copy of the run.
 * The host shows the save dialog and writes the file; the answer tells where it went.
 */
import type { ExportResultMessage } from '../../../src/shared/inspectorProtocol';
import { button } from '../ui/toolkit';
import { element } from '../render/tableElement';
import type { ViewContext } from './viewContext';

async function report(ctx: ViewContext, pending: Promise<ExportResultMessage>): Promise<void> {
  try {
    const r = await pending;
    if (r.outcome === 'saved') ctx.notify(`Saved ${r.path ?? ''}`);
    else ctx.notify('Export cancelled.');
  } catch (e) {
    ctx.notify(`Export failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
  }
}

/** "PNG" and "SVG" buttons for a chart. */
export function chartExportButtons(ctx: ViewContext, chart: string, png: () => string | undefined, svg: () => string | undefined): HTMLElement {
  const bar = element('div', 'toolbar');
  bar.append(
    button('Save PNG', () => {
      const data = png();
      if (data) void report(ctx, ctx.bridge.exportChart(chart, 'png', data));
    }, { title: `Save the ${chart.replace(/-/g, ' ')} chart as a PNG image`, action: `export-${chart}-png` }).element,
    button('Save SVG', () => {
      const data = svg();
      if (data) void report(ctx, ctx.bridge.exportChart(chart, 'svg', data));
    }, { title: `Save the ${chart.replace(/-/g, ' ')} chart as an SVG image`, action: `export-${chart}-svg` }).element,
  );
  return bar;
}

export function runDataExportButton(ctx: ViewContext, runId: string, what: 'parameters-json' | 'posteriors-csv'): HTMLElement {
  const label = what === 'parameters-json' ? 'Save parameters (JSON)' : 'Save posteriors (CSV)';
  return button(label, () => void report(ctx, ctx.bridge.exportRunData(runId, what)), { action: `export-${what}` }).element;
}
