/**
 * Pages of posterior rows fetched from the host on demand, kept in a small LRU cache. The
 * table never holds more than `capacity` pages, whatever the number of rows; a change of sort
 * order starts a new generation so that late answers for the old order are dropped.
 */

export interface PageOrder {
  readonly sortColumn?: number;
  readonly descending?: boolean;
}

export class PageCache<Row> {
  private readonly pages = new Map<number, readonly Row[]>();
  private readonly pending = new Set<number>();
  private generationCounter = 0;

  constructor(
    readonly pageSize: number,
    readonly capacity: number,
  ) {
    if (!(pageSize >= 1) || !(capacity >= 1)) throw new RangeError('page size and capacity must be at least 1');
  }

  /** Bumped by `reset`; answers carry the generation they were asked in. */
  get generation(): number {
    return this.generationCounter;
  }

  /** Drop every page (new sort order, new run). */
  reset(): void {
    this.pages.clear();
    this.pending.clear();
    this.generationCounter++;
  }

  pageOf(row: number): number {
    return Math.floor(row / this.pageSize);
  }

  /** Pages that rows [first, end) touch. */
  pagesFor(first: number, end: number): number[] {
    if (end <= first) return [];
    const out: number[] = [];
    for (let p = this.pageOf(first); p <= this.pageOf(end - 1); p++) out.push(p);
    return out;
  }

  /** Pages of rows [first, end) that are neither cached nor asked for yet. */
  missing(first: number, end: number): number[] {
    return this.pagesFor(first, end).filter((p) => !this.pages.has(p) && !this.pending.has(p));
  }

  markPending(page: number): void {
    this.pending.add(page);
  }

  /** Store an answer; ignored when it belongs to an older generation. */
  put(page: number, rows: readonly Row[], generation: number): boolean {
    if (generation !== this.generationCounter) return false;
    this.pending.delete(page);
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.capacity) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
    return true;
  }

  /** A request failed: allow asking again. */
  fail(page: number, generation: number): void {
    if (generation === this.generationCounter) this.pending.delete(page);
  }

  /** Row `i` if its page is cached (refreshing the page's place in the LRU order). */
  row(i: number): Row | undefined {
    const p = this.pageOf(i);
    const rows = this.pages.get(p);
    if (!rows) return undefined;
    this.pages.delete(p);
    this.pages.set(p, rows);
    return rows[i - p * this.pageSize];
  }

  get cachedPages(): number {
    return this.pages.size;
  }
}
