/**
 * A set of parameters on screen: the tutorial's notation when the network is binary, the
 * joint table of a two-variable network, then every table. Shared by the Parameters tab, the
 * step-through's M-step and the missing-data comparison.
 */
import type { ParameterView } from '../model/parameterTables';
import { element, renderTable } from '../render/tableElement';

export function parameterBlock(view: ParameterView, options: { readonly keyPrefix?: string; readonly showTables?: boolean } = {}): HTMLElement {
  const block = element('div', 'parameters');
  if (options.keyPrefix) block.dataset.block = options.keyPrefix;
  if (view.tutorial) {
    // one line per variable, as the tutorial lists P(H); P(A | H), P(A | ¬H); ...
    const list = element('ul', 'tutorial-notation');
    list.setAttribute('aria-label', "Parameters in the tutorial's notation");
    const byVariable = new Map<string, HTMLElement>();
    for (const line of view.tutorial) {
      const variable = line.key.slice(0, line.key.indexOf('|'));
      let li = byVariable.get(variable);
      if (!li) {
        li = element('li');
        byVariable.set(variable, li);
        list.appendChild(li);
      }
      const span = element('span', 'param', line.text);
      span.title = line.title;
      span.dataset.param = line.key;
      li.appendChild(span);
    }
    block.appendChild(list);
  }
  if (view.joint) block.appendChild(renderTable(view.joint));
  if (options.showTables !== false) {
    const grid = element('div', 'table-grid');
    for (const t of view.tables) grid.appendChild(renderTable(t));
    block.appendChild(grid);
  }
  return block;
}
