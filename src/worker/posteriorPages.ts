/**
 * Pages, single rows and sort orders over a PosteriorTable, in the worker: the table stays
 * where it was computed and only the rows in view cross to the host.
 */
import type { PosteriorTable } from '../engine/family';
import type { PosteriorPage } from '../shared/runs';

type Cell = number | string | null;

/** A table cell as it crosses the thread boundary: `undefined` (empty) becomes null. */
function cell(v: number | string | undefined): Cell {
  return v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
}

/** Values of 0-based row i with its 1-based row number first: one line of the page. */
export function pageRow(table: PosteriorTable, i: number): Cell[] {
  return [i + 1, ...table.row(i).map(cell)];
}

/** The posterior values of row i (without the row number), empty cells as null. */
export function rowValues(table: PosteriorTable, i: number): Cell[] {
  return table.row(i).map(cell);
}

/**
 * Row order sorted by one page column (0 = `row`, c >= 1 = table column c - 1): numbers before
 * strings, empty cells last in either direction, ties in data order (a stable sort), so paging
 * through a sorted table is repeatable. Cost: one pass over the rows to read the keys plus an
 * O(n log n) sort of an index array; the caller caches the result per run and column.
 */
export function sortedOrder(table: PosteriorTable, pageColumn: number, descending: boolean): Uint32Array {
  const n = table.rowCount;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (pageColumn === 0) {
    if (descending) order.reverse();
    return order;
  }
  const c = pageColumn - 1;
  const numbers = new Float64Array(n).fill(NaN); // NaN = not a number (a string or empty)
  const strings: (string | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = table.row(i)[c];
    if (typeof v === 'number' && Number.isFinite(v)) numbers[i] = v;
    else if (typeof v === 'string') strings[i] = v;
  }
  const rank = (i: number): number => (!Number.isNaN(numbers[i]) ? 0 : strings[i] !== undefined ? 1 : 2);
  const sign = descending ? -1 : 1;
  order.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra === 2 || rb === 2 ? ra - rb : sign * (ra - rb);
    let d = 0;
    if (ra === 0) d = numbers[a] - numbers[b];
    else if (ra === 1) d = (strings[a] as string) < (strings[b] as string) ? -1 : (strings[a] as string) > (strings[b] as string) ? 1 : 0;
    return d !== 0 ? sign * d : a - b;
  });
  return order;
}

/** Rows [offset, offset + limit) of `order` (or of data order), clamped to the table. */
export function posteriorPage(table: PosteriorTable, offset: number, limit: number, order?: Uint32Array): PosteriorPage {
  const total = table.rowCount;
  const start = Math.max(0, Math.min(offset, total));
  const end = Math.max(start, Math.min(total, start + limit));
  const rows: Cell[][] = [];
  for (let k = start; k < end; k++) rows.push(pageRow(table, order ? order[k] : k));
  return { columns: ['row', ...table.columns], total, offset: start, rows };
}

/**
 * The 0-based data row whose text starts at or before `line` (1-based), by binary search over
 * the ascending start lines of the rows; -1 before the first row. A row with a quoted line
 * break spans several lines, and every one of them maps to it.
 */
export function rowAtLine(lines: Int32Array, line: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid] <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
