/**
 * The Missing data tab: the tutorial's example 1 as a tool. The same model fitted three ways
 * (drop incomplete rows; fill each missing cell with its most likely value; EM, which fills
 * it with a distribution) and the three estimates side by side.
 */
import type { MissingDataStrategyName } from '../../../src/shared/inspectorProtocol';
import type { FitResult } from '../../../src/shared/results';
import { formatCount, formatLogLikelihood } from '../model/numberFormat';
import { parameterView } from '../model/parameterTables';
import { element, heading, note } from '../render/tableElement';
import { button, progressRing } from '../ui/toolkit';
import { parameterBlock } from './parameterBlock';
import type { View, ViewContext } from './viewContext';

const STRATEGIES: readonly { readonly id: MissingDataStrategyName; readonly title: string; readonly explanation: string }[] = [
  { id: 'drop', title: 'Ignore incomplete rows', explanation: 'Rows with a missing cell are left out (option 1 of the tutorial).' },
  { id: 'fill-mode', title: 'Fill in a best guess', explanation: 'Each missing cell takes its most likely value (option 2).' },
  { id: 'em', title: 'Fill in with a distribution (EM)', explanation: 'Each missing cell counts fractionally for every value, weighted by its posterior, re-estimated every iteration (option 3).' },
];

export class MissingDataView implements View {
  readonly id = 'missing';
  readonly label = 'Missing data';

  constructor(private readonly ctx: ViewContext, private readonly result: FitResult) {}

  mount(container: HTMLElement): void {
    container.append(
      heading('Three ways to handle missing cells'),
      note(`Fit the same model with each strategy and compare the estimates (this runs three fits of the model file). The current run used: ${STRATEGIES.find((s) => s.id === (this.result.missingData ?? 'em'))?.title ?? this.result.missingData}.`),
    );
    const out = element('div', 'strategy-columns');
    const run = button('Compare strategies', () => {
      run.setDisabled(true);
      const ring = progressRing('Fitting three times');
      out.replaceChildren(ring);
      this.ctx.bridge.compareMissingData().then(
        (results) => {
          out.replaceChildren(...STRATEGIES.map((s) => this.column(s, results[s.id])));
          run.setDisabled(false);
        },
        (e: unknown) => {
          out.replaceChildren(note(`The comparison failed: ${e instanceof Error ? e.message : String(e)}`, 'note error'));
          run.setDisabled(false);
        },
      );
    }, { appearance: 'primary', action: 'compare-missing' });
    const bar = element('div', 'toolbar');
    bar.appendChild(run.element);
    container.append(bar, out);
  }

  private column(strategy: (typeof STRATEGIES)[number], result: FitResult): HTMLElement {
    const col = element('section', 'strategy');
    col.dataset.strategy = strategy.id;
    col.append(
      heading(strategy.title, 3),
      note(strategy.explanation),
      note(`${formatCount(result.rows)} rows, log-likelihood ${formatLogLikelihood(result.logLikelihood)}, ${result.iterations} iteration${result.iterations === 1 ? '' : 's'}`),
    );
    col.appendChild(parameterBlock(parameterView(result.kind, result.parameters, undefined, 'initial', result.rows), { keyPrefix: `strategy-${strategy.id}` }));
    return col;
  }
}
