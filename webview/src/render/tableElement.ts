/**
 * A TableModel as a <table>. Every cell's content is set with textContent, never as HTML:
 * state names and column names come from the user's files.
 */
import type { TableModel } from '../model/tableModel';

export function renderTable(model: TableModel): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'table-figure';
  const table = document.createElement('table');
  if (model.key) table.dataset.table = model.key;
  const caption = document.createElement('caption');
  caption.textContent = model.caption;
  table.appendChild(caption);
  const thead = document.createElement('thead');
  const headRow = document.createElement('tr');
  for (const h of model.header) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    headRow.appendChild(th);
  }
  thead.appendChild(headRow);
  const tbody = document.createElement('tbody');
  for (const row of model.rows) {
    const tr = document.createElement('tr');
    row.forEach((cell, i) => {
      const td = document.createElement(model.rowHeaders && i === 0 ? 'th' : 'td');
      if (td instanceof HTMLTableCellElement && model.rowHeaders && i === 0) (td as HTMLTableCellElement).scope = 'row';
      td.textContent = cell.text;
      if (cell.title) td.title = cell.title;
      if (cell.numeric) td.classList.add('num');
      if (cell.emphasis) td.classList.add('emphasis');
      if (cell.key) td.dataset.cell = cell.key;
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }
  table.append(thead, tbody);
  figure.appendChild(table);
  return figure;
}

/** A heading plus a note paragraph, the building blocks of each view. */
export function heading(text: string, level: 2 | 3 = 2): HTMLElement {
  const h = document.createElement(level === 2 ? 'h2' : 'h3');
  h.textContent = text;
  return h;
}

export function note(text: string, className = 'note'): HTMLElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}
