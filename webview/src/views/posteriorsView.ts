/**
 * The Posteriors tab. For a small Bayesian network, the E-step as the tutorial prints it
 * (pattern, count #, P(H | row)) at the fitted parameters; for any model, every data row's
 * posterior in a virtualized table that pages rows from the host and sorts on request.
 */
import type { BayesNetParametersJSON, FitResult } from '../../../src/shared/results';
import { asBayesNetEStep, eStepTable } from '../model/eStepTable';
import { isBayesNetParameters } from '../model/parameterTables';
import { theta } from '../model/stepThrough';
import { element, heading, note, renderTable } from '../render/tableElement';
import { VirtualTable } from '../render/virtualTable';
import { runDataExportButton } from './exportActions';
import type { View, ViewContext } from './viewContext';

export class PosteriorsView implements View {
  readonly id = 'posteriors';
  readonly label = 'Posteriors';
  private table: VirtualTable | undefined;

  constructor(private readonly ctx: ViewContext, private readonly result: FitResult, private readonly runId: string) {}

  mount(container: HTMLElement): void {
    const r = this.result;
    const params = isBayesNetParameters(r.parameters) ? (r.parameters as BayesNetParametersJSON) : undefined;
    const final = asBayesNetEStep(r.finalEStep);
    const snapshots = r.snapshots ?? [];
    const last = snapshots.length > 0 ? asBayesNetEStep(snapshots[snapshots.length - 1].eStep) : undefined;
    if (final) {
      container.append(heading('E-step at the fitted parameters'), note('Each distinct pattern of the observed variables, how many rows have it (#), and the posterior of the hidden variables given the row, as in the tutorial.'));
      container.appendChild(renderTable(eStepTable(final, params, 'P(hidden | row) at the fitted parameters', 'posterior-patterns')));
    } else if (last) {
      const t = snapshots.length;
      const prevParams = t >= 2 ? snapshots[t - 2].parameters : r.initialParameters;
      container.append(heading(`E-step of iteration ${t}`), note(`Posteriors under ${theta(t - 1)}, the parameters before the last M-step (this run did not record the E-step at the fitted parameters).`));
      container.appendChild(renderTable(eStepTable(last, isBayesNetParameters(prevParams) ? prevParams : params, `P(hidden | row, ${theta(t - 1)})`, 'posterior-patterns')));
    }
    const bar = element('div', 'toolbar');
    bar.append(runDataExportButton(this.ctx, this.runId, 'posteriors-csv'));
    container.append(heading('Every data row', final || last ? 3 : 2), note('Rows come from the host a page at a time. Click a column header to sort by it (again to reverse; "row" restores data order).'), bar);
    const saved = this.ctx.state.current;
    this.table = new VirtualTable({
      fetch: (offset, limit, sortColumn, descending) => this.ctx.bridge.posteriorPage(this.runId, offset, limit, sortColumn, descending),
      ...(saved?.sortColumn !== undefined ? { sortColumn: saved.sortColumn, descending: saved.descending ?? false } : {}),
      ...(saved?.firstRow !== undefined ? { firstRow: saved.firstRow } : {}),
      onState: (s) => this.ctx.state.update({ sortColumn: s.sortColumn, descending: s.descending, firstRow: s.firstRow }),
      onError: (m) => this.ctx.notify(`Could not load posterior rows: ${m}`, 'error'),
    });
    container.appendChild(this.table.element);
    void this.table.start();
  }

  dispose(): void {
    this.table?.dispose();
  }
}
