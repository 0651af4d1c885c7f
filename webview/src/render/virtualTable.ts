/**
 * The per-row posterior table, virtualized: only the rows in view (plus a few) exist in the
 * DOM, rows arrive from the host in pages of PAGE_SIZE (never the whole table), and a small
 * LRU cache keeps the pages around the view. Sorting asks the host for pages in the new
 * order. Keyboard: Tab reaches the sort buttons and the body; in the body the arrow keys,
 * PageUp/PageDown and Home/End move the active row.
 */
import type { PosteriorPage } from '../../../src/shared/runs';
import { formatPosteriorCell } from '../model/numberFormat';
import { PageCache } from '../model/pageCache';
import { contentHeight, rowAfterKey, scrollScale, scrollTopForRow, scrollTopToReveal, visibleWindow, type ScrollGeometry } from '../model/virtualWindow';
import { element } from './tableElement';

export const PAGE_SIZE = 200;
const ROW_HEIGHT = 24;
const CACHE_PAGES = 16;
const MAX_IN_FLIGHT = 4;

type Row = readonly (number | string | null)[];

export interface VirtualTableOptions {
  readonly fetch: (offset: number, limit: number, sortColumn?: number, descending?: boolean) => Promise<PosteriorPage>;
  readonly sortColumn?: number;
  readonly descending?: boolean;
  readonly firstRow?: number;
  readonly height?: number;
  readonly onState?: (state: { sortColumn?: number; descending?: boolean; firstRow: number }) => void;
  readonly onError?: (message: string) => void;
}

export class VirtualTable {
  readonly element: HTMLElement;
  private readonly head: HTMLElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsEl: HTMLElement;
  private readonly status: HTMLElement;
  private readonly cache = new PageCache<Row>(PAGE_SIZE, CACHE_PAGES);
  private columns: readonly string[] = [];
  /** Per column: its values are numbers (right-aligned, header too). */
  private numericColumns: readonly boolean[] = [];
  private total = 0;
  private sortColumn: number | undefined;
  private descending = false;
  private activeRow = 0;
  private inFlight = 0;
  private frame = 0;
  private fetchTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly height: number;
  private disposed = false;

  constructor(private readonly options: VirtualTableOptions) {
    this.height = options.height ?? 420;
    this.sortColumn = options.sortColumn;
    this.descending = options.descending ?? false;
    this.activeRow = options.firstRow ?? 0;
    this.element = element('div', 'vtable');
    this.element.setAttribute('role', 'grid');
    this.head = element('div', 'vtable-row vtable-head');
    this.head.setAttribute('role', 'row');
    this.body = element('div', 'vtable-body');
    this.body.tabIndex = 0;
    this.body.setAttribute('aria-label', 'Posterior rows: arrow keys, Page Up/Down, Home and End move the active row');
    this.body.style.height = `${this.height}px`;
    this.spacer = element('div', 'vtable-spacer');
    this.rowsEl = element('div', 'vtable-rows');
    this.rowsEl.setAttribute('role', 'rowgroup');
    this.spacer.appendChild(this.rowsEl);
    this.body.appendChild(this.spacer);
    this.status = element('div', 'vtable-status');
    this.status.setAttribute('aria-live', 'polite');
    const scroller = element('div', 'vtable-hscroll');
    scroller.append(this.head, this.body);
    this.element.append(scroller, this.status);
    this.body.addEventListener('scroll', () => this.schedule());
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    // With a scaled scroll range the wheel would jump several rows per notch; move by the wheel's pixels instead.
    this.body.addEventListener('wheel', (e) => {
      const scale = scrollScale(this.geometry());
      if (scale <= 1 || e.deltaMode !== 0) return;
      e.preventDefault();
      this.body.scrollTop += e.deltaY / scale;
    }, { passive: false });
  }

  /** Fetch the first page (columns and row count) and draw. */
  async start(): Promise<void> {
    try {
      const first = this.pageOfRow(this.activeRow);
      const page = await this.options.fetch(first * PAGE_SIZE, PAGE_SIZE, this.sortColumn, this.sortColumn !== undefined ? this.descending : undefined);
      if (this.disposed) return;
      this.columns = page.columns;
      this.numericColumns = page.columns.map((_, c) => {
        const sample = page.rows.find((r) => r[c] !== null && r[c] !== undefined)?.[c];
        return typeof sample === 'number';
      });
      this.total = page.total;
      // a short table takes only the height it needs
      this.body.style.height = `${Math.min(this.height, Math.max(3, this.total) * ROW_HEIGHT + 2)}px`;
      this.cache.put(first, page.rows, this.cache.generation);
      this.buildHead();
      this.element.setAttribute('aria-rowcount', String(this.total + 1));
      this.element.setAttribute('aria-colcount', String(this.columns.length));
      this.spacer.style.height = `${contentHeight(this.geometry())}px`;
      this.body.scrollTop = scrollTopForRow(this.activeRow, this.geometry());
      this.render();
    } catch (e) {
      this.options.onError?.(e instanceof Error ? e.message : String(e));
    }
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.frame);
    if (this.fetchTimer) clearTimeout(this.fetchTimer);
  }

  private pageOfRow(row: number): number {
    return Math.floor(row / PAGE_SIZE);
  }

  private geometry(): ScrollGeometry {
    return { total: this.total, rowHeight: ROW_HEIGHT, viewportHeight: this.body.clientHeight || this.height };
  }

  private gridTemplate(): string {
    // fixed widths: the header and every row share them, and a narrow table stays narrow
    return this.columns.map((c, i) => (i === 0 ? '7em' : c.startsWith('P(') ? `${Math.max(8, c.length * 0.62 + 2).toFixed(1)}em` : '6.5em')).join(' ');
  }

  private buildHead(): void {
    this.head.replaceChildren();
    this.head.style.gridTemplateColumns = this.gridTemplate();
    this.columns.forEach((name, i) => {
      const cell = element('div', this.numericColumns[i] ? 'vtable-cell num' : 'vtable-cell');
      cell.setAttribute('role', 'columnheader');
      const sorted = this.sortColumn === i;
      cell.setAttribute('aria-sort', sorted ? (this.descending ? 'descending' : 'ascending') : 'none');
      const b = element('button', 'sort-button', `${name}${sorted ? (this.descending ? ' ▼' : ' ▲') : ''}`);
      b.type = 'button';
      b.title = i === 0 ? 'Data order' : `Sort by ${name} (again to reverse)`;
      b.dataset.sortColumn = String(i);
      b.addEventListener('click', () => this.sortBy(i));
      cell.appendChild(b);
      this.head.appendChild(cell);
    });
  }

  private sortBy(column: number): void {
    if (column === 0) {
      // the row column: back to data order
      this.sortColumn = undefined;
      this.descending = false;
    } else if (this.sortColumn === column) {
      this.descending = !this.descending;
    } else {
      this.sortColumn = column;
      this.descending = true;
    }
    this.cache.reset();
    this.inFlight = 0;
    this.activeRow = 0;
    this.buildHead();
    this.body.scrollTop = 0;
    this.render();
    this.emitState();
  }

  private onKey(e: KeyboardEvent): void {
    const next = rowAfterKey(e.key, this.activeRow, this.geometry());
    if (next === undefined) return;
    e.preventDefault();
    this.activeRow = next;
    const top = scrollTopToReveal(next, this.body.scrollTop, this.geometry());
    if (top !== this.body.scrollTop) this.body.scrollTop = top;
    this.render();
    this.emitState();
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      this.render();
      this.emitState();
    });
  }

  private emitState(): void {
    const w = visibleWindow(this.body.scrollTop, this.geometry(), 0);
    this.options.onState?.({ ...(this.sortColumn !== undefined ? { sortColumn: this.sortColumn, descending: this.descending } : {}), firstRow: w.firstVisible });
  }

  private render(): void {
    if (this.disposed || this.total === 0) {
      if (this.total === 0 && this.columns.length > 0) this.status.textContent = 'No rows.';
      return;
    }
    const g = this.geometry();
    const w = visibleWindow(this.body.scrollTop, g);
    this.rowsEl.style.transform = `translateY(${w.top}px)`;
    const template = this.gridTemplate();
    const needed = w.end - w.first;
    while (this.rowsEl.children.length < needed) {
      const r = element('div', 'vtable-row');
      r.setAttribute('role', 'row');
      r.style.gridTemplateColumns = template;
      for (let c = 0; c < this.columns.length; c++) {
        const cell = element('div', 'vtable-cell');
        cell.setAttribute('role', 'gridcell');
        r.appendChild(cell);
      }
      this.rowsEl.appendChild(r);
    }
    while (this.rowsEl.children.length > needed) this.rowsEl.lastElementChild?.remove();
    let loading = false;
    for (let k = 0; k < needed; k++) {
      const i = w.first + k;
      const r = this.rowsEl.children[k] as HTMLElement;
      const data = this.cache.row(i);
      if (!data) loading = true;
      r.setAttribute('aria-rowindex', String(i + 2));
      r.classList.toggle('active', i === this.activeRow);
      r.classList.toggle('loading', !data);
      r.id = i === this.activeRow ? 'vtable-active-row' : '';
      for (let c = 0; c < this.columns.length; c++) {
        const cell = r.children[c] as HTMLElement;
        const text = data ? formatPosteriorCell(this.columns[c], data[c] ?? null) : c === 0 ? '…' : '';
        if (cell.textContent !== text) cell.textContent = text;
        cell.classList.toggle('num', this.numericColumns[c] ?? false);
      }
    }
    this.body.setAttribute('aria-activedescendant', this.activeRow >= w.first && this.activeRow < w.end ? 'vtable-active-row' : '');
    const lastVisible = Math.min(this.total, w.firstVisible + Math.ceil(g.viewportHeight / ROW_HEIGHT));
    const order = this.sortColumn !== undefined ? `, sorted by ${this.columns[this.sortColumn]} ${this.descending ? 'descending' : 'ascending'}` : '';
    this.status.textContent = `Rows ${(w.firstVisible + 1).toLocaleString('en-US')}–${lastVisible.toLocaleString('en-US')} of ${this.total.toLocaleString('en-US')}${order}${loading ? ' (loading…)' : ''}`;
    if (loading) this.scheduleFetch();
  }

  /** Ask for the missing pages of the current window once scrolling pauses briefly. */
  private scheduleFetch(): void {
    if (this.fetchTimer) clearTimeout(this.fetchTimer);
    this.fetchTimer = setTimeout(() => {
      this.fetchTimer = undefined;
      const w = visibleWindow(this.body.scrollTop, this.geometry());
      for (const page of this.cache.missing(w.first, w.end)) {
        if (this.inFlight >= MAX_IN_FLIGHT) break;
        void this.fetchPage(page);
      }
    }, 40);
  }

  private async fetchPage(page: number): Promise<void> {
    const generation = this.cache.generation;
    this.cache.markPending(page);
    this.inFlight++;
    try {
      const result = await this.options.fetch(page * PAGE_SIZE, PAGE_SIZE, this.sortColumn, this.sortColumn !== undefined ? this.descending : undefined);
      if (this.cache.put(page, result.rows, generation) && !this.disposed) this.schedule();
    } catch (e) {
      this.cache.fail(page, generation);
      this.options.onError?.(e instanceof Error ? e.message : String(e));
    } finally {
      if (generation === this.cache.generation) this.inFlight = Math.max(0, this.inFlight - 1);
    }
  }
}
